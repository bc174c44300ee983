using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace ClinicChat.Notices.Email;

public static class SmtpNoticeServices
{
    /// <summary>Whether an SMTP relay is configured (<c>ClinicChat:Email:Smtp:Host</c>): production's start-up check asks.</summary>
    public static bool SmtpConfigured(IConfiguration configuration) =>
        !string.IsNullOrWhiteSpace(configuration[$"{SmtpOptions.Section}:Host"]);

    /// <summary>
    /// Email notices through SMTP, only when a host is configured; otherwise nothing is registered and notices go
    /// wherever the rest of the set-up sends them (the development outbox). Settings are checked at start: a node with
    /// a host but a bad port or sender address does not start, and says which setting is wrong.
    /// </summary>
    public static IServiceCollection AddSmtpNotices(this IServiceCollection services, IConfiguration configuration)
    {
        if (!SmtpConfigured(configuration))
        {
            return services;
        }

        services.AddOptions<SmtpOptions>()
            .Bind(configuration.GetSection(SmtpOptions.Section))
            .ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<SmtpOptions>, SmtpOptionsValidator>());
        services.TryAddSingleton<SmtpNoticeSender>();
        services.AddSingleton<INoticeSender>(provider => provider.GetRequiredService<SmtpNoticeSender>());
        return services;
    }

    private sealed class SmtpOptionsValidator : IValidateOptions<SmtpOptions>
    {
        public ValidateOptionsResult Validate(string? name, SmtpOptions options) =>
            SmtpOptionsValidation.Problems(options) is { Count: > 0 } problems
                ? ValidateOptionsResult.Fail(problems)
                : ValidateOptionsResult.Success;
    }
}
