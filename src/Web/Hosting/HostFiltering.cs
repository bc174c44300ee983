using ClinicChat.Hosting;
using Microsoft.AspNetCore.HostFiltering;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Primitives;

namespace ClinicChat.Web.Hosting;

/// <summary>The host names this deployment answers to (the <c>AllowedHosts</c> setting, as ASP.NET Core spells it).</summary>
public sealed class AllowedHostsOptions
{
    /// <summary>The standard ASP.NET Core key: hosts separated by ';', ports ignored, <c>*.example.com</c> for subdomains.</summary>
    public const string Key = "AllowedHosts";

    /// <summary>What a developer's machine, the tests and the benchmark reach the app by.</summary>
    public const string DevelopmentDefault = "localhost;127.0.0.1;[::1]";

    public IReadOnlyList<string> Hosts { get; set; } = [];
}

/// <summary>Outside Development the deployment's own names: any Host would defeat the same-origin checks.</summary>
public sealed class AllowedHostsSetting(IOptions<AllowedHostsOptions> options) : IRequiredSetting
{
    public IEnumerable<string> Problems()
    {
        if (options.Value.Hosts.Count == 0 || options.Value.Hosts.Contains("*"))
        {
            yield return $"{AllowedHostsOptions.Key} must list this deployment's host names outside Development (for example \"chat.example-clinic.com\"; " +
                "separate several with ';'). '*' would let any Host through, which defeats the same-origin checks (DNS rebinding).";
        }
    }
}

/// <summary>
/// Refuses requests whose <c>Host</c> is not one of this deployment's names. The same-origin checks
/// (<see cref="OriginPolicy"/>) compare a request's Origin with its own Host: with any Host accepted, a page on an
/// attacker's domain that resolves to this server (DNS rebinding) would be "same origin" with itself.
/// </summary>
/// <remarks>
/// ASP.NET Core's own host filter answers a bare 400 with an HTML body before any of the app's middleware runs; this
/// one reads the same setting and answers ProblemDetails with a code like every other refusal, so the framework's is
/// switched off (it would otherwise refuse first).
/// </remarks>
public static class HostFiltering
{
    /// <summary>Orchestrators and load balancers probe nodes by address; the probes answer no data, so any Host may ask.</summary>
    private static readonly string[] ProbePaths = ["/healthz", "/readyz"];

    public static IServiceCollection AddClinicChatHostFiltering(this IServiceCollection services)
    {
        services.AddOptions<AllowedHostsOptions>()
            .Configure<IConfiguration, IHostEnvironment>((options, configuration, environment) =>
            {
                var configured = configuration[AllowedHostsOptions.Key];
                var hosts = string.IsNullOrWhiteSpace(configured) && environment.IsDevelopment() ? AllowedHostsOptions.DevelopmentDefault : configured ?? string.Empty;
                options.Hosts = hosts.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            });
        services.AddRequiredSetting<AllowedHostsSetting>();
        services.PostConfigure<HostFilteringOptions>(options => options.AllowedHosts = ["*"]);
        return services;
    }

    public static WebApplication UseClinicChatHostFiltering(this WebApplication app)
    {
        var options = app.Services.GetRequiredService<IOptions<AllowedHostsOptions>>().Value;
        if (options.Hosts.Contains("*"))
        {
            return app;
        }

        var patterns = options.Hosts.Select(host => new StringSegment(host)).ToList();
        app.Use(async (context, next) =>
        {
            var host = context.Request.Host;
            if ((host.HasValue && HostString.MatchesAny(host.Host, patterns)) || ProbePaths.Any(path => context.Request.Path.Equals(path, StringComparison.OrdinalIgnoreCase)))
            {
                await next(context);
                return;
            }

            await ApiProblems.Problem(ApiErrors.HostNotAllowed, "Unknown host.", "This server does not answer to that host name.")
                .ExecuteAsync(context);
        });
        return app;
    }
}
