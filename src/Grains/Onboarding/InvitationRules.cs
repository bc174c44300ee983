using System.Security.Cryptography;
using System.Text;

namespace ClinicChat.Onboarding;

/// <summary>The invitation's secret and what a stored invitation is worth at a given moment. Pure: tested without a silo.</summary>
public static class InvitationRules
{
    /// <summary>256 random bits, URL-safe: guessing one is hopeless, so a plain SHA-256 of it is a safe thing to store.</summary>
    public static string NewSecret() => Base64Url(RandomNumberGenerator.GetBytes(32));

    public static string Hash(string secret) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(secret)));

    public static bool Matches(string secret, string storedHash) =>
        CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(Hash(secret)), Encoding.ASCII.GetBytes(storedHash));

    /// <summary>
    /// In order of what the holder most needs to hear: a wrong secret learns nothing; a used or revoked
    /// link says so even after it would have expired (the link a resend replaced too: its holder may have used the new
    /// one); a replaced link says a newer one was sent; a disabled clinic is told before expiry.
    /// </summary>
    public static InvitationStanding StandingOf(StoredInvitation? invitation, string secret, DateTimeOffset now, bool clinicEnabled)
    {
        if (invitation is null)
        {
            return InvitationStanding.Unknown;
        }

        var current = Matches(secret, invitation.TokenHash);
        return !current && (invitation.ReplacedTokenHash is not { } replaced || !Matches(secret, replaced)) ? InvitationStanding.Unknown
            : invitation.UsedAt is not null ? InvitationStanding.Used
            : invitation.RevokedAt is not null ? InvitationStanding.Revoked
            : !current ? InvitationStanding.Replaced
            : now >= invitation.View.ExpiresAt ? InvitationStanding.Expired
            : !clinicEnabled ? InvitationStanding.ClinicDisabled
            : InvitationStanding.Valid;
    }

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
