using System.Globalization;
using ClinicChat.Tests.Shared;

namespace ClinicChat.Bench;

/// <summary>
/// What a scenario runs against, started fresh for each scenario: embedded mode (one process,
/// SQLite) by default, or with <c>--cluster</c> a throwaway PostgreSQL, two silos and two web nodes.
/// </summary>
public sealed class BenchTarget(string webAssembly, bool cluster)
{
    private string SiloAssembly => Path.Combine(Path.GetDirectoryName(webAssembly)!, "ClinicChat.Silo.dll");

    public bool IsCluster => cluster;

    public string WebAssembly => webAssembly;

    public string Describe() => cluster ? "cluster: PostgreSQL + 2 silos + 2 web nodes" : "embedded: one process, SQLite";

    /// <param name="settings">Extra configuration for every process (e.g. a bigger generated patient population).</param>
    public async Task<RunningTarget> StartAsync(IReadOnlyDictionary<string, string>? settings = null)
    {
        var target = new RunningTarget();
        try
        {
            if (cluster)
            {
                await StartClusterAsync(target, settings ?? new Dictionary<string, string>());
            }
            else
            {
                var web = LaunchWebNode(target, EmbeddedSettings(target, settings));
                await web.WaitUntilReadyAsync();
            }

            return target;
        }
        catch
        {
            await target.DisposeAsync();
            throw;
        }
    }

    /// <summary>Embedded mode, launched but not awaited (cold start times the readiness itself).</summary>
    public RunningTarget LaunchEmbedded()
    {
        var target = new RunningTarget();
        LaunchWebNode(target, EmbeddedSettings(target, null));
        return target;
    }

    private static Dictionary<string, string> EmbeddedSettings(RunningTarget target, IReadOnlyDictionary<string, string>? extra)
    {
        var settings = CommonSettings(target.NewFolder("web"));
        settings["ClinicChat__Seed__Demo"] = "true";
        foreach (var (key, value) in extra ?? new Dictionary<string, string>())
        {
            settings[key] = value;
        }

        return settings;
    }

    private async Task StartClusterAsync(RunningTarget target, IReadOnlyDictionary<string, string> extra)
    {
        Console.WriteLine("  starting PostgreSQL, migrating, 2 silos, 2 web nodes…");
        target.Postgres = await PostgresServer.StartNewAsync();
        // Four processes share the server's 100 connections.
        var connectionString = await target.Postgres.CreateDatabaseAsync("clinicchat") + ";Maximum Pool Size=20";
        var shared = new Dictionary<string, string>(extra)
        {
            ["ClinicChat__Storage__Provider"] = "PostgreSql",
            ["ClinicChat__Storage__ConnectionString"] = connectionString,
            ["ClinicChat__Orleans__ClusterId"] = "bench-" + Guid.NewGuid().ToString("N")[..8],
        };

        await ChatProcess.RunToEndAsync(SiloAssembly, Merge(CommonSettings(target.NewFolder("migrate")), shared), "migrate");
        var silos = new List<(ChatProcess Process, int GatewayPort)>();
        for (var i = 0; i < 2; i++)
        {
            var settings = Merge(CommonSettings(target.NewFolder($"silo{i}")), shared);
            var silo = ChatProcess.Launch(SiloAssembly, settings);
            target.Processes.Add(silo);
            silos.Add((silo, int.Parse(settings["ClinicChat__Orleans__GatewayPort"], CultureInfo.InvariantCulture)));
        }

        foreach (var (silo, gatewayPort) in silos)
        {
            await silo.WaitForPortAsync(gatewayPort);
        }

        // The first web node seeds the demo clinics (once per database); the second starts after it.
        for (var i = 0; i < 2; i++)
        {
            var settings = Merge(CommonSettings(target.NewFolder($"web{i}")), shared);
            settings["ClinicChat__Hosting__Mode"] = "Client";
            settings["ClinicChat__Seed__Demo"] = i == 0 ? "true" : "false";
            await LaunchWebNode(target, settings).WaitUntilReadyAsync();
        }
    }

    private ChatProcess LaunchWebNode(RunningTarget target, Dictionary<string, string> settings)
    {
        var web = ChatProcess.Launch(webAssembly, settings, new Uri(settings["Urls"]));
        target.Processes.Add(web);
        target.WebNodes.Add(web);
        return web;
    }

    private static Dictionary<string, string> CommonSettings(string folder) => new()
    {
        ["ASPNETCORE_ENVIRONMENT"] = "Development",
        // The stand-alone silo is a generic host: it reads DOTNET_ENVIRONMENT, not ASPNETCORE_ENVIRONMENT.
        ["DOTNET_ENVIRONMENT"] = "Development",
        // Any of Urls, ASPNETCORE_URLS or ASPNETCORE_HTTP_PORTS works: appsettings.json sets no port.
        ["Urls"] = $"http://127.0.0.1:{ChatProcess.FreePort()}",
        ["ClinicChat__Storage__DataDirectory"] = folder,
        ["ClinicChat__Orleans__SiloPort"] = ChatProcess.FreePort().ToString(CultureInfo.InvariantCulture),
        ["ClinicChat__Orleans__GatewayPort"] = ChatProcess.FreePort().ToString(CultureInfo.InvariantCulture),
        ["ClinicChat__Seed__Demo"] = "false",
        // A few accounts send and sign in at thousands of requests a second from one address: the
        // per-user and per-address limits that protect a real deployment would measure themselves.
        ["ClinicChat__RateLimits__Enabled"] = "false",
        // Two staff accounts hold all the staff tabs (25 each at full size): above a person's cap of 20 per node.
        ["ClinicChat__Realtime__MaxConnectionsPerUser"] = "1000",
    };

    private static Dictionary<string, string> Merge(Dictionary<string, string> settings, IReadOnlyDictionary<string, string> more)
    {
        foreach (var (key, value) in more)
        {
            settings[key] = value;
        }

        return settings;
    }
}

/// <summary>The processes of one started target; disposing kills them and deletes their folders.</summary>
public sealed class RunningTarget : IAsyncDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "clinicchat-bench-" + Guid.NewGuid().ToString("N"));

    internal List<ChatProcess> Processes { get; } = [];

    internal List<ChatProcess> WebNodes { get; } = [];

    internal PostgresServer? Postgres { get; set; }

    /// <summary>Every ClinicChat process of the target (web nodes and silos; PostgreSQL's own processes are not counted).</summary>
    public ProcessMeter Meter => new([.. Processes.Select(p => p.ProcessId)]);

    public ChatProcess FirstWebNode => WebNodes[0];

    /// <summary>Web node <paramref name="index"/> modulo the number of nodes: clients spread over nodes as a load balancer would.</summary>
    public Uri BaseAddress(int index) => WebNodes[index % WebNodes.Count].BaseAddress!;

    /// <summary>Kills the first web node and starts it again on the same data (not awaited: the caller times readiness).</summary>
    public async Task<ChatProcess> RestartFirstWebNodeAsync()
    {
        var restarted = await WebNodes[0].RestartAsync();
        Processes[Processes.IndexOf(WebNodes[0])] = restarted;
        WebNodes[0] = restarted;
        return restarted;
    }

    internal string NewFolder(string name)
    {
        var folder = Path.Combine(_root, name);
        Directory.CreateDirectory(folder);
        return folder;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var process in Processes)
        {
            await process.DisposeAsync();
        }

        if (Postgres is not null)
        {
            await Postgres.DisposeAsync();
        }

        try
        {
            Directory.Delete(_root, recursive: true);
        }
        catch (IOException)
        {
            // A leftover temp folder is harmless.
        }
    }
}
