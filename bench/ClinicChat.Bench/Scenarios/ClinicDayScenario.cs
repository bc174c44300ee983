using System.Collections.Concurrent;
using Microsoft.AspNetCore.SignalR.Client;

namespace ClinicChat.Bench.Scenarios;

/// <summary>
/// Staff send into C threads through the HTTP API; P patient hub connections (several devices per
/// patient when P exceeds C) receive MessageAdded and acknowledge delivery like the web app; S staff
/// browser tabs (each its own connection pool and hub connection) receive every message of their
/// clinic, as open Chat tabs do, and take turns sending. Every <see cref="TeamActionEvery"/>th send also makes one of the
/// team's actions on its thread (a note, an assignment, a status change), as a front desk does between messages; they
/// are load, not measured sends. Afterwards every thread is read back to check that what was acknowledged is exactly
/// what is stored.
/// With <paramref name="oneAccount"/>, one program signed in as one staff account (one session, a pool of
/// <see cref="OneAccountConnections"/> connections) sends every message, for <see cref="OneAccountThreads"/> threads: an
/// integration, or a front-desk login a team shares. The tabs still receive as open Chat tabs do.
/// </summary>
public sealed class ClinicDayScenario(BenchOptions options, BenchTarget target, bool oneAccount = false)
{
    /// <summary>The threads one account sends for in the one-account run.</summary>
    public const int OneAccountThreads = 200;

    /// <summary>
    /// The program's connections. A browser's six would cap it near 6 ÷ latency (about 630/s at 9 ms, measured): that is
    /// the client's limit, not the server's, and a program sending for a whole clinic is not a browser.
    /// </summary>
    public const int OneAccountConnections = 64;

    /// <summary>How the report names this run's rows.</summary>
    public string Target => oneAccount ? $"one account, {Math.Min(OneAccountThreads, options.Conversations)} threads" : "ClinicChat";

    /// <summary>One team action per this many messages: a front desk notes, assigns or closes about one thread in twenty.</summary>
    public const int TeamActionEvery = 20;

    public async Task<ClinicDayResult> RunAsync()
    {
        await using var server = await target.StartAsync(new Dictionary<string, string>
        {
            ["ClinicChat__Seed__GeneratedPatients"] = options.ClinicDayPopulation.ToString(System.Globalization.CultureInfo.InvariantCulture),
        });
        var patients = DemoAccounts.ChattablePatients(options.ClinicDayPopulation).Take(oneAccount ? Math.Min(OneAccountThreads, options.Conversations) : options.Conversations).ToList();
        Console.WriteLine($"  setting up: {DemoAccounts.NorthsideStaff.Length} staff accounts, {patients.Count} patients and threads, " +
                          $"{options.StaffConnections} staff + {options.PatientConnections} patient hub connections");

        var staffAccounts = await Parallelism.MapAsync(DemoAccounts.NorthsideStaff, 2, email => ChatClient.SignInAsync(server.BaseAddress(0), email));
        // Tab i talks to web node i % nodes (a load balancer without sticky sessions spreads them the same way).
        var staffTabs = Enumerable.Range(0, options.StaffConnections)
            .Select(i => staffAccounts[i % staffAccounts.Length].OpenAnotherBrowser(server.BaseAddress(i)))
            .ToArray();
        var program = oneAccount ? staffAccounts[0].OpenProgram(OneAccountConnections, server.BaseAddress(0)) : null;
        var patientClients = await Parallelism.MapAsync(patients, 2, p => ChatClient.SignInAsync(server.BaseAddress(p.Index), p.Email));
        var threads = await Parallelism.MapAsync(patients, 4, p => staffAccounts[0].StartConversationAsync(p.Id));

        var tracker = new DeliveryTracker();
        var acknowledgedPerThread = new ConcurrentDictionary<Guid, int>();
        var receiptFailures = new ConcurrentDictionary<string, int>();
        // A receipt is sent when its push arrives, after the step has counted the delivery: the connections must not
        // close under receipts still on their way (a closed connection fails them).
        var receipts = new ConcurrentQueue<Task>();
        var teamActions = 0;
        var teamActionErrors = 0;
        var connections = new List<HubConnection>();
        connections.AddRange(await Parallelism.MapAsync(staffTabs, 8, tab => tab.ConnectAsync(message => { })));
        connections.AddRange(await Parallelism.MapAsync(Enumerable.Range(0, options.PatientConnections).ToList(), 8, i =>
        {
            var patient = patientClients[i % patientClients.Length];
            return patient.ConnectAsync((connection, message) =>
            {
                if (tracker.Received(message.ClientMessageId))
                {
                    receipts.Enqueue(AcknowledgeAsync(connection, message));
                }
            });
        }));

        await OfferedLoad.WarmUpAsync(Target, options, tracker, SendAsync, server.Meter);
        var steps = new List<StepResult>();
        foreach (var rate in options.RatesPerSecond)
        {
            // A profiler attaches to the web node when this line appears (docs/benchmarks.md, "Profiling").
            Console.WriteLine($"  offering {rate}/s for {options.StepDuration.TotalSeconds:F0} s (web node pids {string.Join(",", server.WebNodes.Select(n => n.ProcessId))})");
            var step = await OfferedLoad.RunStepAsync(Target, rate, options.StepDuration, tracker, SendAsync, server.Meter, options.GcPauses);
            OfferedLoad.PrintProgress(step, options);
            steps.Add(step);
        }

        await Task.WhenAll(receipts);
        foreach (var connection in connections)
        {
            await connection.DisposeAsync();
        }

        var check = await StoredHistoryCheck.RunAsync(staffAccounts[0], threads, acknowledgedPerThread);
        Console.WriteLine($"  stored-data check: {check}");
        var receiptErrors = receiptFailures.Values.Sum();
        if (receiptErrors > 0)
        {
            Console.WriteLine($"  delivery receipts that failed: {receiptErrors} ({string.Join(", ", receiptFailures.Select(f => $"{f.Key}: {f.Value}"))})");
        }

        Console.WriteLine($"  team actions (notes, assignments, status changes): {teamActions:N0}, failed {teamActionErrors}");

        foreach (var client in staffAccounts.Concat(staffTabs).Concat(patientClients))
        {
            client.Dispose();
        }

        program?.Dispose();

        return new ClinicDayResult(steps, check, receiptErrors);

        async Task<bool> SendAsync(int n, string id)
        {
            var thread = threads[n % threads.Length];
            var tab = program ?? staffTabs[n % staffTabs.Length];
            if (options.TeamActions && n % TeamActionEvery == 0)
            {
                _ = TeamActionAsync(tab, thread.Id, n / TeamActionEvery, id);
            }

            var sent = await tab.SendAsync(thread.Id, id, $"synthetic bench message {n}");
            if (sent)
            {
                acknowledgedPerThread.AddOrUpdate(thread.Id, 1, (_, count) => count + 1);
            }

            return sent;
        }

        async Task TeamActionAsync(ChatClient tab, Guid thread, int n, string id)
        {
            Interlocked.Increment(ref teamActions);
            try
            {
                if (!await tab.TeamActionAsync(thread, n, $"note-{id}"))
                {
                    Interlocked.Increment(ref teamActionErrors);
                }
            }
            catch (Exception exception) when (exception is HttpRequestException or TaskCanceledException)
            {
                Interlocked.Increment(ref teamActionErrors);
            }
        }

        async Task AcknowledgeAsync(HubConnection device, PushedMessage message)
        {
            string? failure;
            try
            {
                failure = await ChatClient.AcknowledgeDeliveredAsync(device, message.ConversationId, message.Seq);
            }
            catch (Exception exception) when (exception is Microsoft.AspNetCore.SignalR.HubException or InvalidOperationException or TaskCanceledException)
            {
                failure = exception.GetType().Name;
            }

            if (failure is not null)
            {
                receiptFailures.AddOrUpdate(failure, 1, (_, count) => count + 1);
            }
        }
    }
}

