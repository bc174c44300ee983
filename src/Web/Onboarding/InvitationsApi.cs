using System.Security.Claims;
using ClinicChat.Audit;
using ClinicChat.Clinics;
using ClinicChat.Onboarding;
using ClinicChat.Web.Auth;
using ClinicChat.Web.Me;
using Microsoft.AspNetCore.Identity;

namespace ClinicChat.Web.Onboarding;

/// <summary>
/// The set-password page's API: what an invitation link is for, and accepting it (a new account with
/// a password of the usual policy, or the existing account's password for someone already known),
/// after which the person is signed in. Anonymous and rate-limited like sign-in; the grain decides
/// whether the link still works and lets it work once.
/// </summary>
public static class InvitationsApi
{
    public static RouteGroupBuilder MapInvitationsApi(this RouteGroupBuilder api)
    {
        var invitations = api.MapGroup("/invitations").WithTags("Invitations").AllowAnonymous().RequireRateLimiting(RateLimits.SignIn);
        invitations.MapPost("/lookup", LookupAsync);
        invitations.MapPost("/accept", AcceptAsync);
        return api;
    }

    private static async Task<Results<Ok<InvitationDto>, ProblemHttpResult>> LookupAsync(
        InvitationTokenRequest request, IGrainFactory grains, UserManager<ClinicChatUser> users)
    {
        if (!InvitationToken.TryParse(request.Token, out var id, out var secret))
        {
            return Unknown();
        }

        var check = await grains.GetGrain<IInvitationGrain>(id).CheckAsync(secret);
        if (Refusal(check.Standing) is { } refused)
        {
            return refused;
        }

        return TypedResults.Ok(await DescribeAsync(check.Invitation!, grains, users));
    }

    private static async Task<Results<Ok<MeDto>, ProblemHttpResult>> AcceptAsync(
        AcceptInvitationRequest request, IGrainFactory grains, ClinicChatSignInManager signIn, HttpContext http)
    {
        if (AuthApi.PasswordProblem("password", request.Password) is { } invalidPassword)
        {
            return invalidPassword;
        }

        if (!InvitationToken.TryParse(request.Token, out var id, out var secret))
        {
            return Unknown();
        }

        var invitationGrain = grains.GetGrain<IInvitationGrain>(id);
        var check = await invitationGrain.CheckAsync(secret);
        if (Refusal(check.Standing) is { } refused)
        {
            return refused;
        }

        var invitation = check.Invitation!;
        var users = signIn.UserManager;
        var existing = await users.FindByEmailAsync(invitation.Email);
        // The link reached this address: that confirms it.
        var user = existing ?? NewAccounts.User(invitation.Email, invitation.DisplayName, emailConfirmed: true);
        if (existing is null)
        {
            if (await PasswordPolicyProblemAsync(users, user, request.Password!) is { } weak)
            {
                return weak;
            }
        }
        else
        {
            if (await KindMismatchAsync(users, existing, invitation) is { } mismatch)
            {
                return mismatch;
            }

            // The link alone never takes over an account: its holder proves it with the account's password.
            var proof = await signIn.CheckPasswordSignInAsync(existing, request.Password!, lockoutOnFailure: true);
            if (!proof.Succeeded)
            {
                return ApiProblems.Problem(ApiErrors.InvalidCredentials, "Sign-in failed.", "This email has an account already: enter its password.", "password");
            }
        }

        // Used from here on, even if what follows fails: a link must never work twice.
        var redeemed = await invitationGrain.RedeemAsync(secret, user.Id);
        if (Refusal(redeemed.Standing) is { } lost)
        {
            return lost;
        }

        var grant = GrantOf(invitation);
        var saved = existing is null
            ? await NewAccounts.CreateAsync(users, user, request.Password!, NewAccounts.StaffClaims(KindOf(invitation), invitation.DisplayName, grant))
            : await users.AddClaimsAsync(user, await NotHeldAsync(users, existing, grant));
        if (!saved.Succeeded)
        {
            return ApiProblems.Problem(ApiErrors.PasswordRejected, "The account could not be set up.", string.Join(' ', saved.Errors.Select(e => e.Description)), "password");
        }

        await signIn.SignInAsync(user, isPersistent: false);
        var actor = http.User.Actor();
        await AuthApi.RecordForUserAsync(grains.GetGrain<IAuditGrain>(0), actor, AuditActions.SignedIn, "invitation");
        return TypedResults.Ok(await MeApi.DescribeAsync(actor, http.User, grains));
    }

