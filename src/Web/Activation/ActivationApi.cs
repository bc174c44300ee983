using ClinicChat.Audit;
using ClinicChat.Notices;
using ClinicChat.Onboarding;
using ClinicChat.Web.Auth;
using ClinicChat.Web.Me;
using ClinicChat.Web.Passkeys;
using ClinicChat.Web.Patients;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;

namespace ClinicChat.Web.Activation;

/// <summary>
/// The activation page's API (<c>#/activate/{token}</c>): what the link is (the clinic and a masked address, nothing about
/// the patient), the date-of-birth check, and activation, after which the patient is signed in. Anonymous and rate-limited
/// like sign-in; the link's grain counts wrong dates (the third locks it) and lets the link work once.
/// </summary>
/// <remarks>
/// The account signs in with an email address: an email invitation's address (confirmed: the link reached it), or for an
/// SMS invitation one the patient types (unconfirmed; the mobile the link reached is the account's confirmed phone). If that
/// email has a portal account already, its password links this clinic to it instead of creating a second account.
/// </remarks>
public static class ActivationApi
{
    public static RouteGroupBuilder MapActivationApi(this RouteGroupBuilder api)
    {
        var activation = api.MapGroup("/activation").WithTags("Activation").AllowAnonymous().RequireRateLimiting(RateLimits.SignIn);
        activation.MapPost("/lookup", LookupAsync);
        activation.MapPost("/birth-date", CheckBirthDateAsync);
        activation.MapPost("/passkey-options", PasskeyOptionsAsync);
        activation.MapPost("/activate", ActivateAsync);
        return api;
    }

    private static async Task<Results<Ok<ActivationDto>, ProblemHttpResult>> LookupAsync(
        ActivationTokenRequest request, IGrainFactory grains, UserManager<ClinicChatUser> users)
    {
        if (!InvitationToken.TryParse(request.Token, out var id, out var secret))
        {
            return Refusal(new ActivationCheck(ActivationStanding.Unknown))!;
        }

        var check = await grains.GetGrain<IPortalInvitationGrain>(id).LookupAsync(secret);
        if (Refusal(check) is { } refused)
        {
            return refused;
        }

        var view = check.Invitation!;
        var email = view.Channel == NoticeChannel.Email ? view.Address : null;
        var accountExists = email is not null && await users.FindByEmailAsync(email) is not null;
        return TypedResults.Ok(new ActivationDto(view.ClinicName, PortalInvitationDto.ChannelName(view.Channel), view.MaskedAddress, view.ExpiresAt,
            check.AttemptsLeft, email, accountExists));
    }

    private static async Task<Results<NoContent, ProblemHttpResult>> CheckBirthDateAsync(
        BirthDateRequest request, IGrainFactory grains, [FromKeyedServices(ChatTime.Key)] TimeProvider time)
    {
        if (BirthDateProblem(request.BirthDate, time, out var birthDate) is { } invalid)
        {
            return invalid;
        }

        if (!InvitationToken.TryParse(request.Token, out var id, out var secret))
        {
            return Refusal(new ActivationCheck(ActivationStanding.Unknown))!;
        }

        return Refusal(await grains.GetGrain<IPortalInvitationGrain>(id).CheckBirthDateAsync(secret, birthDate)) is { } refused ? refused : TypedResults.NoContent();
    }

    /// <summary>
    /// Step one of activating with a passkey instead of a password: after the same checks as activation (the link, the date
    /// of birth, an email with no account yet), WebAuthn's creation options for the account to be, whose id is chosen here
    /// and travels in the ceremony (Identity keeps it with the challenge in this browser's two-factor cookie).
    /// </summary>
    private static async Task<Results<Ok<System.Text.Json.JsonElement>, ProblemHttpResult>> PasskeyOptionsAsync(
        ActivationPasskeyOptionsRequest request, IGrainFactory grains, ClinicChatSignInManager signIn, [FromKeyedServices(ChatTime.Key)] TimeProvider time)
    {
        if (BirthDateProblem(request.BirthDate, time, out var birthDate) is { } invalidDate)
        {
            return invalidDate;
        }

        var (opened, refused) = await OpenAsync(grains, request.Token, birthDate, request.Email);
        if (refused is not null)
        {
            return refused;
        }

        if (await signIn.UserManager.FindByEmailAsync(opened!.Email) is not null)
        {
            return PasskeyNeedsNewAccount();
        }

        var entity = new PasskeyUserEntity { Id = Guid.NewGuid().ToString(), Name = opened.Email, DisplayName = opened.View.PatientName };
        return TypedResults.Ok(Ceremony.Json(await signIn.MakePasskeyCreationOptionsAsync(entity)));
    }

