using System.Globalization;
using System.Security.Claims;
using System.Text.Json;
using ClinicChat.Audit;
using ClinicChat.Web.Auth;
using ClinicChat.Web.Me;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.WebUtilities;

namespace ClinicChat.Web.Passkeys;

/// <summary>
/// Passkeys (WebAuthn, verified by ASP.NET Core Identity): a signed-in person registers, lists and removes their own;
/// anyone signs in with one; a signed-in person opens the "Verify it's you" window with one instead of the password.
/// Every ceremony is two requests: options (whose challenge Identity keeps in the short-lived <c>clinicchat.2fa</c>
/// cookie) and then the browser's answer, which Identity checks against them. Any answer it does not accept is
/// 400 <c>passkey_rejected</c>.
/// </summary>
public static class PasskeysApi
{
    public const int MaxNameLength = 64;

    /// <summary>
    /// A credential from a browser is a few kilobytes at most (an attestation object with a certificate chain): far
    /// more is not one, and is refused before it is parsed.
    /// </summary>

    public static RouteGroupBuilder MapPasskeysApi(this RouteGroupBuilder api)
    {
        var auth = api.MapGroup("/auth").WithTags("Passkeys");
        auth.MapGet("/passkeys", ListAsync).RequireAuthorization();
        auth.MapPost("/passkeys/options", CreationOptionsAsync).RequireAuthorization().RequireRateLimiting(RateLimits.Reauth);
        auth.MapPost("/passkeys", AddAsync).RequireAuthorization().RequireRateLimiting(RateLimits.Reauth);
        auth.MapDelete("/passkeys/{passkeyId}", RemoveAsync).RequireAuthorization().RequireRateLimiting(RateLimits.Reauth);
        auth.MapPost("/login/passkey/options", SignInOptionsAsync).AllowAnonymous().RequireRateLimiting(RateLimits.SignIn);
        auth.MapPost("/login/passkey", SignInAsync).AllowAnonymous().RequireRateLimiting(RateLimits.SignIn);
        auth.MapPost("/reauth/passkey/options", ReauthOptionsAsync).RequireAuthorization().RequireRateLimiting(RateLimits.Reauth);
        auth.MapPost("/reauth/passkey", ReauthenticateAsync).RequireAuthorization().RequireRateLimiting(RateLimits.Reauth);
        return api;
    }

    /// <summary>The caller's own passkeys, newest first. Nothing about them but a name and when it was added.</summary>
    private static async Task<Results<Ok<IReadOnlyList<PasskeyDto>>, ProblemHttpResult>> ListAsync(ClinicChatSignInManager signIn, HttpContext http)
    {
        if (await signIn.UserManager.GetUserAsync(http.User) is not { } user)
        {
            return AuthApi.SessionEnded();
        }

        var passkeys = await signIn.UserManager.GetPasskeysAsync(user);
        return TypedResults.Ok<IReadOnlyList<PasskeyDto>>(passkeys.OrderByDescending(p => p.CreatedAt).Select(ToDto).ToList());
    }

    /// <summary>
    /// Step one of adding a passkey: WebAuthn's <c>PublicKeyCredentialCreationOptionsJSON</c> for
    /// <c>navigator.credentials.create()</c>. Options change nothing; storing the passkey (step two) is what needs a
    /// recent "Verify it's you", and the web app asks for it before it starts.
    /// </summary>
    private static async Task<Results<Ok<JsonElement>, ProblemHttpResult>> CreationOptionsAsync(ClinicChatSignInManager signIn, HttpContext http)
    {
        if (await signIn.UserManager.GetUserAsync(http.User) is not { } user)
        {
            return AuthApi.SessionEnded();
        }

        var entity = new PasskeyUserEntity { Id = user.Id, Name = user.Email ?? user.Id, DisplayName = user.DisplayName };
        return TypedResults.Ok(Ceremony.Json(await signIn.MakePasskeyCreationOptionsAsync(entity)));
    }

