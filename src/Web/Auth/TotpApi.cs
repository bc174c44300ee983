using ClinicChat.Audit;
using ClinicChat.Web.Me;
using Microsoft.AspNetCore.Mvc;

namespace ClinicChat.Web.Auth;

/// <summary>
/// Two-step sign-in for staff with an authenticator app (RFC 6238 TOTP, ASP.NET Core Identity's
/// authenticator support): set up a key, confirm it with a code, turn it off with the password.
/// Any change re-issues this session under a new id and ends the user's other sessions (Identity
/// changes the security stamp anyway, which would end them at their next stamp check).
/// </summary>
public static class TotpApi
{
    public const string Issuer = "ClinicChat";

    public static RouteGroupBuilder MapTotpApi(this RouteGroupBuilder api)
    {
        var totp = api.MapGroup("/auth/totp").WithTags("Auth").RequireAuthorization().AllowDuringTotpEnrolment();
        totp.MapGet("/", StatusAsync);
        totp.MapPost("/setup", SetupAsync);
        totp.MapPost("/enable", EnableAsync);
        totp.MapPost("/recovery-codes", NewRecoveryCodesAsync);
        totp.MapDelete("/", DisableAsync);
        return api;
    }

    private static async Task<Results<Ok<TotpStatusDto>, ProblemHttpResult>> StatusAsync(Caller caller, ClinicChatSignInManager signIn)
    {
        if (await StaffUserAsync(signIn, caller) is not { } user)
        {
            return StaffOnly();
        }

        var left = user.TwoFactorEnabled ? await signIn.UserManager.CountRecoveryCodesAsync(user) : 0;
        return TypedResults.Ok(new TotpStatusDto(user.TwoFactorEnabled, await RequiredByClinicAsync(signIn, user), left));
    }

    /// <summary>The number of recovery codes a person gets at a time.</summary>
    public const int RecoveryCodeCount = 10;

    /// <summary>
    /// Ten new one-time recovery codes (the earlier ones stop working), shown once: a lost phone is otherwise a staff
    /// member locked out of a clinic that requires two-step sign-in. Only while two-step sign-in is on; stored hashed
    /// (<see cref="HashedRecoveryCodesStore"/>).
    /// </summary>
    private static async Task<Results<Ok<RecoveryCodesDto>, ProblemHttpResult>> NewRecoveryCodesAsync(Caller caller, ClinicChatSignInManager signIn, IGrainFactory grains)
    {
        if (await StaffUserAsync(signIn, caller) is not { } user)
        {
            return StaffOnly();
        }

        if (!user.TwoFactorEnabled)
        {
            return ApiProblems.Problem(ApiErrors.TotpNotSetUp, "Two-step sign-in is off.", "Recovery codes stand in for an authenticator: set one up first.");
        }

        var codes = (await signIn.UserManager.GenerateNewTwoFactorRecoveryCodesAsync(user, RecoveryCodeCount))!.ToList();
        await AuthApi.RecordForUserAsync(grains.GetGrain<IAuditGrain>(0), caller.Actor, AuditActions.TotpRecoveryCodesIssued, $"count={codes.Count}");
        return TypedResults.Ok(new RecoveryCodesDto(codes));
    }

    /// <summary>A new shared key (any earlier, unconfirmed one stops working). Refused while a confirmed key is on.</summary>
    private static async Task<Results<Ok<TotpSetupDto>, ProblemHttpResult>> SetupAsync(Caller caller, ClinicChatSignInManager signIn, HttpContext http)
    {
        if (await StaffUserAsync(signIn, caller) is not { } user)
        {
            return StaffOnly();
        }

        if (user.TwoFactorEnabled)
        {
            return ApiProblems.Problem(ApiErrors.TotpAlreadyEnabled, "Two-step sign-in is already on.",
                "Turn it off first to set up a new authenticator.");
        }

        var users = signIn.UserManager;
        await users.ResetAuthenticatorKeyAsync(user);
        var key = (await users.GetAuthenticatorKeyAsync(user))!;
        if (!await signIn.RotateSessionAsync(user, http.User, [], endOtherSessions: true))
        {
            return AuthApi.SessionEnded();
        }

        var label = Uri.EscapeDataString($"{Issuer}:{user.Email}");
        return TypedResults.Ok(new TotpSetupDto(key, $"otpauth://totp/{label}?secret={key}&issuer={Issuer}&digits=6&period=30"));
    }

