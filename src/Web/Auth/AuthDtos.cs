using ClinicChat.Web.Me;

namespace ClinicChat.Web.Auth;

public sealed record LoginRequest(string? Email, string? Password);

/// <summary>A correct password that needs a second step: <c>next</c> is <c>totp</c> (POST /auth/login/totp).</summary>
public sealed record LoginChallengeDto(string Next)
{
    public const string Totp = "totp";
}

public sealed record TotpCodeRequest(string? Code);

public sealed record TotpDisableRequest(string? Password);

public sealed record TotpStatusDto(bool Enabled, bool RequiredByClinic);

/// <summary>The shared key (base32, for typing in) and the otpauth URI (for a QR code) of a new authenticator.</summary>
public sealed record TotpSetupDto(string SharedKey, string OtpauthUri);

public sealed record ChangePasswordRequest(string? CurrentPassword, string? NewPassword);

public sealed record ReauthRequest(string? Password);

public sealed record ReauthDto(DateTimeOffset SensitiveUntil);

public sealed record SessionDto(MeDto? Me);
