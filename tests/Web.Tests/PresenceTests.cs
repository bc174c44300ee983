using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Net.WebSockets;
using System.Text;
using ClinicChat.Tests.Shared;
using ClinicChat.Web.Api;
using ClinicChat.Web.Realtime;
using ClinicChat.Web.Seeding;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.SignalR.Client;

namespace ClinicChat.Web.Tests;

[Collection(AppCollection.Name)]
public sealed class PresenceTests(AppFixture fixture)
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task StaffSeeWhenThePatientOpensAndLeavesThePortal()
    {
        var patient = TestData.PortalPatient(70);
        var alice = await fixture.App.SignInAsync(DemoData.Alice);
        var patientSession = await fixture.App.SignInAsync(patient.Email!);
        var thread = await TestData.StartAsync(alice, patient.Id);
        await using var staffHub = fixture.App.CreateHubConnection(alice.Cookie);
        var online = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var offline = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        staffHub.On<PresenceDto>(nameof(IChatClient.PresenceChanged), p =>
        {
            if (p.ConversationId == thread.Id)
            {
                (p.PatientOnline ? online : offline).TrySetResult();
            }
        });
        await ClinicChatApp.ConnectAsync(staffHub);
        var before = await alice.Http.GetFromJsonAsync<ThreadDto>($"/api/v1/conversations/{thread.Id}");

        await using (var portal = fixture.App.CreateHubConnection(patientSession.Cookie))
        {
            await ClinicChatApp.ConnectAsync(portal);
            await online.Task.WaitAsync(Patience);
            var during = await alice.Http.GetFromJsonAsync<ThreadDto>($"/api/v1/conversations/{thread.Id}");
            Assert.True(during!.PatientOnline);
        }

        await offline.Task.WaitAsync(Patience);
        var after = await alice.Http.GetFromJsonAsync<ThreadDto>($"/api/v1/conversations/{thread.Id}");

        Assert.False(before!.PatientOnline);
        Assert.False(after!.PatientOnline);
    }

    /// <summary>Over real Kestrel and sockets: the in-memory test server's sockets never end a receive that nobody answers.</summary>
    [Fact]
    public async Task StaffSeeThePatientGoOfflineWithinSecondsWhenTheirConnectionDiesWithoutClosing()
    {
        var port = ClinicChatApp.FreePort();
        await using var kestrel = new ClinicChatApp();
        kestrel.UseKestrel(options => options.Listen(IPAddress.Loopback, port));
        kestrel.StartServer();
        var baseAddress = new Uri($"http://127.0.0.1:{port}");
        var patient = TestData.PortalPatient(118);
        var (alice, aliceCookie) = await SignInAsync(baseAddress, DemoData.Alice);
        var (_, patientCookie) = await SignInAsync(baseAddress, patient.Email!);
        var thread = (await (await alice.PostAsJsonAsync("/api/v1/conversations", new { patientId = patient.Id })).Content.ReadFromJsonAsync<ConversationDto>())!.Id;
        await using var staffHub = new HubConnectionBuilder()
            .WithUrl(new Uri(baseAddress, ChatHub.Path), options =>
            {
                options.Transports = HttpTransportType.WebSockets;
                options.SkipNegotiation = true;
                options.Headers["Cookie"] = aliceCookie;
            })
            .Build();
        var online = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var offline = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        staffHub.On<PresenceDto>(nameof(IChatClient.PresenceChanged), p =>
        {
            if (p.ConversationId == thread)
            {
                (p.PatientOnline ? online : offline).TrySetResult();
            }
        });
        await ClinicChatApp.ConnectAsync(staffHub);

        // A portal that handshakes and then falls silent without a close (a phone leaving coverage, a
        // laptop lid shut): the socket stays open, but the server hears nothing more, neither ping nor goodbye.
        using var portal = new ClientWebSocket();
        portal.Options.SetRequestHeader("Cookie", patientCookie);
        await portal.ConnectAsync(new Uri($"ws://127.0.0.1:{port}{ChatHub.Path}"), CancellationToken.None);
        await portal.SendAsync(Encoding.UTF8.GetBytes("{\"protocol\":\"json\",\"version\":1}\u001e"), WebSocketMessageType.Text, true, CancellationToken.None);
        await online.Task.WaitAsync(Patience);
        // One ping, as every browser client sends while idle: SignalR only holds a client to the timeout
        // once it has pinged (old clients never did).
        await portal.SendAsync(Encoding.UTF8.GetBytes("{\"type\":6}\u001e"), WebSocketMessageType.Text, true, CancellationToken.None);
        var silent = Stopwatch.StartNew();

        // SignalR's defaults would take 35 s (30 s timeout, 5 s for a close nobody answers); the hub now
        // gives a silent client 15 s (three missed pings) and 1 s to answer the close.
        await offline.Task.WaitAsync(TimeSpan.FromSeconds(30));
        var after = await alice.GetFromJsonAsync<ThreadDto>($"/api/v1/conversations/{thread}");

        kestrel.DeleteData();
        Assert.False(after!.PatientOnline);
        Assert.InRange(silent.Elapsed, TimeSpan.Zero, ChatHub.ClientTimeout + ChatHub.CloseTimeout + TimeSpan.FromSeconds(5));
    }

    private static async Task<(HttpClient Client, string Cookie)> SignInAsync(Uri baseAddress, string email)
    {
        var cookies = new CookieContainer();
        var client = new HttpClient(new HttpClientHandler { CookieContainer = cookies }) { BaseAddress = baseAddress }.WithRequestHeader();
        (await client.PostAsJsonAsync("/api/v1/auth/login", new { email, password = DemoData.Password })).EnsureSuccessStatusCode();
        return (client, cookies.GetCookieHeader(baseAddress));
    }
}