    /// <summary>Confirms the key with a code from the app and turns two-step sign-in on.</summary>
    private static async Task<Results<Ok<MeDto>, ProblemHttpResult>> EnableAsync(
        TotpCodeRequest request, Caller caller, ClinicChatSignInManager signIn, IGrainFactory grains, HttpContext http)
    {
        if (await StaffUserAsync(signIn, caller) is not { } user)
        {
            return StaffOnly();
        }

        if (NormalizeCode(request.Code) is not { } code)
        {
            return ApiProblems.Validation("code", "code is the 6-digit number your authenticator app shows.");
        }

        var users = signIn.UserManager;
        if (user.TwoFactorEnabled)
        {
            return ApiProblems.Problem(ApiErrors.TotpAlreadyEnabled, "Two-step sign-in is already on.", null);
        }

        if (await users.GetAuthenticatorKeyAsync(user) is null)
        {
            return ApiProblems.Problem(ApiErrors.TotpNotSetUp, "Set up an authenticator first.", null);
        }

        if (!await users.VerifyTwoFactorTokenAsync(user, users.Options.Tokens.AuthenticatorTokenProvider, code))
        {
            return ApiProblems.Problem(ApiErrors.InvalidTotpCode, "That code is not right.",
                "Enter the code your authenticator app shows now.", "code");
        }

        await users.SetTwoFactorEnabledAsync(user, true);
        await AuthApi.RecordForUserAsync(grains.GetGrain<IAuditGrain>(0), caller.Actor, AuditActions.TotpEnabled);
        if (!await signIn.RotateSessionAsync(user, http.User, [], endOtherSessions: true))
        {
            return AuthApi.SessionEnded();
        }

        return TypedResults.Ok(await MeApi.DescribeAsync(http.User.Actor(), http.User, grains));
    }

    /// <summary>Turns two-step sign-in off, with the password (failures count towards lockout). Refused where a clinic requires it.</summary>
    private static async Task<Results<NoContent, ProblemHttpResult>> DisableAsync(
        [FromBody] TotpDisableRequest request, Caller caller, ClinicChatSignInManager signIn, IGrainFactory grains, HttpContext http)
    {
        if (await StaffUserAsync(signIn, caller) is not { } user)
        {
            return StaffOnly();
        }

        if (AuthApi.PasswordProblem("password", request.Password) is { } invalid)
        {
            return invalid;
        }

        var check = await signIn.CheckPasswordSignInAsync(user, request.Password!, lockoutOnFailure: true);
        var audit = grains.GetGrain<IAuditGrain>(0);
        if (!check.Succeeded)
        {
            await audit.RecordAsync(new AuditEvent(AuditActions.TotpDisabled, user.Id, null, null, null, AuditOutcomes.Failure, check.IsLockedOut ? "locked_out" : null));
            return ApiProblems.Problem(ApiErrors.InvalidCredentials, "Verification failed.", "That password is not right.");
        }

        if (await RequiredByClinicAsync(signIn, user))
        {
            return ApiProblems.Problem(ApiErrors.TotpRequiredByClinic, "Your clinic requires two-step sign-in.", null);
        }

        var users = signIn.UserManager;
        await users.SetTwoFactorEnabledAsync(user, false);
        await users.ResetAuthenticatorKeyAsync(user);
        await AuthApi.RecordForUserAsync(audit, caller.Actor, AuditActions.TotpDisabled);
        return await signIn.RotateSessionAsync(user, http.User, [], endOtherSessions: true) ? TypedResults.NoContent() : AuthApi.SessionEnded();
    }

    /// <summary>Six digits, spaces and dashes (as apps group them) ignored; null for anything else.</summary>
    public static string? NormalizeCode(string? code)
    {
        if (code is null || code.Length > 16)
        {
            return null;
        }

        var digits = code.Replace(" ", string.Empty, StringComparison.Ordinal).Replace("-", string.Empty, StringComparison.Ordinal);
        return digits.Length == 6 && digits.All(char.IsAsciiDigit) ? digits : null;
    }

    private static async Task<ClinicChatUser?> StaffUserAsync(ClinicChatSignInManager signIn, Caller caller) =>
        caller.Actor.Kind == ActorKind.Staff ? await signIn.UserManager.GetUserAsync(caller.Principal) : null;

    private static async Task<bool> RequiredByClinicAsync(ClinicChatSignInManager signIn, ClinicChatUser user) =>
        await signIn.ClinicRequiresTotpAsync(await signIn.UserManager.GetClaimsAsync(user));

    private static ProblemHttpResult StaffOnly() =>
        ApiProblems.Problem(ApiErrors.Forbidden, "Not allowed.", "Two-step sign-in is for staff accounts.");
}
