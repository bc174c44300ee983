using ClinicChat.Access;
using ClinicChat.Attachments;
using ClinicChat.Audit;
using ClinicChat.Conversations;
using ClinicChat.Diagnostics;
using ClinicChat.Inbox;
using ClinicChat.Notices;
using ClinicChat.Notices.Email;
using ClinicChat.Notices.Sms;
using ClinicChat.Patients;
using ClinicChat.Realtime;
using ClinicChat.Records;
using ClinicChat.Storage;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using System.Net;
using Orleans.Configuration;
using Orleans.Dashboard;
using Orleans.Serialization.Configuration;

namespace ClinicChat.Hosting;

/// <summary>Everything a silo needs to host ClinicChat's grains, the same in every hosting mode.</summary>
public static class ClinicChatSiloExtensions
{
    public static ISiloBuilder AddClinicChatSilo(this ISiloBuilder silo, IConfiguration configuration, string contentRoot, bool configureClustering = true)
    {
        var orleans = configuration.GetSection(OrleansHostingOptions.Section).Get<OrleansHostingOptions>() ?? new OrleansHostingOptions();
        silo.Services.AddClinicChatStorage(configuration, contentRoot);
        var database = ChatDatabaseFactory.Create(configuration, contentRoot);

        if (configureClustering && database.Dialect.ServesCluster)
        {
            // Cluster mode: membership in the shared database; each silo advertises its own address.
            silo.UseAdoNetClustering(options =>
            {
                options.Invariant = database.OrleansInvariant;
                options.ConnectionString = database.ConnectionString;
            });
            silo.Configure<ClusterOptions>(options =>
            {
                options.ServiceId = OrleansHostingOptions.ServiceId;
                options.ClusterId = orleans.ClusterId;
            });
            var advertised = IPAddress.Parse(orleans.AdvertisedAddress);
            silo.ConfigureEndpoints(advertised, orleans.SiloPort, orleans.GatewayPort, listenOnAnyHostAddress: false);
            silo.Services.AddSingleton<ILifecycleParticipant<ISiloLifecycle>>(new SiloPortsCheck(advertised, orleans.SiloPort, orleans.GatewayPort));
            // How fast a dead silo is noticed (probes, votes): Orleans' defaults unless configured.
            silo.Services.Configure<ClusterMembershipOptions>(configuration.GetSection($"{OrleansHostingOptions.Section}:Membership"));
        }
        else if (configureClustering)
        {
            silo.UseLocalhostClustering(orleans.SiloPort, orleans.GatewayPort, serviceId: OrleansHostingOptions.ServiceId, clusterId: orleans.ClusterId);
            silo.Services.AddSingleton<ILifecycleParticipant<ISiloLifecycle>>(new SiloPortsCheck(IPAddress.Loopback, orleans.SiloPort, orleans.GatewayPort));
        }
        else
        {
            // Test clusters bring their own membership; the service id stays ours so stored keys match.
            silo.Configure<ClusterOptions>(options => options.ServiceId = OrleansHostingOptions.ServiceId);
        }

        if (OrleansTlsOptions.From(configuration) is { } tls)
        {
            var certificate = tls.LoadCertificate();
            silo.UseTls(certificate, options => tls.Configure(options, certificate));
        }

        // The schema must exist before storage providers read their queries from OrleansQuery.
        silo.Services.AddSingleton<ILifecycleParticipant<ISiloLifecycle>, SchemaMigrationParticipant>();

        silo.UseSystemTextJsonGrainStorageSerializer();
        silo.AddAdoNetGrainStorage(ChatStorage.GrainStateProvider, options =>
        {
            options.Invariant = database.OrleansInvariant;
            options.ConnectionString = database.ConnectionString;
        });
        if (database.Dialect.ServesCluster)
        {
            silo.UseAdoNetReminderService(options =>
            {
                options.Invariant = database.OrleansInvariant;
                options.ConnectionString = database.ConnectionString;
            });
        }
        else
        {
            // SQLite has no ADO.NET reminder provider: our own table (see SqliteReminderTable).
            silo.AddReminders();
            silo.Services.AddSingleton<IReminderTable, SqliteReminderTable>();
        }

        silo.Services.ChangeOrleansDefaults();
        silo.AddIncomingGrainCallFilter<StorageFaultFilter>();
        silo.Services.AddOptions<RealtimeOptions>().BindConfiguration(RealtimeOptions.Section);
        silo.Services.TryAddKeyedSingleton(ChatTime.Key, TimeProvider.System);

        // Operations: the dashboard's grains and per-silo counters (web nodes serve its pages), the
        // ClinicChat meter for the grains, and trace context carried through grain calls (free
        // while no tracer listens).
        silo.AddDashboard(TelemetryExtensions.ConfigureDashboard);
        silo.AddActivityPropagation();
        silo.Services.AddMetrics();
        silo.Services.TryAddSingleton<ChatMetrics>();
        silo.Services.AddHostedService<AuditCheckpointService>();
        silo.Services.AddNotices(configuration);
        silo.Services.AddSmtpNotices(configuration);
        silo.Services.AddTwilioNotices(configuration);
        silo.Services.AddRequiredSetting<NoticeChannelsSetting>();
        return silo;
    }

