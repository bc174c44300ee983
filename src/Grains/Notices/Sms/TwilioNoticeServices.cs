using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;

namespace ClinicChat.Notices.Sms;

/// <summary>The SMS channel's registration: the silo set-up calls <see cref="AddTwilioNotices"/> once.</summary>
public static class TwilioNoticeServices
{
    /// <summary>Whether an SMS channel is configured (an account SID is set): the one test of it, for start-up checks too.</summary>
    public static bool TwilioConfigured(IConfiguration configuration) =>
        !string.IsNullOrWhiteSpace(configuration[$"{TwilioOptions.Section}:{nameof(TwilioOptions.AccountSid)}"]);

    /// <summary>
    /// Opt-outs and delivery reports always (their grains serve the webhooks and read the tables); the Twilio sender
    /// only when <see cref="TwilioConfigured"/>, with its settings checked at start-up.
    /// </summary>
    public static IServiceCollection AddTwilioNotices(this IServiceCollection services, IConfiguration configuration)
    {
        services.TryAddSingleton<SmsOptOutStore>();
        var options = services.AddOptions<TwilioOptions>().BindConfiguration(TwilioOptions.Section)
            .PostConfigure<IHostEnvironment>((o, environment) =>
            {
                o.PublicBaseUrl ??= NoticeServices.PublicBaseUrl(configuration, environment)?.TrimEnd('/');
                o.StatusCallbackUrl ??= o.PublicBaseUrl is { } baseUrl ? baseUrl + TwilioWebhookPaths.Status : null;
            });
        if (!TwilioConfigured(configuration))
        {
            return services;
        }

        const string S = TwilioOptions.Section;
        options
            .Validate(o => !string.IsNullOrWhiteSpace(o.AuthToken), $"{S}:AuthToken is required when {S}:AccountSid is set (Twilio console → Account info; a secret: use a key-per-file secret).")
            .Validate(o => string.IsNullOrWhiteSpace(o.From) != string.IsNullOrWhiteSpace(o.MessagingServiceSid),
                $"Set exactly one of {S}:From (the sending number, E.164 such as +15017122661) and {S}:MessagingServiceSid (MG…).")
            .Validate(o => string.IsNullOrWhiteSpace(o.From) || SmsNumbers.IsE164(o.From), $"{S}:From must be an E.164 number such as +15017122661.")
            .Validate(o => IsHttpUrl(o.BaseUrl, allowEmpty: true), $"{S}:BaseUrl must be an absolute http(s) URL such as http://127.0.0.1:5081, or unset for Twilio itself.")
            .Validate(o => IsHttpUrl(o.StatusCallbackUrl, allowEmpty: true), $"{S}:StatusCallbackUrl must be an absolute http(s) URL (our {TwilioWebhookPaths.Status} as Twilio reaches it).")
            .ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<INoticeSender, TwilioNoticeSender>());
        return services;
    }

    private static bool IsHttpUrl(string? value, bool allowEmpty) =>
        string.IsNullOrWhiteSpace(value)
            ? allowEmpty
            : Uri.TryCreate(value, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps);
}
