using ClinicChat.Notices;
using Microsoft.Extensions.DependencyInjection;

namespace ClinicChat.Onboarding;

/// <summary>One invitation (see <see cref="IInvitationGrain"/>). State lives in the <c>invitations</c> row, read on activation.</summary>
public sealed class InvitationGrain(
    OnboardingStore store, GroupCommitWriter writer, NoticeLinks links, NoticeDispatcher dispatcher, [FromKeyedServices(ChatTime.Key)] TimeProvider time)
    : Grain, IInvitationGrain
{
    public const int MaxDisplayNameLength = 120;

    private StoredInvitation? _invitation;

    private Guid InvitationId => this.GetPrimaryKey();

    public override async Task OnActivateAsync(CancellationToken cancellationToken) => _invitation = await store.GetInvitationAsync(InvitationId);

    public Task<Outcome<IssuedInvitation>> IssueAsync(InvitationRequest request) => IssueAsync(request, byEmail: false);

    public Task<Outcome<IssuedInvitation>> IssueByEmailAsync(InvitationRequest request) =>
        InvitationToken.StaffRoleOf(request.Role) is null || request.ClinicId is null
            ? Task.FromResult<Outcome<IssuedInvitation>>(ChatError.Invalid("role", "Only staff of a clinic are invited by email here."))
            : IssueAsync(request, byEmail: true);

    public async Task<Outcome<IssuedInvitation>> ReissueByEmailAsync(string actorId, TimeSpan lifetime)
    {
        if (_invitation is not { UsedAt: null, RevokedAt: null } invitation || InvitationToken.StaffRoleOf(invitation.View.Role) is null)
        {
            return ChatError.NotFound();
        }

        if (lifetime <= TimeSpan.Zero || lifetime > InvitationRequest.MaxLifetime)
        {
            return ChatError.Invalid("lifetime", $"An invitation lasts more than nothing and at most {InvitationRequest.MaxLifetime.TotalDays} days.");
        }

        var secret = InvitationRules.NewSecret();
        var now = time.GetUtcNow();
        var expiresAt = now + lifetime;
        var token = InvitationToken.Format(InvitationId, secret);
        var resent = new AuditEvent(AuditActions.StaffInvitationResent, actorId, invitation.View.ClinicId, null, null, AuditOutcomes.Success,
            $"invitation={InvitationId:N} role={invitation.View.Role} email={ContactMasks.Mask(NoticeChannel.Email, invitation.View.Email)}");
        await writer.WriteAsync(OnboardingStore.Reissue(InvitationId, InvitationRules.Hash(secret), now, expiresAt)
            .Then(NoticeStore.Queue([Email(invitation.View.ClinicId, invitation.View.Email, token, now)]))
            .Then(AuditLog.Append(now, resent)));
        dispatcher.Wake();
        _invitation = await store.GetInvitationAsync(InvitationId);
        return new IssuedInvitation(InvitationId, token, expiresAt);
    }

    private async Task<Outcome<IssuedInvitation>> IssueAsync(InvitationRequest request, bool byEmail)
    {
        if (RequestProblem(request) is { } invalid)
        {
            return invalid;
        }

        if (_invitation is not null)
        {
            return ChatError.Invalid("invitationId", "An invitation with this id exists already.");
        }

        if (request.ClinicId is { } clinicId && !await IsClinicEnabledAsync(clinicId, mustExist: true))
        {
            return ChatError.NotFound();
        }

        var secret = InvitationRules.NewSecret();
        var now = time.GetUtcNow();
        var expiresAt = now + request.Lifetime;
        var token = InvitationToken.Format(InvitationId, secret);
        var created = OnboardingStore.CreateInvitation(InvitationId, request, InvitationRules.Hash(secret), now, expiresAt);
        if (byEmail)
        {
            var invited = new AuditEvent(AuditActions.StaffInvited, request.InvitedBy, request.ClinicId, null, null, AuditOutcomes.Success,
                $"invitation={InvitationId:N} role={request.Role} email={ContactMasks.Mask(NoticeChannel.Email, request.Email)}");
            await writer.WriteAsync(created.Then(OnboardingStore.MarkEmailed(InvitationId, now))
                .Then(NoticeStore.Queue([Email(request.ClinicId, request.Email, token, now)]))
                .Then(AuditLog.Append(now, invited)));
            dispatcher.Wake();
        }
        else
        {
            var issued = new AuditEvent(AuditActions.InvitationIssued, request.InvitedBy, request.ClinicId, null, null, AuditOutcomes.Success,
                $"invitation={InvitationId:N} role={request.Role}");
            await writer.WriteAsync(created.Then(AuditLog.Append(now, issued)));
        }

        _invitation = await store.GetInvitationAsync(InvitationId);
        return new IssuedInvitation(InvitationId, token, expiresAt);
    }

    /// <summary>The invitation email: the set-password page in <c>link</c>, the token in <c>code</c> (the outbox clears it once sent).</summary>
    private OutboxRow Email(Guid? clinicId, string address, string token, DateTimeOffset now) =>
        new(Guid.NewGuid(), null, null, clinicId, null, null, NoticeChannel.Email, NoticeTemplates.StaffInvitation, address,
            $"{links.Home()}/#/set-password/", token, now, now, NoticeState.Pending);

    public async Task<InvitationCheck> CheckAsync(string secret)
    {
        var standing = await StandingAsync(secret);
        return new InvitationCheck(standing, standing == InvitationStanding.Valid ? _invitation!.View : null);
    }

    public async Task<InvitationCheck> RedeemAsync(string secret, string userId)
    {
        var standing = await StandingAsync(secret);
        if (standing != InvitationStanding.Valid)
        {
            return new InvitationCheck(standing);
        }

        var invitation = _invitation!;
        var now = time.GetUtcNow();
        var accepted = new AuditEvent(AuditActions.InvitationAccepted, userId, invitation.View.ClinicId, null, null, AuditOutcomes.Success,
            $"invitation={InvitationId:N} role={invitation.View.Role}");
        await writer.WriteAsync(OnboardingStore.MarkUsed(InvitationId, userId, now).Then(AuditLog.Append(now, accepted)));
        _invitation = invitation with { UsedAt = now };
        return new InvitationCheck(InvitationStanding.Valid, invitation.View);
    }

    public async Task<bool> RevokeAsync(string actorId)
    {
        if (_invitation is not { UsedAt: null, RevokedAt: null } invitation)
        {
            return false;
        }

        var now = time.GetUtcNow();
        var revoked = new AuditEvent(AuditActions.InvitationRevoked, actorId, invitation.View.ClinicId, null, null, AuditOutcomes.Success, $"invitation={InvitationId:N}");
        await writer.WriteAsync(OnboardingStore.MarkRevoked(InvitationId, now).Then(AuditLog.Append(now, revoked)));
        _invitation = invitation with { RevokedAt = now };
        return true;
    }

    private async Task<InvitationStanding> StandingAsync(string secret)
    {
        var clinicEnabled = _invitation?.View.ClinicId is not { } clinicId || await IsClinicEnabledAsync(clinicId, mustExist: false);
        return InvitationRules.StandingOf(_invitation, secret, time.GetUtcNow(), clinicEnabled);
    }

    private async Task<bool> IsClinicEnabledAsync(Guid clinicId, bool mustExist)
    {
        var clinic = GrainFactory.GetGrain<IClinicAccountGrain>(clinicId);
        return mustExist ? await clinic.GetAsync() is { IsEnabled: true } : await clinic.IsEnabledAsync();
    }

    private static ChatError? RequestProblem(InvitationRequest request)
    {
        if (!EmailAddresses.IsPlain(request.Email))
        {
            return ChatError.Invalid("email", $"Enter one plain email address, such as name@example.org (at most {EmailAddresses.MaxLength} characters).");
        }

        if (string.IsNullOrWhiteSpace(request.DisplayName) || request.DisplayName.Length > MaxDisplayNameLength || !TextInput.IsWellFormed(request.DisplayName))
        {
            return ChatError.Invalid("displayName", string.IsNullOrWhiteSpace(request.DisplayName)
                ? "Enter the person's name."
                : $"The name can have at most {MaxDisplayNameLength} characters, and no control characters.");
        }

        if ((request.Role == InviteeRole.Operator) != (request.ClinicId is null))
        {
            return ChatError.Invalid("role", "An operator invitation names no clinic; every other role names one.");
        }

        return request.Lifetime <= TimeSpan.Zero || request.Lifetime > InvitationRequest.MaxLifetime
            ? ChatError.Invalid("lifetime", $"An invitation lasts more than nothing and at most {InvitationRequest.MaxLifetime.TotalDays} days.")
            : null;
    }
}