    private static async Task<Results<Ok<MeDto>, ProblemHttpResult>> ActivateAsync(
        ActivateRequest request, IGrainFactory grains, ClinicChatSignInManager signIn, HttpContext http, [FromKeyedServices(ChatTime.Key)] TimeProvider time)
    {
        if (BirthDateProblem(request.BirthDate, time, out var birthDate) is { } invalidDate)
        {
            return invalidDate;
        }

        var withPasskey = request.Passkey is { ValueKind: not System.Text.Json.JsonValueKind.Null and not System.Text.Json.JsonValueKind.Undefined };
        if (withPasskey && Ceremony.CredentialJson(request.Passkey) is null)
        {
            return PasskeysApi.CredentialMissing();
        }

        if (!withPasskey && AuthApi.PasswordProblem("password", request.Password) is { } invalidPassword)
        {
            return invalidPassword;
        }

        var (opened, refused) = await OpenAsync(grains, request.Token, birthDate, request.Email);
        if (refused is not null)
        {
            return refused;
        }

        var (invitation, secret, view, email) = opened!;
        var users = signIn.UserManager;
        var existing = await users.FindByEmailAsync(email);
        if (withPasskey && existing is not null)
        {
            return PasskeyNeedsNewAccount();
        }

        var (user, activationAccount, accountProblem) = existing is not null
            ? await ExistingAccountAsync(signIn, existing, request.Password!, request.ChatOptIn)
            : withPasskey
                ? await NewPasskeyAccountAsync(signIn, view, email, Ceremony.CredentialJson(request.Passkey)!, request.ChatOptIn)
                : await NewAccountAsync(users, view, email, request);
        if (accountProblem is not null)
        {
            return accountProblem;
        }

        var activated = await invitation.ActivateAsync(secret, birthDate, activationAccount!);
        if (Refusal(activated) is { } lost)
        {
            if (existing is null)
            {
                // Nothing points at the account created for this attempt: it must not outlive the refusal.
                await users.DeleteAsync(user!);
            }

            return lost;
        }

        var audit = grains.GetGrain<IAuditGrain>(0);
        if (withPasskey)
        {
            // As a passkey sign-in: the session began with a device-held key, not a password.
            await signIn.SignInWithPasskeyAsync(user!);
            var withKey = http.User.Actor();
            var passkey = (await users.GetPasskeysAsync(user!)).Single();
            await AuthApi.RecordForUserAsync(audit, withKey, AuditActions.PasskeyAdded, PasskeysApi.AuditDetail(passkey));
            await AuthApi.RecordForUserAsync(audit, withKey, AuditActions.SignedIn, "activation passkey");
            return TypedResults.Ok(await MeApi.DescribeAsync(withKey, http.User, grains));
        }

        await signIn.SignInAsync(user!, isPersistent: false);
        var actor = http.User.Actor();
        await AuthApi.RecordForUserAsync(audit, actor, AuditActions.SignedIn, "activation");
        return TypedResults.Ok(await MeApi.DescribeAsync(actor, http.User, grains));
    }

