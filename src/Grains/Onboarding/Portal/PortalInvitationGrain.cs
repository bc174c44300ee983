using ClinicChat.Notices;
using ClinicChat.Patients;
using Microsoft.Extensions.DependencyInjection;

namespace ClinicChat.Onboarding.Portal;

/// <summary>One portal invitation (see <see cref="IPortalInvitationGrain"/>). The row is read on every call: it is small, and staff's cancel and the holder's checks then always meet the same truth.</summary>
public sealed class PortalInvitationGrain(
    PortalInvitationStore store,
    GroupCommitWriter writer,
    NoticeLinks links,
    NoticeDispatcher dispatcher,
    [FromKeyedServices(ChatTime.Key)] TimeProvider time) : Grain, IPortalInvitationGrain
{
    /// <summary>Who anonymous link holders are in audit rows: the link's id says which invitation.</summary>
    private const string Holder = "activation-link";

    private Guid Id => this.GetPrimaryKey();

    public async Task<Outcome<PortalInvitationStatus>> IssueAsync(PortalInvitationIssue issue)
    {
        if (await store.GetAsync(Id) is not null)
        {
            return ChatError.Invalid("invitationId", "An invitation with this id exists already.");
        }

        var secret = InvitationRules.NewSecret();
        var now = time.GetUtcNow();
        var expiresAt = now + PortalInvitations.Lifetime;
        var masked = ContactMasks.Mask(issue.Channel, issue.Address);
        var audit = new AuditEvent(issue.AuditAction, issue.InvitedBy, issue.ClinicId, issue.PatientId, null, AuditOutcomes.Success,
            $"invitation={Id:N} channel={issue.Channel.ToString().ToLowerInvariant()} to={masked}");
        // The secret travels only in the outbox row's code, which the dispatcher clears once the link is sent.
        var notice = new OutboxRow(Guid.NewGuid(), issue.PatientId, null, issue.ClinicId, null, null, issue.Channel, NoticeTemplates.PatientInvitation,
            issue.Address, links.Home() + "/#/activate/", InvitationToken.Format(Id, secret), now, now, NoticeState.Pending);
        await writer.WriteAsync(PortalInvitationStore.Insert(Id, issue, InvitationRules.Hash(secret), now, expiresAt)
            .Then(NoticeStore.Queue([notice]))
            .Then(AuditLog.Append(now, audit)));
        dispatcher.Wake();
        return new PortalInvitationStatus(Id, issue.Channel, masked, now, expiresAt, PortalInvitationState.Pending);
    }

    public async Task<ActivationCheck> LookupAsync(string secret)
    {
        var invitation = await store.GetAsync(Id);
        var standing = PortalInvitationRules.StandingOf(invitation, secret, time.GetUtcNow());
        return standing == ActivationStanding.Valid ? Valid(invitation!) : new ActivationCheck(standing);
    }

    public async Task<ActivationCheck> CheckBirthDateAsync(string secret, DateOnly birthDate)
    {
        var invitation = await store.GetAsync(Id);
        if (PortalInvitationRules.StandingOf(invitation, secret, time.GetUtcNow()) is var standing and not ActivationStanding.Valid)
        {
            return new ActivationCheck(standing);
        }

        return await store.BirthDateAsync(invitation!.PatientId) == birthDate ? Valid(invitation) : await CountMismatchAsync(invitation);
    }

    public async Task<ActivationCheck> ActivateAsync(string secret, DateOnly birthDate, ActivationAccount account)
    {
        var checkedDate = await CheckBirthDateAsync(secret, birthDate);
        if (checkedDate.Standing != ActivationStanding.Valid)
        {
            return checkedDate;
        }

        var invitation = (await store.GetAsync(Id))!;
        if ((await store.GetPatientAtClinicAsync(invitation.ClinicId, invitation.PatientId))?.PortalUserId is not null)
        {
            return new ActivationCheck(ActivationStanding.AlreadyActive);
        }

        var now = time.GetUtcNow();
        var detail = $"invitation={Id:N} channel={invitation.Channel.ToString().ToLowerInvariant()}";
        if (account.ExistingPatientId is { } other && await store.IsAnotherPersonAsync(invitation.ClinicId, other, birthDate))
        {
            await writer.WriteAsync(AuditLog.Append(now, new AuditEvent(AuditActions.PatientAccountLinked, account.UserId, invitation.ClinicId, invitation.PatientId, null,
                AuditOutcomes.Denied, $"{detail} account-of-another={other:N}")));
            return new ActivationCheck(ActivationStanding.AccountOfAnother);
        }

        var used = PortalInvitationStore.MarkUsed(Id, account.UserId, now);
        if (account.ExistingPatientId is { } existing)
        {
            await writer.WriteAsync(used
                .Then(PortalInvitationStore.MergeIntoExisting(invitation.ClinicId, invitation.PatientId, existing, now))
                // Chat is chosen per clinic: the choice made on the page is this clinic's, the account's others stay as they were.
                .Then(ClinicChatStore.SaveChoice(existing, invitation.ClinicId, account.ChatOptIn, now))
                .Then(AuditLog.Append(now, new AuditEvent(AuditActions.PatientAccountLinked, account.UserId, invitation.ClinicId, existing, null,
                    AuditOutcomes.Success, $"{detail} merged={invitation.PatientId:N} chatOptIn={account.ChatOptIn}"))));
            await GrainFactory.GetGrain<IPatientProfileGrain>(existing).ReloadAsync();
        }
        else
        {
            await writer.WriteAsync(used
                .Then(PortalInvitationStore.AttachAccount(invitation.PatientId, account.UserId, account.ChatOptIn, now))
                .Then(AuditLog.Append(now, new AuditEvent(AuditActions.PatientActivated, account.UserId, invitation.ClinicId, invitation.PatientId, null,
                    AuditOutcomes.Success, $"{detail} chatOptIn={account.ChatOptIn}"))));
        }

        await GrainFactory.GetGrain<IPatientProfileGrain>(invitation.PatientId).ReloadAsync();
        return Valid(invitation);
    }

    public async Task<bool> CancelAsync(string actorId, string auditAction)
    {
        if (await store.GetAsync(Id) is not { } invitation || PortalInvitationRules.StateOf(invitation, time.GetUtcNow()) != PortalInvitationState.Pending)
        {
            return false;
        }

        var now = time.GetUtcNow();
        await writer.WriteAsync(PortalInvitationStore.MarkCancelled(Id, now).Then(AuditLog.Append(now, new AuditEvent(
            auditAction, actorId, invitation.ClinicId, invitation.PatientId, null, AuditOutcomes.Success, $"invitation={Id:N}"))));
        return true;
    }

    private async Task<ActivationCheck> CountMismatchAsync(StoredPortalInvitation invitation)
    {
        var now = time.GetUtcNow();
        var failed = invitation.FailedChecks + 1;
        var locks = failed >= PortalInvitations.MaxBirthDateChecks;
        List<AuditEvent> events = [new(AuditActions.ActivationBirthDateMismatch, Holder, invitation.ClinicId, invitation.PatientId, null, AuditOutcomes.Denied,
            $"invitation={Id:N} failed={failed}")];
        if (locks)
        {
            events.Add(new(AuditActions.ActivationLocked, Holder, invitation.ClinicId, invitation.PatientId, null, AuditOutcomes.Denied, $"invitation={Id:N}"));
        }

        await writer.WriteAsync(PortalInvitationStore.CountFailedCheck(Id, locks, now).Then(AuditLog.Append(now, events)));
        return locks ? new ActivationCheck(ActivationStanding.Locked)
            : new ActivationCheck(ActivationStanding.BirthDateMismatch, null, PortalInvitations.MaxBirthDateChecks - failed);
    }

    private static ActivationCheck Valid(StoredPortalInvitation invitation) => new(
        ActivationStanding.Valid,
        new ActivationView(invitation.ClinicId, invitation.ClinicName, invitation.PatientId, invitation.Channel, invitation.Address, invitation.PatientName, invitation.ExpiresAt),
        PortalInvitationRules.AttemptsLeft(invitation));
}
