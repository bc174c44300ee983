using System.Collections.Concurrent;
using System.Diagnostics;

namespace ClinicChat.Bench;

/// <summary>
/// Matches each sent message to its first push at a recipient: end-to-end latency runs from just
/// before the sender's call to the recipient's receive, in this one process, on one clock.
/// </summary>
public sealed class DeliveryTracker
{
    private readonly ConcurrentDictionary<string, long> _pending = new();
    private readonly List<(long SentAt, double Milliseconds)> _timeline = [];
    private long _lastDeliveredAt;
    private int _delivered;

    // Arrivals taken out of _pending whose bookkeeping has not finished yet: they still count as pending, so a step that
    // waits for nothing to be pending reads Delivered only once the last arrival is counted (a busy CI machine once
    // caught a step between the two and reported one message short, with none lost).
    private int _arriving;

    public LatencyRecorder EndToEnd { get; private set; } = new();

    public int Delivered => _delivered;

    public int Pending => _pending.Count + Volatile.Read(ref _arriving);

    public long LastDeliveredAt => Interlocked.Read(ref _lastDeliveredAt);

    public void Expect(string clientMessageId, long sentAt) => _pending[clientMessageId] = sentAt;

    public void Forget(string clientMessageId) => _pending.TryRemove(clientMessageId, out _);

    /// <summary>True for the first arrival only (a patient may have several devices; staff see every message too).</summary>
    public bool Received(string clientMessageId)
    {
        // Counted as arriving before it leaves _pending, and until it is counted as delivered (see _arriving).
        Interlocked.Increment(ref _arriving);
        try
        {
            if (!_pending.TryRemove(clientMessageId, out var sentAt))
            {
                return false;
            }

            var milliseconds = LatencyRecorder.MillisecondsSince(sentAt);
            EndToEnd.Add(milliseconds);
            lock (_timeline)
            {
                _timeline.Add((sentAt, milliseconds));
            }

            Interlocked.Increment(ref _delivered);
            Interlocked.Exchange(ref _lastDeliveredAt, Stopwatch.GetTimestamp());
            return true;
        }
        finally
        {
            Interlocked.Decrement(ref _arriving);
        }
    }

    /// <summary>
    /// When the slowest 1 % of this step's deliveries were sent: how many 100 ms windows of the step hold them. Few windows
    /// mean stalls (a GC pause, a checkpoint, a burst of background work) that catch every message in flight; about as
    /// many windows as samples mean the tail is spread over the step (queueing behind other messages on a busy machine).
    /// </summary>
    public TailSpread Tail()
    {
        lock (_timeline)
        {
            if (_timeline.Count == 0)
            {
                return new TailSpread(0, 0, []);
            }

            var slowest = _timeline.OrderByDescending(s => s.Milliseconds).Take(Math.Max(1, _timeline.Count / 100)).ToList();
            var windows = slowest.GroupBy(s => s.SentAt / (Stopwatch.Frequency / 10)).Count();
            return new TailSpread(slowest.Count, windows, slowest.OrderBy(s => s.SentAt).ToList());
        }
    }

    /// <summary>Starts a new step: whatever is still pending was lost and is counted by the caller first.</summary>
    public void Reset()
    {
        _pending.Clear();
        EndToEnd = new LatencyRecorder();
        lock (_timeline)
        {
            _timeline.Clear();
        }

        Interlocked.Exchange(ref _delivered, 0);
    }
}

/// <param name="Slowest">The slowest deliveries by when they were sent (<see cref="Stopwatch"/> ticks: the machine's monotonic clock, as a trace's timestamps).</param>
public sealed record TailSpread(int Samples, int Windows, IReadOnlyList<(long SentAt, double Milliseconds)> Slowest);

public sealed record StepResult(
    string Target,
    int OfferedPerSecond,
    double AchievedPerSecond,
    LatencyStats EndToEnd,
    LatencyStats SendAcknowledged,
    int Sent,
    int Delivered,
    int SendErrors,
    int Lost,
    double? ServerCpuPercent,
    double? ServerPeakMemoryMb,
    double BenchCpuPercent)
{
    /// <summary>Where in the step the slowest deliveries were sent (not in the report's tables: printed with the progress, and written by <c>--tail-log</c>).</summary>
    public TailSpread? Tail { get; init; }

    /// <summary>The server's GC pauses during the step (<c>--gc-pauses</c>); null when not recorded.</summary>
    public IReadOnlyList<GcPause>? GcPauses { get; init; }

    /// <summary>How many of the slowest deliveries were in flight while the server was stopped for a GC.</summary>
    public int SlowestDuringGc => Tail is null || GcPauses is null ? 0 : Tail.Slowest.Count(slow =>
    {
        var sentMs = slow.SentAt * 1000.0 / Stopwatch.Frequency;
        return GcPauses.Any(pause => pause.StartMs < sentMs + slow.Milliseconds && pause.StartMs + pause.Milliseconds > sentMs);
    });
}

