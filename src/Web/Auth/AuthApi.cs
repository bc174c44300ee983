using System.Globalization;
using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using ClinicChat.Accounts;
using ClinicChat.Audit;
using ClinicChat.Web.Me;
using Microsoft.AspNetCore.Identity;

namespace ClinicChat.Web.Auth;

/// <summary>
/// Sign-in (password, then an authenticator code for staff who set one up), sign-out, re-authentication
/// and password change. Every cookie issued names a new server-side session (see <see cref="ClinicChatSignInManager"/>).
/// </summary>
public static class AuthApi
{
    public const int MaxPasswordLength = 256;

    public static RouteGroupBuilder MapAuthApi(this RouteGroupBuilder api)
    {
        var auth = api.MapGroup("/auth").WithTags("Auth");
        auth.MapPost("/login", LoginAsync).AllowAnonymous().RequireRateLimiting(RateLimits.SignIn);
        auth.MapPost("/login/totp", LoginWithCodeAsync).AllowAnonymous().RequireRateLimiting(RateLimits.SignIn);
        auth.MapPost("/login/recovery-code", LoginWithRecoveryCodeAsync).AllowAnonymous().RequireRateLimiting(RateLimits.SignIn);
        auth.MapPost("/logout", LogoutAsync).RequireAuthorization().AllowDuringTotpEnrolment();
        auth.MapPost("/logout/everywhere", LogoutEverywhereAsync).RequireAuthorization().AllowDuringTotpEnrolment();
        auth.MapGet("/session", SessionAsync).AllowAnonymous();
        auth.MapPost("/reauth", ReauthenticateAsync).RequireAuthorization().RequireRateLimiting(RateLimits.Reauth);
        auth.MapDelete("/reauth", EndWindowAsync).RequireAuthorization();
        auth.MapPost("/password", ChangePasswordAsync).RequireAuthorization().RequireRateLimiting(RateLimits.Reauth);
        auth.MapPasswordResetApi();
        return api;
    }

    /// <summary>
    /// Signs in with email and password. 200 with who signed in (the auth cookie set), or 202 when the
    /// account needs its authenticator code next (<c>POST /auth/login/totp</c>; only a short-lived
    /// half-way cookie is set). Unknown account and wrong password get one answer, and cost the same password
    /// hash. A locked address is told so, and until when (403 <c>account_locked</c>), whatever password is given
    /// and whether or not an account has the address: an unknown address locks after the same failures for the
    /// same time (<see cref="IAddressLockoutGrain"/>), and no password is checked while locked.
    /// </summary>
    private static async Task<Results<Ok<MeDto>, Accepted<LoginChallengeDto>, ProblemHttpResult>> LoginAsync(
        LoginRequest request, ClinicChatSignInManager signIn, UnknownAccountTiming timing, SignInThrottle throttle, IGrainFactory grains, HttpContext http)
    {
        if (string.IsNullOrWhiteSpace(request.Email) || request.Email.Length > 256)
        {
            return ApiProblems.Validation("email", "Enter your email address (at most 256 characters).");
        }

        // Before the throttle and Identity: both normalise the address, which throws on such text.
        if (!TextInput.IsWellFormed(request.Email))
        {
            return ApiProblems.Validation("email", "email contains characters no address has.");
        }

        if (PasswordProblem("password", request.Password) is { } invalid)
        {
            return invalid;
        }

        using var attempt = throttle.Attempt(signIn.UserManager, request.Email);
        if (!attempt.IsAcquired)
        {
            return RateLimits.Refusal(http, attempt);
        }

        var users = signIn.UserManager;
        var user = await users.FindByEmailAsync(request.Email);
        var audit = grains.GetGrain<IAuditGrain>(0);
        if (user is null)
        {
            timing.SpendPasswordCheck(request.Password!);
            var lockout = signIn.Options.Lockout;
            var lockedUntil = await grains.GetGrain<IAddressLockoutGrain>(AddressKey(users, request.Email))
                .RecordFailureAsync(new LockoutRule(lockout.MaxFailedAccessAttempts, lockout.DefaultLockoutTimeSpan));
            return await FailedAsync(audit, null, lockedUntil, lockout);
        }

        SignInResult result;
        if (await users.IsLockedOutAsync(user))
        {
            // Identity refuses a locked account before hashing: hash anyway, like for an unknown one.
            timing.SpendPasswordCheck(request.Password!);
            result = SignInResult.LockedOut;
        }
        else
        {
            result = await signIn.PasswordSignInAsync(user, request.Password!, isPersistent: false, lockoutOnFailure: true);
        }

        if (result.RequiresTwoFactor)
        {
            await audit.RecordAsync(new AuditEvent(AuditActions.SignedIn, user.Id, null, null, null, AuditOutcomes.Success, "password_ok totp_required"));
            return TypedResults.Accepted((string?)null, new LoginChallengeDto(LoginChallengeDto.Totp));
        }

        if (result.IsNotAllowed)
        {
            return await ClinicDisabledAsync(audit, user.Id);
        }

        if (!result.Succeeded)
        {
            return await FailedAsync(audit, user.Id, await LockedUntilAsync(users, user, result), signIn.Options.Lockout);
        }

        return TypedResults.Ok(await SignedInAsync(audit, user.Id, http.User, grains));
    }

