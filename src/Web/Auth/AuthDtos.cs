using ClinicChat.Web.Me;

namespace ClinicChat.Web.Auth;

public sealed record LoginRequest(string? Email, string? Password);

/// <summary>A correct password that needs a second step: <c>next</c> is <c>totp</c> (POST /auth/login/totp).</summary>
public sealed record LoginChallengeDto(string Next)
{
    public const string Totp = "totp";
}

public sealed record TotpCodeRequest(string? Code);

/// <summary>One of the account's recovery codes, as shown when they were made (case and spaces do not matter).</summary>
public sealed record RecoveryCodeRequest(string? Code);

public sealed record TotpDisableRequest(string? Password);

public sealed record TotpStatusDto(bool Enabled, bool RequiredByClinic, int RecoveryCodesLeft = 0);

/// <summary>New one-time recovery codes, shown once: each signs in once instead of an authenticator code; the earlier ones stop working.</summary>
public sealed record RecoveryCodesDto(IReadOnlyList<string> Codes);

/// <summary>The shared key (base32, for typing in) and the otpauth URI (for a QR code) of a new authenticator.</summary>
public sealed record TotpSetupDto(string SharedKey, string OtpauthUri);

public sealed record ChangePasswordRequest(string? CurrentPassword, string? NewPassword);

public sealed record ReauthRequest(string? Password);

public sealed record ReauthDto(DateTimeOffset SensitiveUntil);

public sealed record SessionDto(MeDto? Me);

/// <summary>"Forgot password?": the address the account signs in with.</summary>
public sealed record PasswordResetRequest(string? Email);

/// <summary>The one answer to a reset request, whether or not an account has the address.</summary>
public sealed record PasswordResetRequestedDto(string Message);

/// <summary>The token is the last part of the emailed link (<c>#/reset-password/{token}</c>); it names the account.</summary>
public sealed record PasswordResetConfirmRequest(string? Token, string? NewPassword);

/// <summary>The last part of an emailed reset link, to learn whether it still works before the page asks for a password.</summary>
public sealed record PasswordResetCheckRequest(string? Token);
