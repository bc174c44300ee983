using System.Security.Claims;
using Microsoft.AspNetCore.Identity;

namespace ClinicChat.Web.Identity;

/// <summary>
/// How an account comes to be: the user row and the claims that say who it is to ClinicChat. Accepting a staff
/// invitation, activating a portal invitation and the demo seeder all build accounts here, so a demo account is the
/// same kind of account a clinic's own people get.
/// </summary>
public static class NewAccounts
{
    /// <summary>
    /// A new account for <paramref name="email"/>. <paramref name="emailConfirmed"/> when a link sent there was used;
    /// <paramref name="confirmedPhone"/> when the link went by SMS to that number instead.
    /// </summary>
    public static ClinicChatUser User(string email, string displayName, bool emailConfirmed, string? confirmedPhone = null) => new()
    {
        UserName = email,
        Email = email,
        EmailConfirmed = emailConfirmed,
        PhoneNumber = confirmedPhone,
        PhoneNumberConfirmed = confirmedPhone is not null,
        DisplayName = displayName,
        LockoutEnabled = true,
    };

    /// <summary>Staff (or an operator): the kind and name, plus the memberships the invitation grants.</summary>
    public static Claim[] StaffClaims(string kind, string displayName, IEnumerable<Claim> grants) =>
        [new Claim(ChatClaims.Kind, kind), new Claim(ChatClaims.Name, displayName), .. grants];

    /// <summary>A patient's portal account: one patient id (every clinic's thread is keyed by it).</summary>
    public static Claim[] PatientClaims(Guid patientId, string displayName) =>
        [new Claim(ChatClaims.Kind, ChatClaims.PatientKind), new Claim(ChatClaims.PatientId, patientId.ToString()), new Claim(ChatClaims.Name, displayName)];

    /// <summary>The patient a portal account is (its <see cref="PatientClaims"/>); null for any other kind of account.</summary>
    public static async Task<Guid?> PatientOfAsync(UserManager<ClinicChatUser> users, ClinicChatUser user)
    {
        var claims = await users.GetClaimsAsync(user);
        return claims.FirstOrDefault(c => c.Type == ChatClaims.Kind)?.Value == ChatClaims.PatientKind
            && Guid.TryParse(claims.FirstOrDefault(c => c.Type == ChatClaims.PatientId)?.Value, out var patientId)
                ? patientId
                : null;
    }

    /// <summary>
    /// Stores the account with its password and claims. With <paramref name="password"/> null the user's
    /// <c>PasswordHash</c> is kept as set (the demo seeder hashes its one password once).
    /// </summary>
    public static async Task<IdentityResult> CreateAsync(UserManager<ClinicChatUser> users, ClinicChatUser user, string? password, IEnumerable<Claim> claims)
    {
        var created = password is null ? await users.CreateAsync(user) : await users.CreateAsync(user, password);
        return created.Succeeded ? await users.AddClaimsAsync(user, claims) : created;
    }
}