/// <summary>
/// Open-loop load: messages are started on a fixed schedule whether or not earlier ones have
/// finished, as independent users would, so a slow server shows up as latency rather than as a
/// politely reduced offered rate (coordinated omission).
/// </summary>
public static class OfferedLoad
{
    private static readonly TimeSpan Tick = TimeSpan.FromMilliseconds(5);
    private static readonly TimeSpan DrainTimeout = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan SettleSlice = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan SettleLimit = TimeSpan.FromSeconds(60);

    /// <summary>
    /// Sends at the first rate for <see cref="BenchOptions.WarmUp"/> and throws the figures away (see there why); then, when
    /// the server is a process of its own, goes on in slices of <see cref="SettleSlice"/> until the server has had a
    /// collection of generation 1 or 2, at most <see cref="SettleLimit"/>. The set-up connects every hub client within
    /// seconds, and the first older-generation collection after it copies all of their state at once (52.7 MB kept in one
    /// 67 ms gen1 pause at 100 msg/s, 2026-12-06): a one-time cost of the burst, which connections arriving over a
    /// morning spread over many small collections, and not the steady state a step measures.
    /// </summary>
    public static async Task WarmUpAsync(string target, BenchOptions options, DeliveryTracker tracker, Func<int, string, Task<bool>> send, ProcessMeter? serverMeter)
    {
        if (options.WarmUp <= TimeSpan.Zero)
        {
            return;
        }

        var rate = options.RatesPerSecond[0];
        await using var gc = serverMeter is null ? null : GcPauseRecorder.Start(serverMeter.ProcessIds);
        await RunStepAsync(target, rate, options.WarmUp, tracker, send, serverMeter);
        var settling = TimeSpan.Zero;
        while (gc is not null && !gc.HasSeenOlderGeneration && settling < SettleLimit)
        {
            await RunStepAsync(target, rate, SettleSlice, tracker, send, serverMeter);
            settling += SettleSlice;
        }

        var settled = gc is null ? "" : gc.HasSeenOlderGeneration ? ", the server's set-up promoted" : ", no older-generation collection yet";
        Console.WriteLine($"  warmed up: {rate}/s for {(options.WarmUp + settling).TotalSeconds:F0} s{settled} (not reported)");
    }

