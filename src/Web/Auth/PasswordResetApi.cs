using System.Diagnostics.CodeAnalysis;
using System.Text;
using ClinicChat.Accounts;
using ClinicChat.Audit;
using ClinicChat.Sessions;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Options;

namespace ClinicChat.Web.Auth;

/// <summary>
/// "Forgot password?" for everyone: an emailed one-time link (Identity's reset token, bound to the account's security
/// stamp, so the reset that uses it, or any other password change, makes it worthless), the same answer whether or not
/// the address has an account, and a new password that ends every session of the account.
/// </summary>
public static class PasswordResetApi
{
    /// <summary>Longer than any link this server makes (a user id and Identity's token, base64url).</summary>
    public const int MaxTokenLength = 2048;

    public const string RequestedMessage =
        "If an account uses this address, we have sent it a link to choose a new password. Check your email; the link works once.";

    public static RouteGroupBuilder MapPasswordResetApi(this RouteGroupBuilder auth)
    {
        auth.MapPost("/password-reset", RequestAsync).AllowAnonymous().RequireRateLimiting(RateLimits.SignIn);
        auth.MapPost("/password-reset/check", CheckAsync).AllowAnonymous().RequireRateLimiting(RateLimits.SignIn);
        auth.MapPost("/password-reset/confirm", ConfirmAsync).AllowAnonymous().RequireRateLimiting(RateLimits.SignIn);
        return auth;
    }

    /// <summary>
    /// Always 202 with one body. A known address with a confirmed email gets the link (queued with its audit row in one
    /// commit); any other address gets an audit row (one commit too), so neither the answer nor the work tells them apart.
    /// Counted per address (with sign-in's budget for that address) and per client address.
    /// </summary>
    private static async Task<Results<Accepted<PasswordResetRequestedDto>, ProblemHttpResult>> RequestAsync(
        PasswordResetRequest request, UserManager<ClinicChatUser> users, SignInThrottle throttle, IGrainFactory grains, HttpContext http)
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

        using var attempt = throttle.Attempt(users, "reset:" + request.Email.Trim());
        if (!attempt.IsAcquired)
        {
            return RateLimits.Refusal(http, attempt);
        }

        var resets = grains.GetGrain<IPasswordResetGrain>(0);
        // Only a confirmed address gets a link: mail to an address nobody proved would hand the account to whoever owns it.
        if (await users.FindByEmailAsync(request.Email.Trim()) is { EmailConfirmed: true, Email: { } address } user)
        {
            var token = await users.GeneratePasswordResetTokenAsync(user);
            await resets.QueueAsync(new PasswordResetMail(user.Id, address, ResetLinkToken.Encode(user.Id, token)));
        }
        else
        {
            await resets.RecordUnknownAddressAsync();
        }

