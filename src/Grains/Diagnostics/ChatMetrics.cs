using System.Diagnostics;
using System.Diagnostics.Metrics;
using ClinicChat.Conversations;

namespace ClinicChat.Diagnostics;

/// <summary>
/// ClinicChat's own instruments, on the <c>ClinicChat</c> meter. Tags carry no ids and no patient
/// data: only which side sent a message. Recording costs next to nothing while nobody listens.
/// </summary>
public sealed class ChatMetrics
{
    public const string MeterName = "ClinicChat";

    private readonly Counter<long> _messagesSent;
    private readonly Counter<long> _deliveryReceipts;
    private readonly Histogram<double> _pushLatency;
    private readonly UpDownCounter<long> _connections;

    public ChatMetrics(IMeterFactory meterFactory)
    {
        var meter = meterFactory.Create(MeterName);
        _messagesSent = meter.CreateCounter<long>(
            "clinicchat.messages.sent", "{message}", "Messages stored durably (a retried send answered from the store is not counted again).");
        _deliveryReceipts = meter.CreateCounter<long>(
            "clinicchat.receipts.delivered", "{receipt}", "Delivery receipts that moved a reader's delivered cursor forward; one advance may cover several messages.");
        _pushLatency = meter.CreateHistogram(
            "clinicchat.push.latency",
            "ms",
            "From a message's sent time to the moment a web node hands it to SignalR, per pushed topic (includes clock skew between nodes).",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [1, 2, 5, 10, 25, 50, 100, 250, 500, 1_000, 2_500, 5_000, 10_000] });
        _connections = meter.CreateUpDownCounter<long>(
            "clinicchat.signalr.connections", "{connection}", "SignalR connections open on this web node.");
    }

    public void MessageSent(SenderKind sender) =>
        _messagesSent.Add(1, new KeyValuePair<string, object?>("clinicchat.sender", sender == SenderKind.Staff ? "staff" : "patient"));

    public void DeliveryReceiptAdvanced() => _deliveryReceipts.Add(1);

    /// <summary>Clocks of different nodes disagree a little: a negative latency is recorded as 0.</summary>
    public void MessagePushed(TimeSpan sinceSent) => _pushLatency.Record(Math.Max(0, sinceSent.TotalMilliseconds));

    public void ConnectionOpened() => _connections.Add(1);

    public void ConnectionClosed() => _connections.Add(-1);
}

/// <summary>
/// ClinicChat's own spans. <see cref="ActivitySource.StartActivity(string, ActivityKind)"/> returns null
/// while no tracer listens, so the spans cost nothing unless tracing is switched on.
/// </summary>
public static class ChatTracing
{
    public const string SourceName = "ClinicChat";

    public static readonly ActivitySource Source = new(SourceName);
}
