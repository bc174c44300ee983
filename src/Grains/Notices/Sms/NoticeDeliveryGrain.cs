using Microsoft.Extensions.DependencyInjection;
using Orleans.Concurrency;

namespace ClinicChat.Notices.Sms;

/// <summary>
/// Records delivery reports (see <see cref="INoticeDeliveryGrain"/>). Stateless: everything it decides it reads and
/// writes inside one unit of the group-commit writer, so reports need no single home and run on the receiving silo.
/// </summary>
[StatelessWorker]
public sealed class NoticeDeliveryGrain(GroupCommitWriter writer, [FromKeyedServices(ChatTime.Key)] TimeProvider time) : Grain, INoticeDeliveryGrain
{
    public Task<bool> ReportAsync(DeliveryReport report)
    {
        // Only what Twilio sends is stored: a status name, a numeric code; anything else matches nothing.
        if (!DeliveryStatuses.IsWellFormed(report.Status) || report.ProviderMessageId.Length is 0 or > 64)
        {
            return Task.FromResult(false);
        }

        return writer.WriteAsync(DeliveryReportStore.Report(report, DeliveryStatuses.ErrorCode(report.ErrorCode), time.GetUtcNow()));
    }
}
