using System.Security.Claims;
using System.Security.Cryptography;
using ClinicChat.Clinics;
using ClinicChat.Onboarding;
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

    /// <summary>
    /// Signs in a person who proved possession of a passkey: the session says so with RFC 8176's <c>hwk</c> (a
    /// hardware-held key) as its <c>amr</c>, where Identity's own sign-in would say <c>pwd</c>.
    /// </summary>
    public Task SignInWithPasskeyAsync(ClinicChatUser user) => SignInWithClaimsAsync(user, isPersistent: false, [new Claim("amr", "hwk")]);

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
    /// After a correct password, before any cookie (or the second step): staff whose every clinic an
    /// operator disabled are refused (<see cref="SignInResult.NotAllowed"/>), without ending up half signed in.
    /// </summary>
    protected override async Task<SignInResult> SignInOrTwoFactorAsync(ClinicChatUser user, bool isPersistent, string? loginProvider = null, bool bypassTwoFactor = false) =>
        await IsShutOutAsync(user) ? SignInResult.NotAllowed : await base.SignInOrTwoFactorAsync(user, isPersistent, loginProvider, bypassTwoFactor);

    /// <summary>Staff every one of whose clinics is disabled. Accounts without a clinic (patients, operators) never are.</summary>
    public async Task<bool> IsShutOutAsync(ClinicChatUser user)
    {
        var clinics = ClinicsOf(await UserManager.GetClaimsAsync(user)).ToList();
        foreach (var clinicId in clinics)
        {
            if (await grains.GetGrain<IClinicAccountGrain>(clinicId).IsEnabledAsync())
            {
                return false;
            }
        }

        return clinics.Count > 0;
    }

    /// <summary>
    /// The principal of every cookie (at sign-in and when the security stamp is re-checked) carries no
    /// role at a disabled clinic, so staff of two clinics keep only the one still enabled.
    /// </summary>
    public override async Task<ClaimsPrincipal> CreateUserPrincipalAsync(ClinicChatUser user)
    {
        var principal = await base.CreateUserPrincipalAsync(user);
        if (principal.Identity is ClaimsIdentity identity)
        {
            foreach (var claim in identity.FindAll(ChatClaims.Membership).ToList())
            {
                if (ClinicsOf([claim]).FirstOrDefault() is var clinicId && clinicId != Guid.Empty
                    && !await grains.GetGrain<IClinicAccountGrain>(clinicId).IsEnabledAsync())
                {
                    identity.RemoveClaim(claim);
                }
            }
        }

        return principal;
    }

    /// <summary>
    /// Whether any clinic where the user holds a role requires a second factor, or the account is an
    /// operator's (who always need one). Checked when a cookie is issued: staff who have not set one
    /// up then get a session that may only enrol.
    /// </summary>
    public async Task<bool> ClinicRequiresTotpAsync(IEnumerable<Claim> storedClaims)
    {
        var claims = storedClaims.ToList();
        if (claims.Any(c => c.Type == ChatClaims.Kind && c.Value == ChatClaims.OperatorKind))
        {
            return true;
        }

        foreach (var clinicId in ClinicsOf(claims))
        {
            if ((await grains.GetGrain<IClinicSecurityGrain>(clinicId).GetAsync()).RequireStaffTotp)
            {
                return true;
            }
        }

        return false;
    }

    private static IEnumerable<Guid> ClinicsOf(IEnumerable<Claim> claims) =>
        claims.Where(c => c.Type == ChatClaims.Membership)
            .Select(c => c.Value.Split(':')[0])
            .Select(id => Guid.TryParse(id, out var clinicId) ? clinicId : Guid.Empty)
            .Where(id => id != Guid.Empty)
            .Distinct();

    /// <summary>128 random bits. It travels only inside the encrypted cookie; it is not a bearer secret on its own.</summary>
    private static string NewSessionId() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
}
