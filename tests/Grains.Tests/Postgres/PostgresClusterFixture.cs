using ClinicChat.Hosting;
using ClinicChat.Tests.Shared;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using Orleans.Storage;
using Orleans.TestingHost;

namespace ClinicChat.Tests.Postgres;

/// <summary>
/// A throwaway PostgreSQL with our schema applied, and a two-silo test cluster whose membership,
/// reminders and grain storage are Orleans' ADO.NET providers on it: cluster mode in miniature.
/// </summary>
public sealed class PostgresClusterFixture : IAsyncLifetime
{
    public const string StorageName = "postgres";

    private const string ConnectionStringKey = "PostgresTests:ConnectionString";

    public PostgresServer Server { get; private set; } = null!;

    public string ConnectionString { get; private set; } = null!;

    public string ClusterId { get; } = "pg-" + Guid.NewGuid().ToString("N")[..12];

    public TestCluster Cluster { get; private set; } = null!;

    public IGrainFactory Grains => Cluster.GrainFactory;

    /// <summary>The first silo's services: Orleans' providers as the silo configured them.</summary>
    public IServiceProvider SiloServices => ((InProcessSiloHandle)Cluster.Silos[0]).SiloHost.Services;

    /// <summary>The grain storage provider as a silo has it: lets a test write as a second, competing writer.</summary>
    public IGrainStorage Storage => SiloServices.GetRequiredKeyedService<IGrainStorage>(StorageName);

    public static Task MigrateAsync(string connectionString) =>
        new SchemaMigrator(new ChatDatabase(StorageProvider.PostgreSql, connectionString), NullLogger<SchemaMigrator>.Instance).MigrateAsync();

    /// <summary>A database of its own on the fixture's server (its name starts with <paramref name="prefix"/>), migrated.</summary>
    public async Task<ChatDatabase> MigratedDatabaseAsync(string prefix)
    {
        var connectionString = await Server.CreateDatabaseAsync(prefix + Guid.NewGuid().ToString("N")[..12]);
        await MigrateAsync(connectionString);
        return new ChatDatabase(StorageProvider.PostgreSql, connectionString);
    }

    /// <summary>Reads rows straight from the database: tests assert what was stored, not only what Orleans says.</summary>
    public async Task<IReadOnlyList<T>> QueryAsync<T>(string sql, Func<NpgsqlDataReader, T> map, params (string Name, object Value)[] parameters)
    {
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value);
        }

        var rows = new List<T>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            rows.Add(map(reader));
        }

        return rows;
    }

    public async Task InitializeAsync()
    {
        Server = await PostgresServer.StartNewAsync();
        ConnectionString = await Server.CreateDatabaseAsync("clinicchat");
        await MigrateAsync(ConnectionString);

        var builder = new TestClusterBuilder(2);
        builder.Options.ServiceId = OrleansHostingOptions.ServiceId;
        builder.Options.ClusterId = ClusterId;
        // Membership comes from PostgreSQL, and silos and client talk over real sockets on the ports
        // the builder reserved for each silo.
        builder.Options.UseTestClusterMembership = false;
        builder.Options.ConnectionTransport = ConnectionTransportType.TcpSocket;
        builder.Properties[ConnectionStringKey] = ConnectionString;
        builder.AddSiloBuilderConfigurator<SiloConfigurator>();
        builder.AddClientBuilderConfigurator<ClientConfigurator>();
        Cluster = builder.Build();
        await Cluster.DeployAsync();
    }

    public async Task DisposeAsync()
    {
        if (Cluster is not null)
        {
            await Cluster.StopAllSilosAsync();
            await Cluster.DisposeAsync();
        }

        NpgsqlConnection.ClearAllPools();
        if (Server is not null)
        {
            await Server.DisposeAsync();
        }
    }

    private static ChatDatabase DatabaseOf(IConfiguration configuration) => new(
        StorageProvider.PostgreSql,
        configuration[ConnectionStringKey] ?? throw new InvalidOperationException($"{ConnectionStringKey} is not configured."));

    private sealed class SiloConfigurator : ISiloConfigurator
    {
        public void Configure(ISiloBuilder siloBuilder)
        {
            var database = DatabaseOf(siloBuilder.Configuration);
            siloBuilder.UseAdoNetClustering(options =>
            {
                options.Invariant = database.OrleansInvariant;
                options.ConnectionString = database.ConnectionString;
            });
            siloBuilder.UseAdoNetReminderService(options =>
            {
                options.Invariant = database.OrleansInvariant;
                options.ConnectionString = database.ConnectionString;
            });
            siloBuilder.UseSystemTextJsonGrainStorageSerializer();
            siloBuilder.AddAdoNetGrainStorage(StorageName, options =>
            {
                options.Invariant = database.OrleansInvariant;
                options.ConnectionString = database.ConnectionString;
            });
        }
    }

    private sealed class ClientConfigurator : IClientBuilderConfigurator
    {
        public void Configure(IConfiguration configuration, IClientBuilder clientBuilder)
        {
            var database = DatabaseOf(configuration);
            clientBuilder.UseAdoNetClustering(options =>
            {
                options.Invariant = database.OrleansInvariant;
                options.ConnectionString = database.ConnectionString;
            });
        }
    }
}

[CollectionDefinition(Name)]
public sealed class PostgresClusterCollection : ICollectionFixture<PostgresClusterFixture>
{
    public const string Name = "postgres cluster";
}
