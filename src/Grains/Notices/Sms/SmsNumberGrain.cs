using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ClinicChat.Notices.Sms;

/// <summary>
/// One mobile number's STOP/START state (see <see cref="ISmsNumberGrain"/>). The opt-out row and the audit rows of a
/// change commit together; a keyword that changes nothing (a second STOP) writes nothing. Whether the number is
/// stopped is read from the table on each keyword, never kept in the activation: the table is the authority (the
/// notice decisions read it too), and keywords are rare.
/// </summary>
public sealed partial class SmsNumberGrain(
    SmsOptOutStore store,
    GroupCommitWriter writer,
    IOptions<TwilioOptions> options,
    [FromKeyedServices(ChatTime.Key)] TimeProvider time,
    ILogger<SmsNumberGrain> logger) : Grain, ISmsNumberGrain
{
    /// <summary>The actor of events recorded on no signed-in user's behalf (shown as the system in the audit log).</summary>
    private const string SystemActor = "system";

    private string Number => this.GetPrimaryKeyString();

    public async Task<SmsReply> ReceiveAsync(string body)
    {
        if (!SmsNumbers.IsE164(Number))
        {
            return SmsReply.None;
        }

        switch (SmsKeywords.Parse(body))
        {
            case SmsKeyword.Stop when !await store.IsStoppedAsync(Number):
                await ChangeAsync(stop: true);
                break;
            case SmsKeyword.Start when await store.IsStoppedAsync(Number):
                await ChangeAsync(stop: false);
                break;
            case SmsKeyword.Help:
                return new SmsReply(NoticeText.Sms(HelpNotice()));
        }

        // Twilio answers STOP and START itself with its standard confirmation; a second answer would confuse.
        return SmsReply.None;
    }

    private async Task ChangeAsync(bool stop)
    {
        var now = time.GetUtcNow();
        var holders = await store.HoldersAsync(Number);
        var action = stop ? AuditActions.SmsStopped : AuditActions.SmsStarted;
        var detail = $"number={SmsNumbers.Mask(Number)}";
        // A number no patient has verified is still recorded, on the chain of events that belong to no clinic.
        IReadOnlyList<AuditEvent> events = holders.Count == 0
            ? [new AuditEvent(action, SystemActor, null, null, null, AuditOutcomes.Success, detail)]
            : [.. holders.Select(h => new AuditEvent(action, SystemActor, h.ClinicId, h.PatientId, null, AuditOutcomes.Success, detail))];
        var change = stop ? SmsOptOutStore.Stop(Number, now) : SmsOptOutStore.Start(Number);
        await writer.WriteAsync(change.Then(AuditLog.Append(now, events)));
        LogChanged(stop ? "stopped" : "started", SmsNumbers.Mask(Number), holders.Count);
    }

    /// <summary>HELP names no clinic: one number can send for many. The wording is NoticeText's.</summary>
    private OutgoingNotice HelpNotice() =>
        new(Guid.Empty, NoticeChannel.Sms, NoticeTemplates.SmsHelp, Number, "ClinicChat", options.Value.PublicBaseUrl, null, null, 1);

    [LoggerMessage(Level = LogLevel.Information, Message = "SMS notices {Change} for {MaskedNumber}; audited at {Holders} patient(s).")]
    private partial void LogChanged(string change, string maskedNumber, int holders);
}
