using System.Reflection;
using ClinicChat.Patients;
using ClinicChat.Storage;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace ClinicChat.Web.Hosting;

public static class HealthEndpoints
{
    private const string ReadyTag = "ready";

    public static IServiceCollection AddClinicChatHealthChecks(this IServiceCollection services)
    {
        services.AddHealthChecks()
            .AddCheck<DatabaseHealthCheck>("database", tags: [ReadyTag])
            .AddCheck<GrainsHealthCheck>("grains", tags: [ReadyTag]);
        return services;
    }

    /// <summary>
    /// /healthz: the process is alive, and which build it runs (version and git commit, so that an operator
    /// sees what a node runs during a rolling upgrade). /readyz: the database answers and a grain call round-trips.
    /// </summary>
    public static WebApplication MapClinicChatHealth(this WebApplication app)
    {
        app.MapHealthChecks("/healthz", new()
        {
            Predicate = _ => false,
            ResponseWriter = (context, report) => context.Response.WriteAsJsonAsync(
                new HealthReportDto(report.Status.ToString(), BuildInfo.Current.Version, BuildInfo.Current.Commit)),
        });
        app.MapHealthChecks("/readyz", new() { Predicate = check => check.Tags.Contains(ReadyTag) });
        return app;
    }

    private sealed record HealthReportDto(string Status, string Version, string Commit);

    private sealed class DatabaseHealthCheck(ChatDatabase database) : IHealthCheck
    {
        public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
        {
            try
            {
                await using var connection = await database.OpenAsync(cancellationToken);
                await using var command = connection.CreateCommand();
                command.CommandText = "SELECT 1";
                await command.ExecuteScalarAsync(cancellationToken);
                return HealthCheckResult.Healthy();
            }
            catch (Exception exception)
            {
                return HealthCheckResult.Unhealthy("The database is not reachable.", exception);
            }
        }
    }

    private sealed class GrainsHealthCheck(IGrainFactory grains) : IHealthCheck
    {
        public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
        {
            try
            {
                await grains.GetGrain<IClinicDirectoryGrain>(Guid.Empty).GetInfoAsync().WaitAsync(TimeSpan.FromSeconds(5), cancellationToken);
                return HealthCheckResult.Healthy();
            }
            catch (Exception exception)
            {
                return HealthCheckResult.Unhealthy("The silo does not answer.", exception);
            }
        }
    }
}

/// <summary>
/// The build this process runs. The SDK writes the informational version as <c>version+commit</c> when it builds
/// from a git clone (SourceLink's SourceRevisionId); a build without git has no commit, reported as "unknown".
/// </summary>
public sealed record BuildInfo(string Version, string Commit)
{
    public const string UnknownCommit = "unknown";

    public static BuildInfo Current { get; } = Parse(
        typeof(BuildInfo).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion);

    public static BuildInfo Parse(string? informationalVersion)
    {
        if (string.IsNullOrWhiteSpace(informationalVersion))
        {
            return new BuildInfo("unknown", UnknownCommit);
        }

        var plus = informationalVersion.IndexOf('+', StringComparison.Ordinal);
        return plus < 0
            ? new BuildInfo(informationalVersion, UnknownCommit)
            : new BuildInfo(informationalVersion[..plus], informationalVersion[(plus + 1)..] is { Length: > 0 } commit ? commit : UnknownCommit);
    }
}
