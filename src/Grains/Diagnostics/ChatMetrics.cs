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

    public ChatMetrics(IMeterFactory meterFactory)
    {
        var meter = meterFactory.Create(MeterName);
        _messagesSent = meter.CreateCounter<long>(
            "clinicchat.messages.sent", "{message}", "Messages stored durably (a retried send answered from the store is not counted again).");
        _deliveryReceipts = meter.CreateCounter<long>(
            "clinicchat.receipts.delivered", "{receipt}", "Delivery receipts that moved a reader's delivered cursor forward; one advance may cover several messages.");
    }

    public void MessageSent(SenderKind sender) =>
        _messagesSent.Add(1, new KeyValuePair<string, object?>("clinicchat.sender", sender == SenderKind.Staff ? "staff" : "patient"));

    public void DeliveryReceiptAdvanced() => _deliveryReceipts.Add(1);
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
