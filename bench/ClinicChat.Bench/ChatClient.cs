using System.Net.Http.Json;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.SignalR.Client;

namespace ClinicChat.Bench;

/// <summary>The fields of ClinicChat's MessageDto that the harness reads; the relay floor pushes the same shape.</summary>
public sealed record PushedMessage(Guid ConversationId, long Seq, string ClientMessageId, string SenderId, string SenderKind, string SenderName, string Text, DateTimeOffset SentAt);

public sealed record StartedConversation(Guid Id, Guid PatientId);

/// <summary>
/// One signed-in account, used as a browser uses it: the auth cookie for HTTP commands and for
/// any number of hub connections (tabs or devices).
/// </summary>
public sealed class ChatClient : IDisposable
{
    public const string Password = "Demo!2345";

    /// <summary>
    /// A browser opens at most six HTTP/1.1 connections per origin and queues the rest. Without the
    /// same cap an open-loop step beyond the server's capacity opens a socket per outstanding request
    /// and exhausts the harness's file descriptors (the first default-size run died that way at 2,000/s).
    /// </summary>
    private const int ConnectionsPerBrowser = 6;

    private readonly HttpClient _http;
    private readonly string _cookie;

    private ChatClient(HttpClient http, string cookie, string email)
    {
        _http = http;
        _cookie = cookie;
        Email = email;
    }

    public string Email { get; }

    public Uri BaseAddress => _http.BaseAddress!;

    public static async Task<ChatClient> SignInAsync(Uri baseAddress, string email)
    {
        var http = NewBrowserHttp(baseAddress);
        using var response = await http.PostAsJsonAsync("/api/v1/auth/login", new { email, password = Password });
        if (!response.IsSuccessStatusCode)
        {
            http.Dispose();
            throw new InvalidOperationException($"Sign-in of {email} failed: {(int)response.StatusCode}.");
        }

        var cookie = response.Headers.GetValues("Set-Cookie").Select(c => c.Split(';')[0]).Single(c => c.StartsWith("clinicchat.auth=", StringComparison.Ordinal));
        http.DefaultRequestHeaders.Add("Cookie", cookie);
        return new ChatClient(http, cookie, email);
    }

    /// <summary>Another browser of the same signed-in user (its own connection pool, the same session cookie), possibly routed to another web node.</summary>
    public ChatClient OpenAnotherBrowser(Uri? baseAddress = null)
    {
        var http = NewBrowserHttp(baseAddress ?? BaseAddress);
        http.DefaultRequestHeaders.Add("Cookie", _cookie);
        return new ChatClient(http, _cookie, Email);
    }

    /// <summary>
    /// A program signed in as the same user (an integration, or a shared front-desk login driven by a tool): the same
    /// session cookie over a pool of <paramref name="connections"/>, not a browser's six.
    /// </summary>
    public ChatClient OpenProgram(int connections, Uri? baseAddress = null)
    {
        var http = NewBrowserHttp(baseAddress ?? BaseAddress, connections);
        http.DefaultRequestHeaders.Add("Cookie", _cookie);
        return new ChatClient(http, _cookie, Email);
    }

    private static HttpClient NewBrowserHttp(Uri baseAddress, int connections = ConnectionsPerBrowser)
    {
        var http = new HttpClient(new SocketsHttpHandler { UseCookies = false, MaxConnectionsPerServer = connections })
        {
            BaseAddress = baseAddress,
            Timeout = TimeSpan.FromSeconds(30),
        };
        // The web app sends this on every call; the server refuses state-changing requests without it (CSRF).
        http.DefaultRequestHeaders.Add("X-ClinicChat-Request", "1");
        return http;
    }

    /// <summary>A FHIR import as the clinic's Admin sends it (the EHR's bearer token costs the same per request).</summary>
    public Task<HttpResponseMessage> ImportFhirAsync(Guid clinicId, string json) =>
        _http.PostAsync($"/api/v1/clinics/{clinicId}/fhir", new StringContent(json, System.Text.Encoding.UTF8, "application/fhir+json"));

    public async Task<Guid> FirstClinicAsync()
    {
        var me = await _http.GetFromJsonAsync<System.Text.Json.JsonElement>("/api/v1/me");
        return me.GetProperty("memberships")[0].GetProperty("clinicId").GetGuid();
    }

