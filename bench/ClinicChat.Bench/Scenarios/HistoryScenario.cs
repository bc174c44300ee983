using System.Diagnostics;
using System.Globalization;

namespace ClinicChat.Bench.Scenarios;

public sealed record HistoryResult(int ExistingMessages, LatencyStats Append);

public sealed record LookupResult(string Lookup, string Population, LatencyStats Latency);

public sealed record LongHistoryResult(IReadOnlyList<HistoryResult> Appends, IReadOnlyList<LookupResult> Lookups);

/// <summary>
/// Cost against the size of what is stored: append latency (API call to stored acknowledgement) in
/// a thread with no history and in one with N messages, sent alternately so that both see the same
/// machine conditions; the patient reads each prefilled message as it arrives, and a page of 50 with its read receipts
/// is read from the newest end of the long thread and from among its oldest thousand messages; the first page of a staff inbox
/// with T threads, unfiltered and searched by patient name; patient search over a clinic with P patients. None of them
/// may grow with the size.
/// </summary>
public sealed class HistoryScenario(BenchOptions options, BenchTarget target)
{
    private const int PrefillConcurrency = 8;
    private const int WarmUpCalls = 10;
    private const int OldestMessages = 1_000;

    /// <summary>Prefixes of first names, last names, both, an accent-folded one and one that matches nobody.</summary>
    private static readonly string[] SearchQueries = ["av", "nguyen", "zoe mul", "ama dub", "priya", "o'b", "xq"];

