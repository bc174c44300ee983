using ClinicChat.Access;
using ClinicChat.Audit;
using ClinicChat.Storage;
using Microsoft.Extensions.DependencyInjection;

namespace ClinicChat.Onboarding;

/// <summary>One invitation (see <see cref="IInvitationGrain"/>). State lives in the <c>invitations</c> row, read on activation.</summary>
public sealed class InvitationGrain(OnboardingStore store, GroupCommitWriter writer, [FromKeyedServices(ChatTime.Key)] TimeProvider time)
    : Grain, IInvitationGrain
{
    public const int MaxEmailLength = 256;
    public const int MaxDisplayNameLength = 120;

    private StoredInvitation? _invitation;

    private Guid InvitationId => this.GetPrimaryKey();

    public override async Task OnActivateAsync(CancellationToken cancellationToken) => _invitation = await store.GetInvitationAsync(InvitationId);

    public async Task<Outcome<IssuedInvitation>> IssueAsync(InvitationRequest request)
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
        var issued = new AuditEvent(AuditActions.InvitationIssued, request.InvitedBy, request.ClinicId, null, null, AuditOutcomes.Success,
            $"invitation={InvitationId:N} role={request.Role}");
        await writer.WriteAsync(OnboardingStore.CreateInvitation(InvitationId, request, InvitationRules.Hash(secret), now, expiresAt)
            .Then(AuditLog.Append(now, issued)));
        _invitation = await store.GetInvitationAsync(InvitationId);
        return new IssuedInvitation(InvitationId, InvitationToken.Format(InvitationId, secret), expiresAt);
    }

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
        if (string.IsNullOrWhiteSpace(request.Email) || request.Email.Length > MaxEmailLength || !TextInput.IsWellFormed(request.Email)
            || !System.Net.Mail.MailAddress.TryCreate(request.Email, out var address) || address.Address != request.Email)
        {
            return ChatError.Invalid("email", "email must be a plain email address (name@example.org).");
        }

        if (string.IsNullOrWhiteSpace(request.DisplayName) || request.DisplayName.Length > MaxDisplayNameLength || !TextInput.IsWellFormed(request.DisplayName))
        {
            return ChatError.Invalid("displayName", $"displayName is required (at most {MaxDisplayNameLength} characters).");
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