    /// <summary>
    /// A new patient account whose way in is a passkey: the credential, checked by Identity against step one's challenge
    /// (made for this email), becomes the account's first passkey, under the id step one chose. No password is set; the
    /// patient can choose one later through "Forgot password?".
    /// </summary>
    private static async Task<(ClinicChatUser?, ActivationAccount?, ProblemHttpResult?)> NewPasskeyAccountAsync(
        ClinicChatSignInManager signIn, ActivationView view, string email, string credentialJson, bool chatOptIn)
    {
        var attestation = await Ceremony.AttestAsync(signIn, credentialJson);
        if (attestation is not { Succeeded: true } || !string.Equals(attestation.UserEntity.Name, email, StringComparison.OrdinalIgnoreCase))
        {
            return (null, null, PasskeysApi.Rejected("The passkey could not be made. Try again, or choose a password."));
        }

        var bySms = view.Channel == NoticeChannel.Sms;
        var user = NewAccounts.User(email, view.PatientName, emailConfirmed: !bySms, confirmedPhone: bySms ? view.Address : null);
        user.Id = attestation.UserEntity.Id;
        var created = await NewAccounts.CreateAsync(signIn.UserManager, user, password: null, NewAccounts.PatientClaims(view.PatientId, view.PatientName));
        var passkey = attestation.Passkey;
        passkey.Name = "Added when you activated";
        if (created.Succeeded)
        {
            created = await signIn.UserManager.AddOrUpdatePasskeyAsync(user, passkey);
            if (!created.Succeeded)
            {
                await signIn.UserManager.DeleteAsync(user);
            }
        }

        return created.Succeeded
            ? (user, new ActivationAccount(user.Id, null, chatOptIn), null)
            : (null, null, PasskeysApi.Rejected("The passkey could not be made. Try again, or choose a password."));
    }

    /// <summary>An invitation its link and the patient's date of birth opened, and the email address its account signs in with.</summary>
    private sealed record OpenedInvitation(IPortalInvitationGrain Grain, string Secret, ActivationView View, string Email);

    /// <summary>
    /// The link, the date of birth (a wrong one counts against the link), then the account's email address: an email
    /// invitation's own address, or the one an SMS invitation's patient typed. The first refusal, or the opened invitation.
    /// </summary>
    private static async Task<(OpenedInvitation? Opened, ProblemHttpResult? Refused)> OpenAsync(
        IGrainFactory grains, string? token, DateOnly birthDate, string? typedEmail)
    {
        if (!InvitationToken.TryParse(token, out var id, out var secret))
        {
            return (null, Refusal(new ActivationCheck(ActivationStanding.Unknown)));
        }

        var invitation = grains.GetGrain<IPortalInvitationGrain>(id);
        var check = await invitation.CheckBirthDateAsync(secret, birthDate);
        if (Refusal(check) is { } refused)
        {
            return (null, refused);
        }

        var view = check.Invitation!;
        var email = view.Channel == NoticeChannel.Email ? view.Address : typedEmail?.Trim();
        return EmailProblem(email) is { } invalidEmail ? (null, invalidEmail) : (new OpenedInvitation(invitation, secret, view, email!), null);
    }

    private static ProblemHttpResult PasskeyNeedsNewAccount() => ApiProblems.Problem(ApiErrors.PortalAccountExists,
        "This email has a portal account already.", "Enter that account's password to add this clinic to it.", "password");

    /// <summary>A new patient account: Identity's password policy, asked before anything is stored, and the claims a patient needs.</summary>
    private static async Task<(ClinicChatUser?, ActivationAccount?, ProblemHttpResult?)> NewAccountAsync(
        UserManager<ClinicChatUser> users, ActivationView view, string email, ActivateRequest request)
    {
        var bySms = view.Channel == NoticeChannel.Sms;
        // The link reached its address: that confirms it (and only it; an SMS invitation's patient types the email).
        var user = NewAccounts.User(email, view.PatientName, emailConfirmed: !bySms, confirmedPhone: bySms ? view.Address : null);
        var errors = new List<IdentityError>();
        foreach (var validator in users.PasswordValidators)
        {
            errors.AddRange((await validator.ValidateAsync(users, user, request.Password!)).Errors);
        }

        if (errors.Count > 0)
        {
            return (null, null, PasswordRejected(errors));
        }

        var created = await NewAccounts.CreateAsync(users, user, request.Password!, NewAccounts.PatientClaims(view.PatientId, view.PatientName));
        return created.Succeeded ? (user, new ActivationAccount(user.Id, null, request.ChatOptIn), null) : (null, null, PasswordRejected(created.Errors));
    }

