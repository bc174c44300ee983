using System.Diagnostics;
using System.Diagnostics.Tracing;
using Microsoft.Diagnostics.NETCore.Client;
using Microsoft.Diagnostics.Tracing;
using Microsoft.Diagnostics.Tracing.Parsers;

namespace ClinicChat.Bench;

/// <summary>
/// One stop of a server's threads for a garbage collection: when it began (ms on the monotonic clock, as
/// <see cref="TailSpread"/>), its generation, how long in all, how much of that was getting the threads to stop
/// (a thread the OS has not scheduled cannot reach a safe point: on a busy machine this is the CPU's queue, not the GC),
/// and the bytes the collection kept (promoted: what it had to mark and copy).
/// </summary>
public sealed record GcPause(double StartMs, int Generation, double Milliseconds, double SuspendMilliseconds, long PromotedBytes);

/// <summary>
/// The GC pauses of the server's processes during one load step (<c>--gc-pauses</c>), read from the runtime's own events
/// over EventPipe (the GC keyword, informational: a suspension's start to the restart's end). With the step's slowest
/// deliveries it tells how much of the tail is the server stopping its threads rather than work queued behind work.
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

    private void Read(EventPipeSession session)
    {
        using var source = new EventPipeEventSource(session.EventStream);
        DateTime? suspended = null;
        var suspendMs = 0.0;
        var generation = -1;
        long promoted = 0;
        source.Clr.GCSuspendEEStart += e => suspended = e.TimeStamp;
        source.Clr.GCSuspendEEStop += e => suspendMs = suspended is { } at ? (e.TimeStamp - at).TotalMilliseconds : 0;
        source.Clr.GCStart += e => generation = e.Depth;
        source.Clr.GCHeapStats += e => promoted = e.TotalPromotedSize0 + e.TotalPromotedSize1 + e.TotalPromotedSize2 + e.TotalPromotedSize3;
        source.Clr.GCRestartEEStop += e =>
        {
            if (suspended is { } at)
            {
                lock (_pauses)
                {
                    _pauses.Add(new GcPause(_monotonicAtStartMs + (at.ToUniversalTime() - _utcAtStart).TotalMilliseconds, generation, (e.TimeStamp - at).TotalMilliseconds, suspendMs, promoted));
                }
            }

            suspended = null;
            suspendMs = 0;
            promoted = 0;
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
