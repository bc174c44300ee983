using System.Collections.Concurrent;
using System.Diagnostics;
using System.Threading.Channels;
using Xunit.Abstractions;

namespace ClinicChat.Web.Tests.Cluster;

/// <summary>
/// Cluster mode with real processes and a real PostgreSQL: delivery across web nodes, and no
/// acknowledged message lost when a silo, a web node or the database goes away.
/// </summary>
[Trait("Category", "Slow")] // real PostgreSQL, silos and web nodes as processes
[Collection(ClusterCollection.Name)]
public sealed class ClusterTests(ITestOutputHelper output)
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(90);

    [Fact]
    public async Task AMessageSentThroughOneWebNodeReachesAPatientConnectedToTheOther()
    {
        await using var cluster = await LocalCluster.StartAsync();
        var (nodeA, nodeB) = (cluster.WebNodes[0], cluster.WebNodes[1]);
        using var alice = await nodeA.SignInAsync(DemoData.Alice);
        var (cookie, pat) = await nodeB.SignInWithCookieAsync(DemoData.Pat);
        var (patientHub, pushes) = await ConnectAsync(nodeB, cookie);
        await using var _ = patientHub;

        var sent = await SendAsync(alice, TestData.PatThreadAtNorthside, "cross-node-1", "Sent through node A");
        var received = await pushes.Reader.ReadAsync().AsTask().WaitAsync(Bound);
        var health = await Task.WhenAll(cluster.WebNodes.SelectMany(n => new[] { "/healthz", "/readyz" }.Select(p => Get(n, p))));

        Assert.Equal((sent!.Seq, "Sent through node A"), (received.Seq, received.Text));
        Assert.All(health, status => Assert.Equal(HttpStatusCode.OK, status));
        pat.Dispose();
    }

    /// <summary>Sessions live in grains, not in a web node: ending one through node A refuses it on node B and closes its push connection there.</summary>
    [Fact]
    public async Task SigningOutThroughOneWebNodeEndsTheSessionAndItsPushConnectionOnTheOther()
    {
        await using var cluster = await LocalCluster.StartAsync();
        var (nodeA, nodeB) = (cluster.WebNodes[0], cluster.WebNodes[1]);
        var (cookie, signedInOnA) = await nodeA.SignInWithCookieAsync(DemoData.Pat);
        using var onB = new HttpClient { BaseAddress = nodeB.BaseAddress };
        onB.DefaultRequestHeaders.Add("Cookie", cookie);
        var (hubOnB, _) = await ConnectAsync(nodeB, cookie);
        await using var _ = hubOnB;
        var closed = SessionTestKit.ClosedAsync(hubOnB);
        var beforeOnB = (await onB.GetAsync("/api/v1/me")).StatusCode;

        var logout = await signedInOnA.PostAsync("/api/v1/auth/logout", null);
        await closed.WaitAsync(Bound);
        var afterOnB = (await onB.GetAsync("/api/v1/me")).StatusCode;

        Assert.Equal(HttpStatusCode.NoContent, logout.StatusCode);
        Assert.Equal((HttpStatusCode.OK, HttpStatusCode.Unauthorized), (beforeOnB, afterOnB));
        signedInOnA.Dispose();
    }

    /// <summary>Attachment bytes live in the database in cluster mode: any web node serves what another stored.</summary>
    [Fact]
    public async Task AnAttachmentUploadedThroughOneWebNodeDownloadsAndPreviewsThroughTheOther()
    {
        await using var cluster = await LocalCluster.StartAsync();
        using var alice = await cluster.WebNodes[0].SignInAsync(DemoData.Alice);
        using var pat = await cluster.WebNodes[1].SignInAsync(DemoData.Pat);
        var png = SampleFiles.For("xray.png");
        using var form = new MultipartFormDataContent { { new ByteArrayContent(png), "file", "xray.png" } };

        var upload = await alice.PostAsync($"/api/v1/conversations/{TestData.PatThreadAtNorthside}/attachments", form);
        var stored = await upload.Content.ReadFromJsonAsync<AttachmentDto>();
        var sent = await alice.PostAsJsonAsync($"/api/v1/conversations/{TestData.PatThreadAtNorthside}/messages",
            new { clientMessageId = $"file-{stored!.AttachmentId:N}", text = "", attachmentIds = new[] { stored.AttachmentId } });
        var download = await pat.GetAsync($"/api/v1/attachments/{stored.AttachmentId}");
        var preview = await pat.GetAsync($"/api/v1/attachments/{stored.AttachmentId}/preview");
        var again = await alice.GetAsync($"/api/v1/attachments/{stored.AttachmentId}/preview");

        Assert.Equal((HttpStatusCode.Created, HttpStatusCode.Created), (upload.StatusCode, sent.StatusCode));
        Assert.Equal(png, await download.Content.ReadAsByteArrayAsync());
        Assert.Equal(("image/jpeg", "image/jpeg"), (preview.Content.Headers.ContentType?.MediaType, again.Content.Headers.ContentType?.MediaType));
        Assert.Equal(await preview.Content.ReadAsByteArrayAsync(), await again.Content.ReadAsByteArrayAsync());
        Assert.Empty(Directory.EnumerateFiles(cluster.WebNodes[0].DataDirectory, "*", SearchOption.AllDirectories));
    }

    [Fact]
    public async Task KillingOneOfTwoSilosLosesNoAcknowledgedMessageAndStoresEachOnce()
    {
        await using var cluster = await LocalCluster.StartAsync();
        var threads = new List<Guid>();
        using var alice = await cluster.WebNodes[0].SignInAsync(DemoData.Alice);
        using var frank = await cluster.WebNodes[1].SignInAsync(DemoData.Frank);
        for (var i = 0; i < 4; i++)
        {
            var start = await alice.PostAsJsonAsync("/api/v1/conversations", new { patientId = TestData.PortalPatient(160 + i).Id });
            threads.Add((await start.Content.ReadFromJsonAsync<ConversationDto>())!.Id);
        }

        var (cookie, _) = await cluster.WebNodes[1].SignInWithCookieAsync(TestData.PortalPatient(160).Email!);
        var (patientHub, pushes) = await ConnectAsync(cluster.WebNodes[1], cookie, resync: threads[0]);
        await using var _ = patientHub;
        var acknowledged = new ConcurrentDictionary<(Guid Thread, string ClientId), long>();
        var failures = 0;
        var killedAt = TimeSpan.Zero;
        var firstSuccessAfterFailure = TimeSpan.Zero;
        var clock = Stopwatch.StartNew();

        // Four senders keep sending through both web nodes; after their fifth message a silo dies.
        var killed = new TaskCompletionSource();
        using var fiveEach = new CountdownEvent(4);
        var senders = threads.Select((thread, index) => Task.Run(async () =>
        {
            var staff = index % 2 == 0 ? alice : frank;
            for (var n = 1; n <= 15; n++)
            {
                if (n == 6)
                {
                    fiveEach.Signal();
                    await killed.Task;
                }

                var clientId = $"t{index}-m{n}";
                var hadFailure = false;
                while (true)
                {
                    var stored = await TrySendAsync(staff, thread, clientId, $"message {n}");
                    if (stored is not null)
                    {
                        acknowledged[(thread, clientId)] = stored.Seq;
                        if (hadFailure && firstSuccessAfterFailure == TimeSpan.Zero)
                        {
                            firstSuccessAfterFailure = clock.Elapsed;
                        }

                        break;
                    }

                    hadFailure = true;
                    Interlocked.Increment(ref failures);
                    Assert.True(clock.Elapsed < TimeSpan.FromMinutes(3), "The cluster did not recover within three minutes.");
                    await Task.Delay(250);
                }
            }
        })).ToList();

        Assert.True(await Task.Run(() => fiveEach.Wait(TimeSpan.FromMinutes(2))), "The senders did not get their first five messages through.");

        killedAt = clock.Elapsed;
        cluster.Silos[1].Kill();
        killed.SetResult();
        await Task.WhenAll(senders).WaitAsync(TimeSpan.FromMinutes(4));
        var afterRecovery = await SendAsync(alice, threads[0], "after-recovery", "after the silo died");
        var pushed = await ReceiveSeqAsync(pushes, afterRecovery!.Seq);
        output.WriteLine($"silo killed at {killedAt.TotalSeconds:F1} s; {failures} failed attempts retried; " +
            $"first success after a failure {(firstSuccessAfterFailure == TimeSpan.Zero ? "n/a (no call failed)" : $"{(firstSuccessAfterFailure - killedAt).TotalSeconds:F1} s after the kill")}");

        foreach (var thread in threads)
        {
            var (copies, gapless) = await cluster.StoredAsync(thread);
            var sentHere = acknowledged.Keys.Where(k => k.Thread == thread).Select(k => k.ClientId).ToList();
            Assert.True(gapless, $"Thread {thread} has a gap in its seqs.");
            Assert.All(sentHere, clientId => Assert.Equal(1, copies.GetValueOrDefault(clientId)));
        }

        Assert.Equal(4 * 15, acknowledged.Count);
        Assert.Equal(afterRecovery.Seq, pushed.Seq);
    }

    [Fact]
    public async Task KillingAWebNodeLosesNoAcknowledgedMessageAndItsClientsResyncThroughTheOther()
    {
        await using var cluster = await LocalCluster.StartAsync();
        var (survivor, doomed) = (cluster.WebNodes[0], cluster.WebNodes[1]);
        var patient = TestData.PortalPatient(165);
        using var aliceOnDoomed = await doomed.SignInAsync(DemoData.Alice);
        var thread = (await (await aliceOnDoomed.PostAsJsonAsync("/api/v1/conversations", new { patientId = patient.Id })).Content.ReadFromJsonAsync<ConversationDto>())!.Id;
        var (cookie, _) = await doomed.SignInWithCookieAsync(patient.Email!);
        var acknowledged = new List<MessageDto>();
        for (var n = 1; n <= 5; n++)
        {
            acknowledged.Add((await SendAsync(aliceOnDoomed, thread, $"before-{n}", $"before {n}"))!);
        }

        doomed.Kill();
        using var aliceOnSurvivor = await survivor.SignInAsync(DemoData.Alice);
        for (var n = 1; n <= 5; n++)
        {
            acknowledged.Add((await SendAsync(aliceOnSurvivor, thread, $"after-{n}", $"after {n}"))!);
        }

        // The patient's app reconnects with the same session through the other node and resyncs from its cursor.
        using var patientOnSurvivor = new HttpClient { BaseAddress = survivor.BaseAddress }.WithRequestHeader();
        patientOnSurvivor.DefaultRequestHeaders.Add("Cookie", cookie);
        var (hub, _) = await ConnectAsync(survivor, cookie);
        await using var __ = hub;
        var resynced = await patientOnSurvivor.GetFromJsonAsync<MessagePageDto>($"/api/v1/conversations/{thread}/messages?afterSeq=0&limit=200");

        Assert.Equal(acknowledged.Select(m => (m.Seq, m.Text)), resynced!.Messages.Select(m => (m.Seq, m.Text)));
        var (copies, gapless) = await cluster.StoredAsync(thread);
        Assert.True(gapless);
        Assert.All(copies.Values, count => Assert.Equal(1, count));
    }

    /// <summary>A web node stopped gracefully closes its SignalR connections with a reconnect hint, so clients reconnect (elsewhere) instead of giving up.</summary>
    [Fact]
    public async Task AStoppingWebNodeTellsItsClientsToReconnectAndASiloStoppingHandsOverItsGrains()
    {
        await using var cluster = await LocalCluster.StartAsync();
        var (cookie, _) = await cluster.WebNodes[1].SignInWithCookieAsync(DemoData.Pat);
        var reconnecting = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var closedForGood = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var hub = new HubConnectionBuilder()
            .WithUrl(new Uri(cluster.WebNodes[1].BaseAddress, "/hubs/chat"), options => options.Headers["Cookie"] = cookie)
            .WithAutomaticReconnect([TimeSpan.FromSeconds(30)])
            // Ping as the web app does (ChatHub.KeepAlive), so a dead connection is noticed in seconds.
            .WithKeepAliveInterval(ClinicChat.Web.Realtime.ChatHub.KeepAlive)
            .Build();
        hub.Reconnecting += _ => { reconnecting.TrySetResult(); return Task.CompletedTask; };
        hub.Closed += _ => { closedForGood.TrySetResult(); return Task.CompletedTask; };
        await ClinicChatApp.ConnectAsync(hub);
        using var alice = await cluster.WebNodes[0].SignInAsync(DemoData.Alice);
        await SendAsync(alice, TestData.PatThreadAtNorthside, "before-drain", "before the drain");

        await cluster.WebNodes[1].StopAsync();
        var first = await Task.WhenAny(reconnecting.Task, closedForGood.Task).WaitAsync(Bound);
        await cluster.Silos[1].StopAsync();
        var afterSiloLeft = await SendAsync(alice, TestData.PatThreadAtNorthside, "after-drain", "after a silo left gracefully");

        Assert.Same(reconnecting.Task, first);
        Assert.Equal(HttpStatusCode.OK, await Get(cluster.WebNodes[0], "/readyz"));
        Assert.Equal("after a silo left gracefully", afterSiloLeft!.Text);
        var (copies, gapless) = await cluster.StoredAsync(TestData.PatThreadAtNorthside);
        Assert.True(gapless);
        Assert.All(copies.Values, count => Assert.Equal(1, count));
    }

    [Fact]
    public async Task WhenTheDatabaseRestartsTheClusterIsNotReadyRefusesWritesRetryablyAndRecoversByItself()
    {
        await using var cluster = await LocalCluster.StartAsync();
        var web = cluster.WebNodes[0];
        using var alice = await web.SignInAsync(DemoData.Alice);
        var (patCookie, patClient) = await web.SignInWithCookieAsync(DemoData.Pat);
        using var pat = patClient;
        var (patHub, _) = await ConnectAsync(web, patCookie);
        await using var __ = patHub;
        var before = await SendAsync(alice, TestData.PatThreadAtNorthside, "before-restart", "before the restart");

        await cluster.Postgres.StopAsync();
        var ready = await Get(web, "/readyz");
        var refused = await alice.PostAsJsonAsync($"/api/v1/conversations/{TestData.PatThreadAtNorthside}/messages",
            new { clientMessageId = "during-restart", text = "while the database is down" });
        var refusal = await TestData.ProblemAsync(refused);
        // A delivery receipt on the push connection is refused as retryably as a request, not failed as a server error.
        var receiptRefused = await patHub.InvokeAsync<HubReply<ReceiptsDto>>(nameof(ChatHub.Delivered), TestData.PatThreadAtNorthside, before!.Seq);
        await cluster.Postgres.StartAsync();
        var clock = Stopwatch.StartNew();
        while (await Get(web, "/readyz") != HttpStatusCode.OK)
        {
            Assert.True(clock.Elapsed < Bound, "Not ready again within 90 s of the database's return.");
            await Task.Delay(250);
        }

        output.WriteLine($"ready again {clock.ElapsedMilliseconds} ms after the database came back");
        MessageDto? retried = null;
        while (retried is null)
        {
            Assert.True(clock.Elapsed < Bound, "Writes did not resume within 90 s of the database's return.");
            retried = await TrySendAsync(alice, TestData.PatThreadAtNorthside, "during-restart", "while the database is down");
        }

        var receiptAfter = await patHub.InvokeAsync<HubReply<ReceiptsDto>>(nameof(ChatHub.Delivered), TestData.PatThreadAtNorthside, before.Seq);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, ready);
        Assert.Equal((HttpStatusCode.ServiceUnavailable, "temporarily_unavailable"), (refused.StatusCode, refusal.Code));
        Assert.Equal(HubReply<ReceiptsDto>.Refused(ApiErrors.TemporarilyUnavailable), receiptRefused);
        Assert.True(receiptAfter.Value?.DeliveredUpToSeq >= before.Seq, $"the receipt after recovery answered {receiptAfter}");
        var (copies, gapless) = await cluster.StoredAsync(TestData.PatThreadAtNorthside);
        Assert.True(gapless);
        Assert.Equal(1, copies["during-restart"]);
    }

    /// <summary>
    /// A hub connection that behaves like the web app: messages arrive by push, and on every
    /// "Subscribed" (sent again after the web node recovered its subscriptions) it resyncs
    /// <paramref name="resync"/> from the API, which is how anything published meanwhile arrives.
    /// </summary>
    private static async Task<(HubConnection Hub, Channel<MessageDto> Pushes)> ConnectAsync(AppProcess node, string cookie, Guid? resync = null)
    {
        var channel = Channel.CreateUnbounded<MessageDto>();
        var api = new HttpClient { BaseAddress = node.BaseAddress }.WithRequestHeader();
        api.DefaultRequestHeaders.Add("Cookie", cookie);
        var subscribed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var hub = new HubConnectionBuilder()
            .WithUrl(new Uri(node.BaseAddress, "/hubs/chat"), options => options.Headers["Cookie"] = cookie)
            .WithKeepAliveInterval(ClinicChat.Web.Realtime.ChatHub.KeepAlive)
            .Build();
        hub.On(nameof(IChatClient.Subscribed), async () =>
        {
            subscribed.TrySetResult();
            if (resync is { } thread && await api.GetFromJsonAsync<MessagePageDto>($"/api/v1/conversations/{thread}/messages?limit=200") is { } page)
            {
                foreach (var message in page.Messages)
                {
                    channel.Writer.TryWrite(message);
                }
            }
        });
        hub.OnMessage(m => { channel.Writer.TryWrite(m); });
        await ClinicChatApp.ConnectAsync(hub);
        await subscribed.Task.WaitAsync(Bound);
        return (hub, channel);
    }

    private static async Task<MessageDto> ReceiveSeqAsync(Channel<MessageDto> pushes, long seq)
    {
        using var timeout = new CancellationTokenSource(Bound);
        while (true)
        {
            var message = await pushes.Reader.ReadAsync(timeout.Token);
            if (message.Seq == seq)
            {
                return message;
            }
        }
    }

    private static async Task<MessageDto?> SendAsync(HttpClient sender, Guid thread, string clientId, string text)
    {
        var response = await sender.PostAsJsonAsync($"/api/v1/conversations/{thread}/messages", new { clientMessageId = clientId, text });
        response.EnsureSuccessStatusCode();
        return await response.Content.ReadFromJsonAsync<MessageDto>();
    }

    /// <summary>A send as a client would make it: a failure (5xx, a lost connection, a timeout) is null, to retry with the same id.</summary>
    internal static async Task<MessageDto?> TrySendAsync(HttpClient sender, Guid thread, string clientId, string text)
    {
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(45));
            var response = await sender.PostAsJsonAsync($"/api/v1/conversations/{thread}/messages", new { clientMessageId = clientId, text }, timeout.Token);
            Assert.True(response.IsSuccessStatusCode || (int)response.StatusCode >= 500, $"A send was refused with {response.StatusCode}.");
            return response.IsSuccessStatusCode ? await response.Content.ReadFromJsonAsync<MessageDto>() : null;
        }
        catch (Exception exception) when (exception is HttpRequestException or TaskCanceledException)
        {
            return null;
        }
    }

    private static async Task<HttpStatusCode> Get(AppProcess node, string path)
    {
        using var client = new HttpClient { BaseAddress = node.BaseAddress, Timeout = TimeSpan.FromSeconds(15) }.WithRequestHeader();
        try
        {
            return (await client.GetAsync(path)).StatusCode;
        }
        catch (Exception exception) when (exception is HttpRequestException or TaskCanceledException)
        {
            return HttpStatusCode.ServiceUnavailable;
        }
    }
}

/// <summary>Cluster tests start several processes each: they run one at a time, apart from the in-process tests.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ClusterCollection
{
    public const string Name = "cluster";
}