    public async Task<StartedConversation> StartConversationAsync(Guid patientId)
    {
        using var response = await _http.PostAsJsonAsync("/api/v1/conversations", new { patientId });
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<StartedConversation>())!;
    }

    /// <summary>GETs a JSON resource of the API (pages, search) as the web app does.</summary>
    public async Task<T> GetAsync<T>(string path)
    {
        using var response = await _http.GetAsync(path);
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<T>())!;
    }

    /// <summary>Times one GET to completion of its body; throws when it fails.</summary>
    public async Task GetAndDiscardAsync(string path)
    {
        using var response = await _http.GetAsync(path, HttpCompletionOption.ResponseContentRead);
        response.EnsureSuccessStatusCode();
    }

    /// <summary>Sends a message the way the web app does; true when the server acknowledged it (stored).</summary>
    public async Task<bool> SendAsync(Guid conversationId, string clientMessageId, string text)
    {
        using var response = await _http.PostAsJsonAsync($"/api/v1/conversations/{conversationId}/messages", new { clientMessageId, text });
        return response.IsSuccessStatusCode;
    }

    /// <summary>Sends as <see cref="SendAsync"/> does; the stored message's position in its thread, or null when refused.</summary>
    public async Task<long?> SendForSeqAsync(Guid conversationId, string clientMessageId, string text)
    {
        using var response = await _http.PostAsJsonAsync($"/api/v1/conversations/{conversationId}/messages", new { clientMessageId, text });
        return response.IsSuccessStatusCode ? (await response.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>()).GetProperty("seq").GetInt64() : null;
    }

    /// <summary>Says the thread is read up to <paramref name="seq"/> over HTTP, as the web app does when the thread is on screen; true when accepted.</summary>
    public async Task<bool> ReadUpToAsync(Guid conversationId, long seq)
    {
        using var response = await _http.PostAsJsonAsync($"/api/v1/conversations/{conversationId}/receipts", new { readUpToSeq = seq });
        return response.IsSuccessStatusCode;
    }

    /// <summary>
    /// One of the team's actions on a thread, as a front desk makes them between messages (issue 22): an internal note, an
    /// assignment (to this account, or back to nobody), or a status change (waiting on the patient, or open). True when stored.
    /// A note's <paramref name="clientNoteId"/> must be new: before 2026-12-05 it was the action's number within its step,
    /// so from the second step on almost every note was a retry of one stored before (answered from the unique index).
    /// </summary>
    public async Task<bool> TeamActionAsync(Guid conversationId, int n, string clientNoteId)
    {
        using var response = (n / 2 % 3) switch
        {
            0 => await _http.PostAsJsonAsync($"/api/v1/conversations/{conversationId}/notes", new { clientNoteId, text = $"synthetic bench note {n}" }),
            1 => await _http.PutAsJsonAsync($"/api/v1/conversations/{conversationId}/assignee", new { staffUserId = n % 2 == 0 ? await UserIdAsync() : null }),
            _ => await _http.PutAsJsonAsync($"/api/v1/conversations/{conversationId}/status", new { status = n % 2 == 0 ? "waiting" : "open" }),
        };
        return response.IsSuccessStatusCode;
    }

    private string? _userId;

    private async Task<string> UserIdAsync() =>
        _userId ??= (await _http.GetFromJsonAsync<System.Text.Json.JsonElement>("/api/v1/me")).GetProperty("userId").GetString()!;

    /// <summary>
    /// Acknowledges delivery on the connection the message came on, as the web app does when a pushed message arrives
    /// while it is connected (ChatHub.Delivered; over HTTP only while disconnected). Null when stored, else the API's
    /// error code.
    /// </summary>
    public static async Task<string?> AcknowledgeDeliveredAsync(HubConnection connection, Guid conversationId, long seq) =>
        (await connection.InvokeAsync<HubReply>("Delivered", conversationId, seq)).Error;

    /// <summary>ChatHub's HubReply: the value (not read here), or the API's error code for a refusal.</summary>
    private sealed record HubReply(System.Text.Json.JsonElement? Value, string? Error);

    /// <summary>
    /// Opens a hub connection with this account's cookie and returns once the server says its
    /// subscriptions are live (Subscribed), so that no push sent afterwards can be missed.
    /// </summary>
    public Task<HubConnection> ConnectAsync(Action<PushedMessage> onMessage) => ConnectAsync((_, message) => onMessage(message));

    /// <inheritdoc cref="ConnectAsync(Action{PushedMessage})"/>
    /// <param name="onMessage">Each pushed message, with the connection it came on (for its delivery receipt).</param>
    public async Task<HubConnection> ConnectAsync(Action<HubConnection, PushedMessage> onMessage)
    {
        var connection = new HubConnectionBuilder()
            .WithUrl(new Uri(_http.BaseAddress!, "/hubs/chat"), options =>
            {
                options.Headers["Cookie"] = _cookie;
                // As the web app (hub.ts): WebSockets straight away, no negotiate request (and so no
                // idle keep-alive HTTP connection per hub connection on the server).
                options.Transports = HttpTransportType.WebSockets;
                options.SkipNegotiation = true;
            })
            // Ping as the web app does (ChatHub.KeepAlive), so a dead connection is noticed in seconds.
            .WithKeepAliveInterval(TimeSpan.FromSeconds(5))
            .Build();
        var subscribed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        connection.On("Subscribed", () => subscribed.TrySetResult());
        // A push carries a list: a clinic's staff get up to 50 ms of messages in one (ChatPushRelay.StaffPushWindow).
        connection.On<PushedMessage[]>("MessageAdded", messages =>
        {
            foreach (var message in messages)
            {
                onMessage(connection, message);
            }
        });
        await connection.StartAsync();
        await subscribed.Task.WaitAsync(TimeSpan.FromSeconds(30));
        return connection;
    }

    public void Dispose() => _http.Dispose();
}