    /// <summary>
    /// Step two: the browser's new credential, checked by Identity against step one's challenge, stored under a name. A
    /// passkey signs in on its own, so storing one needs the same recent "Verify it's you" as changing the email: a
    /// session left open must not be enough to plant a way back in. (The credential is checked first: without a ceremony
    /// under way the answer is the same 400 whether or not the session is verified.)
    /// </summary>
    private static async Task<Results<Created<PasskeyDto>, ProblemHttpResult>> AddAsync(
        AddPasskeyRequest request, Caller caller, ClinicChatSignInManager signIn, IGrainFactory grains, HttpContext http,
        [FromKeyedServices(ChatTime.Key)] TimeProvider time)
    {
        var name = request.Name?.Trim();
        if (string.IsNullOrEmpty(name) || name.Length > MaxNameLength || !TextInput.IsWellFormed(name))
        {
            return ApiProblems.Validation("name", $"Name the passkey (at most {MaxNameLength} characters), so that you can tell your passkeys apart.");
        }

        if (Ceremony.CredentialJson(request.Credential) is not { } credential)
        {
            return CredentialMissing();
        }

        if (await signIn.UserManager.GetUserAsync(http.User) is not { } user)
        {
            return AuthApi.SessionEnded();
        }

        var attestation = await Ceremony.AttestAsync(signIn, credential);
        // The options were made for this account; a ceremony begun by someone else in this browser does not count.
        if (attestation is not { Succeeded: true } || attestation.UserEntity.Id != user.Id)
        {
            await RecordAsync(grains, AuditActions.PasskeyAdded, user.Id, AuditOutcomes.Failure);
            return Rejected("The passkey could not be added. Try again.");
        }

        if (!RecentlyVerified(caller, time))
        {
            return VerifyItsYouFirst();
        }

        var passkey = attestation.Passkey;
        passkey.Name = name;
        var stored = await signIn.UserManager.AddOrUpdatePasskeyAsync(user, passkey);
        if (!stored.Succeeded)
        {
            return Rejected("The passkey could not be added. Try again.");
        }

        await AuthApi.RecordForUserAsync(grains.GetGrain<IAuditGrain>(0), caller.Actor, AuditActions.PasskeyAdded, AuditDetail(passkey));
        var dto = ToDto(passkey);
        return TypedResults.Created($"/api/v1/auth/passkeys/{dto.Id}", dto);
    }

    /// <summary>
    /// Removes one of the caller's passkeys (a lost phone). Needs a recent "Verify it's you", by password or by another
    /// passkey: whoever holds an open session alone must not be able to take the owner's way in away. Another account's
    /// passkey, and one that does not exist, are the same 404 (told before the verification is asked for: the caller
    /// learns only about their own passkeys either way).
    /// </summary>
    private static async Task<Results<NoContent, ProblemHttpResult>> RemoveAsync(
        string passkeyId, Caller caller, ClinicChatSignInManager signIn, IGrainFactory grains, HttpContext http,
        [FromKeyedServices(ChatTime.Key)] TimeProvider time)
    {
        if (await signIn.UserManager.GetUserAsync(http.User) is not { } user)
        {
            return AuthApi.SessionEnded();
        }

        var users = signIn.UserManager;
        if (CredentialId(passkeyId) is not { } credentialId || await users.GetPasskeyAsync(user, credentialId) is not { } passkey)
        {
            return ApiProblems.Problem(ApiErrors.NotFound, "Not found.", "You have no passkey with this id.");
        }

        if (!RecentlyVerified(caller, time))
        {
            return VerifyItsYouFirst();
        }

        var removed = await users.RemovePasskeyAsync(user, credentialId);
        if (!removed.Succeeded)
        {
            return ApiProblems.Problem(ApiErrors.TemporarilyUnavailable, "Temporarily unavailable; retry.", "The passkey could not be removed.");
        }

        await AuthApi.RecordForUserAsync(grains.GetGrain<IAuditGrain>(0), caller.Actor, AuditActions.PasskeyRemoved, AuditDetail(passkey));
        return TypedResults.NoContent();
    }

