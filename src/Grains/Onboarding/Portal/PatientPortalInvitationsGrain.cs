using ClinicChat.Notices;
using Microsoft.Extensions.DependencyInjection;

namespace ClinicChat.Onboarding.Portal;

/// <summary>
/// A patient's portal invitations at one clinic (see <see cref="IPatientPortalInvitationsGrain"/>). It decides who may invite and
/// where a link may go; each link's own grain stores it and is the only one to change it afterwards.
/// </summary>
public sealed class PatientPortalInvitationsGrain(PortalInvitationStore store, [FromKeyedServices(ChatTime.Key)] TimeProvider time)
    : Grain, IPatientPortalInvitationsGrain
{
    private Guid PatientId => this.GetPrimaryKey(out _);

    private Guid ClinicId
    {
        get
        {
            this.GetPrimaryKey(out var clinic);
            return Guid.ParseExact(clinic!, "N");
        }
    }

    public async Task<Outcome<PortalInvitationStatus>> InviteAsync(Actor actor, NoticeChannel channel, Guid? emailAccountPatientId)
    {
        var found = await InviteeAsync(actor);
        if (found.Value is not { } patient)
        {
            return found.Error!;
        }

        return await IssueAsync(actor, patient, channel, emailAccountPatientId, AuditActions.PatientInvited);
    }

    public async Task<Outcome<PortalInvitationStatus>> ResendAsync(Actor actor, Guid? emailAccountPatientId)
    {
        var found = await InviteeAsync(actor);
        if (found.Value is not { } patient)
        {
            return found.Error!;
        }

        if (await store.LatestAsync(ClinicId, PatientId) is not { } latest)
        {
            return ChatError.Invalid("invitation", "The patient has not been invited yet.");
        }

        return await IssueAsync(actor, patient, latest.Channel, emailAccountPatientId, AuditActions.PatientInvitationResent);
    }

    public async Task<Outcome<PortalInvitationStatus>> CancelAsync(Actor actor)
    {
        if (await InviteeAsync(actor, allowActive: true) is { Error: { } refused })
        {
            return refused;
        }

        if (await store.LatestAsync(ClinicId, PatientId) is not { } latest
            || !await GrainFactory.GetGrain<IPortalInvitationGrain>(latest.Id).CancelAsync(actor.UserId, AuditActions.PatientInvitationCancelled))
        {
            return ChatError.Invalid("invitation", "There is no pending invitation to cancel.");
        }

        return PortalInvitationRules.StatusOf((await store.GetAsync(latest.Id))!, time.GetUtcNow());
    }

    public async Task<Outcome<PortalInvitationOverview>> GetOverviewAsync(Actor actor)
    {
        var found = await InviteeAsync(actor, allowActive: true);
        if (found.Value is not { } patient)
        {
            return found.Error!;
        }

        var latest = await store.LatestAsync(ClinicId, PatientId);
        return new PortalInvitationOverview(
            latest is null ? null : PortalInvitationRules.StatusOf(latest, time.GetUtcNow()),
            patient.Email is not null,
            patient is { Mobile: not null, SmsConsent: true, MobileStopped: false },
            patient.Mobile is not null,
            patient.Email);
    }

    public async Task<bool> HasPendingAsync() =>
        await store.LatestAsync(ClinicId, PatientId) is { } latest && PortalInvitationRules.StateOf(latest, time.GetUtcNow()) == PortalInvitationState.Pending;

    /// <summary>Staff who chat at the clinic and its Admins; Billing is told no; anyone else, and another clinic's patient, find nothing.</summary>
    private async Task<Outcome<InviteePatient>> InviteeAsync(Actor actor, bool allowActive = false)
    {
        if (!actor.CanChatAt(ClinicId) && !actor.HasRoleAt(ClinicId, StaffRole.Admin))
        {
            return actor.HasRoleAt(ClinicId, StaffRole.Billing)
                ? new ChatError(ChatErrorCode.Forbidden, "Portal invitations are for clinicians, front desk and Admins.")
                : ChatError.NotFound();
        }

        if (await store.GetPatientAtClinicAsync(ClinicId, PatientId) is not { } patient)
        {
            return ChatError.NotFound();
        }

        return !allowActive && patient.PortalUserId is not null
            ? new ChatError(ChatErrorCode.AlreadyMember, "The patient has a portal account already.")
            : patient;
    }

    private async Task<Outcome<PortalInvitationStatus>> IssueAsync(
        Actor actor, InviteePatient patient, NoticeChannel channel, Guid? emailAccountPatientId, string auditAction)
    {
        if (await AddressProblemAsync(patient, channel, emailAccountPatientId) is { } refused)
        {
            return refused;
        }

        // One live link per patient: a new one kills the one before (its holder learns "cancelled").
        if (await store.LatestAsync(ClinicId, PatientId) is { } latest)
        {
            await GrainFactory.GetGrain<IPortalInvitationGrain>(latest.Id).CancelAsync(actor.UserId, AuditActions.PatientInvitationCancelled);
        }

        var address = channel == NoticeChannel.Email ? patient.Email! : patient.Mobile!;
        return await GrainFactory.GetGrain<IPortalInvitationGrain>(Guid.NewGuid())
            .IssueAsync(new PortalInvitationIssue(ClinicId, PatientId, patient.DisplayName, channel, address, actor.UserId, auditAction));
    }

    private async Task<ChatError?> AddressProblemAsync(InviteePatient patient, NoticeChannel channel, Guid? emailAccountPatientId)
    {
        if (await store.BirthDateAsync(PatientId) is not { } birthDate)
        {
            return ChatError.Invalid("birthDate", "Record the patient's date of birth first: activation asks for it.");
        }

        if (channel == NoticeChannel.Email && emailAccountPatientId is { } other && other != PatientId && await store.IsAnotherPersonAsync(ClinicId, other, birthDate))
        {
            return new ChatError(ChatErrorCode.AccountOfAnother, "This email address signs in to another patient's portal account, and each patient " +
                "needs an account of their own. Record another email address for this patient, or invite them by SMS.", "channel");
        }

        return channel switch
        {
            NoticeChannel.Email when patient.Email is null => ChatError.Invalid("channel", "The patient has no email address on file."),
            NoticeChannel.Email => null,
            NoticeChannel.Sms when patient.Mobile is null => ChatError.Invalid("channel", "The patient has no mobile number on file."),
            NoticeChannel.Sms when !patient.SmsConsent => new ChatError(ChatErrorCode.SmsConsentRequired, "Record the patient's consent to SMS first.", "channel"),
            NoticeChannel.Sms when patient.MobileStopped => new ChatError(ChatErrorCode.SmsConsentRequired, "This number replied STOP: texts to it are off.", "channel"),
            NoticeChannel.Sms => null,
            _ => ChatError.Invalid("channel", "channel is email or sms."),
        };
    }
}