    /// <param name="send">Sends message number n with the given clientMessageId; true when acknowledged.</param>
    /// <param name="serverMeter">The server's process, or null when the server is this process (relay floor).</param>
    /// <param name="gcPauses">Record the server's GC pauses during the step (<c>--gc-pauses</c>).</param>
    public static async Task<StepResult> RunStepAsync(
        string target, int ratePerSecond, TimeSpan duration, DeliveryTracker tracker,
        Func<int, string, Task<bool>> send, ProcessMeter? serverMeter, bool gcPauses = false)
    {
        tracker.Reset();
        var acknowledged = new LatencyRecorder();
        var sendErrors = 0;
        var inFlight = new List<Task>();
        var runId = Guid.NewGuid().ToString("N")[..8];

        await using var server = serverMeter?.Start();
        await using var bench = new ProcessMeter(Environment.ProcessId).Start();
        await using var gc = gcPauses && serverMeter is not null ? GcPauseRecorder.Start(serverMeter.ProcessIds) : null;
        var stepStart = Stopwatch.GetTimestamp();
        var issued = 0;
        var total = (int)(ratePerSecond * duration.TotalSeconds);
        using (var timer = new PeriodicTimer(Tick))
        {
            while (issued < total && await timer.WaitForNextTickAsync())
            {
                var due = Math.Min(total, (int)(Stopwatch.GetElapsedTime(stepStart).TotalSeconds * ratePerSecond));
                for (; issued < due; issued++)
                {
                    inFlight.Add(SendOneAsync(issued));
                }
            }
        }

        await Task.WhenAll(inFlight).WaitAsync(DrainTimeout).ContinueWith(_ => { }, TaskScheduler.Default);
        var drainDeadline = Stopwatch.GetTimestamp() + (long)(DrainTimeout.TotalSeconds * Stopwatch.Frequency);
        while (tracker.Pending > 0 && Stopwatch.GetTimestamp() < drainDeadline)
        {
            await Task.Delay(20);
        }

        var lost = tracker.Pending;
        var delivered = tracker.Delivered;
        var lastDelivery = Math.Max(tracker.LastDeliveredAt, stepStart);
        var busySeconds = Math.Max(duration.TotalSeconds, (double)(lastDelivery - stepStart) / Stopwatch.Frequency);
        // Sends still queued past the drain are reported as they stand, but the next step (and the
        // stored-data check) starts only once each has an answer or has timed out.
        await Task.WhenAll(inFlight);
        var pauses = gc is null ? null : await gc.StopAsync();
        return new StepResult(
            target, ratePerSecond, delivered / busySeconds, tracker.EndToEnd.Stats(), acknowledged.Stats(), total, delivered, sendErrors, lost,
            server?.CpuPercent(), server is null ? null : server.PeakResidentBytes / 1048576.0, bench.CpuPercent())
        {
            Tail = tracker.Tail(),
            GcPauses = pauses,
        };

        async Task SendOneAsync(int n)
        {
            var clientMessageId = $"bench-{runId}-{n}";
            var sentAt = Stopwatch.GetTimestamp();
            tracker.Expect(clientMessageId, sentAt);
            bool ok;
            try
            {
                ok = await send(n, clientMessageId);
            }
            catch (Exception exception) when (exception is HttpRequestException or TaskCanceledException or InvalidOperationException)
            {
                ok = false;
            }

            if (ok)
            {
                acknowledged.Add(LatencyRecorder.MillisecondsSince(sentAt));
            }
            else
            {
                Interlocked.Increment(ref sendErrors);
                tracker.Forget(clientMessageId);
            }
        }
    }

    /// <summary>The pauses by generation, their total, and the longest one's make-up: what a GC pause costs, and why.</summary>
    private static string DescribePauses(IReadOnlyList<GcPause> pauses) => pauses.MaxBy(p => p.Milliseconds) is { } longest
        ? $" ({string.Join(" + ", pauses.GroupBy(p => p.Generation).OrderBy(g => g.Key).Select(g => $"{g.Count()} gen{g.Key}"))}; total " +
          $"{pauses.Sum(p => p.Milliseconds):F0} ms; longest {longest.Milliseconds:F1} ms, gen{longest.Generation}, {longest.SuspendMilliseconds:F1} ms of it " +
          $"stopping threads, {longest.PromotedBytes / 1e6:F1} MB kept: {longest.Phases}; all pauses: " +
          $"{pauses.Aggregate(GcPhases.None, (sum, p) => sum.Plus(p.Phases))})"
        : "";

    /// <summary>Prints the step's progress line; with <c>--tail-log</c>, appends its slowest deliveries to that file (CSV).</summary>
    public static void PrintProgress(StepResult step, BenchOptions options)
    {
        Console.WriteLine(
            $"  {step.Target,-11} {step.OfferedPerSecond,5}/s offered  {step.AchievedPerSecond,7:F0}/s delivered  " +
            $"p50 {step.EndToEnd.P50,6:F1} ms  p99 {step.EndToEnd.P99,7:F1} ms  max {step.EndToEnd.Max,7:F1} ms  " +
            $"errors {step.SendErrors}  lost {step.Lost}" +
            (step.ServerCpuPercent is { } cpu ? $"  server CPU {cpu:F0} %" : "") + $"  bench CPU {step.BenchCpuPercent:F0} %" +
            (step.Tail is { Samples: > 0 } tail ? $"  slowest 1 %: {tail.Samples} in {tail.Windows} windows of 100 ms" : "") +
            (step.GcPauses is { } pauses
                ? $"  GC pauses {pauses.Count}{DescribePauses(pauses)}, slowest 1 % during one: {step.SlowestDuringGc}"
                : ""));
        if (options.TailLog is { } path && step.Tail is { } slow)
        {
            // Milliseconds on the monotonic clock (CLOCK_MONOTONIC on Linux): the clock of a server-side trace's timestamps.
            File.AppendAllLines(path, slow.Slowest.Select(s => string.Create(System.Globalization.CultureInfo.InvariantCulture,
                $"{step.Target},{step.OfferedPerSecond},{s.SentAt * 1000.0 / Stopwatch.Frequency:F3},{s.Milliseconds:F2}")));
        }
    }
}
