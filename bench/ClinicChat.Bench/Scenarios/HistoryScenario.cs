using System.Diagnostics;

namespace ClinicChat.Bench.Scenarios;

public sealed record HistoryResult(int ExistingMessages, LatencyStats Append);

/// <summary>
/// Append latency (API call to stored acknowledgement) in a thread with no history and in one with
/// N messages, sent alternately so that both see the same machine conditions. Per-message cost must
/// not grow with conversation length.
/// </summary>
public sealed class HistoryScenario(BenchOptions options, string webAssembly)
{
    private const int PrefillConcurrency = 8;

    public async Task<IReadOnlyList<HistoryResult>> RunAsync()
    {
        await using var server = await ClinicChatServer.StartAsync(webAssembly);
        using var alice = await ChatClient.SignInAsync(server.BaseAddress, DemoAccounts.Alice);
        var patients = DemoAccounts.ChattablePatients();
        var empty = await alice.StartConversationAsync(patients[0].Id);
        var long_ = await alice.StartConversationAsync(patients[1].Id);

        var prefillStart = Stopwatch.GetTimestamp();
        var prefilled = 0;
        await Parallel.ForAsync(0, options.HistoryLength, new ParallelOptions { MaxDegreeOfParallelism = PrefillConcurrency }, async (n, _) =>
        {
            if (!await alice.SendAsync(long_.Id, $"bench-prefill-{n}", $"synthetic history message {n}"))
            {
                throw new InvalidOperationException("Prefilling the long thread failed.");
            }

            if (Interlocked.Increment(ref prefilled) % 1000 == 0)
            {
                Console.WriteLine($"  prefilled {prefilled:N0} of {options.HistoryLength:N0} messages");
            }
        });
        Console.WriteLine($"  prefilled {options.HistoryLength:N0} messages in {Stopwatch.GetElapsedTime(prefillStart).TotalSeconds:F1} s");

        var emptyLatencies = new LatencyRecorder();
        var longLatencies = new LatencyRecorder();
        for (var n = 0; n < options.HistorySamples; n++)
        {
            await TimeAsync(empty.Id, emptyLatencies, $"bench-empty-{n}");
            await TimeAsync(long_.Id, longLatencies, $"bench-long-{n}");
        }

        var results = new[]
        {
            new HistoryResult(0, emptyLatencies.Stats()),
            new HistoryResult(options.HistoryLength, longLatencies.Stats()),
        };
        foreach (var result in results)
        {
            Console.WriteLine($"  append with {result.ExistingMessages,6:N0} existing  p50 {result.Append.P50:F1} ms  p99 {result.Append.P99:F1} ms  max {result.Append.Max:F1} ms");
        }

        return results;

        async Task TimeAsync(Guid conversationId, LatencyRecorder recorder, string clientMessageId)
        {
            var start = Stopwatch.GetTimestamp();
            if (!await alice.SendAsync(conversationId, clientMessageId, "synthetic bench message"))
            {
                throw new InvalidOperationException("An append failed.");
            }

            recorder.Add(LatencyRecorder.MillisecondsSince(start));
        }
    }
}