    public async Task<LongHistoryResult> RunAsync()
    {
        var seedStart = Stopwatch.GetTimestamp();
        await using var server = await target.StartAsync(new Dictionary<string, string>
        {
            ["ClinicChat__Seed__GeneratedPatients"] = options.SearchPopulation.ToString(CultureInfo.InvariantCulture),
        });
        Console.WriteLine($"  started with {options.SearchPopulation:N0} generated patients in {Stopwatch.GetElapsedTime(seedStart).TotalSeconds:F1} s");
        using var alice = await ChatClient.SignInAsync(server.BaseAddress(0), DemoAccounts.Alice);
        var patients = DemoAccounts.ChattablePatients(options.SearchPopulation);
        if (patients.Count < options.InboxThreads)
        {
            throw new InvalidOperationException($"{options.InboxThreads:N0} threads need more than {patients.Count:N0} chattable patients.");
        }

        var empty = await alice.StartConversationAsync(patients[0].Id);
        var long_ = await alice.StartConversationAsync(patients[1].Id);
        // Each message read as it arrives, as a patient with the thread open would: every read is a stored advance, which a
        // page of history reads back for "read by whom, and when".
        using var longThreadPatient = await ChatClient.SignInAsync(server.BaseAddress(0), patients[1].Email);
        await PrefillAsync(options.HistoryLength, "messages, each read by the patient", async n =>
            await alice.SendForSeqAsync(long_.Id, $"bench-prefill-{n}", $"synthetic history message {n}") is { } seq
            && await longThreadPatient.ReadUpToAsync(long_.Id, seq));
        await PrefillAsync(options.InboxThreads - 2, "threads", async n =>
        {
            await alice.StartConversationAsync(patients[n + 2].Id);
            return true;
        });

        // The first calls of each kind pay for JIT and cold caches, which is start-up cost, not per-request cost.
        for (var n = 0; n < WarmUpCalls; n++)
        {
            Check(await alice.SendAsync(empty.Id, $"bench-warm-empty-{n}", "synthetic bench message"));
            Check(await alice.SendAsync(long_.Id, $"bench-warm-long-{n}", "synthetic bench message"));
            var query = Uri.EscapeDataString(SearchQueries[n % SearchQueries.Length]);
            await alice.GetAndDiscardAsync("/api/v1/conversations?limit=50");
            await alice.GetAndDiscardAsync($"/api/v1/conversations?limit=50&search={query}");
            await alice.GetAndDiscardAsync($"/api/v1/patients?query={query}&limit=20");
            await alice.GetAndDiscardAsync($"/api/v1/conversations/{long_.Id}/messages?limit=50");
            await alice.GetAndDiscardAsync($"/api/v1/conversations/{long_.Id}/messages?limit=50&beforeSeq={OldPageEnd(n)}");
        }

        var emptyLatencies = new LatencyRecorder();
        var longLatencies = new LatencyRecorder();
        for (var n = 0; n < options.HistorySamples; n++)
        {
            await TimeAsync(emptyLatencies, async () => Check(await alice.SendAsync(empty.Id, $"bench-empty-{n}", "synthetic bench message")));
            await TimeAsync(longLatencies, async () => Check(await alice.SendAsync(long_.Id, $"bench-long-{n}", "synthetic bench message")));
        }

        var inbox = new LatencyRecorder();
        var inboxSearch = new LatencyRecorder();
        var search = new LatencyRecorder();
        var newestPage = new LatencyRecorder();
        var oldestPages = new LatencyRecorder();
        for (var n = 0; n < options.HistorySamples; n++)
        {
            await TimeAsync(inbox, () => alice.GetAndDiscardAsync("/api/v1/conversations?limit=50"));
            var query = Uri.EscapeDataString(SearchQueries[n % SearchQueries.Length]);
            await TimeAsync(inboxSearch, () => alice.GetAndDiscardAsync($"/api/v1/conversations?limit=50&search={query}"));
            await TimeAsync(search, () => alice.GetAndDiscardAsync($"/api/v1/patients?query={query}&limit=20"));
            await TimeAsync(newestPage, () => alice.GetAndDiscardAsync($"/api/v1/conversations/{long_.Id}/messages?limit=50"));
            await TimeAsync(oldestPages, () => alice.GetAndDiscardAsync($"/api/v1/conversations/{long_.Id}/messages?limit=50&beforeSeq={OldPageEnd(n)}"));
        }

        var result = new LongHistoryResult(
            [new HistoryResult(0, emptyLatencies.Stats()), new HistoryResult(options.HistoryLength, longLatencies.Stats())],
            [
                new LookupResult("staff inbox, first page of 50", $"{options.InboxThreads:N0} threads", inbox.Stats()),
                new LookupResult("staff inbox searched by patient name, first page of 50", $"{options.InboxThreads:N0} threads", inboxSearch.Stats()),
                new LookupResult("patient search, 20 results", $"{options.SearchPopulation:N0} patients", search.Stats()),
                new LookupResult("history page of 50 with read receipts, newest", $"{options.HistoryLength:N0} messages", newestPage.Stats()),
                new LookupResult($"history page of 50 with read receipts, among the oldest {OldestMessages:N0}", $"{options.HistoryLength:N0} messages", oldestPages.Stats()),
            ]);
        foreach (var append in result.Appends)
        {
            Console.WriteLine($"  append with {append.ExistingMessages,7:N0} existing  p50 {append.Append.P50:F1} ms  p99 {append.Append.P99:F1} ms  max {append.Append.Max:F1} ms");
        }

        foreach (var lookup in result.Lookups)
        {
            Console.WriteLine($"  {lookup.Lookup} ({lookup.Population})  p50 {lookup.Latency.P50:F1} ms  p99 {lookup.Latency.P99:F1} ms  max {lookup.Latency.Max:F1} ms");
        }

        return result;
    }

    /// <summary>Where an old page ends: rotating over the long thread's first thousand messages (its first are 1, 2, …).</summary>
    private long OldPageEnd(int n) => 51 + (n * 97 % Math.Max(1, Math.Min(OldestMessages, options.HistoryLength) - 50));

    private static async Task PrefillAsync(int count, string what, Func<int, Task<bool>> add)
    {
        var start = Stopwatch.GetTimestamp();
        var done = 0;
        await Parallel.ForAsync(0, count, new ParallelOptions { MaxDegreeOfParallelism = PrefillConcurrency }, async (n, _) =>
        {
            Check(await add(n));
            if (Interlocked.Increment(ref done) % 10_000 == 0)
            {
                Console.WriteLine($"  prefilled {done:N0} of {count:N0} {what}");
            }
        });
        Console.WriteLine($"  prefilled {count:N0} {what} in {Stopwatch.GetElapsedTime(start).TotalSeconds:F1} s");
    }

    private static async Task TimeAsync(LatencyRecorder recorder, Func<Task> call)
    {
        var start = Stopwatch.GetTimestamp();
        await call();
        recorder.Add(LatencyRecorder.MillisecondsSince(start));
    }

    private static void Check(bool succeeded)
    {
        if (!succeeded)
        {
            throw new InvalidOperationException("A request of the long-history scenario failed.");
        }
    }
}
