using System.Diagnostics;
using System.Diagnostics.Tracing;
using Microsoft.Diagnostics.NETCore.Client;
using Microsoft.Diagnostics.Tracing;
using Microsoft.Diagnostics.Tracing.Parsers;
using Microsoft.Diagnostics.Tracing.Parsers.Clr;

namespace ClinicChat.Bench;

/// <summary>
/// One stop of a server's threads for a garbage collection: when it began (ms on the monotonic clock, as
/// <see cref="TailSpread"/>), its generation, how long in all, how much of that was getting the threads to stop
/// (a thread the OS has not scheduled cannot reach a safe point: on a busy machine this is the CPU's queue, not the GC),
/// the bytes the collection kept (promoted: what it had to mark and copy), and where the time went (<see cref="GcPhases"/>).
/// </summary>
public sealed record GcPause(double StartMs, int Generation, double Milliseconds, double SuspendMilliseconds, long PromotedBytes, GcPhases Phases);

/// <summary>
/// One pause's time by phase, in ms, from the runtime's <c>GCMarkWithType</c> events: each GC thread reports the end of
/// each kind of root it marked from (its heap's share), so a phase's time is the gap since that thread's previous event,
/// taken as the longest over the heaps (the server GC's threads wait for each other between phases). Marking from a root
/// includes marking everything only it reaches. <see cref="Cards"/> are the older generation's references into the young
/// one (the remembered set a gen0/gen1 collection must scan); <see cref="WeakAndFinalizable"/> runs from the dependent
/// handles' end through clearing weak references to finding the objects that became unreachable and have a finalizer
/// (they, and what they reach, are kept for the finalizer thread); <see cref="AfterMark"/> is planning, relocating,
/// compacting or sweeping up to the collection's end; <see cref="Restart"/> is from there to the threads running again.
/// </summary>
public sealed record GcPhases(
    int Heaps, double Stacks, double FinalizeQueue, double Handles, double Cards, double DependentHandles, double WeakAndFinalizable,
    double OtherMark, double AfterMark, double Restart)
{
    public static readonly GcPhases None = new(0, 0, 0, 0, 0, 0, 0, 0, 0, 0);

    public GcPhases Plus(GcPhases other) => new(
        Math.Max(Heaps, other.Heaps), Stacks + other.Stacks, FinalizeQueue + other.FinalizeQueue, Handles + other.Handles,
        Cards + other.Cards, DependentHandles + other.DependentHandles, WeakAndFinalizable + other.WeakAndFinalizable,
        OtherMark + other.OtherMark, AfterMark + other.AfterMark, Restart + other.Restart);

    public override string ToString() => string.Create(System.Globalization.CultureInfo.InvariantCulture,
        $"{Heaps} heap(s): stacks {Stacks:F1}, finalize queue {FinalizeQueue:F1}, handles {Handles:F1}, cards {Cards:F1}, " +
        $"dependent handles {DependentHandles:F1}, weak refs and new finalizable {WeakAndFinalizable:F1}, other marking {OtherMark:F1}, " +
        $"after marking {AfterMark:F1}, restart {Restart:F1} ms");
}

/// <summary>
/// The GC pauses of the server's processes during one load step (<c>--gc-pauses</c>), read from the runtime's own events
/// over EventPipe (the GC keyword, informational: a suspension's start to the restart's end, with each heap's mark
/// events). With the step's slowest deliveries it tells how much of the tail is the server stopping its threads rather
/// than work queued behind work.
/// </summary>
public sealed class GcPauseRecorder : IAsyncDisposable
{
    private readonly List<(EventPipeSession Session, Task Reading)> _sessions = [];
    private readonly List<GcPause> _pauses = [];

    // TraceEvent stamps events with wall-clock times; the tail log uses the monotonic clock. Both are read once, together.
    private readonly DateTime _utcAtStart = DateTime.UtcNow;
    private readonly double _monotonicAtStartMs = Stopwatch.GetTimestamp() * 1000.0 / Stopwatch.Frequency;

    public static GcPauseRecorder Start(IEnumerable<int> processIds)
    {
        var recorder = new GcPauseRecorder();
        foreach (var processId in processIds)
        {
            var session = new DiagnosticsClient(processId).StartEventPipeSession(
                [new EventPipeProvider("Microsoft-Windows-DotNETRuntime", EventLevel.Informational, (long)ClrTraceEventParser.Keywords.GC)],
                requestRundown: false);
            recorder._sessions.Add((session, Task.Run(() => recorder.Read(session))));
        }

        return recorder;
    }

