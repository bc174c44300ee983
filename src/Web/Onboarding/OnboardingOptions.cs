namespace ClinicChat.Web.Onboarding;

/// <summary>Invitation links: where they point and how long they work.</summary>
public sealed class OnboardingOptions
{
    public const string Section = "ClinicChat:Onboarding";

    /// <summary>The address people open ClinicChat at (<c>https://chat.example-clinic.com</c>), for the links the operator command prints.</summary>
    public string? PublicBaseUrl { get; set; }

    public TimeSpan InvitationLifetime { get; set; } = TimeSpan.FromDays(7);

    /// <summary>The page that takes a link's token (from the fragment, so it never reaches a server log).</summary>
    public const string SetPasswordPath = "/set-password";

    public static string LinkFor(string baseUrl, string token) => $"{baseUrl.TrimEnd('/')}{SetPasswordPath}#token={token}";
}
