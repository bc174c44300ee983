using System.Diagnostics;
using System.Diagnostics.Metrics;
using ClinicChat.Conversations;

namespace ClinicChat.Diagnostics;

/// <summary>
/// ClinicChat's own instruments of the grains, on the <c>ClinicChat</c> meter (a web node's push instruments are on the
/// same meter, in <c>ClinicChat.Web.Realtime.RealtimeMetrics</c>). Tags carry no ids and no patient data: only which side
/// sent a message. Recording costs next to nothing while nobody listens.
/// </summary>
public sealed class ChatMetrics
{
    public const string MeterName = "ClinicChat";

    private readonly Counter<long> _messagesSent;
    private readonly Counter<long> _deliveryReceipts;
    private readonly Histogram<double> _commitDuration;
    private readonly Histogram<int> _commitUnits;

    public ChatMetrics(IMeterFactory meterFactory)
    {
        var meter = meterFactory.Create(MeterName);
        _messagesSent = meter.CreateCounter<long>(
            "clinicchat.messages.sent", "{message}", "Messages stored durably (a retried send answered from the store is not counted again).");
        _deliveryReceipts = meter.CreateCounter<long>(
            "clinicchat.receipts.delivered", "{receipt}", "Delivery receipts that moved a reader's delivered cursor forward; one advance may cover several messages.");
        // The writer's own time, apart from everything else in a send's latency: storage changes (checkpoints, pragmas,
        // statements) can be judged by it on a busy machine, where end-to-end delivery times spread too widely.
        _commitDuration = meter.CreateHistogram(
            "clinicchat.storage.commit.duration",
            "ms",
            "One group commit, from opening its transaction to its commit (or failure): what every write in it waits for once its turn comes.",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.5, 1, 2, 5, 10, 25, 50, 100, 250, 500, 1_000, 5_000] });
        _commitUnits = meter.CreateHistogram(
            "clinicchat.storage.commit.units",
            "{unit}",
            "Units of work (a message with its audit row, a receipt…) in one group commit.",
            advice: new InstrumentAdvice<int> { HistogramBucketBoundaries = [1, 2, 5, 10, 25, 50, 100, 250, 500, 1_000] });
    }

    public void MessageSent(SenderKind sender) =>
        _messagesSent.Add(1, new KeyValuePair<string, object?>("clinicchat.sender", sender == SenderKind.Staff ? "staff" : "patient"));

    public void DeliveryReceiptAdvanced() => _deliveryReceipts.Add(1);

    public void Committed(TimeSpan took, int units)
    {
        _commitDuration.Record(took.TotalMilliseconds);
        _commitUnits.Record(units);
    }
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