    /// <summary>Whether any of the processes has had a collection of generation 1 or 2 since the recording started.</summary>
    public bool HasSeenOlderGeneration
    {
        get
        {
            lock (_pauses)
            {
                return _pauses.Any(p => p.Generation >= 1);
            }
        }
    }

    /// <summary>Ends the sessions and returns every pause they saw, in order.</summary>
    public async Task<IReadOnlyList<GcPause>> StopAsync()
    {
        foreach (var (session, _) in _sessions)
        {
            session.Stop();
        }

        await Task.WhenAll(_sessions.Select(s => s.Reading));
        lock (_pauses)
        {
            return [.. _pauses.OrderBy(p => p.StartMs)];
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        foreach (var (session, _) in _sessions)
        {
            session.Dispose();
        }
    }

    private static readonly MarkRootType[] NamedPhases =
    [
        MarkRootType.MarkStack, MarkRootType.MarkFQ, MarkRootType.MarkHandles, MarkRootType.MarkOlder,
        MarkRootType.MarkDependentHandles, MarkRootType.MarkNewFQ,
    ];

    private void Read(EventPipeSession session)
    {
        using var source = new EventPipeEventSource(session.EventStream);
        DateTime? suspended = null;
        var suspendMs = 0.0;
        var generation = -1;
        long promoted = 0;
        DateTime? started = null;
        DateTime? ended = null;
        var lastMarkByHeap = new Dictionary<int, DateTime>();
        var phaseByKind = new Dictionary<MarkRootType, double>();
        double Phase(MarkRootType kind) => phaseByKind.GetValueOrDefault(kind);
        source.Clr.GCSuspendEEStart += e => suspended = e.TimeStamp;
        source.Clr.GCSuspendEEStop += e => suspendMs = suspended is { } at ? (e.TimeStamp - at).TotalMilliseconds : 0;
        source.Clr.GCStart += e =>
        {
            generation = e.Depth;
            started = e.TimeStamp;
        };
        source.Clr.GCMarkWithType += e =>
        {
            var since = lastMarkByHeap.TryGetValue(e.HeapNum, out var previous) ? previous : started ?? e.TimeStamp;
            var ms = (e.TimeStamp - since).TotalMilliseconds;
            var kind = (MarkRootType)e.Type;
            phaseByKind[kind] = Math.Max(phaseByKind.GetValueOrDefault(kind), ms);
            lastMarkByHeap[e.HeapNum] = e.TimeStamp;
        };
        source.Clr.GCStop += e => ended = e.TimeStamp;
        source.Clr.GCHeapStats += e => promoted = e.TotalPromotedSize0 + e.TotalPromotedSize1 + e.TotalPromotedSize2 + e.TotalPromotedSize3;
        source.Clr.GCRestartEEStop += e =>
        {
            if (suspended is { } at)
            {
                var lastMark = lastMarkByHeap.Count > 0 ? lastMarkByHeap.Values.Max() : started ?? at;
                var phases = new GcPhases(
                    lastMarkByHeap.Count,
                    Phase(MarkRootType.MarkStack),
                    Phase(MarkRootType.MarkFQ),
                    Phase(MarkRootType.MarkHandles),
                    Phase(MarkRootType.MarkOlder),
                    Phase(MarkRootType.MarkDependentHandles),
                    Phase(MarkRootType.MarkNewFQ),
                    phaseByKind.Where(p => !NamedPhases.Contains(p.Key)).Sum(p => p.Value),
                    ended is { } end ? (end - lastMark).TotalMilliseconds : 0,
                    ended is { } stop ? (e.TimeStamp - stop).TotalMilliseconds : 0);
                lock (_pauses)
                {
                    _pauses.Add(new GcPause(_monotonicAtStartMs + (at.ToUniversalTime() - _utcAtStart).TotalMilliseconds, generation, (e.TimeStamp - at).TotalMilliseconds, suspendMs, promoted, phases));
                }
            }

            suspended = null;
            suspendMs = 0;
            promoted = 0;
            started = null;
            ended = null;
            lastMarkByHeap.Clear();
            phaseByKind.Clear();
        };
        try
        {
            source.Process();
        }
        catch (FormatException)
        {
            // The stream ends mid-block when the session stops: what was read counts.
        }
    }
}
