using System.Net.WebSockets;
using Microsoft.AspNetCore.Mvc.Testing;

namespace ClinicChat.Web.Tests.Proof;

/// <summary>A signed-in browser: its email and its auth cookie.</summary>
public sealed record Session(string Email, string Cookie);

/// <summary>
/// The one place where the proof tests' requests get their headers: the auth cookie of the caller
/// and the header every state-changing browser request must carry (a cross-site form cannot send
/// it). A header the API starts to require later is added here, once.
/// </summary>
public sealed class ProofApi(ClinicChatApp app)
{
    public const string RequestHeader = "X-ClinicChat-Request";
    public const string AuthCookiePrefix = "clinicchat.auth=";

    private readonly HttpClient _http = app.CreateClient(new WebApplicationFactoryClientOptions { HandleCookies = false, AllowAutoRedirect = false });

    public Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, Session? session)
    {
        request.Headers.TryAddWithoutValidation(RequestHeader, "1");
        if (session is not null)
        {
            request.Headers.TryAddWithoutValidation("Cookie", session.Cookie);
        }

        return _http.SendAsync(request);
    }

    public Task<HttpResponseMessage> GetAsync(string path, Session? session) => SendAsync(new HttpRequestMessage(HttpMethod.Get, path), session);

    public Task<HttpResponseMessage> PostAsync(string path, object body, Session? session) =>
        SendAsync(new HttpRequestMessage(HttpMethod.Post, path) { Content = JsonContent.Create(body) }, session);

    public async Task<Session> SignInAsync(string email, string password = Seeding.DemoData.Password)
    {
        using var response = await PostAsync("/api/v1/auth/login", new { email, password }, null);
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"Signing in {email} answered {(int)response.StatusCode}.");
        var cookie = response.Headers.GetValues("Set-Cookie").Select(c => c.Split(';')[0]).Single(c => c.StartsWith(AuthCookiePrefix, StringComparison.Ordinal));
        return new Session(email, cookie);
    }

    /// <summary>A raw WebSocket to the hub (no SignalR client), for frames a well-behaved client never sends.</summary>
    public async Task<WebSocket> OpenHubSocketAsync(Session session, CancellationToken cancellationToken)
    {
        var client = app.Server.CreateWebSocketClient();
        client.ConfigureRequest = request =>
        {
            request.Headers[RequestHeader] = "1";
            request.Headers.Cookie = session.Cookie;
        };
        return await client.ConnectAsync(new Uri(app.Server.BaseAddress, Realtime.ChatHub.Path), cancellationToken);
    }
}
