using System.Globalization;
using System.Security.Claims;
using ClinicChat.Access;
using ClinicChat.Storage;
using ClinicChat.Web.Hosting;
using ClinicChat.Web.Identity;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Identity;

namespace ClinicChat.Web.Api;

public static class AuthApi
{
    public static RouteGroupBuilder MapAuthApi(this RouteGroupBuilder api)
    {
        var auth = api.MapGroup("/auth").WithTags("Auth");
        auth.MapPost("/login", LoginAsync).AllowAnonymous().RequireRateLimiting(RateLimits.SignIn);
        auth.MapPost("/logout", LogoutAsync).RequireAuthorization();
        auth.MapGet("/session", SessionAsync).AllowAnonymous();
        auth.MapPost("/reauth", ReauthenticateAsync).RequireAuthorization().RequireRateLimiting(RateLimits.Reauth);
        auth.MapDelete("/reauth", EndWindowAsync).RequireAuthorization();
        return api;
    }

    /// <summary>
    /// "Verify it's you": checks the password again (failures count towards lockout and are audited)
    /// and re-issues this session's cookie with a short window in which sensitive messages open.
    /// </summary>
    private static async Task<Results<Ok<ReauthDto>, ProblemHttpResult>> ReauthenticateAsync(
        ReauthRequest request, SignInManager<ClinicChatUser> signIn, IGrainFactory grains, HttpContext http,
        [FromKeyedServices(ChatTime.Key)] TimeProvider time, IConfiguration configuration)
    {
        if (string.IsNullOrEmpty(request.Password) || request.Password.Length > 256)
        {
            return ApiProblems.Validation("password", "password is required (at most 256 characters).");
        }

        var user = await signIn.UserManager.GetUserAsync(http.User);
        var result = user is null ? SignInResult.Failed : await signIn.CheckPasswordSignInAsync(user, request.Password, lockoutOnFailure: true);
        var audit = grains.GetGrain<IAuditGrain>(0);
        if (!result.Succeeded || user is null)
        {
            await audit.RecordAsync(new AuditEvent(AuditActions.Reauthenticated, user?.Id ?? "unknown", null, null, null, AuditOutcomes.Failure,
                result.IsLockedOut ? "locked_out" : null));
            return ApiProblems.Problem(StatusCodes.Status401Unauthorized, ApiProblems.InvalidCredentials, "Verification failed.", "That password is not right.");
        }

        var until = DateTimeOffset.FromUnixTimeMilliseconds((time.GetUtcNow() + SensitiveWindow(configuration)).ToUnixTimeMilliseconds());
        // A new cookie (a new session ticket) carrying the window: only this browser gets it.
        await signIn.SignInWithClaimsAsync(user, isPersistent: false, [new Claim(ChatClaims.SensitiveUntil, until.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture))]);
        await audit.RecordAsync(new AuditEvent(AuditActions.Reauthenticated, user.Id, null, null, null, AuditOutcomes.Success, $"until={until.ToUnixTimeMilliseconds()}"));
        return TypedResults.Ok(new ReauthDto(until));
    }

    /// <summary>Closes this session's window early ("Hide sensitive messages").</summary>
    private static async Task<NoContent> EndWindowAsync(SignInManager<ClinicChatUser> signIn, HttpContext http)
    {
        if (await signIn.UserManager.GetUserAsync(http.User) is { } user)
        {
            await signIn.SignInAsync(user, isPersistent: false);
        }

        return TypedResults.NoContent();
    }

    private static TimeSpan SensitiveWindow(IConfiguration configuration) =>
        configuration.GetValue("ClinicChat:Sensitive:Window", TimeSpan.FromMinutes(5));

    /// <summary>Signs in with email and password; sets the auth cookie. Repeated failures lock the account.</summary>
    private static async Task<Results<Ok<MeDto>, ProblemHttpResult>> LoginAsync(
        LoginRequest request, SignInManager<ClinicChatUser> signIn, IGrainFactory grains, SignInThrottle throttle, HttpContext http)
    {
        if (string.IsNullOrWhiteSpace(request.Email) || request.Email.Length > 256)
        {
            return ApiProblems.Validation("email", "email is required (at most 256 characters).");
        }

        if (string.IsNullOrEmpty(request.Password) || request.Password.Length > 256)
        {
            return ApiProblems.Validation("password", "password is required (at most 256 characters).");
        }

        using var attempt = throttle.Attempt(request.Email);
        if (!attempt.IsAcquired)
        {
            return RateLimits.Refusal(http, attempt);
        }

        var user = await signIn.UserManager.FindByEmailAsync(request.Email);
        var result = user is null
            ? SignInResult.Failed
            : await signIn.PasswordSignInAsync(user, request.Password, isPersistent: false, lockoutOnFailure: true);
        var audit = grains.GetGrain<IAuditGrain>(0);
        if (!result.Succeeded || user is null)
        {
            await audit.RecordAsync(new AuditEvent("signin", user?.Id ?? "unknown", null, null, null, AuditOutcomes.Failure,
                result.IsLockedOut ? "locked_out" : null));
            // One answer for unknown account, wrong password and locked account: nothing to enumerate.
            return ApiProblems.Problem(StatusCodes.Status401Unauthorized, ApiProblems.InvalidCredentials, "Sign-in failed.", "Email or password is incorrect.");
        }

        var principal = await signIn.CreateUserPrincipalAsync(user);
        var actor = principal.ToActor()!;
        // A staff sign-in is written to the chain of each clinic where they hold a role, so that
        // clinic's Admins see it on the audit page; anyone else's stays in the chain of no clinic.
        var clinics = actor.Memberships.Select(m => (Guid?)m.ClinicId).Distinct().DefaultIfEmpty(null);
        foreach (var clinicId in clinics)
        {
            await audit.RecordAsync(new AuditEvent("signin", user.Id, clinicId, null, null, AuditOutcomes.Success));
        }

        return TypedResults.Ok(await MeApi.DescribeAsync(actor, grains));
    }

    /// <summary>
    /// Who is signed in, if anyone: lets the web app decide between the sign-in page and the app
    /// without a request that fails (a 401 would show as an error in the browser console).
    /// </summary>
    private static async Task<Ok<SessionDto>> SessionAsync(HttpContext http, IGrainFactory grains) =>
        TypedResults.Ok(new SessionDto(http.User.ToActor() is { } actor ? await MeApi.DescribeAsync(actor, grains) : null));

    private static async Task<NoContent> LogoutAsync(SignInManager<ClinicChatUser> signIn)
    {
        await signIn.SignOutAsync();
        return TypedResults.NoContent();
    }
}
