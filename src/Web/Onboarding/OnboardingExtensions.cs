namespace ClinicChat.Web.Onboarding;

public static class OnboardingExtensions
{
    public static IServiceCollection AddClinicChatOnboarding(this IServiceCollection services)
    {
        services.AddOptions<OnboardingOptions>().BindConfiguration(OnboardingOptions.Section)
            .Validate(o => o.InvitationLifetime > TimeSpan.Zero && o.InvitationLifetime <= ClinicChat.Onboarding.InvitationRequest.MaxLifetime,
                $"{OnboardingOptions.Section}:InvitationLifetime must be positive and at most 30 days.")
            .Validate(o => o.PublicBaseUrl is null || Uri.TryCreate(o.PublicBaseUrl, UriKind.Absolute, out _),
                $"{OnboardingOptions.Section}:PublicBaseUrl must be an absolute URL (https://chat.example-clinic.com).")
            .ValidateOnStart();
        return services;
    }
}
