using System.Diagnostics;
using Npgsql;

namespace ClinicChat.Web.Tests.Cluster;

/// <summary>
/// Cluster mode for real: a throwaway PostgreSQL, the schema applied by <c>ClinicChat.Silo migrate</c>,
/// two silo processes and two web-node processes (Orleans clients), all on loopback. Each test that
/// kills something gets a cluster of its own.
/// </summary>
internal sealed class LocalCluster : IAsyncDisposable
{
    private readonly string _root;
    private readonly Dictionary<string, string> _settings;

    private LocalCluster(PostgresServer postgres, string connectionString, string root, IReadOnlyDictionary<string, string>? settings)
    {
        Postgres = postgres;
        ConnectionString = connectionString;
        _root = root;
        _settings = new Dictionary<string, string>
        {
            ["ClinicChat__Storage__Provider"] = "PostgreSql",
            ["ClinicChat__Storage__ConnectionString"] = connectionString,
            // Orleans' default membership timings: a killed silo is declared dead within about 20 s here.
            ["ClinicChat__Orleans__ClusterId"] = "test-" + Guid.NewGuid().ToString("N")[..8],
            ["Logging__LogLevel__ClinicChat.Realtime"] = "Debug",
            ["Logging__LogLevel__ClinicChat.Web.Realtime"] = "Debug",
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string>())
        {
            _settings[key] = value;
        }
    }

    public PostgresServer Postgres { get; }

    public string ConnectionString { get; }

    public List<AppProcess> Silos { get; } = [];

    public List<AppProcess> WebNodes { get; } = [];

    /// <summary>Each silo's (silo-to-silo, gateway) ports, in the order of <see cref="Silos"/>.</summary>
    public List<(int SiloPort, int GatewayPort)> SiloPorts { get; } = [];

    /// <param name="settings">Environment variables for every process on top of the cluster's own (Orleans TLS, say).</param>
    public static async Task<LocalCluster> StartAsync(IReadOnlyDictionary<string, string>? settings = null)
    {
        var postgres = await PostgresServer.StartNewAsync();
        // Four processes share the server's 100 connections.
        var connectionString = await postgres.CreateDatabaseAsync("clinicchat") + ";Maximum Pool Size=20";
        var cluster = new LocalCluster(postgres, connectionString, Path.Combine(Path.GetTempPath(), "clinicchat-cluster-" + Guid.NewGuid().ToString("N")), settings);
        try
        {
            await cluster.MigrateAsync();
            for (var i = 0; i < 2; i++)
            {
                cluster.Silos.Add(await cluster.StartSiloAsync(i));
            }

            // The first web node seeds the demo clinics; the second starts once that is done.
            for (var i = 0; i < 2; i++)
            {
                cluster.WebNodes.Add(await cluster.StartWebNodeAsync(i, port: null));
            }

            return cluster;
        }
        catch
        {
            await cluster.DisposeAsync();
            throw;
        }
    }

    /// <summary>How many times each (sender, client message id) of a conversation is stored, and whether its seqs are gapless.</summary>
    public async Task<(Dictionary<string, int> Copies, bool Gapless)> StoredAsync(Guid conversationId)
    {
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT client_message_id, seq FROM messages WHERE conversation_id = @id ORDER BY seq", connection);
        command.Parameters.AddWithValue("id", conversationId.ToString());
        var copies = new Dictionary<string, int>();
        var expected = 1L;
        var gapless = true;
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            copies[reader.GetString(0)] = copies.GetValueOrDefault(reader.GetString(0)) + 1;
            gapless &= reader.GetInt64(1) == expected++;
        }

        return (copies, gapless);
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var process in WebNodes.Concat(Silos))
        {
            process.Dispose();
        }

        await Postgres.DisposeAsync();
        if (Directory.Exists(_root))
        {
            Directory.Delete(_root, recursive: true);
        }
    }

    /// <summary>Stops silo <paramref name="index"/> gracefully (SIGTERM) and starts a new process on the same ports, as a rolling upgrade does.</summary>
    public async Task RestartSiloAsync(int index)
    {
        await Silos[index].StopAsync();
        Silos[index].Dispose();
        Silos[index] = await StartSiloProcessAsync(index, SiloPorts[index]);
    }

    /// <summary>Stops web node <paramref name="index"/> gracefully and starts a new process on the same port (the load balancer's upstream).</summary>
    public async Task RestartWebNodeAsync(int index)
    {
        var port = WebNodes[index].BaseAddress.Port;
        await WebNodes[index].StopAsync();
        WebNodes[index].Dispose();
        WebNodes[index] = await StartWebNodeAsync(index, port);
    }

    private Task<AppProcess> StartWebNodeAsync(int index, int? port) =>
        AppProcess.StartAsync(Path.Combine(_root, $"web{index}"), new Dictionary<string, string>(_settings)
        {
            ["ClinicChat__Hosting__Mode"] = "Client",
            ["ClinicChat__Seed__Demo"] = index == 0 ? "true" : "false",
        }, port: port);

    private Task<AppProcess> StartSiloAsync(int index)
    {
        var ports = (SiloPort: ClinicChatApp.FreePort(), GatewayPort: ClinicChatApp.FreePort());
        SiloPorts.Add(ports);
        return StartSiloProcessAsync(index, ports);
    }

    private Task<AppProcess> StartSiloProcessAsync(int index, (int SiloPort, int GatewayPort) ports) =>
        AppProcess.StartAsync(Path.Combine(_root, $"silo{index}"), new Dictionary<string, string>(_settings)
        {
            ["ClinicChat__Orleans__SiloPort"] = ports.SiloPort.ToString(),
            ["ClinicChat__Orleans__GatewayPort"] = ports.GatewayPort.ToString(),
        }, "ClinicChat.Silo.dll");

    private async Task MigrateAsync()
    {
        var start = new ProcessStartInfo("dotnet", [Path.Combine(AppContext.BaseDirectory, "ClinicChat.Silo.dll"), "migrate"])
        {
            WorkingDirectory = AppContext.BaseDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var (key, value) in _settings)
        {
            start.Environment[key] = value;
        }

        using var migrate = Process.Start(start)!;
        var output = migrate.StandardOutput.ReadToEndAsync();
        var errors = migrate.StandardError.ReadToEndAsync();
        await migrate.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(60));
        if (migrate.ExitCode != 0)
        {
            throw new InvalidOperationException($"migrate failed ({migrate.ExitCode}): {await output}{await errors}");
        }
    }
}