    /// <summary>
    /// Step one of signing in with a passkey: request options without an account (no email is asked for, and none is
    /// told apart), so the browser offers whichever passkeys it holds for this site.
    /// </summary>
    private static async Task<Ok<JsonElement>> SignInOptionsAsync(ClinicChatSignInManager signIn) =>
        TypedResults.Ok(Ceremony.Json(await signIn.MakePasskeyRequestOptionsAsync(null)));

    /// <summary>
    /// Step two: the passkey's assertion. The rules of the password sign-in apply after it: a locked account is refused,
    /// staff whose every clinic is disabled are refused, and staff of a clinic that requires two-step sign-in and who have
    /// not set it up get a session that may only enrol. A passkey needs the device's own check of its owner (user
    /// verification), so it stands in for the password and the authenticator code both: no code is asked for after it.
    /// </summary>
    private static async Task<Results<Ok<MeDto>, ProblemHttpResult>> SignInAsync(
        PasskeyCredentialRequest request, ClinicChatSignInManager signIn, IGrainFactory grains, HttpContext http)
    {
        if (Ceremony.CredentialJson(request.Credential) is not { } credential)
        {
            return CredentialMissing();
        }

        var audit = grains.GetGrain<IAuditGrain>(0);
        var assertion = await Ceremony.AssertAsync(signIn, credential);
        if (assertion is not { Succeeded: true })
        {
            await audit.RecordAsync(new AuditEvent(AuditActions.SignedIn, "unknown", null, null, null, AuditOutcomes.Failure, "passkey"));
            return Rejected("That passkey did not work. Try again, or sign in with your password.");
        }

        var user = assertion.User;
        if (await signIn.UserManager.IsLockedOutAsync(user) && await signIn.UserManager.GetLockoutEndDateAsync(user) is { } lockedUntil)
        {
            await audit.RecordAsync(new AuditEvent(AuditActions.SignedIn, user.Id, null, null, null, AuditOutcomes.Failure, "passkey locked_out"));
            // The passkey proved who this is, so the lockout is no secret from them.
            return ApiProblems.AccountLockedUntil(lockedUntil);
        }

        if (await signIn.IsShutOutAsync(user))
        {
            await audit.RecordAsync(new AuditEvent(AuditActions.SignedIn, user.Id, null, null, null, AuditOutcomes.Failure, "passkey clinic_disabled"));
            return ApiProblems.Problem(ApiErrors.ClinicDisabled, "Your clinic's account is disabled.",
                "Your clinic's ClinicChat account has been disabled by the operator. Nothing has been deleted; ask your clinic's administrator.");
        }

        // The new signature count is stored first: Identity refuses a later assertion that does not advance it (a cloned key).
        if (!(await signIn.UserManager.AddOrUpdatePasskeyAsync(user, assertion.Passkey)).Succeeded)
        {
            return Rejected("That passkey did not work. Try again, or sign in with your password.");
        }

        await signIn.SignInWithPasskeyAsync(user);
        var actor = http.User.Actor();
        await AuthApi.RecordForUserAsync(audit, actor, AuditActions.SignedIn, "passkey");
        return TypedResults.Ok(await MeApi.DescribeAsync(actor, http.User, grains));
    }

    /// <summary>Step one of "Verify it's you" with a passkey: request options listing only the caller's own passkeys.</summary>
    private static async Task<Results<Ok<JsonElement>, ProblemHttpResult>> ReauthOptionsAsync(ClinicChatSignInManager signIn, HttpContext http)
    {
        if (await signIn.UserManager.GetUserAsync(http.User) is not { } user)
        {
            return AuthApi.SessionEnded();
        }

        return TypedResults.Ok(Ceremony.Json(await signIn.MakePasskeyRequestOptionsAsync(user)));
    }