    /// <summary>
    /// What silos and cluster clients (web nodes, the operator command) alike change in Orleans' defaults:
    /// <list type="bullet">
    /// <item>Orleans checks at every start in Development that each grain method's parameter and result types have a
    /// serializer (its <c>SerializerConfigurationValidator</c>; ~0.25 s of a 3-4 s start). A missing serializer is a
    /// build-time fact, so the check runs once per build instead: <c>SerializationTests</c> in Grains.Tests runs the same
    /// analysis over the real silo's codecs and fails on any complaint.</item>
    /// <item>Grain interface types are resolved once per process (<see cref="CachedGrainInterfaceTypes"/>).</item>
    /// </list>
    /// </summary>
    public static IServiceCollection ChangeOrleansDefaults(this IServiceCollection services)
    {
        services.Configure<TypeManifestOptions>(options => options.EnableConfigurationAnalysis = false);
        return CachedGrainInterfaceTypes.AddTo(services);
    }

    /// <summary>Storage services shared by the silo and (for the identity tables) the web node.</summary>
    public static IServiceCollection AddClinicChatStorage(this IServiceCollection services, IConfiguration configuration, string contentRoot)
    {
        services.AddOptions<ChatStorageOptions>().BindConfiguration(ChatStorageOptions.Section)
            .Validate(o => !string.IsNullOrWhiteSpace(o.DataDirectory), $"{ChatStorageOptions.Section}:DataDirectory is required.")
            .Validate(o => o.MaxBatchSize is >= 1 and <= 10_000, $"{ChatStorageOptions.Section}:MaxBatchSize must be between 1 and 10000.")
            .ValidateOnStart();
        services.TryAddSingleton(_ => ChatDatabaseFactory.Create(configuration, contentRoot));
        services.TryAddSingleton(sp => new GroupCommitWriter(
            sp.GetRequiredService<ChatDatabase>(),
            sp.GetRequiredService<IOptions<ChatStorageOptions>>().Value.MaxBatchSize,
            sp.GetRequiredService<ILogger<GroupCommitWriter>>(),
            sp.GetService<ChatMetrics>()));
        services.TryAddSingleton<SchemaMigrator>();
        services.TryAddSingleton<MessageStore>();
        services.TryAddSingleton<TeamStore>();
        services.TryAddSingleton<PatientStore>();
        services.TryAddSingleton<PatientDetailsStore>();
        services.TryAddSingleton<ExternalIdStore>();
        services.TryAddSingleton<ClinicChat.Integrations.IntegrationStore>();
        services.TryAddSingleton<ClinicChatStore>();
        services.TryAddSingleton<RecordStore>();
        services.TryAddSingleton<Onboarding.OnboardingStore>();
        services.TryAddSingleton<ClinicChat.Staff.StaffStore>();
        services.TryAddSingleton<Onboarding.Portal.PortalInvitationStore>();
        services.TryAddSingleton<ThreadIndexStore>();
        services.AddOptions<AuditOptions>().BindConfiguration(AuditOptions.Section);
        services.AddRequiredSetting<AuditCheckpointKeySetting>();
        services.TryAddSingleton<AuditStore>();
        services.TryAddSingleton<ClinicChat.Clinics.ClinicSecurityStore>();
        services.TryAddSingleton<ClinicChat.Clinics.ClinicProfileStore>();
        services.TryAddSingleton<ClinicChat.QuickReplies.QuickReplyStore>();
        services.TryAddSingleton<ClinicChat.ResponseTimes.ResponseStore>();
        services.TryAddSingleton(sp => new AuditCheckpointSigner(
            sp.GetRequiredService<IOptions<AuditOptions>>().Value.CheckpointKey is { Length: > 0 } key ? key
            : sp.GetRequiredService<IHostEnvironment>().IsDevelopment() ? AuditCheckpointSigner.DevelopmentKey
            : null));
        services.AddOptions<PreviewOptions>().BindConfiguration(PreviewOptions.Section)
            .Validate(o => o.TimeoutSeconds is >= 5 and <= 600, $"{PreviewOptions.Section}:TimeoutSeconds must be between 5 and 600.")
            .Validate(o => o.MaxConcurrentRenders is >= 1 and <= 64, $"{PreviewOptions.Section}:MaxConcurrentRenders must be between 1 and 64.")
            .ValidateOnStart();
        services.TryAddSingleton(sp => new PreviewRenderer(sp.GetRequiredService<IOptions<PreviewOptions>>().Value, sp.GetRequiredService<ILogger<PreviewRenderer>>()));
        services.TryAddSingleton<IBlobStore>(sp => !sp.GetRequiredService<ChatDatabase>().Dialect.ServesCluster
            ? new FileBlobStore(ChatDatabaseFactory.DataDirectory(configuration, contentRoot), sp.GetRequiredService<PreviewRenderer>())
            : new DatabaseBlobStore(sp.GetRequiredService<ChatDatabase>(), ChatDatabaseFactory.DataDirectory(configuration, contentRoot), sp.GetRequiredService<PreviewRenderer>()));
        return services;
    }

