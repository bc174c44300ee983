using System.Security.Claims;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Identity.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;

namespace ClinicChat.Web.Identity;

public sealed class ClinicChatUser : IdentityUser
{
    public string DisplayName { get; set; } = string.Empty;
}

/// <summary>ASP.NET Core Identity's tables, in the same database as everything else.</summary>
public sealed class IdentityDb(DbContextOptions<IdentityDb> options) : IdentityDbContext<ClinicChatUser>(options)
{
    protected override void OnModelCreating(ModelBuilder builder)
    {
        base.OnModelCreating(builder);
        // A clinic's staff are found by their membership claims (cc:membership = {clinicId}:{Role}): the staff list, the
        // colleagues one can assign a thread to, who an @mention notifies. Identity only indexes claims by user, so each of
        // those read every claim of every account, patients' included (identity.*.0003_lookups.sql).
        builder.Entity<IdentityUserClaim<string>>().HasIndex(c => new { c.ClaimType, c.ClaimValue });
        // An inbound STOP or START text names a mobile number: the accounts that verified it, then their patients.
        builder.Entity<ClinicChatUser>().HasIndex(u => u.PhoneNumber);
    }
}

/// <summary>
/// Claims that say who a user is to ClinicChat. They are stored as Identity user claims and land in
/// the auth cookie, so every request knows the caller's kind, clinics and roles without a lookup.
/// </summary>
public static class ChatClaims
{
    public const string Kind = "cc:kind";
    public const string Name = "cc:name";
    public const string PatientId = "cc:patient";

    /// <summary>
    /// Until when this session may see sensitive messages (Unix ms), added to the cookie by a
    /// re-authentication. Not a stored user claim: it lives only in the session that verified.
    /// </summary>
    public const string SensitiveUntil = "cc:sensitive_until";

    /// <summary>The server-side session this cookie belongs to (see <c>IUserSessionsGrain</c>). New on every sign-in and re-issue.</summary>
    public const string Session = "cc:sid";

    /// <summary>
    /// Present while a staff member whose clinic requires a second factor has not set one up: the
    /// session may only enrol (every other endpoint answers 403 <c>totp_enrolment_required</c>).
    /// </summary>
    public const string TotpEnrolmentRequired = "cc:totp_enrol";

    /// <summary>One claim per role held: <c>{clinicId}:{role}</c>.</summary>
    public const string Membership = "cc:membership";

    public const string StaffKind = "staff";
    public const string PatientKind = "patient";

    /// <summary>
    /// An operator of the installation: no clinic, no patient data; the only way to the operator's
    /// views (<c>/ops/…</c>). To the grains an operator is staff without a role anywhere.
    /// </summary>
    public const string OperatorKind = "operator";

    public static bool IsOperator(this ClaimsPrincipal principal) => principal.FindFirstValue(Kind) == OperatorKind;

    public static Claim MembershipClaim(Guid clinicId, StaffRole role) => new(Membership, $"{clinicId:D}:{role}");

    /// <summary>The caller as the grains see it. Returns null for a principal that is not a ClinicChat user.</summary>
    public static Actor? ToActor(this ClaimsPrincipal principal)
    {
        var kind = principal.FindFirstValue(Kind);
        if (kind == Integration.SmartBackendServices.IntegrationKind)
        {
            return Integration.SmartBackendServices.ToIntegrationActor(principal);
        }

        var userId = principal.FindFirstValue(ClaimTypes.NameIdentifier);
        if (userId is null || kind is null)
        {
            return null;
        }

        var memberships = principal.FindAll(Membership)
            .Select(c => c.Value.Split(':'))
            .Where(parts => parts.Length == 2 && Guid.TryParse(parts[0], out _) && Enum.TryParse<StaffRole>(parts[1], out _))
            .Select(parts => new ClinicMembership(Guid.Parse(parts[0]), Enum.Parse<StaffRole>(parts[1])))
            .ToList();
        Guid? patientId = Guid.TryParse(principal.FindFirstValue(PatientId), out var id) ? id : null;
        var actorKind = kind == PatientKind ? ActorKind.Patient : ActorKind.Staff;
        DateTimeOffset? sensitiveUntil = long.TryParse(principal.FindFirstValue(SensitiveUntil), out var ms) ? DateTimeOffset.FromUnixTimeMilliseconds(ms) : null;
        return new Actor(userId, actorKind, principal.FindFirstValue(Name) ?? string.Empty, actorKind == ActorKind.Patient ? patientId : null,
            actorKind == ActorKind.Staff ? memberships : [], sensitiveUntil);
    }
}
