using ClinicChat.Sessions;

namespace ClinicChat.Web.Identity;

/// <summary>Session lifetimes (<c>ClinicChat:Auth</c>). Each session keeps the policy it started with.</summary>
public sealed class AuthSessionOptions
{
    public const string Section = "ClinicChat:Auth";

    public IdleTimeouts IdleTimeout { get; set; } = new();

    /// <summary>From the original sign-in; re-authentication and password changes do not extend it.</summary>
    public TimeSpan AbsoluteLifetime { get; set; } = TimeSpan.FromHours(12);

    /// <summary>How often each web node checks that the sessions behind its push connections are still alive (idle or absolute expiry).</summary>
    public TimeSpan ConnectionCheckInterval { get; set; } = TimeSpan.FromSeconds(30);

    public SessionPolicy PolicyFor(string kind) =>
        new(kind == ChatClaims.PatientKind ? IdleTimeout.Patient : IdleTimeout.Staff, AbsoluteLifetime);

    public bool IsValid() =>
        IdleTimeout.Staff > TimeSpan.Zero && IdleTimeout.Patient > TimeSpan.Zero && AbsoluteLifetime > TimeSpan.Zero && ConnectionCheckInterval > TimeSpan.Zero;
}

public sealed class IdleTimeouts
{
    public TimeSpan Staff { get; set; } = TimeSpan.FromMinutes(30);

    public TimeSpan Patient { get; set; } = TimeSpan.FromMinutes(15);
}