    private sealed class SchemaMigrationParticipant(SchemaMigrator migrator, IOptions<ChatStorageOptions> options) : ILifecycleParticipant<ISiloLifecycle>
    {
        public void Participate(ISiloLifecycle lifecycle) =>
            lifecycle.Subscribe(nameof(SchemaMigrationParticipant), ServiceLifecycleStage.RuntimeInitialize, StartAsync);

        private Task StartAsync(CancellationToken cancellationToken) =>
            migrator.MigrateOrRequireCurrentAsync(options.Value.ShouldMigrateOnStart, cancellationToken);
    }
}

public static class ChatDatabaseFactory
{
    public static string DataDirectory(IConfiguration configuration, string contentRoot)
    {
        var options = configuration.GetSection(ChatStorageOptions.Section).Get<ChatStorageOptions>() ?? new ChatStorageOptions();
        return Path.GetFullPath(options.DataDirectory, contentRoot);
    }

    public static ChatDatabase Create(IConfiguration configuration, string contentRoot)
    {
        var options = configuration.GetSection(ChatStorageOptions.Section).Get<ChatStorageOptions>() ?? new ChatStorageOptions();
        return new ChatDatabase(options.Provider, options.ResolveConnectionString(contentRoot));
    }
}

/// <summary>Cluster membership settings: bound from <c>ClinicChat:Orleans</c>.</summary>
public sealed class OrleansHostingOptions
{
    public const string Section = "ClinicChat:Orleans";

    /// <summary>Part of every storage and reminder key: it must never change between releases.</summary>
    public const string ServiceId = "clinicchat";

    public string ClusterId { get; set; } = "clinicchat-embedded";

    public int SiloPort { get; set; } = 11111;

    public int GatewayPort { get; set; } = 30000;

    /// <summary>Cluster mode, web nodes: how often the list of live gateways is re-read from the membership table.</summary>
    public TimeSpan GatewayListRefreshPeriod { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>The address this silo announces to the others in cluster mode (loopback unless deployed across hosts).</summary>
    public string AdvertisedAddress { get; set; } = "127.0.0.1";
}