        return TypedResults.Accepted((string?)null, new PasswordResetRequestedDto(RequestedMessage));
    }

    /// <summary>
    /// Whether a link still works, asked when its page opens, so that a used or expired link says so before anyone types
    /// a new password twice. 204, or 400 <c>reset_link_invalid</c> exactly as <see cref="ConfirmAsync"/> would answer;
    /// nothing is used up or recorded. It tells nothing a link's holder could not learn from the confirmation itself.
    /// </summary>
    private static async Task<Results<NoContent, ProblemHttpResult>> CheckAsync(PasswordResetCheckRequest request, UserManager<ClinicChatUser> users)
    {
        if (!IsTokenShaped(request.Token))
        {
            return TokenRequired();
        }

        return ResetLinkToken.TryDecode(request.Token, out var userId, out var token)
            && await users.FindByIdAsync(userId) is { } user
            && await users.VerifyUserTokenAsync(user, users.Options.Tokens.PasswordResetTokenProvider, UserManager<ClinicChatUser>.ResetPasswordTokenPurpose, token)
            ? TypedResults.NoContent()
            : LinkInvalid();
    }

    /// <summary>
    /// Sets the new password from a link. Every session of the account ends (open push connections close) and its lockout
    /// is cleared; nobody is signed in: the person signs in with the new password (and their second factor, if they
    /// have one, which a mailbox alone must not replace). A used, expired or made-up link: 400 <c>reset_link_invalid</c>.
    /// </summary>
    private static async Task<Results<NoContent, ProblemHttpResult>> ConfirmAsync(
        PasswordResetConfirmRequest request, ClinicChatSignInManager signIn, IGrainFactory grains)
    {
        if (!IsTokenShaped(request.Token))
        {
            return TokenRequired();
        }

        if (AuthApi.PasswordProblem("newPassword", request.NewPassword) is { } invalid)
        {
            return invalid;
        }

        var users = signIn.UserManager;
        if (!ResetLinkToken.TryDecode(request.Token, out var userId, out var token) || await users.FindByIdAsync(userId) is not { } user)
        {
            return LinkInvalid();
        }

        var audit = grains.GetGrain<IAuditGrain>(0);
        // Identity checks the token first (purpose, age, security stamp), then the password rules.
        var reset = await users.ResetPasswordAsync(user, token, request.NewPassword!);
        if (!reset.Succeeded)
        {
            if (reset.Errors.Any(e => e.Code == users.ErrorDescriber.InvalidToken().Code))
            {
                await audit.RecordAsync(new AuditEvent(AuditActions.PasswordReset, user.Id, null, null, null, AuditOutcomes.Failure, "link_invalid"));
                return LinkInvalid();
            }

            return ApiProblems.Problem(ApiErrors.PasswordRejected, "The new password is not accepted.",
                string.Join(' ', reset.Errors.Select(e => e.Description)), "newPassword");
        }

        await users.SetLockoutEndDateAsync(user, null);
        await users.ResetAccessFailedCountAsync(user);
        // Ended on the server, not signed out here: whoever this browser is signed in as (if anyone) is not the question.
        await grains.GetGrain<IUserSessionsGrain>(user.Id).EndAllAsync();
        var principal = await signIn.CreateUserPrincipalAsync(user);
        if (principal.ToActor() is { } actor)
        {
            await AuthApi.RecordForUserAsync(audit, actor, AuditActions.PasswordReset, "all_sessions_ended");
        }

        await AuthApi.TellOfPasswordChangeAsync(users, user, grains);

        return TypedResults.NoContent();
    }

    private static bool IsTokenShaped([NotNullWhen(true)] string? token) => !string.IsNullOrEmpty(token) && token.Length <= MaxTokenLength;

    private static ProblemHttpResult TokenRequired() => ApiProblems.Validation("token", $"token is required (at most {MaxTokenLength} characters).");

    private static ProblemHttpResult LinkInvalid() =>
        ApiProblems.Problem(ApiErrors.ResetLinkInvalid, "This link does not work.",
            "The link has expired, has been used already, or is not whole. Ask for a new one on the sign-in page.");

    /// <summary>Registers Identity's reset tokens under a provider of their own, with their own (short) lifetime.</summary>
    public static IdentityBuilder AddPasswordResetTokens(this IdentityBuilder identity)
    {
        identity.AddTokenProvider<PasswordResetTokenProvider>(PasswordResetTokenProvider.ProviderName);
        identity.Services.Configure<IdentityOptions>(o => o.Tokens.PasswordResetTokenProvider = PasswordResetTokenProvider.ProviderName);
        identity.Services.AddOptions<PasswordResetTokenProviderOptions>()
            .Configure<IConfiguration>((o, configuration) => o.TokenLifespan = configuration.GetValue(PasswordResetTokenProviderOptions.LifetimeKey, TimeSpan.FromHours(1)))
            .Validate(o => o.TokenLifespan > TimeSpan.Zero, $"{PasswordResetTokenProviderOptions.LifetimeKey} must be longer than zero.")
            .ValidateOnStart();
        return identity;
    }
}

/// <summary>
/// The link's token: the account's id and Identity's reset token in one base64url string, so the link alone names the
/// account (the page needs no email) and survives any mail client's line wrapping and URL handling.
/// </summary>
public static class ResetLinkToken
{
    public static string Encode(string userId, string token) => WebEncoders.Base64UrlEncode(Encoding.UTF8.GetBytes($"{userId}:{token}"));

    public static bool TryDecode(string value, out string userId, out string token)
    {
        userId = token = string.Empty;
        string text;
        try
        {
            text = Encoding.UTF8.GetString(WebEncoders.Base64UrlDecode(value));
        }
        catch (FormatException)
        {
            return false;
        }

        var colon = text.IndexOf(':', StringComparison.Ordinal);
        if (colon <= 0 || colon == text.Length - 1)
        {
            return false;
        }

        (userId, token) = (text[..colon], text[(colon + 1)..]);
        return true;
    }
}

/// <summary><c>ClinicChat:Auth:PasswordResetLifetime</c> (default one hour): how long a reset link works.</summary>
public sealed class PasswordResetTokenProviderOptions : DataProtectionTokenProviderOptions
{
    public const string LifetimeKey = "ClinicChat:Auth:PasswordResetLifetime";

    public PasswordResetTokenProviderOptions() => Name = PasswordResetTokenProvider.ProviderName;
}

/// <summary>Identity's data-protection token provider with the reset link's own lifetime (the default provider's is a day).</summary>
public sealed class PasswordResetTokenProvider(
    IDataProtectionProvider dataProtection, IOptions<PasswordResetTokenProviderOptions> options, ILogger<DataProtectorTokenProvider<ClinicChatUser>> logger)
    : DataProtectorTokenProvider<ClinicChatUser>(dataProtection, options, logger)
{
    public const string ProviderName = "ClinicChatPasswordReset";
}
