namespace ClinicChat.Web.Onboarding;

/// <summary>Invitation links: where they point and how long they work.</summary>
public sealed class OnboardingOptions
{
    public const string Section = "ClinicChat:Onboarding";

    /// <summary>The address people open ClinicChat at (<c>https://chat.example-clinic.com</c>), for the links the operator command prints.</summary>
    public string? PublicBaseUrl { get; set; }

    public TimeSpan InvitationLifetime { get; set; } = TimeSpan.FromDays(7);

    /// <summary>
    /// The web app's set-password page, with the token in the URL's fragment: browsers never send a
    /// fragment, so the token reaches no access log, proxy or server log; the page posts it in a body.
    /// </summary>
    public static string LinkFor(string baseUrl, string token) => $"{baseUrl.TrimEnd('/')}/#/set-password/{token}";
}