    /// <summary>Linking: the link alone never takes over an account; its holder proves it with the account's password.</summary>
    private static async Task<(ClinicChatUser?, ActivationAccount?, ProblemHttpResult?)> ExistingAccountAsync(ClinicChatSignInManager signIn, ClinicChatUser existing, string password, bool chatOptIn)
    {
        if (await NewAccounts.PatientOfAsync(signIn.UserManager, existing) is not { } patientId)
        {
            return (null, null, ApiProblems.Problem(ApiErrors.InvitationAccountMismatch, "This email belongs to another kind of account.",
                "Use another email address for the portal."));
        }

        var proof = await signIn.CheckPasswordSignInAsync(existing, password, lockoutOnFailure: true);
        return proof.Succeeded
            ? (existing, new ActivationAccount(existing.Id, patientId, chatOptIn), null)
            : (null, null, ApiProblems.Problem(ApiErrors.InvalidCredentials, "Sign-in failed.",
                "This email has a portal account already: enter its password to add this clinic to it.", "password"));
    }

    private static ProblemHttpResult PasswordRejected(IEnumerable<IdentityError> errors) =>
        ApiProblems.Problem(ApiErrors.PasswordRejected, "The password is not accepted.", string.Join(' ', errors.Select(e => e.Description)), "password");

    /// <summary>A date that cannot be anyone's date of birth (not a date, in the future) is refused without counting against the link.</summary>
    private static ProblemHttpResult? BirthDateProblem(string? text, TimeProvider time, out DateOnly birthDate)
    {
        var read = PatientInput.ReadBirthDate(text, time.GetUtcNow());
        birthDate = read.Value;
        return read.Error is { } error ? ApiProblems.Validation("birthDate", error.Detail) : null;
    }

    private static ProblemHttpResult? EmailProblem(string? email) =>
        EmailAddresses.IsPlain(email)
            ? null
            : ApiProblems.Validation("email", "Enter one plain email address, such as name@example.org.");

    private static ProblemHttpResult? Refusal(ActivationCheck check) => check.Standing switch
    {
        ActivationStanding.Valid => null,
        ActivationStanding.Expired => ApiProblems.Problem(ApiErrors.InvitationExpired, "This link has expired.", "Ask the clinic for a new invitation."),
        ActivationStanding.Used => ApiProblems.Problem(ApiErrors.InvitationUsed, "This link has been used already.", "Sign in instead."),
        ActivationStanding.Cancelled => ApiProblems.Problem(ApiErrors.InvitationRevoked, "This invitation was withdrawn.", "Ask the clinic for a new invitation."),
        ActivationStanding.Locked => ApiProblems.Problem(ApiErrors.InvitationLocked, "This link is locked.", "The date of birth was wrong three times. Ask the clinic for a new invitation."),
        ActivationStanding.AlreadyActive => ApiProblems.Problem(ApiErrors.PortalAccountExists, "You have a portal account already.", "Sign in instead."),
        ActivationStanding.AccountOfAnother => ApiProblems.Problem(ApiErrors.PortalAccountOfAnother, "This email's portal account is another patient's.",
            "This email's portal account belongs to another patient, and each patient needs an account of their own: ask the clinic to invite you at another email address."),
        ActivationStanding.BirthDateMismatch => Mismatch(check.AttemptsLeft),
        _ => ApiProblems.Problem(ApiErrors.NotFound, "Not found.", "This link is not valid. Check that it was copied whole."),
    };

    /// <summary>The attempts left travel as <c>attemptsLeft</c>, so the page can say how many tries remain.</summary>
    private static ProblemHttpResult Mismatch(int attemptsLeft) => TypedResults.Problem(new ProblemDetails
    {
        Status = ApiErrors.Status[ApiErrors.BirthDateMismatch],
        Title = "That date of birth does not match.",
        // The page shows the detail: it says what went wrong as well as what is left.
        Detail = "That date of birth does not match the clinic's record. " +
            (attemptsLeft == 1 ? "One attempt left before this link locks." : $"{attemptsLeft} attempts left before this link locks."),
        Extensions = { ["code"] = ApiErrors.BirthDateMismatch, ["field"] = "birthDate", ["attemptsLeft"] = attemptsLeft },
    });
}
