using ClinicChat.Patients;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ClinicChat.Notices;

/// <summary>
/// One patient's notices. Every decision for the patient runs here, one at a time, so the daily cap counts across all
/// their threads; each decision commits its outbox rows and audit rows together (the dispatcher sends them later).
/// Holds nothing in memory: choices and contacts are read per call, so a change made anywhere counts at once.
/// </summary>
public sealed class PatientNoticeGrain(
    NoticeStore notices,
    GroupCommitWriter writer,
    NoticeLinks links,
    NoticeDispatcher dispatcher,
    IOptions<NotificationOptions> options,
    [FromKeyedServices(ChatTime.Key)] TimeProvider time,
    ILogger<PatientNoticeGrain> logger) : Grain, IPatientNoticeGrain
{
    private Guid Id => this.GetPrimaryKey();

    private IPatientProfileGrain Profile => GrainFactory.GetGrain<IPatientProfileGrain>(Id);

    public async Task<Outcome<NoticeSettings>> GetSettingsAsync(Actor actor) =>
        actor.IsPatient(Id) ? await SettingsAsync() : ChatError.NotFound();

    public async Task<Outcome<NoticeSettings>> SetChoiceAsync(Actor actor, Guid clinicId, bool email, bool sms)
    {
        if (!actor.IsPatient(Id) || !await Profile.IsPatientOfAsync(clinicId))
        {
            return ChatError.NotFound();
        }

        var contact = await notices.ReadContactAsync(Id);
        if (sms && contact.VerifiedMobile is null)
        {
            return new ChatError(ChatErrorCode.ContactNotVerified, "Verify a mobile number before turning on text notices.", "sms");
        }

        var now = time.GetUtcNow();
        var before = (await notices.ReadChoicesAsync(Id)).GetValueOrDefault(clinicId, NoticeChoice.Default);
        // Consent is the moment SMS was turned on; it stays while SMS stays on and is dropped with it.
        var choice = new NoticeChoice(email, sms, sms ? before.SmsConsentAt ?? now : null);
        await writer.WriteAsync(NoticeStore.SaveChoice(Id, clinicId, choice, now).Then(AuditLog.Append(now, new AuditEvent(
            AuditActions.NoticePreferencesChanged, actor.UserId, clinicId, Id, null, AuditOutcomes.Success, $"email={email} sms={sms}"))));
        return await SettingsAsync();
    }

    public async Task<Outcome<QueuedNotice>> SendTestAsync(Actor actor, Guid clinicId, NoticeChannel channel)
    {
        if (!actor.IsPatient(Id) || !await Profile.IsPatientOfAsync(clinicId))
        {
            return ChatError.NotFound();
        }

        if ((await notices.ReadContactAsync(Id)).Address(channel) is not { } address)
        {
            return new ChatError(ChatErrorCode.ContactNotVerified, "There is no verified address for this channel.", "channel");
        }

        return await QueueNowAsync(actor, clinicId, channel, NoticeTemplates.Test, address, links.Inbox(), code: null);
    }

    public async Task<Outcome<QueuedNotice>> SendVerificationCodeAsync(Actor actor, NoticeChannel channel, string address, string code)
    {
        if (!actor.IsPatient(Id) || channel == NoticeChannel.None)
        {
            return ChatError.NotFound();
        }

        // The code is worded as coming from the patient's (first) clinic, and audited on that clinic's chain.
        var clinicId = (await Profile.GetClinicIdsAsync()).FirstOrDefault();
        return clinicId == Guid.Empty ? ChatError.NotFound() : await QueueNowAsync(actor, clinicId, channel, NoticeTemplates.VerifyContact, address, null, code);
    }

    public async Task<NoticeDecision> DecideUnreadAsync(UnreadNoticeRequest request)
    {
        var earlier = await notices.ReadDecisionAsync(request.ConversationId, request.UpToSeq);
        if (earlier.Count > 0)
        {
            return new NoticeDecision([.. earlier.Where(d => d.Channel != NoticeChannel.None).Select(d => d.Channel)], earlier.FirstOrDefault(d => d.Channel == NoticeChannel.None).ErrorCode);
        }

        var now = time.GetUtcNow();
        var (channels, suppressed) = await ChooseAsync(request.ClinicId, now);
        var template = request.IsReply ? NoticeTemplates.Reply : NoticeTemplates.NewMessage;
        List<OutboxRow> rows = [];
        List<AuditEvent> audits = [];
        if (suppressed is not null)
        {
            rows.Add(new OutboxRow(Guid.NewGuid(), Id, null, request.ClinicId, request.ConversationId, request.UpToSeq, NoticeChannel.None, template,
                null, null, null, now, now, NoticeState.Suppressed, suppressed));
            audits.Add(new AuditEvent(AuditActions.NoticeSuppressed, "system", request.ClinicId, Id, request.ConversationId, AuditOutcomes.Success,
                $"template={template} reason={suppressed}"));
        }
        else
        {
            var zone = await ClinicZoneAsync(request.ClinicId);
            foreach (var (channel, address) in channels)
            {
                var due = channel == NoticeChannel.Sms
                    ? NoticeRules.SmsSendAt(now, zone, options.Value.QuietHoursStart, options.Value.QuietHoursEnd)
                    : now;
                var row = new OutboxRow(Guid.NewGuid(), Id, null, request.ClinicId, request.ConversationId, request.UpToSeq, channel, template,
                    address, links.Thread(request.ConversationId), null, now, due, NoticeState.Pending);
                rows.Add(row);
                audits.Add(QueuedAudit(row, "system"));
            }
        }

        await writer.WriteAsync(NoticeStore.Queue(rows).Then(AuditLog.Append(now, audits)));
        logger.Decided(request.ConversationId, request.UpToSeq, channels.Count, suppressed ?? "none");
        dispatcher.Wake();
        return new NoticeDecision([.. channels.Select(c => c.Channel)], suppressed);
    }

    /// <summary>Chat opt-out, the cap, the patient's choice for the clinic, verified contacts: in that order.</summary>
    private async Task<(IReadOnlyList<(NoticeChannel Channel, string Address)> Channels, string? Suppressed)> ChooseAsync(Guid clinicId, DateTimeOffset now)
    {
        if (await Profile.GetChatEligibilityAsync(clinicId) != ChatEligibility.Eligible)
        {
            return ([], SuppressedBecause.ChatOptedOut);
        }

        if (NoticeRules.CapReached(await notices.CountThreadNoticesSinceAsync(Id, now - NoticeRules.CapWindow), options.Value.DailyCap))
        {
            return ([], SuppressedBecause.DailyCap);
        }

        var choice = (await notices.ReadChoicesAsync(Id)).GetValueOrDefault(clinicId, NoticeChoice.Default);
        var contact = await notices.ReadContactAsync(Id);
        var (channels, suppressed) = NoticeRules.Channels(choice, contact);
        return ([.. channels.Select(c => (c, contact.Address(c)!))], suppressed);
    }

    private async Task<QueuedNotice> QueueNowAsync(Actor actor, Guid clinicId, NoticeChannel channel, string template, string address, string? link, string? code)
    {
        var now = time.GetUtcNow();
        var row = new OutboxRow(Guid.NewGuid(), Id, null, clinicId, null, null, channel, template, address, link, code, now, now, NoticeState.Pending);
        await writer.WriteAsync(NoticeStore.Queue([row]).Then(AuditLog.Append(now, QueuedAudit(row, actor.UserId))));
        dispatcher.Wake();
        return new QueuedNotice(row.Id, channel, ContactMasks.Mask(channel, address));
    }

    private static AuditEvent QueuedAudit(OutboxRow row, string actorId) => new(
        AuditActions.NoticeQueued, actorId, row.ClinicId, row.PatientId, row.ConversationId, AuditOutcomes.Success,
        $"channel={row.Channel.ToString().ToLowerInvariant()} template={row.Template} to={ContactMasks.Mask(row.Channel, row.Address!)} due={row.DueAt:O}");

    private async Task<TimeZoneInfo> ClinicZoneAsync(Guid clinicId) =>
        NoticeRules.ZoneOf((await notices.ReadClinicsAsync([clinicId])).GetValueOrDefault(clinicId).TimeZone);

    private async Task<NoticeSettings> SettingsAsync()
    {
        var clinicIds = await Profile.GetClinicIdsAsync();
        var clinics = await notices.ReadClinicsAsync(clinicIds);
        var choices = await notices.ReadChoicesAsync(Id);
        var contact = await notices.ReadContactAsync(Id);
        return new NoticeSettings(contact.VerifiedEmail, contact.VerifiedMobile, contact.MobileStopped, [.. clinicIds.Select(clinicId =>
        {
            var choice = choices.GetValueOrDefault(clinicId, NoticeChoice.Default);
            return new ClinicNoticeChoice(clinicId, clinics.TryGetValue(clinicId, out var clinic) ? clinic.Name : "Clinic", choice.Email, choice.Sms, choice.SmsConsentAt);
        })]);
    }
}

internal static partial class PatientNoticeLog
{
    [LoggerMessage(Level = LogLevel.Information, Message = "Notice decided for conversation {ConversationId} up to seq {Seq}: {Channels} channel(s), suppressed: {Suppressed}")]
    public static partial void Decided(this ILogger logger, Guid conversationId, long seq, int channels, string suppressed);
}
