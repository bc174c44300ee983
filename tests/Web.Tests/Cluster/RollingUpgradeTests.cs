using System.Collections.Concurrent;
using System.Diagnostics;
using Xunit.Abstractions;

namespace ClinicChat.Web.Tests.Cluster;

/// <summary>
/// A rolling restart (the procedure in docs/operations.md) under a steady stream of sends through the shipped
/// load balancer: every silo, then every web node, stopped gracefully and started again one at a time.
/// No acknowledged message is lost or stored twice, and every patient's client ends up with exactly what was
/// acknowledged in its thread. The figures (send p99 during the roll, longest wait of a client for a message)
/// are printed for docs/operations.md; they are not asserted.
/// </summary>
[Trait("Category", "Slow")] // real PostgreSQL, silos, web nodes and nginx as processes
[Collection(ClusterCollection.Name)]
public sealed class RollingUpgradeTests(ITestOutputHelper output)
{
    private const int Threads = 4;
    private static readonly TimeSpan SendInterval = TimeSpan.FromMilliseconds(100);
    private static readonly TimeSpan Bound = TimeSpan.FromMinutes(3);

    [Fact]
    public async Task RestartingEverySiloAndWebNodeOneAtATimeLosesAndDuplicatesNoAcknowledgedMessage()
    {
        await using var cluster = await LocalCluster.StartAsync(new Dictionary<string, string>
        {
            ["ClinicChat__Proxy__KnownProxies__0"] = "127.0.0.1",
        });
        await using var balancer = await NginxBalancer.StartAsync(cluster.WebNodes.Select(node => node.BaseAddress));
        var staff = new[] { await AppProcess.SignInAsync(balancer.BaseAddress, DemoData.Alice), await AppProcess.SignInAsync(balancer.BaseAddress, DemoData.Frank) };
        var clients = new List<PatientClient>();
        for (var i = 0; i < Threads; i++)
        {
            var patient = TestData.PortalPatient(170 + i);
            var start = await staff[0].PostAsJsonAsync("/api/v1/conversations", new { patientId = patient.Id });
            var thread = (await start.Content.ReadFromJsonAsync<ConversationDto>())!.Id;
            clients.Add(await PatientClient.ConnectAsync(balancer.BaseAddress, patient.Email!, thread));
        }

        var acknowledged = new ConcurrentDictionary<(Guid Thread, string ClientId), (long Seq, DateTime At)>();
        var sendLatencies = new ConcurrentBag<double>();
        var retries = 0;
        using var stop = new CancellationTokenSource();
        var clock = Stopwatch.StartNew();
        var startedAt = DateTime.UtcNow;
        var senders = clients.Select((client, index) => Task.Run(async () =>
        {
            for (var n = 1; !stop.IsCancellationRequested; n++)
            {
                var clientId = $"roll-{index}-{n}";
                var started = clock.Elapsed;
                MessageDto? stored;
                while ((stored = await ClusterTests.TrySendAsync(staff[index % 2], client.Thread, clientId, clientId)) is null)
                {
                    Interlocked.Increment(ref retries);
                    Assert.True(clock.Elapsed < TimeSpan.FromMinutes(8), "Sends did not succeed again within the roll.");
                    await Task.Delay(250);
                }

                acknowledged[(client.Thread, clientId)] = (stored.Seq, DateTime.UtcNow);
                sendLatencies.Add((clock.Elapsed - started).TotalMilliseconds);
                await Task.Delay(SendInterval);
            }
        })).ToList();

        await WaitForAsync(() => acknowledged.Count >= 40, "the first sends");
        var rollStartedAt = clock.Elapsed;
        var steps = new List<string>();
        for (var i = 0; i < cluster.Silos.Count; i++)
        {
            await cluster.RestartSiloAsync(i);
            steps.Add($"silo {i} at {clock.Elapsed.TotalSeconds:F1} s");
            var afterStep = acknowledged.Count;
            await WaitForAsync(() => acknowledged.Count >= afterStep + 20, $"sends after restarting silo {i}");
        }

        for (var i = 0; i < cluster.WebNodes.Count; i++)
        {
            await cluster.RestartWebNodeAsync(i);
            steps.Add($"web node {i} at {clock.Elapsed.TotalSeconds:F1} s");
            var afterStep = acknowledged.Count;
            await WaitForAsync(() => acknowledged.Count >= afterStep + 20, $"sends after restarting web node {i}");
        }

        var rollTook = clock.Elapsed - rollStartedAt;
        await stop.CancelAsync();
        await Task.WhenAll(senders).WaitAsync(Bound);

        foreach (var client in clients)
        {
            var expected = acknowledged.Where(a => a.Key.Thread == client.Thread).ToDictionary(a => a.Value.Seq, a => a.Key.ClientId);
            await WaitForAsync(() => expected.Keys.All(client.Has), $"patient {client.Thread} to have every acknowledged message");
            var (copies, gapless) = await cluster.StoredAsync(client.Thread);
            Assert.True(gapless, $"Thread {client.Thread} has a gap in its seqs.");
            Assert.All(expected.Values, clientId => Assert.Equal(1, copies.GetValueOrDefault(clientId)));
            Assert.Equal(expected.Count, copies.Count);
        }

        var latencies = sendLatencies.Order().ToList();
        var longestWait = acknowledged.Max(a => (clients.Single(c => c.Thread == a.Key.Thread).ArrivedAt(a.Value.Seq) - a.Value.At).TotalMilliseconds);
        output.WriteLine($"rolled {steps.Count} processes in {rollTook.TotalSeconds:F0} s ({string.Join(", ", steps)}); " +
            $"{acknowledged.Count} messages acknowledged, {retries} attempts retried; send p50 {Percentile(latencies, 0.50):F0} ms, " +
            $"p99 {Percentile(latencies, 0.99):F0} ms, max {latencies[^1]:F0} ms; longest wait from acknowledgement to a patient's client " +
            $"{Math.Max(0, longestWait):F0} ms; reconnects {clients.Sum(c => c.Reconnects)}");
        foreach (var wait in acknowledged
            .Select(a => (a.Key.Thread, Acked: a.Value.At, Wait: clients.Single(c => c.Thread == a.Key.Thread).ArrivedAt(a.Value.Seq) - a.Value.At))
            .OrderByDescending(w => w.Wait).DistinctBy(w => w.Thread))
        {
            output.WriteLine($"longest wait in {wait.Thread}: {wait.Wait.TotalMilliseconds:F0} ms for a message acknowledged at {(wait.Acked - startedAt).TotalSeconds:F1} s");
        }

        foreach (var client in clients)
        {
            output.WriteLine($"{client.Thread}: {string.Join(", ", client.Events.Select(e => $"{e.What} {(e.At - startedAt).TotalSeconds:F1} s"))}");
            await client.DisposeAsync();
        }
    }

