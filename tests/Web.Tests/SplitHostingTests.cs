using System.Net;
using System.Net.Http.Json;
using ClinicChat.Conversations;
using ClinicChat.Web.Realtime;
using Microsoft.AspNetCore.SignalR.Client;
using ClinicChat.Web.Api;
using ClinicChat.Web.Seeding;

namespace ClinicChat.Web.Tests;

public sealed class SplitHostingTests(Xunit.Abstractions.ITestOutputHelper output)
{
    /// <summary>The same code as a separate silo process and a web process that is an Orleans client.</summary>
    [Fact]
    public async Task ASeparateSiloAndAClientWebNodeServeChat()
    {
        var dataDirectory = Path.Combine(Path.GetTempPath(), "clinicchat-split-" + Guid.NewGuid().ToString("N"));
        var settings = new Dictionary<string, string>
        {
            ["ClinicChat__Orleans__SiloPort"] = ClinicChatApp.FreePort().ToString(),
            ["ClinicChat__Orleans__GatewayPort"] = ClinicChatApp.FreePort().ToString(),
        };
        using var silo = await AppProcess.StartAsync(dataDirectory, settings, "ClinicChat.Silo.dll");
        using var web = await AppProcess.StartAsync(dataDirectory, new Dictionary<string, string>(settings) { ["ClinicChat__Hosting__Mode"] = "Client" });
        using var pat = await web.SignInAsync(DemoData.Pat);

        var inbox = await pat.GetFromJsonAsync<ThreadPageDto>("/api/v1/conversations");
        var northside = inbox!.Threads.Single(t => t.ClinicId == DemoData.Northside);
        var sent = await pat.PostAsJsonAsync($"/api/v1/conversations/{northside.Id}/messages", new { clientMessageId = "split-1", text = "Through a client web node" });
        var stored = await sent.Content.ReadFromJsonAsync<MessageDto>();
        web.Dispose();
        silo.Dispose();
        Directory.Delete(dataDirectory, recursive: true);

        Assert.Equal(northside.LastSeq + 1, stored!.Seq);
        Assert.Equal("Through a client web node", stored.Text);
    }

    /// <summary>
    /// A silo killed and restarted under a client web node: the node reconnects, renews its push
    /// subscriptions and tells connected clients to resync; pushes then flow again.
    /// </summary>
    [Fact]
    public async Task AfterASiloRestartClientsAreToldToResyncAndPushesResume()
    {
        var dataDirectory = Path.Combine(Path.GetTempPath(), "clinicchat-silo-restart-" + Guid.NewGuid().ToString("N"));
        var settings = new Dictionary<string, string>
        {
            ["ClinicChat__Orleans__SiloPort"] = ClinicChatApp.FreePort().ToString(),
            ["ClinicChat__Orleans__GatewayPort"] = ClinicChatApp.FreePort().ToString(),
        };
        var silo = await AppProcess.StartAsync(dataDirectory, settings, "ClinicChat.Silo.dll");
        using var web = await AppProcess.StartAsync(dataDirectory, new Dictionary<string, string>(settings) { ["ClinicChat__Hosting__Mode"] = "Client" });
        using var alice = await web.SignInAsync(DemoData.Alice);
        var (cookie, pat) = await web.SignInWithCookieAsync(DemoData.Pat);
        await using var hub = new HubConnectionBuilder()
            .WithUrl(new Uri(web.BaseAddress, "/hubs/chat"), options => options.Headers["Cookie"] = cookie)
            .Build();
        var subscriptions = 0;
        var resubscribed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var pushed = new TaskCompletionSource<MessageDto>(TaskCreationOptions.RunContinuationsAsynchronously);
        hub.On(nameof(IChatClient.Subscribed), () =>
        {
            if (Interlocked.Increment(ref subscriptions) == 2)
            {
                resubscribed.TrySetResult();
            }
        });
        hub.On<MessageDto>(nameof(IChatClient.MessageAdded), m => pushed.TrySetResult(m));
        await ClinicChatApp.ConnectAsync(hub);
        var thread = ConversationId.For(DemoData.Northside, DemoData.PatPortal);

        var clock = System.Diagnostics.Stopwatch.StartNew();
        silo.Kill();
        silo.Dispose();
        using var restarted = await AppProcess.StartAsync(dataDirectory, settings, "ClinicChat.Silo.dll");
        output.WriteLine($"silo back after {clock.ElapsedMilliseconds} ms");
        // Measured: the Orleans client retries a lost static gateway after about a minute.
        await resubscribed.Task.WaitAsync(TimeSpan.FromSeconds(150));
        output.WriteLine($"clients told to resync after {clock.ElapsedMilliseconds} ms");
        var sent = await SendUntilStoredAsync(alice, thread, "after the restart");
        var received = await pushed.Task.WaitAsync(TimeSpan.FromSeconds(30));
        output.WriteLine($"push resumed after {clock.ElapsedMilliseconds} ms");
        pat.Dispose();
        web.Dispose();
        restarted.Dispose();
        Directory.Delete(dataDirectory, recursive: true);

        Assert.Equal((sent.Seq, "after the restart"), (received.Seq, received.Text));
    }

    /// <summary>Retries with the same client id while the cluster recovers (503 temporarily_unavailable).</summary>
    private static async Task<MessageDto> SendUntilStoredAsync(HttpClient sender, Guid thread, string text)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (true)
        {
            var response = await sender.PostAsJsonAsync($"/api/v1/conversations/{thread}/messages", new { clientMessageId = "restart-1", text });
            if (response.IsSuccessStatusCode)
            {
                return (await response.Content.ReadFromJsonAsync<MessageDto>())!;
            }

            Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
            Assert.True(DateTime.UtcNow < deadline, "The cluster did not recover in time.");
            await Task.Delay(250);
        }
    }
}
