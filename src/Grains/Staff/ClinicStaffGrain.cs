using ClinicChat.Notices;
using ClinicChat.Onboarding;
using ClinicChat.Sessions;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace ClinicChat.Staff;

/// <summary>
/// One clinic's staff administration (see <see cref="IClinicStaffGrain"/>). Keeps nothing in memory: every decision
/// reads the memberships as stored, so a member who accepted an invitation a moment ago counts.
/// </summary>
public sealed partial class ClinicStaffGrain(
    StaffStore store,
    GroupCommitWriter writer,
    NoticeLinks links,
    NoticeDispatcher dispatcher,
    [FromKeyedServices(ChatTime.Key)] TimeProvider time,
    ILogger<ClinicStaffGrain> logger)
    : Grain, IClinicStaffGrain
{
    private Guid ClinicId => this.GetPrimaryKey();

    public async Task<Outcome<StaffRoster>> ListAsync(Actor actor) =>
        await RefuseAsync(actor, "staff_list") is { } refused ? refused
        : new StaffRoster(await store.ListMembersAsync(ClinicId), await store.ListInvitationsAsync(ClinicId));

    public async Task<Outcome<StaffInvitation>> InviteAsync(Actor actor, StaffInvitationRequest request)
    {
        if (await RefuseAsync(actor, "staff_invite") is { } refused)
        {
            return refused;
        }

        if (!StaffRules.IsRole(request.Role))
        {
            return ChatError.Invalid("role", "role must be Clinician, FrontDesk, Billing or Admin.");
        }

        if (await MembershipProblemAsync(request.Email) is { } already)
        {
            return already;
        }

        var invitationId = Guid.NewGuid();
        var issued = await GrainFactory.GetGrain<IInvitationGrain>(invitationId).IssueByEmailAsync(
            new InvitationRequest(ClinicId, request.Email, request.DisplayName, (InviteeRole)(int)request.Role, actor.UserId, StaffRules.InvitationLifetime));
        if (issued.Error is { } error)
        {
            return error;
        }

        LogInvited(logger, ClinicId, invitationId, actor.UserId);
        return new StaffInvitation(invitationId, request.Email, request.DisplayName, request.Role, time.GetUtcNow(), issued.Value!.ExpiresAt);
    }

    public async Task<Outcome<StaffInvitation>> ResendAsync(Actor actor, Guid invitationId)
    {
        if (await RefuseAsync(actor, "staff_invitation_resend") is { } refused)
        {
            return refused;
        }

        if ((await store.ListInvitationsAsync(ClinicId)).FirstOrDefault(i => i.Id == invitationId) is not { } pending)
        {
            return ChatError.NotFound();
        }

        var reissued = await GrainFactory.GetGrain<IInvitationGrain>(invitationId).ReissueByEmailAsync(actor.UserId, StaffRules.InvitationLifetime);
        if (reissued.Error is { } error)
        {
            return error;
        }

        LogResent(logger, ClinicId, invitationId, actor.UserId);
        return pending with { SentAt = time.GetUtcNow(), ExpiresAt = reissued.Value!.ExpiresAt };
    }

    public async Task<Outcome<StaffInvitation>> RevokeAsync(Actor actor, Guid invitationId)
    {
        if (await RefuseAsync(actor, "staff_invitation_revoke") is { } refused)
        {
            return refused;
        }

        if ((await store.ListInvitationsAsync(ClinicId)).FirstOrDefault(i => i.Id == invitationId) is not { } pending
            || !await GrainFactory.GetGrain<IInvitationGrain>(invitationId).RevokeAsync(actor.UserId))
        {
            return ChatError.NotFound();
        }

        return pending;
    }

    public async Task<Outcome<StaffMember>> ChangeRoleAsync(Actor actor, string userId, StaffRole role)
    {
        if (await RefuseAsync(actor, "staff_role") is { } refused)
        {
            return refused;
        }

        if (!StaffRules.IsRole(role))
        {
            return ChatError.Invalid("role", "role must be Clinician, FrontDesk, Billing or Admin.");
        }

        var members = await store.ListMembersAsync(ClinicId);
        if (members.FirstOrDefault(m => m.UserId == userId && m.Status == StaffStatus.Active) is not { } member)
        {
            return ChatError.NotFound();
        }

        if (member.Roles.SequenceEqual([role]))
        {
            return member;
        }

        if (StaffRules.LastAdminProblem(members, userId, [role]) is { } lastAdmin)
        {
            return lastAdmin;
        }

        var now = time.GetUtcNow();
        var changed = new AuditEvent(AuditActions.StaffRoleChanged, actor.UserId, ClinicId, null, null, AuditOutcomes.Success,
            $"member={userId} roles={StaffRules.FormatRoles(member.Roles)}->{role}");
        await writer.WriteAsync(StaffStore.SetRoles(ClinicId, userId, [role]).Then(AuditLog.Append(now, changed)));
        await EndSessionsAsync(userId);
        LogRoleChanged(logger, ClinicId, userId, actor.UserId);
        return member with { Roles = [role] };
    }

    public async Task<Outcome<StaffMember>> DeactivateAsync(Actor actor, string userId)
    {
        if (await RefuseAsync(actor, "staff_deactivate") is { } refused)
        {
            return refused;
        }

        var members = await store.ListMembersAsync(ClinicId);
        if (members.FirstOrDefault(m => m.UserId == userId && m.Status == StaffStatus.Active) is not { } member)
        {
            return ChatError.NotFound();
        }

        if (StaffRules.LastAdminProblem(members, userId, []) is { } lastAdmin)
        {
            return lastAdmin;
        }

        var now = time.GetUtcNow();
        var deactivated = new AuditEvent(AuditActions.StaffDeactivated, actor.UserId, ClinicId, null, null, AuditOutcomes.Success,
            $"member={userId} roles={StaffRules.FormatRoles(member.Roles)}");
        await writer.WriteAsync(StaffStore.SetRoles(ClinicId, userId, [])
            .Then(StaffStore.RememberDeactivated(ClinicId, userId, member.Roles, now, actor.UserId))
            .Then(AuditLog.Append(now, deactivated)));
        await EndSessionsAsync(userId);
        LogDeactivated(logger, ClinicId, userId, actor.UserId);
        return member with { Status = StaffStatus.Deactivated };
    }

    public async Task<Outcome<StaffMember>> MayResetTwoStepAsync(Actor actor, string userId)
    {
        if (await RefuseAsync(actor, "staff_totp_reset") is { } refused)
        {
            return refused;
        }

        if (userId == actor.UserId)
        {
            return new ChatError(ChatErrorCode.Validation, "Your own two-step sign-in is changed on your Security page (a recovery code signs you in without your phone).", "userId");
        }

        var members = await store.ListMembersAsync(ClinicId);
        return members.FirstOrDefault(m => m.UserId == userId && m.Status == StaffStatus.Active) is { } member ? member : ChatError.NotFound();
    }

    public async Task RecordTwoStepResetAsync(Actor actor, StaffMember member, IReadOnlyList<Guid> memberClinics)
    {
        var now = time.GetUtcNow();
        var audits = memberClinics.Select(clinic => new AuditEvent(
            AuditActions.TotpResetByAdmin, actor.UserId, clinic, null, null, AuditOutcomes.Success, $"member={member.UserId} all_sessions_ended"));
        // Sent as this clinic (its name is the sender's): the clinic whose Admin did it is the one the member can ask.
        var notice = OutboxRow.AccountMail(member.UserId, ClinicId, NoticeTemplates.TwoStepReset, member.Email, links.StaffSecurity(), code: null, now);
        await writer.WriteAsync(NoticeStore.Queue([notice]).Then(AuditLog.Append(now, [.. audits])));
        dispatcher.Wake();
    }

    public async Task<Outcome<StaffMember>> ReactivateAsync(Actor actor, string userId)
    {
        if (await RefuseAsync(actor, "staff_reactivate") is { } refused)
        {
            return refused;
        }

        var members = await store.ListMembersAsync(ClinicId);
        if (members.FirstOrDefault(m => m.UserId == userId && m.Status == StaffStatus.Deactivated) is not { } member)
        {
            return ChatError.NotFound();
        }

        var now = time.GetUtcNow();
        var reactivated = new AuditEvent(AuditActions.StaffReactivated, actor.UserId, ClinicId, null, null, AuditOutcomes.Success,
            $"member={userId} roles={StaffRules.FormatRoles(member.Roles)}");
        await writer.WriteAsync(StaffStore.SetRoles(ClinicId, userId, member.Roles)
            .Then(StaffStore.ForgetDeactivated(ClinicId, userId))
            .Then(AuditLog.Append(now, reactivated)));
        return member with { Status = StaffStatus.Active };
    }

    public async Task<Outcome<IReadOnlyList<Colleague>>> ListColleaguesAsync(Actor actor)
    {
        if (!actor.CanChatAt(ClinicId) && !actor.HasRoleAt(ClinicId, StaffRole.Billing))
        {
            return await GrainFactory.DenyAsync(actor, actor.IsOf(ClinicId) ? ClinicId : null, null, null, "colleagues");
        }

        return new Outcome<IReadOnlyList<Colleague>>(await store.ListColleaguesAsync(ClinicId), null);
    }

    /// <summary>
    /// The clinic's Admins may; its other staff know the clinic and are told no (403); anyone else learns nothing (404).
    /// Both refusals are audited. The Admin role is checked as stored too: a request already past the session check
    /// when its sender was demoted (the demotion ends their sessions) must not act on the role its cookie still names.
    /// </summary>
    private async Task<ChatError?> RefuseAsync(Actor actor, string what)
    {
        if (actor.HasRoleAt(ClinicId, StaffRole.Admin) && await store.HoldsRoleAsync(ClinicId, actor.UserId, StaffRole.Admin))
        {
            return null;
        }

        var ofThisClinic = actor.Kind == ActorKind.Staff && actor.Memberships.Any(m => m.ClinicId == ClinicId);
        return await GrainFactory.DenyAsync(actor, ofThisClinic ? ClinicId : null, null, null, what,
            ofThisClinic ? new ChatError(ChatErrorCode.Forbidden, "Only the clinic's Admins manage its staff.") : null);
    }

    /// <summary>A member (or someone with a pending invitation) is not invited again: the Admin changes their role or resends instead.</summary>
    private async Task<ChatError?> MembershipProblemAsync(string email)
    {
        if (await store.UserIdByEmailAsync(email) is { } userId
            && (await store.ListMembersAsync(ClinicId)).Any(m => m.UserId == userId && m.Status == StaffStatus.Active))
        {
            return new ChatError(ChatErrorCode.AlreadyMember, "This person is a member of the clinic already: change their role in the staff list instead.", "email");
        }

        return (await store.ListInvitationsAsync(ClinicId)).Any(i => string.Equals(i.Email, email, StringComparison.OrdinalIgnoreCase))
            ? new ChatError(ChatErrorCode.AlreadyMember, "This email has an invitation waiting: use its Resend in the staff list instead.", "email")
            : null;
    }

    /// <summary>Every session and push connection of the member ends now; their next sign-in carries what they hold now.</summary>
    private Task EndSessionsAsync(string userId) => GrainFactory.GetGrain<IUserSessionsGrain>(userId).EndAllAsync();

    [LoggerMessage(Level = LogLevel.Information, Message = "Staff invitation {InvitationId} issued at clinic {ClinicId} by {ActorId}")]
    private static partial void LogInvited(ILogger logger, Guid clinicId, Guid invitationId, string actorId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Staff invitation {InvitationId} resent at clinic {ClinicId} by {ActorId}")]
    private static partial void LogResent(ILogger logger, Guid clinicId, Guid invitationId, string actorId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Role of {UserId} changed at clinic {ClinicId} by {ActorId}; their sessions ended")]
    private static partial void LogRoleChanged(ILogger logger, Guid clinicId, string userId, string actorId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Member {UserId} deactivated at clinic {ClinicId} by {ActorId}; their sessions ended")]
    private static partial void LogDeactivated(ILogger logger, Guid clinicId, string userId, string actorId);
}
