using System.Diagnostics.Metrics;
using ClinicChat.Diagnostics;

namespace ClinicChat.Web.Realtime;

/// <summary>
/// A web node's push instruments, on the same <c>ClinicChat</c> meter as the grains' <c>ChatMetrics</c> (one meter to
/// export). They measure this node's hub, so they live with it rather than with the grains.
/// </summary>
public sealed class RealtimeMetrics
{
    private readonly Histogram<double> _pushLatency;
    private readonly UpDownCounter<long> _connections;

    public RealtimeMetrics(IMeterFactory meterFactory)
    {
        var meter = meterFactory.Create(ChatMetrics.MeterName);
        _pushLatency = meter.CreateHistogram(
            "clinicchat.push.latency",
            "ms",
            "From a message's sent time to the moment a web node hands it to SignalR, per pushed topic (includes clock skew between nodes).",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [1, 2, 5, 10, 25, 50, 100, 250, 500, 1_000, 2_500, 5_000, 10_000] });
        _connections = meter.CreateUpDownCounter<long>(
            "clinicchat.signalr.connections", "{connection}", "SignalR connections open on this web node.");
    }

    /// <summary>Clocks of different nodes disagree a little: a negative latency is recorded as 0.</summary>
    public void MessagePushed(TimeSpan sinceSent) => _pushLatency.Record(Math.Max(0, sinceSent.TotalMilliseconds));

    public void ConnectionOpened() => _connections.Add(1);

    public void ConnectionClosed() => _connections.Add(-1);
}
