using ClinicChat.Conversations;

namespace ClinicChat.Web.Tests;

[Trait("Category", "Slow")] // a silo and a web node as processes
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
    /// In client mode the web node serves the dashboard from the silos' dashboard grains to operators
    /// (invited by the operator command, run as a process against the separate silo), a clinic's
    /// Admin gets 404, and each process has its own scrape endpoint: the silo counts what its grains store.
    /// </summary>
    [Fact]
    public async Task AClientWebNodeServesTheDashboardToOperatorsAndEachProcessExposesItsOwnMetrics()
    {
        var dataDirectory = Path.Combine(Path.GetTempPath(), "clinicchat-split-ops-" + Guid.NewGuid().ToString("N"));
        var settings = new Dictionary<string, string>
        {
            ["ClinicChat__Orleans__SiloPort"] = ClinicChatApp.FreePort().ToString(),
            ["ClinicChat__Orleans__GatewayPort"] = ClinicChatApp.FreePort().ToString(),
        };
        var siloMetrics = new Uri($"http://127.0.0.1:{ClinicChatApp.FreePort()}/metrics");
        var webMetrics = new Uri($"http://127.0.0.1:{ClinicChatApp.FreePort()}/metrics");
        using var silo = await AppProcess.StartAsync(
            dataDirectory, new Dictionary<string, string>(settings) { ["ClinicChat__Metrics__Port"] = siloMetrics.Port.ToString() }, "ClinicChat.Silo.dll");
        using var web = await AppProcess.StartAsync(dataDirectory, new Dictionary<string, string>(settings)
        {
            ["ClinicChat__Hosting__Mode"] = "Client",
            ["ClinicChat__Metrics__Port"] = webMetrics.Port.ToString(),
        });
        var invited = await OperatorProcess.RunAsync(
            new Dictionary<string, string>(settings) { ["ClinicChat__Storage__DataDirectory"] = dataDirectory, ["ClinicChat__Hosting__Mode"] = "Client" },
            "invite-operator", "--email", "ops@hosting.test", "--name", "Otto Operator", "--base-url", web.BaseAddress.ToString());
        Assert.True(invited.ExitCode == 0, invited.Error);
        using var operatorClient = await OperatorProcess.BecomeOperatorAsync(web.BaseAddress, invited.Token);
        using var olga = await web.SignInAsync(DemoData.Olga);
        using var alice = await web.SignInAsync(DemoData.Alice);

        var page = await operatorClient.GetAsync("/ops/orleans");
        var counters = await operatorClient.GetAsync("/ops/orleans/DashboardCounters");
        var trace = await operatorClient.GetAsync("/ops/orleans/Trace");
        var admin = await olga.GetAsync("/ops/orleans/DashboardCounters");
        var clinician = await alice.GetAsync("/ops/orleans/DashboardCounters");
        var sent = await alice.PostAsJsonAsync(
            $"/api/v1/conversations/{ConversationId.For(DemoData.Northside, DemoData.PatPortal)}/messages", new { clientMessageId = "split-ops-1", text = "Counted by the silo" });
        using var prometheus = new HttpClient();
        var siloScrape = await prometheus.GetStringAsync(siloMetrics);
        var webScrape = await prometheus.GetStringAsync(webMetrics);
        using var dashboard = System.Text.Json.JsonDocument.Parse(await counters.Content.ReadAsStringAsync());
        web.Dispose();
        silo.Dispose();
        Directory.Delete(dataDirectory, recursive: true);

        Assert.Equal((HttpStatusCode.OK, HttpStatusCode.OK), (page.StatusCode, counters.StatusCode));
        Assert.Equal(1, dashboard.RootElement.GetProperty("totalActiveHostCount").GetInt32());
        Assert.Equal(HttpStatusCode.NotFound, trace.StatusCode);
        Assert.Equal((HttpStatusCode.NotFound, HttpStatusCode.NotFound), (admin.StatusCode, clinician.StatusCode));
        Assert.Equal(HttpStatusCode.Created, sent.StatusCode);
        Assert.True(PrometheusText.Sum(siloScrape, "clinicchat_messages_sent_total") >= 1, "the silo counts stored messages");
        Assert.True(PrometheusText.Sum(siloScrape, "orleans_catalog_activations") >= 1, "the silo reports its activations");
        Assert.True(PrometheusText.Sum(webScrape, "http_server_request_duration_seconds_count") >= 1, "the web node reports its requests");
        Assert.DoesNotContain("Counted by the silo", siloScrape, StringComparison.Ordinal);
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
            // Ping as the web app does (ChatHub.KeepAlive), so a dead connection is noticed in seconds.
            .WithKeepAliveInterval(ClinicChat.Web.Realtime.ChatHub.KeepAlive)
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
        hub.OnMessage(m => pushed.TrySetResult(m));
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
