using System.Diagnostics.Metrics;
using System.Net;
using ClinicChat.Diagnostics;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;
using Orleans.Dashboard;

namespace ClinicChat.Hosting;

/// <summary>
/// Metrics and traces, the same for web nodes and silos. Metrics are collected only when someone can
/// read them (a Prometheus port or an OTLP endpoint is configured); traces only when an OTLP endpoint
/// is, so that without one no ActivityListener exists and every span start is a null check.
/// </summary>
public static class TelemetryExtensions
{
    /// <summary>The standard OpenTelemetry variable; the OTLP exporter reads it (and its siblings) itself.</summary>
    public const string OtlpEndpointKey = "OTEL_EXPORTER_OTLP_ENDPOINT";

    /// <summary>Orleans' meter: activations, grain calls, messaging, storage latency.</summary>
    public const string OrleansMeter = "Microsoft.Orleans";

    /// <summary>Orleans' spans for application grain calls and grain storage (with activity propagation on).</summary>
    public static readonly string[] OrleansSources = ["Microsoft.Orleans.Application", "Microsoft.Orleans.Storage"];

    public static IServiceCollection AddClinicChatTelemetry(
        this IServiceCollection services,
        IConfiguration configuration,
        string serviceName,
        Action<MeterProviderBuilder>? metrics = null,
        Action<TracerProviderBuilder>? tracing = null)
    {
        services.AddMetrics();
        services.TryAddSingleton<ChatMetrics>();
        services.AddOptions<MetricsOptions>().BindConfiguration(MetricsOptions.Section)
            .Validate(o => o.Port is null or > 0 and <= 65535, $"{MetricsOptions.Section}:Port must be a TCP port.")
            .Validate(o => IPAddress.TryParse(o.Address, out _), $"{MetricsOptions.Section}:Address must be an IP address.")
            .ValidateOnStart();

        var prometheus = configuration.GetSection(MetricsOptions.Section).Get<MetricsOptions>()?.Port is not null;
        var otlp = !string.IsNullOrWhiteSpace(configuration[OtlpEndpointKey]);
        if (!prometheus && !otlp)
        {
            return services;
        }

        var telemetry = services.AddOpenTelemetry().ConfigureResource(resource => resource.AddService(serviceName));
        telemetry.WithMetrics(builder =>
        {
            builder.AddMeter(ChatMetrics.MeterName, OrleansMeter).AddRuntimeInstrumentation();
            ((IDeferredMeterProviderBuilder)builder).Configure((provider, b) => b.AddView(ThisHostOnly(provider.GetRequiredService<IMeterFactory>())));
            metrics?.Invoke(builder);
            if (prometheus)
            {
                // No response cache (the exporter keeps each scrape's answer 300 ms by default): one Prometheus scrapes
                // every few seconds at most, and a cached answer showed an operator's (or a test's) second look values
                // from before what it had just done.
                builder.AddPrometheusExporter(prometheusOptions => prometheusOptions.ScrapeResponseCacheDurationMilliseconds = 0);
            }

            if (otlp)
            {
                builder.AddOtlpExporter();
            }
        });

        if (otlp)
        {
            telemetry.WithTracing(builder =>
            {
                builder.AddSource(ChatTracing.SourceName).AddSource(OrleansSources);
                tracing?.Invoke(builder);
                builder.AddOtlpExporter();
            });
        }

        if (prometheus)
        {
            services.AddHostedService<PrometheusEndpoint>();
        }

        return services;
    }

    /// <summary>
    /// A view that drops instruments another host in this process created. A MeterProvider listens to meters by name
    /// across the whole process (.NET's MeterListener is global), so with two hosts in one process (the tests, a silo and
    /// a web node side by side) each would export the other's counts too, and an up-down counter such as open
    /// connections would add the other host's closes to its own opens. Instruments of a meter from this host's
    /// IMeterFactory and instruments of no host (static meters: the runtime's) stay.
    /// </summary>
    public static Func<Instrument, MetricStreamConfiguration?> ThisHostOnly(IMeterFactory ours) =>
        instrument => instrument.Meter.Scope is IMeterFactory theirs && !ReferenceEquals(theirs, ours) ? MetricStreamConfiguration.Drop : null;

    /// <summary>
    /// The dashboard's live log stream would show every log line of the cluster to anyone who may open
    /// the dashboard; log lines may name ids of patients. It stays off on silos and web nodes alike.
    /// </summary>
    public static void ConfigureDashboard(DashboardOptions options) => options.HideTrace = true;
}

/// <summary>Where Prometheus scrapes: bound from <c>ClinicChat:Metrics</c>.</summary>
public sealed class MetricsOptions
{
    public const string Section = "ClinicChat:Metrics";

    /// <summary>The port of the scrape endpoint (<c>/metrics</c>); none means no endpoint.</summary>
    public int? Port { get; set; }

    /// <summary>Loopback by default: the endpoint has no authentication, so only this machine may reach it.</summary>
    public string Address { get; set; } = IPAddress.Loopback.ToString();
}

/// <summary>
/// The Prometheus scrape endpoint on a listener of its own (<c>ClinicChat:Metrics:Port</c>), never
/// on the public port: Prometheus does not sign in, and the public port is the load balancer's.
/// </summary>
internal sealed partial class PrometheusEndpoint(IOptions<MetricsOptions> options, MeterProvider meterProvider, ILogger<PrometheusEndpoint> logger)
    : IHostedService, IAsyncDisposable
{
    public const string Path = "/metrics";

    private WebApplication? _listener;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (options.Value.Port is not { } port)
        {
            return;
        }

        // An empty builder: no configuration sources (the host's Urls must not apply here), no
        // logging, no routing; Kestrel and one middleware.
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
        var address = IPAddress.Parse(options.Value.Address);
        builder.WebHost.UseKestrelCore().ConfigureKestrel(kestrel => kestrel.Listen(address, port));
        var listener = builder.Build();
        listener.UseOpenTelemetryPrometheusScrapingEndpoint(meterProvider, predicate: null, Path, configureBranchedPipeline: null, optionsName: null);
        await listener.StartAsync(cancellationToken);
        _listener = listener;
        LogListening(address.ToString(), port);
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_listener is not null)
        {
            await _listener.StopAsync(cancellationToken);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_listener is not null)
        {
            await _listener.DisposeAsync();
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Prometheus metrics at http://{Address}:{Port}/metrics.")]
    private partial void LogListening(string address, int port);
}