    /// <summary>The address as Identity looks it up (and the throttle counts it), hashed: no address is kept at rest.</summary>
    private static string AddressKey(UserManager<ClinicChatUser> users, string email) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(users.NormalizeEmail(email.Trim()) ?? string.Empty)));

    private static async Task<DateTimeOffset?> LockedUntilAsync(UserManager<ClinicChatUser> users, ClinicChatUser user, SignInResult result) =>
        result.IsLockedOut ? await users.GetLockoutEndDateAsync(user) : null;

    /// <summary>The second step for an account with an authenticator: wrong codes count towards lockout like wrong passwords.</summary>
    private static async Task<Results<Ok<MeDto>, ProblemHttpResult>> LoginWithCodeAsync(
        TotpCodeRequest request, ClinicChatSignInManager signIn, IGrainFactory grains, HttpContext http)
    {
        if (TotpApi.NormalizeCode(request.Code) is not { } code)
        {
            return ApiProblems.Validation("code", "code is the 6-digit number your authenticator app shows.");
        }

        return await SecondStepAsync(signIn, grains, http, "totp", () => signIn.TwoFactorAuthenticatorSignInAsync(code, isPersistent: false, rememberClient: false));
    }

    private const string RecoveryCodeStep = "recovery_code";

    /// <summary>
    /// The second step with one of the account's recovery codes instead of the authenticator (a lost phone): each works
    /// once; wrong ones count towards lockout like wrong codes.
    /// </summary>
    private static async Task<Results<Ok<MeDto>, ProblemHttpResult>> LoginWithRecoveryCodeAsync(
        RecoveryCodeRequest request, ClinicChatSignInManager signIn, IGrainFactory grains, HttpContext http)
    {
        if (request.Code is not { Length: > 0 and <= 64 } code)
        {
            return ApiProblems.Validation("code", "code is one of your recovery codes, such as 4F7KQ-9XM2B.");
        }

        return await SecondStepAsync(signIn, grains, http, RecoveryCodeStep, async () =>
        {
            var result = await signIn.TwoFactorRecoveryCodeSignInAsync(code);
            // Identity counts a wrong authenticator code towards lockout, but not a wrong recovery code: counted here alike.
            if (!result.Succeeded && !result.IsLockedOut && await signIn.GetTwoFactorAuthenticationUserAsync() is { } user)
            {
                await signIn.UserManager.AccessFailedAsync(user);
                return await signIn.UserManager.IsLockedOutAsync(user) ? SignInResult.LockedOut : result;
            }

            return result;
        });
    }

    /// <summary>The half-way session's second step, however it is proved: the clinic checked again, failures audited and counted.</summary>
    private static async Task<Results<Ok<MeDto>, ProblemHttpResult>> SecondStepAsync(
        ClinicChatSignInManager signIn, IGrainFactory grains, HttpContext http, string step, Func<Task<SignInResult>> prove)
    {
        var user = await signIn.GetTwoFactorAuthenticationUserAsync();
        var audit = grains.GetGrain<IAuditGrain>(0);
        // The clinic may have been disabled between the password and the code.
        if (user is not null && await signIn.IsShutOutAsync(user))
        {
            return await ClinicDisabledAsync(audit, user.Id);
        }

        var result = user is null ? SignInResult.Failed : await prove();
        if (!result.Succeeded || user is null)
        {
            var lockedUntil = user is null ? null : await LockedUntilAsync(signIn.UserManager, user, result);
            return await FailedAsync(audit, user?.Id, lockedUntil, signIn.Options.Lockout, step);
        }

        return TypedResults.Ok(await SignedInAsync(audit, user.Id, http.User, grains, step == RecoveryCodeStep ? step : null));
    }

    private static async Task<ProblemHttpResult> FailedAsync(IAuditGrain audit, string? userId, DateTimeOffset? lockedUntil, LockoutOptions lockout, string? step = null)
    {
        var detail = string.Join(' ', new[] { step, lockedUntil is null ? null : "locked_out" }.Where(d => d is not null));
        await audit.RecordAsync(new AuditEvent(AuditActions.SignedIn, userId ?? "unknown", null, null, null, AuditOutcomes.Failure, detail.Length > 0 ? detail : null));
        // Locked: said plainly, with the end, for an account and an unknown address alike (both lock the same way), and
        // whatever the password: none is checked while locked, so the answer cannot confirm a guess.
        return lockedUntil is { } until
            ? ApiProblems.AccountLockedUntil(until)
            : ApiProblems.Problem(ApiErrors.InvalidCredentials, "Sign-in failed.", SignInFailureText(lockout));
    }

    /// <summary>
    /// The right password (or code) of staff whose every clinic an operator disabled: told plainly, since
    /// only the account's holder gets this far, and nothing is issued.
    /// </summary>
    private static async Task<ProblemHttpResult> ClinicDisabledAsync(IAuditGrain audit, string userId)
    {
        await audit.RecordAsync(new AuditEvent(AuditActions.SignedIn, userId, null, null, null, AuditOutcomes.Failure, "clinic_disabled"));
        return ApiProblems.Problem(ApiErrors.ClinicDisabled, "Your clinic's account is disabled.",
            "Your clinic's ClinicChat account has been disabled by the operator. Nothing has been deleted; ask your clinic's administrator.");
    }

    /// <summary>The one sign-in failure text for an unknown account and a wrong password: it says that failures lead to a lockout.</summary>
    public static string SignInFailureText(LockoutOptions lockout) =>
        $"Email or password is incorrect. After {lockout.MaxFailedAccessAttempts} wrong attempts an account is locked for "
        + $"{Math.Ceiling(lockout.DefaultLockoutTimeSpan.TotalMinutes).ToString(CultureInfo.InvariantCulture)} minutes.";

    /// <summary>
    /// A staff sign-in is written to the chain of each clinic where they hold a role, so that that
    /// clinic's Admins see it on the audit page; anyone else's stays in the chain of no clinic.
    /// </summary>
    /// <param name="how">Said in the audit row's detail when it matters to a reviewer (a recovery code was used).</param>
    private static async Task<MeDto> SignedInAsync(IAuditGrain audit, string userId, ClaimsPrincipal issued, IGrainFactory grains, string? how = null)
    {
        var actor = issued.Actor();
        await RecordForUserAsync(audit, actor, AuditActions.SignedIn, how);
        return await MeApi.DescribeAsync(actor, issued, grains);
    }

    /// <summary>
    /// A successful account event (sign-in, sign-out, password or second-factor change): for staff, in the
    /// chain of each clinic where they hold a role, so that its Admins see it; otherwise in the chain of no clinic.
    /// </summary>
    public static async Task RecordForUserAsync(IAuditGrain audit, Actor actor, string action, string? detail = null)
    {
        foreach (var clinicId in actor.Memberships.Select(m => (Guid?)m.ClinicId).Distinct().DefaultIfEmpty(null))
        {
            await audit.RecordAsync(new AuditEvent(action, actor.UserId, clinicId, null, null, AuditOutcomes.Success, detail));
        }
    }

    /// <summary>
    /// "Verify it's you": checks the password again (failures count towards lockout and are audited)
    /// and re-issues this session under a new session id, with a short window in which sensitive
    /// messages open. The old cookie stops working; the session's absolute lifetime is not extended.
    /// </summary>
    private static async Task<Results<Ok<ReauthDto>, ProblemHttpResult>> ReauthenticateAsync(
        ReauthRequest request, ClinicChatSignInManager signIn, IGrainFactory grains, HttpContext http,
        [FromKeyedServices(ChatTime.Key)] TimeProvider time, IConfiguration configuration)
    {
        if (PasswordProblem("password", request.Password) is { } invalid)
        {
            return invalid;
        }

        var user = await signIn.UserManager.GetUserAsync(http.User);
        var result = user is null ? SignInResult.Failed : await signIn.CheckPasswordSignInAsync(user, request.Password!, lockoutOnFailure: true);
        var audit = grains.GetGrain<IAuditGrain>(0);
        if (!result.Succeeded || user is null)
        {
            await audit.RecordAsync(new AuditEvent(AuditActions.Reauthenticated, user?.Id ?? "unknown", null, null, null, AuditOutcomes.Failure,
                result.IsLockedOut ? "locked_out" : null));
            // The caller holds this account's session, so the lockout is no secret from them: say so, and until when.
            if (result.IsLockedOut && await signIn.UserManager.GetLockoutEndDateAsync(user!) is { } lockedUntil)
            {
                return ApiProblems.AccountLockedUntil(lockedUntil);
            }

            return ApiProblems.Problem(ApiErrors.InvalidCredentials, "Verification failed.", "That password is not right.");
        }

        var until = DateTimeOffset.FromUnixTimeMilliseconds((time.GetUtcNow() + SensitiveWindow(configuration)).ToUnixTimeMilliseconds());
        if (!await signIn.RotateSessionAsync(user, http.User, [new Claim(ChatClaims.SensitiveUntil, until.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture))]))
        {
            return SessionEnded();
        }

        await audit.RecordAsync(new AuditEvent(AuditActions.Reauthenticated, user.Id, null, null, null, AuditOutcomes.Success, $"until={until.ToUnixTimeMilliseconds()}"));
        return TypedResults.Ok(new ReauthDto(until));
    }

    /// <summary>Closes this session's window early ("Hide sensitive messages"): the session is re-issued without it.</summary>
    private static async Task<Results<NoContent, ProblemHttpResult>> EndWindowAsync(ClinicChatSignInManager signIn, HttpContext http)
    {
        if (await signIn.UserManager.GetUserAsync(http.User) is not { } user || !await signIn.RotateSessionAsync(user, http.User, []))
        {
            return SessionEnded();
        }

        return TypedResults.NoContent();
    }

    /// <summary>How long "Verify it's you" opens sensitive messages for, whichever way it was done (password or passkey).</summary>
    internal static TimeSpan SensitiveWindow(IConfiguration configuration) =>
        configuration.GetValue("ClinicChat:Sensitive:Window", TimeSpan.FromMinutes(5));

    /// <summary>
    /// Changes the password: the current one is checked first (failures count towards lockout). Every
    /// other session of the user ends (their push connections close) and this one is re-issued under a new id.
    /// </summary>
    private static async Task<Results<NoContent, ProblemHttpResult>> ChangePasswordAsync(
        ChangePasswordRequest request, Caller caller, ClinicChatSignInManager signIn, IGrainFactory grains, HttpContext http)
    {
        if (PasswordProblem("currentPassword", request.CurrentPassword) is { } invalidCurrent)
        {
            return invalidCurrent;
        }

        if (PasswordProblem("newPassword", request.NewPassword) is { } invalidNew)
        {
            return invalidNew;
        }

        // Identity would accept it, end every other session and call it a change (found on a walk).
        if (string.Equals(request.NewPassword, request.CurrentPassword, StringComparison.Ordinal))
        {
            return ApiProblems.Validation("newPassword", "The new password is the same as the current one: choose another.");
        }

        var users = signIn.UserManager;
        var user = await users.GetUserAsync(http.User);
        var check = user is null ? SignInResult.Failed : await signIn.CheckPasswordSignInAsync(user, request.CurrentPassword!, lockoutOnFailure: true);
        var audit = grains.GetGrain<IAuditGrain>(0);
        if (!check.Succeeded || user is null)
        {
            await audit.RecordAsync(new AuditEvent(AuditActions.PasswordChanged, user?.Id ?? "unknown", null, null, null, AuditOutcomes.Failure,
                check.IsLockedOut ? "locked_out" : null));
            return ApiProblems.Problem(ApiErrors.InvalidCredentials, "Verification failed.", "The current password is not right.");
        }

        var changed = await users.ChangePasswordAsync(user, request.CurrentPassword!, request.NewPassword!);
        if (!changed.Succeeded)
        {
            return ApiProblems.Problem(ApiErrors.PasswordRejected, "The new password is not accepted.",
                string.Join(' ', changed.Errors.Select(e => e.Description)), "newPassword");
        }

        await RecordForUserAsync(audit, caller.Actor, AuditActions.PasswordChanged);
        // The other sessions end before anything else is asked of the database: they must not outlive a failed mail.
        var rotated = await signIn.RotateSessionAsync(user, http.User, [], endOtherSessions: true);
        await TellOfPasswordChangeAsync(users, user, grains);
        return rotated ? TypedResults.NoContent() : SessionEnded();
    }

    /// <summary>
    /// Emails the account's confirmed address that its password changed, so that a change its holder did not make does
    /// not go unseen (an unconfirmed address gets nothing, as it gets no reset link).
    /// </summary>
    internal static async Task TellOfPasswordChangeAsync(UserManager<ClinicChatUser> users, ClinicChatUser user, IGrainFactory grains)
    {
        if (user.Email is { Length: > 0 } email && await users.IsEmailConfirmedAsync(user))
        {
            await grains.GetGrain<IPasswordResetGrain>(0).QueuePasswordChangedAsync(user.Id, email);
        }
    }

    /// <summary>
    /// Who is signed in, if anyone: lets the web app decide between the sign-in page and the app
    /// without a request that fails (a 401 would show as an error in the browser console).
    /// </summary>
    private static async Task<Ok<SessionDto>> SessionAsync(HttpContext http, IGrainFactory grains) =>
        TypedResults.Ok(new SessionDto(http.User.ToActor() is { } actor ? await MeApi.DescribeAsync(actor, http.User, grains) : null));

    /// <summary>Signing out ends every session of the user, on every device, open push connections included.</summary>
    private static async Task<NoContent> LogoutAsync(Caller caller, ClinicChatSignInManager signIn, IGrainFactory grains)
    {
        var actor = caller.Actor;
        await signIn.SignOutEverywhereAsync(actor.UserId);
        await RecordForUserAsync(grains.GetGrain<IAuditGrain>(0), actor, AuditActions.SignedOut, "all_sessions");
        return TypedResults.NoContent();
    }

    /// <summary>
    /// "Sign out everywhere" (Profile): every session of the user ends, this one included, and every open push
    /// connection closes. The same as signing out, audited apart (<c>signout.everywhere</c>) as the explicit choice it is.
    /// </summary>
    private static async Task<NoContent> LogoutEverywhereAsync(Caller caller, ClinicChatSignInManager signIn, IGrainFactory grains)
    {
        var actor = caller.Actor;
        await signIn.SignOutEverywhereAsync(actor.UserId);
        await RecordForUserAsync(grains.GetGrain<IAuditGrain>(0), actor, AuditActions.SignedOutEverywhere);
        return TypedResults.NoContent();
    }

    /// <summary>A password missing or longer than any password may be, said in the words of the form's field.</summary>
    public static ProblemHttpResult? PasswordProblem(string field, string? password)
    {
        var name = field switch
        {
            "currentPassword" => "current password",
            "newPassword" => "new password",
            _ => "password",
        };
        return string.IsNullOrEmpty(password) ? ApiProblems.Validation(field, $"Enter the {name}.")
            : password.Length > MaxPasswordLength ? ApiProblems.Validation(field, $"The {name} is too long: at most {MaxPasswordLength} characters.")
            : null;
    }

    /// <summary>The session ended while the request ran (signed out elsewhere, expired): sign in again.</summary>
    public static ProblemHttpResult SessionEnded() =>
        ApiProblems.Problem(ApiErrors.Unauthenticated, "Sign in first.", "This session has ended.");
}
