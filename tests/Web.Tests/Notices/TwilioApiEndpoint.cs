using System.Collections.Concurrent;
using System.Globalization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace ClinicChat.Web.Tests.Notices;

/// <summary>One Messages API call as the endpoint received it.</summary>
public sealed record TwilioApiRequest(
    string AccountSid, bool Authenticated, string? To, string? From, string? MessagingServiceSid, string? Body, string? StatusCallback, string? AnsweredSid);

/// <summary>
/// A local HTTP endpoint that speaks Twilio's Messages API: <c>POST /2010-04-01/Accounts/{sid}/Messages.json</c>, form
/// fields in, HTTP Basic auth (account SID : auth token), 201 and the Message resource's JSON out, Twilio's error JSON for
/// refusals. Kestrel on 127.0.0.1 and a free port; the sender reaches it through <c>ClinicChat:Sms:Twilio:BaseUrl</c>.
/// Records every request; can be told to refuse the next ones as Twilio would.
/// </summary>
public sealed class TwilioApiEndpoint : IAsyncDisposable
{
    public const string AccountSid = "AC00000000000000000000000000000001";
    public const string AuthToken = "test-auth-token-0001";

    private readonly WebApplication _app;
    private readonly ConcurrentQueue<TwilioApiRequest> _requests = new();
    private volatile Refusal? _refusal;
    private TaskCompletionSource _received = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private TwilioApiEndpoint(WebApplication app) => _app = app;

    public Uri BaseUrl { get; private set; } = null!;

    public IReadOnlyList<TwilioApiRequest> Requests => [.. _requests];

    public static async Task<TwilioApiEndpoint> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var endpoint = new TwilioApiEndpoint(app);
        app.MapPost("/2010-04-01/Accounts/{sid}/Messages.json", (string sid, HttpContext http) => endpoint.CreateMessageAsync(sid, http));
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        endpoint.BaseUrl = new Uri(address);
        return endpoint;
    }

    /// <summary>From now on, answer as Twilio does when it refuses: <paramref name="status"/> and its error JSON with <paramref name="code"/> (none: a bare body).</summary>
    public void Refuse(int status, int? code) => _refusal = new Refusal(status, code);

    public void Accept() => _refusal = null;

    /// <summary>The first request that matches, as soon as it has arrived (the dispatcher sends in the background).</summary>
    public async Task<TwilioApiRequest> WaitForAsync(Func<TwilioApiRequest, bool> match, TimeSpan? patience = null)
    {
        using var deadline = new CancellationTokenSource(patience ?? TimeSpan.FromSeconds(30));
        while (true)
        {
            var received = _received.Task;
            if (_requests.FirstOrDefault(match) is { } found)
            {
                return found;
            }

            await received.WaitAsync(deadline.Token);
        }
    }

    private void Record(TwilioApiRequest request)
    {
        _requests.Enqueue(request);
        Interlocked.Exchange(ref _received, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();
    }

    private async Task<IResult> CreateMessageAsync(string sid, HttpContext http)
    {
        var form = await http.Request.ReadFormAsync();
        var authenticated = sid == AccountSid && http.Request.Headers.Authorization.ToString() == "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes($"{AccountSid}:{AuthToken}"));
        string? Field(string name) => form.TryGetValue(name, out var value) ? value.ToString() : null;
        if (!authenticated)
        {
            Record(new TwilioApiRequest(sid, false, Field("To"), Field("From"), Field("MessagingServiceSid"), Field("Body"), Field("StatusCallback"), null));
            return Error(StatusCodes.Status401Unauthorized, 20003, "Authenticate");
        }

        if (_refusal is { } refusal)
        {
            Record(new TwilioApiRequest(sid, true, Field("To"), Field("From"), Field("MessagingServiceSid"), Field("Body"), Field("StatusCallback"), null));
            return refusal.Code is { } code
                ? Error(refusal.Status, code, $"Refused with {code}")
                : Results.Text("<html><body>upstream failure</body></html>", "text/html", statusCode: refusal.Status);
        }

        var messageSid = "SM" + Guid.NewGuid().ToString("N");
        Record(new TwilioApiRequest(sid, true, Field("To"), Field("From"), Field("MessagingServiceSid"), Field("Body"), Field("StatusCallback"), messageSid));
        var now = DateTimeOffset.UtcNow.ToString("ddd, dd MMM yyyy HH:mm:ss '+0000'", CultureInfo.InvariantCulture);
        // The Message resource as Twilio answers a create (fields per its API reference).
        return Results.Json(
            new Dictionary<string, object?>
            {
                ["account_sid"] = sid,
                ["api_version"] = "2010-04-01",
                ["body"] = Field("Body"),
                ["date_created"] = now,
                ["date_sent"] = null,
                ["date_updated"] = now,
                ["direction"] = "outbound-api",
                ["error_code"] = null,
                ["error_message"] = null,
                ["from"] = Field("From"),
                ["messaging_service_sid"] = Field("MessagingServiceSid"),
                ["num_media"] = "0",
                ["num_segments"] = "1",
                ["price"] = null,
                ["price_unit"] = "USD",
                ["sid"] = messageSid,
                ["status"] = "queued",
                ["subresource_uris"] = new Dictionary<string, string> { ["media"] = $"/2010-04-01/Accounts/{sid}/Messages/{messageSid}/Media.json" },
                ["to"] = Field("To"),
                ["uri"] = $"/2010-04-01/Accounts/{sid}/Messages/{messageSid}.json",
            },
            statusCode: StatusCodes.Status201Created);
    }

    /// <summary>Twilio's error body: code, message, more_info, status.</summary>
    private static IResult Error(int status, int code, string message) => Results.Json(
        new Dictionary<string, object> { ["code"] = code, ["message"] = message, ["more_info"] = $"https://www.twilio.com/docs/errors/{code}", ["status"] = status },
        statusCode: status);

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private sealed record Refusal(int Status, int? Code);
}
