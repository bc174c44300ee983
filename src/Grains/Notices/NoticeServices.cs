using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;

namespace ClinicChat.Notices;

public static class NoticeServices
{
    /// <summary>The address notices link to when neither notifications nor onboarding names one (development only).</summary>
    public const string DevelopmentBaseUrl = "http://localhost:5080";

    /// <summary>Decisions, the outbox dispatcher and sweeper, and the providers that are configured.</summary>
    public static IServiceCollection AddNotices(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<NotificationOptions>().BindConfiguration(NotificationOptions.Section)
            .Validate(o => o.UnreadDelay >= TimeSpan.Zero && o.UnreadDelay <= TimeSpan.FromDays(1), $"{NotificationOptions.Section}:UnreadDelay must be between 0 and 1 day.")
            .Validate(o => o.DailyCap is >= 1 and <= 100, $"{NotificationOptions.Section}:DailyCap must be between 1 and 100.")
            .Validate(o => o.SweepInterval >= TimeSpan.FromMilliseconds(100), $"{NotificationOptions.Section}:SweepInterval must be at least 100 ms.")
            .Validate(o => o.PublicBaseUrl is null || Uri.TryCreate(o.PublicBaseUrl, UriKind.Absolute, out _),
                $"{NotificationOptions.Section}:PublicBaseUrl must be an absolute URL (https://chat.example-clinic.com).")
            .ValidateOnStart();
        services.TryAddSingleton<NoticeStore>();
        services.TryAddSingleton(sp => new NoticeLinks(PublicBaseUrl(configuration, sp.GetRequiredService<IHostEnvironment>()) ?? DevelopmentBaseUrl));
        services.TryAddSingleton<NoticeDispatcher>();
        services.TryAddSingleton<NoticeSweeper>();
        services.AddSingleton<ILifecycleParticipant<ISiloLifecycle>>(sp => sp.GetRequiredService<NoticeDispatcher>());
        services.AddSingleton<ILifecycleParticipant<ISiloLifecycle>>(sp => sp.GetRequiredService<NoticeSweeper>());
        return services;
    }

    /// <summary>
    /// <c>ClinicChat:Notifications:PublicBaseUrl</c>, else the onboarding links' address; in development the address the app
    /// listens on (<c>--urls</c>, <c>ASPNETCORE_URLS</c>), else a local default.
    /// </summary>
    public static string? PublicBaseUrl(IConfiguration configuration, IHostEnvironment environment) =>
        configuration[$"{NotificationOptions.Section}:{nameof(NotificationOptions.PublicBaseUrl)}"] is { Length: > 0 } notices ? notices
        : configuration["ClinicChat:Onboarding:PublicBaseUrl"] is { Length: > 0 } onboarding ? onboarding
        : environment.IsDevelopment() ? ListeningAddress(configuration["urls"]) ?? DevelopmentBaseUrl
        : null;

    /// <summary>
    /// The first address of a <c>urls</c> setting ("http://localhost:5093;https://..."), as a browser on this machine reaches it:
    /// a wildcard host ("http://*:5094", "+", 0.0.0.0, [::]) is localhost. Null when there is none or its port is chosen at start (0).
    /// </summary>
    public static string? ListeningAddress(string? urls)
    {
        var first = urls?.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).FirstOrDefault();
        if (first is null)
        {
            return null;
        }

        // "*" and "+" are not host names a URI parser takes: stand localhost in for them before parsing.
        var hostStart = first.IndexOf("://", StringComparison.Ordinal) + 3;
        var hostEnd = hostStart < 3 || hostStart >= first.Length ? -1
            : first[hostStart] == '[' ? first.IndexOf(']', hostStart) + 1
            : first.IndexOf(':', hostStart);
        var host = hostEnd <= hostStart ? null : first[hostStart..hostEnd];
        var local = host is "*" or "+" or "0.0.0.0" or "[::]" ? string.Concat(first.AsSpan(0, hostStart), "localhost", first.AsSpan(hostEnd)) : first;
        return Uri.TryCreate(local, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https" && uri.Port > 0
            ? uri.GetLeftPart(UriPartial.Authority)
            : null;
    }

    public static bool Enabled(IConfiguration configuration) =>
        configuration.GetSection(NotificationOptions.Section).Get<NotificationOptions>()?.Enabled ?? true;
}
