using ClinicChat.Attachments;
using ClinicChat.Hosting;
using Microsoft.Extensions.DependencyInjection.Extensions;
using ClinicChat.Storage;
using ClinicChat.Web.Realtime;
using Orleans.Configuration;
using Orleans.Dashboard;

namespace ClinicChat.Web.Hosting;

public enum HostingMode
{
    /// <summary>One process: this web app co-hosts the silo. The default.</summary>
    Embedded = 0,

    /// <summary>This web app is an Orleans client of separately running src/Silo processes.</summary>
    Client = 1,
}

public static class OrleansHostingExtensions
{
    public const string ModeKey = "ClinicChat:Hosting:Mode";

    /// <summary>
    /// Co-hosts the silo or connects as a client. The two cannot share a host (UseOrleans and
    /// UseOrleansClient are exclusive), so the mode is chosen once, by configuration.
    /// </summary>
    public static WebApplicationBuilder AddClinicChatOrleans(this WebApplicationBuilder builder)
    {
        var mode = builder.Configuration.GetValue(ModeKey, HostingMode.Embedded);
        var contentRoot = builder.Environment.ContentRootPath;
        if (mode == HostingMode.Embedded)
        {
            builder.UseOrleans(silo => silo.AddClinicChatSilo(builder.Configuration, contentRoot));
        }
        else
        {
            var database = ChatDatabaseFactory.Create(builder.Configuration, contentRoot);
            builder.UseOrleansClient(client =>
            {
                client.UseClinicChatCluster(builder.Configuration, database);
                client.AddClusterConnectionStatusObserver<ClusterConnectionWatcher>()
                    // The dashboard's pages and API on this node; its data comes from the silos' dashboard grains.
                    .AddDashboard(TelemetryExtensions.ConfigureDashboard)
                    .AddActivityPropagation();
            });
        }

        builder.Services.AddClinicChatStorage(builder.Configuration, contentRoot);
        // A web-tier service (it needs the grain factory, which a silo-only process such as verify-audit does not have).
        builder.Services.TryAddSingleton<IAttachmentIntake, AttachmentIntake>();
        // The product clock for web-side decisions too (the re-authentication window), replaceable in tests.
        builder.Services.TryAddKeyedSingleton(ChatTime.Key, TimeProvider.System);
        return builder;
    }

    /// <summary>
    /// How a client finds the cluster's gateways (membership table on PostgreSQL, this machine's
    /// gateway port on SQLite) and speaks TLS where the silos do: web nodes in client mode and the
    /// operator command share it.
    /// </summary>
    public static IClientBuilder UseClinicChatCluster(this IClientBuilder client, IConfiguration configuration, ChatDatabase database)
    {
        client.Services.ChangeOrleansDefaults();
        var orleans = configuration.GetSection(OrleansHostingOptions.Section).Get<OrleansHostingOptions>() ?? new OrleansHostingOptions();
        if (database.Provider == StorageProvider.PostgreSql)
        {
            // Gateways are found in the membership table: any live silo serves this web node.
            client.UseAdoNetClustering(options =>
            {
                options.Invariant = database.OrleansInvariant;
                options.ConnectionString = database.ConnectionString;
            });
            client.Configure<ClusterOptions>(options =>
            {
                options.ServiceId = OrleansHostingOptions.ServiceId;
                options.ClusterId = orleans.ClusterId;
            });
            // Until the gateway list is refreshed from the membership table, calls that hash to
            // a dead silo's gateway keep failing; Orleans' default (one minute) measured ~100 s
            // of failed calls after a kill -9. Refreshing every few seconds costs one query.
            client.Configure<GatewayOptions>(options => options.GatewayListRefreshPeriod = orleans.GatewayListRefreshPeriod);
        }
        else
        {
            client.UseLocalhostClustering(orleans.GatewayPort, serviceId: OrleansHostingOptions.ServiceId, clusterId: orleans.ClusterId);
        }

        if (OrleansTlsOptions.From(configuration) is { } tls)
        {
            var certificate = tls.LoadCertificate();
            client.UseTls(certificate, options => tls.Configure(options, certificate));
        }

        return client;
    }
}
