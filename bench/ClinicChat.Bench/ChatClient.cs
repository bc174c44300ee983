using System.Net;
using System.Net.Http.Json;
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

    private readonly HttpClient _http;
    private readonly string _cookie;

    private ChatClient(HttpClient http, string cookie, string email)
    {
        _http = http;
        _cookie = cookie;
        Email = email;
    }

    public string Email { get; }

    public static async Task<ChatClient> SignInAsync(Uri baseAddress, string email)
    {
        var cookies = new CookieContainer();
        var http = new HttpClient(new SocketsHttpHandler { CookieContainer = cookies }) { BaseAddress = baseAddress, Timeout = TimeSpan.FromSeconds(30) };
        // The API refuses state-changing requests without it (CSRF protection); the web app sends it too.
        http.DefaultRequestHeaders.Add("X-ClinicChat-Request", "1");
        var response = await http.PostAsJsonAsync("/api/v1/auth/login", new { email, password = Password });
        if (!response.IsSuccessStatusCode)
        {
            http.Dispose();
            throw new InvalidOperationException($"Sign-in of {email} failed: {(int)response.StatusCode}.");
        }

        var cookie = cookies.GetCookies(baseAddress).Single(c => c.Name == "clinicchat.auth");
        return new ChatClient(http, $"{cookie.Name}={cookie.Value}", email);
    }

    public async Task<StartedConversation> StartConversationAsync(Guid patientId)
    {
        var response = await _http.PostAsJsonAsync("/api/v1/conversations", new { patientId });
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<StartedConversation>())!;
    }

    /// <summary>Sends a message the way the web app does; true when the server acknowledged it (stored).</summary>
    public async Task<bool> SendAsync(Guid conversationId, string clientMessageId, string text)
    {
        using var response = await _http.PostAsJsonAsync($"/api/v1/conversations/{conversationId}/messages", new { clientMessageId, text });
        return response.IsSuccessStatusCode;
    }

    /// <summary>Acknowledges delivery, as the web app does when a pushed message arrives.</summary>
    public async Task<bool> AcknowledgeDeliveredAsync(Guid conversationId, long seq)
    {
        using var response = await _http.PostAsJsonAsync($"/api/v1/conversations/{conversationId}/receipts", new { deliveredUpToSeq = seq });
        return response.IsSuccessStatusCode;
    }

    /// <summary>
    /// Opens a hub connection with this account's cookie and returns once the server says its
    /// subscriptions are live (Subscribed), so that no push sent afterwards can be missed.
    /// </summary>
    public async Task<HubConnection> ConnectAsync(Action<PushedMessage> onMessage)
    {
        var connection = new HubConnectionBuilder()
            .WithUrl(new Uri(_http.BaseAddress!, "/hubs/chat"), options => options.Headers["Cookie"] = _cookie)
            .Build();
        var subscribed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        connection.On("Subscribed", () => subscribed.TrySetResult());
        connection.On<PushedMessage>("MessageAdded", onMessage);
        await connection.StartAsync();
        await subscribed.Task.WaitAsync(TimeSpan.FromSeconds(30));
        return connection;
    }

    public void Dispose() => _http.Dispose();
}
