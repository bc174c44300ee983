using System.Security.Claims;
using System.Security.Cryptography;
using ClinicChat.Clinics;
using ClinicChat.Sessions;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;

namespace ClinicChat.Web.Identity;

/// <summary>
/// Identity's sign-in manager with server-side sessions: every cookie it issues names a session
/// recorded in <see cref="IUserSessionsGrain"/>. Overriding the one method all of Identity's sign-in
/// paths go through (password, second factor) means no path can issue a cookie without a session.
/// </summary>
public sealed class ClinicChatSignInManager(
    UserManager<ClinicChatUser> userManager,
    IHttpContextAccessor contextAccessor,
    IUserClaimsPrincipalFactory<ClinicChatUser> claimsFactory,
    IOptions<IdentityOptions> optionsAccessor,
    ILogger<SignInManager<ClinicChatUser>> logger,
    IAuthenticationSchemeProvider schemes,
    IUserConfirmation<ClinicChatUser> confirmation,
    IGrainFactory grains,
    IOptions<AuthSessionOptions> sessionOptions)
    : SignInManager<ClinicChatUser>(userManager, contextAccessor, claimsFactory, optionsAccessor, logger, schemes, confirmation)
{
    /// <summary>Claims of the current session that a re-issued cookie keeps (the way it signed in).</summary>
    private static readonly string[] CarriedClaims = ["amr"];

    private string? _rotatedSessionId;

    public override async Task SignInWithClaimsAsync(ClinicChatUser user, AuthenticationProperties? authenticationProperties, IEnumerable<Claim> additionalClaims)
    {
        var stored = await UserManager.GetClaimsAsync(user);
        var sessionId = _rotatedSessionId;
        _rotatedSessionId = null;
        if (sessionId is null)
        {
            sessionId = NewSessionId();
            var kind = stored.FirstOrDefault(c => c.Type == ChatClaims.Kind)?.Value ?? ChatClaims.StaffKind;
            await grains.GetGrain<IUserSessionsGrain>(user.Id).StartAsync(sessionId, sessionOptions.Value.PolicyFor(kind));
        }

        List<Claim> claims = [.. additionalClaims, new Claim(ChatClaims.Session, sessionId)];
        if (!user.TwoFactorEnabled && await ClinicRequiresTotpAsync(stored))
        {
            claims.Add(new Claim(ChatClaims.TotpEnrolmentRequired, "true"));
        }

        await base.SignInWithClaimsAsync(user, authenticationProperties, claims);
    }

    /// <summary>
    /// Re-issues the current session's cookie under a new session id (re-authentication, password
    /// change, second factor enabled), keeping its original sign-in time. False, and nothing issued,
    /// when the current session is no longer alive.
    /// </summary>
    public async Task<bool> RotateSessionAsync(ClinicChatUser user, ClaimsPrincipal current, IEnumerable<Claim> extraClaims, bool endOtherSessions = false)
    {
        if (current.FindFirstValue(ChatClaims.Session) is not { } currentId)
        {
            return false;
        }

        var newId = NewSessionId();
        if (!await grains.GetGrain<IUserSessionsGrain>(user.Id).RotateAsync(currentId, newId, endOtherSessions))
        {
            return false;
        }

        _rotatedSessionId = newId;
        var carried = current.Claims.Where(c => CarriedClaims.Contains(c.Type)).Select(c => new Claim(c.Type, c.Value));
        await SignInWithClaimsAsync(user, new AuthenticationProperties { IsPersistent = false }, [.. carried, .. extraClaims]);
        return true;
    }

    /// <summary>Ends every session of the user (on every web node, push connections included) and clears this browser's cookie.</summary>
    public async Task SignOutEverywhereAsync(string userId)
    {
        await grains.GetGrain<IUserSessionsGrain>(userId).EndAllAsync();
        await SignOutAsync();
    }

    /// <summary>
    /// Whether any clinic where the user holds a role requires a second factor. Checked when a cookie
    /// is issued: staff who have not set one up then get a session that may only enrol.
    /// </summary>
    public async Task<bool> ClinicRequiresTotpAsync(IEnumerable<Claim> storedClaims)
    {
        var clinics = storedClaims.Where(c => c.Type == ChatClaims.Membership)
            .Select(c => c.Value.Split(':')[0])
            .Select(id => Guid.TryParse(id, out var clinicId) ? clinicId : Guid.Empty)
            .Where(id => id != Guid.Empty)
            .Distinct();
        foreach (var clinicId in clinics)
        {
            if ((await grains.GetGrain<IClinicSecurityGrain>(clinicId).GetAsync()).RequireStaffTotp)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>128 random bits. It travels only inside the encrypted cookie; it is not a bearer secret on its own.</summary>
    private static string NewSessionId() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
}