    /// <summary>
    /// Step two: the caller's own passkey opens the same window as the password does (<c>POST /auth/reauth</c>): this
    /// session is re-issued under a new id with <c>cc:sensitive_until</c>, and the old cookie stops working.
    /// </summary>
    private static async Task<Results<Ok<ReauthDto>, ProblemHttpResult>> ReauthenticateAsync(
        PasskeyCredentialRequest request, ClinicChatSignInManager signIn, IGrainFactory grains, HttpContext http,
        [FromKeyedServices(ChatTime.Key)] TimeProvider time, IConfiguration configuration)
    {
        if (Ceremony.CredentialJson(request.Credential) is not { } credential)
        {
            return CredentialMissing();
        }

        if (await signIn.UserManager.GetUserAsync(http.User) is not { } user)
        {
            return AuthApi.SessionEnded();
        }

        var audit = grains.GetGrain<IAuditGrain>(0);
        var assertion = await Ceremony.AssertAsync(signIn, credential);
        // Someone else's passkey proves someone else: it opens nothing in this session.
        if (assertion is not { Succeeded: true } || assertion.User is not { } owner || owner.Id != user.Id)
        {
            await audit.RecordAsync(new AuditEvent(AuditActions.Reauthenticated, user.Id, null, null, null, AuditOutcomes.Failure, "passkey"));
            return Rejected("That passkey did not work. Try again, or use your password.");
        }

        if (await signIn.UserManager.IsLockedOutAsync(user) && await signIn.UserManager.GetLockoutEndDateAsync(user) is { } lockedUntil)
        {
            await audit.RecordAsync(new AuditEvent(AuditActions.Reauthenticated, user.Id, null, null, null, AuditOutcomes.Failure, "passkey locked_out"));
            return ApiProblems.AccountLockedUntil(lockedUntil);
        }

        if (!(await signIn.UserManager.AddOrUpdatePasskeyAsync(user, assertion.Passkey)).Succeeded)
        {
            return Rejected("That passkey did not work. Try again, or use your password.");
        }

        var until = DateTimeOffset.FromUnixTimeMilliseconds((time.GetUtcNow() + AuthApi.SensitiveWindow(configuration)).ToUnixTimeMilliseconds());
        if (!await signIn.RotateSessionAsync(user, http.User, [new Claim(ChatClaims.SensitiveUntil, until.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture))]))
        {
            return AuthApi.SessionEnded();
        }

        await audit.RecordAsync(new AuditEvent(AuditActions.Reauthenticated, user.Id, null, null, null, AuditOutcomes.Success, $"passkey until={until.ToUnixTimeMilliseconds()}"));
        return TypedResults.Ok(new ReauthDto(until));
    }

    private static bool RecentlyVerified(Caller caller, TimeProvider time) => caller.Actor.SensitiveUnlockedUntil > time.GetUtcNow();

    private static ProblemHttpResult VerifyItsYouFirst() => ApiProblems.Problem(
        ApiErrors.SensitiveLocked, "Verify it's you first.", "Enter your password (or use a passkey) again before changing how you sign in.");

    internal static ProblemHttpResult Rejected(string detail) => ApiProblems.Problem(ApiErrors.PasskeyRejected, "Passkey not accepted.", detail);

    internal static ProblemHttpResult CredentialMissing() =>
        ApiProblems.Validation("credential", "credential is the browser's answer (PublicKeyCredential.toJSON()), a JSON object.");

    private static byte[]? CredentialId(string passkeyId)
    {
        try
        {
            return passkeyId.Length is > 0 and <= 1400 ? WebEncoders.Base64UrlDecode(passkeyId) : null;
        }
        catch (FormatException)
        {
            return null;
        }
    }

    private static PasskeyDto ToDto(UserPasskeyInfo passkey) =>
        new(WebEncoders.Base64UrlEncode(passkey.CredentialId), passkey.Name ?? "Passkey", passkey.CreatedAt);

    /// <summary>The first characters of the credential id tell an Admin which passkey it was; its name is the owner's own words and stays out.</summary>
    internal static string AuditDetail(UserPasskeyInfo passkey)
    {
        var id = WebEncoders.Base64UrlEncode(passkey.CredentialId);
        return $"passkey={id[..Math.Min(12, id.Length)]}";
    }

    private static Task RecordAsync(IGrainFactory grains, string action, string userId, string outcome) =>
        grains.GetGrain<IAuditGrain>(0).RecordAsync(new AuditEvent(action, userId, null, null, null, outcome, null));
}