public sealed record ClinicDayResult(IReadOnlyList<StepResult> Steps, StoredHistoryCheck Check, int ReceiptErrors);

/// <summary>
/// Reads every thread back through the API: each acknowledged send is stored exactly once and the
/// sequence numbers have no gaps. This, not timing, is what the CI smoke run asserts.
/// </summary>
public sealed record StoredHistoryCheck(int Threads, int Acknowledged, int Stored, int Missing, int Extra, int SeqGaps)
{
    /// <summary>Nothing acknowledged is missing and seqs are gapless. <see cref="Extra"/> (stored but never acknowledged) is legitimate only for sends that timed out.</summary>
    public bool Passed => Missing == 0 && SeqGaps == 0;

    public static async Task<StoredHistoryCheck> RunAsync(ChatClient reader, IReadOnlyList<StartedConversation> threads, IReadOnlyDictionary<Guid, int> acknowledged)
    {
        int stored = 0, missing = 0, extra = 0, gaps = 0;
        foreach (var thread in threads)
        {
            var benchMessages = 0;
            var expectedSeq = 1L;
            var hasMore = true;
            long afterSeq = 0;
            while (hasMore)
            {
                var page = await reader.GetAsync<StoredPage>($"/api/v1/conversations/{thread.Id}/messages?afterSeq={afterSeq}&limit=200");
                foreach (var message in page.Messages)
                {
                    gaps += message.Seq == expectedSeq ? 0 : 1;
                    expectedSeq = message.Seq + 1;
                    benchMessages += message.ClientMessageId.StartsWith("bench-", StringComparison.Ordinal) ? 1 : 0;
                }

                hasMore = page.Messages.Count > 0 && page.Messages[^1].Seq < page.LastSeq;
                afterSeq = page.Messages.Count > 0 ? page.Messages[^1].Seq : afterSeq;
            }

            var expected = acknowledged.GetValueOrDefault(thread.Id);
            stored += benchMessages;
            missing += Math.Max(0, expected - benchMessages);
            extra += Math.Max(0, benchMessages - expected);
        }

        return new StoredHistoryCheck(threads.Count, acknowledged.Values.Sum(), stored, missing, extra, gaps);
    }

    public override string ToString() =>
        $"{Threads} threads, {Acknowledged:N0} acknowledged, {Stored:N0} stored, missing {Missing}, extra {Extra}, seq gaps {SeqGaps} — {(Passed ? "OK" : "FAILED")}";

    private sealed record StoredPage(IReadOnlyList<StoredMessage> Messages, long LastSeq);

    private sealed record StoredMessage(long Seq, string ClientMessageId);
}
