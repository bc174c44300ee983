using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Identity.EntityFrameworkCore;

namespace ClinicChat.Web.Identity;

/// <summary>
/// Identity's user store, except that two-step recovery codes are kept as SHA-256 hashes. Identity's own store keeps them
/// as plain text in <c>AspNetUserTokens</c>: anyone who could read that table would hold a second factor for every
/// account. A code has about 50 random bits and is only tried after the password, at the sign-in rate limit, so an
/// unsalted hash is enough. Redeeming compares hashes; a used code is removed, as in Identity's store.
/// </summary>
public sealed class HashedRecoveryCodesStore(IdentityDb context, IdentityErrorDescriber? describer = null)
    : UserOnlyStore<ClinicChatUser, IdentityDb>(context, describer)
{
    // Identity's own names for the row, so CountCodesAsync (inherited) counts what is stored here.
    private const string InternalLoginProvider = "[AspNetUserStore]";
    private const string RecoveryCodeTokenName = "RecoveryCodes";

    public override Task ReplaceCodesAsync(ClinicChatUser user, IEnumerable<string> recoveryCodes, CancellationToken cancellationToken = default) =>
        SetTokenAsync(user, InternalLoginProvider, RecoveryCodeTokenName, string.Join(';', recoveryCodes.Select(Hash)), cancellationToken);

    public override async Task<bool> RedeemCodeAsync(ClinicChatUser user, string code, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(code);
        var stored = await GetTokenAsync(user, InternalLoginProvider, RecoveryCodeTokenName, cancellationToken) ?? string.Empty;
        var hashes = stored.Split(';', StringSplitOptions.RemoveEmptyEntries).ToList();
        if (!hashes.Remove(Hash(code)))
        {
            return false;
        }

        await SetTokenAsync(user, InternalLoginProvider, RecoveryCodeTokenName, string.Join(';', hashes), cancellationToken);
        return true;
    }

    /// <summary>As typed or as shown: spaces and case do not matter (codes are upper-case letters and digits with a dash).</summary>
    private static string Hash(string code) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(code.Trim().Replace(" ", "", StringComparison.Ordinal).ToUpperInvariant())));
}