    private static double Percentile(List<double> sorted, double p) => sorted[(int)Math.Min(sorted.Count - 1, Math.Ceiling(p * sorted.Count) - 1)];

    private static async Task WaitForAsync(Func<bool> condition, string what)
    {
        var deadline = Stopwatch.StartNew();
        while (!condition())
        {
            Assert.True(deadline.Elapsed < Bound, $"Timed out waiting for {what}.");
            await Task.Delay(100);
        }
    }

    /// <summary>
    /// A patient's app through the balancer with the official client's defaults plus automatic reconnection:
    /// messages arrive by push, and after every (re)subscription it resyncs from the last seq it holds.
    /// </summary>
    private sealed class PatientClient : IAsyncDisposable
    {
        private readonly ConcurrentDictionary<long, DateTime> _arrived = new();
        private readonly HttpClient _api;
        private readonly HubConnection _hub;
        private readonly SemaphoreSlim _resyncing = new(1, 1);
        private int _reconnects;
        private long _cursor;

        private PatientClient(Guid thread, HttpClient api, HubConnection hub)
        {
            Thread = thread;
            _api = api;
            _hub = hub;
        }

        public Guid Thread { get; }

        public int Reconnects => _reconnects;

        public ConcurrentQueue<(string What, DateTime At)> Events { get; } = new();

        public static async Task<PatientClient> ConnectAsync(Uri balancer, string email, Guid thread)
        {
            var cookies = new CookieContainer();
            var api = await AppProcess.SignInAsync(balancer, email, cookies);
            var hub = new HubConnectionBuilder()
                .WithUrl(new Uri(balancer, ChatHub.Path), options => options.Cookies = cookies)
                .WithAutomaticReconnect(new KeepTrying())
                .Build();
            var client = new PatientClient(thread, api, hub);
            hub.OnMessage(message =>
            {
                if (message.ConversationId == thread)
                {
                    client._arrived.TryAdd(message.Seq, DateTime.UtcNow);
                }
            });
            hub.On(nameof(IChatClient.Subscribed), () => { client.Events.Enqueue(("subscribed", DateTime.UtcNow)); return client.ResyncAsync(); });
            hub.Reconnecting += _ => { Interlocked.Increment(ref client._reconnects); client.Events.Enqueue(("reconnecting", DateTime.UtcNow)); return Task.CompletedTask; };
            hub.Reconnected += _ => { client.Events.Enqueue(("reconnected", DateTime.UtcNow)); return Task.CompletedTask; };
            await ClinicChatApp.ConnectAsync(hub);
            return client;
        }

        public bool Has(long seq) => _arrived.ContainsKey(seq);

        public DateTime ArrivedAt(long seq) => _arrived[seq];

        public async ValueTask DisposeAsync()
        {
            await _hub.DisposeAsync();
            _api.Dispose();
        }

        /// <summary>Fetches everything after the last seq it holds without a gap before it (a push may have raced ahead of a lost one).</summary>
        private async Task ResyncAsync()
        {
            await _resyncing.WaitAsync();
            try
            {
                while (_arrived.ContainsKey(_cursor + 1))
                {
                    _cursor++;
                }

                // As the web app does: a resync that fails (the request reached a node that is going or not ready yet) is retried.
                for (var attempt = 1; ; attempt++)
                {
                    try
                    {
                        await FetchAfterAsync(_cursor);
                        return;
                    }
                    catch (HttpRequestException) when (attempt < 60)
                    {
                        await Task.Delay(TimeSpan.FromSeconds(1));
                    }
                }
            }
            finally
            {
                _resyncing.Release();
            }
        }

        private async Task FetchAfterAsync(long after)
        {
            while (true)
            {
                var page = await _api.GetFromJsonAsync<MessagePageDto>($"/api/v1/conversations/{Thread}/messages?afterSeq={after}&limit=200");
                foreach (var message in page!.Messages)
                {
                    _arrived.TryAdd(message.Seq, DateTime.UtcNow);
                }

                if (!page.HasMore || page.Messages.Count == 0)
                {
                    return;
                }

                after = page.Messages[^1].Seq;
            }
        }

        /// <summary>Reconnects every second, for as long as it takes (the official client's default gives up after four tries).</summary>
        private sealed class KeepTrying : IRetryPolicy
        {
            public TimeSpan? NextRetryDelay(RetryContext retryContext) => TimeSpan.FromSeconds(1);
        }
    }
}