    /// <summary>A role the account holds already (given meanwhile by another invitation) is not stored twice.</summary>
    private static async Task<Claim[]> NotHeldAsync(UserManager<ClinicChatUser> users, ClinicChatUser user, Claim[] grant)
    {
        var held = await users.GetClaimsAsync(user);
        return [.. grant.Where(g => !held.Any(h => h.Type == g.Type && h.Value == g.Value))];
    }

    /// <summary>Identity's own password validators, asked before the link is used up by a password they would refuse.</summary>
    private static async Task<ProblemHttpResult?> PasswordPolicyProblemAsync(UserManager<ClinicChatUser> users, ClinicChatUser user, string password)
    {
        var errors = new List<IdentityError>();
        foreach (var validator in users.PasswordValidators)
        {
            var result = await validator.ValidateAsync(users, user, password);
            errors.AddRange(result.Errors);
        }

        return errors.Count == 0 ? null
            : ApiProblems.Problem(ApiErrors.PasswordRejected, "The password is not accepted.", string.Join(' ', errors.Select(e => e.Description)), "password");
    }

    /// <summary>An operator invitation cannot turn staff or a patient into an operator, nor the other way round.</summary>
    private static async Task<ProblemHttpResult?> KindMismatchAsync(UserManager<ClinicChatUser> users, ClinicChatUser user, InvitationView invitation)
    {
        var kind = (await users.GetClaimsAsync(user)).FirstOrDefault(c => c.Type == ChatClaims.Kind)?.Value;
        return kind == KindOf(invitation) ? null
            : ApiProblems.Problem(ApiErrors.InvitationAccountMismatch, "This email belongs to another kind of account.",
                "Ask for an invitation to a different email address.");
    }

    private static string KindOf(InvitationView invitation) => invitation.Role == InviteeRole.Operator ? ChatClaims.OperatorKind : ChatClaims.StaffKind;

    private static Claim[] GrantOf(InvitationView invitation) =>
        invitation is { ClinicId: { } clinicId } && InvitationToken.StaffRoleOf(invitation.Role) is { } role ? [ChatClaims.MembershipClaim(clinicId, role)] : [];

    private static async Task<InvitationDto> DescribeAsync(InvitationView invitation, IGrainFactory grains, UserManager<ClinicChatUser> users)
    {
        var requiresTotp = invitation.Role == InviteeRole.Operator
            || (invitation.ClinicId is { } clinicId && (await grains.GetGrain<IClinicSecurityGrain>(clinicId).GetAsync()).RequireStaffTotp);
        var accountExists = await users.FindByEmailAsync(invitation.Email) is not null;
        return new InvitationDto(invitation.ClinicName, invitation.Email, invitation.DisplayName, invitation.Role.ToString(), invitation.ExpiresAt, requiresTotp, accountExists);
    }

    private static ProblemHttpResult? Refusal(InvitationStanding standing) => standing switch
    {
        InvitationStanding.Valid => null,
        InvitationStanding.Expired => ApiProblems.Problem(ApiErrors.InvitationExpired, "This link has expired.", "Ask for a new invitation."),
        InvitationStanding.Used => ApiProblems.Problem(ApiErrors.InvitationUsed, "This link has been used already.", "Sign in instead, or ask for a new invitation."),
        InvitationStanding.Revoked => ApiProblems.Problem(ApiErrors.InvitationRevoked, "This invitation was withdrawn.", "Ask for a new invitation."),
        InvitationStanding.Replaced => ApiProblems.Problem(ApiErrors.InvitationReplaced, "A newer link was sent.", "This invitation was sent again: use the link in the latest email."),
        InvitationStanding.ClinicDisabled => ApiProblems.Problem(ApiErrors.ClinicDisabled, "This clinic's account is disabled.", "Nothing can be joined until the operator enables it again."),
        _ => Unknown(),
    };

    /// <summary>A made-up or mistyped link: the same answer as any unknown id.</summary>
    private static ProblemHttpResult Unknown() => ApiProblems.Problem(ApiErrors.NotFound, "Not found.", "This link is not valid. Check that it was copied whole.");
}
