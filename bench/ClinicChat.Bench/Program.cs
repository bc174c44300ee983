using System.Diagnostics;
using ClinicChat.Bench;
using ClinicChat.Bench.Scenarios;

// Load generator for ClinicChat: real SignalR clients and the HTTP API as the web app uses them,
// against a freshly started ClinicChat.Web process, with the transport and storage floors
// measured in the same run. See bench/results/README.md and docs/benchmarks.md.
var options = BenchOptions.Parse(args);
var repositoryRoot = RepositoryRoot();
// The bench's own configuration (bin/<config>/net10.0) picks which ClinicChat.Web build to run.
var configuration = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar)).Parent!.Name;
var webProject = Path.Combine(repositoryRoot, "src", "Web", "Web.csproj");
var webAssembly = Path.Combine(repositoryRoot, "src", "Web", "bin", configuration, "net10.0", "ClinicChat.Web.dll");

if (!options.SkipBuild)
{
    Console.WriteLine($"Building ClinicChat.Web ({configuration})…");
    using var build = Process.Start("dotnet", ["build", webProject, "-c", configuration, "-v", "quiet", "-nologo"]);
    await build.WaitForExitAsync();
    if (build.ExitCode != 0)
    {
        return build.ExitCode;
    }
}

var report = new BenchReport(options, MachineInfo.Describe(repositoryRoot));
Console.WriteLine($"Scenario {options.Scenario}{(options.Quick ? " (quick)" : "")} against {webAssembly}");

if (options.Runs("clinic-day"))
{
    Console.WriteLine("Clinic day (ClinicChat, embedded, fresh process):");
    report.ClinicDay.AddRange(await new ClinicDayScenario(options, webAssembly).RunAsync());
}

if (options.Runs("floors") || options.Runs("clinic-day"))
{
    Console.WriteLine("Transport floor (bare SignalR relay in this process):");
    report.RelayFloor.AddRange(await new RelayFloorScenario(options).RunAsync());
}

if (options.Runs("floors"))
{
    Console.WriteLine("Storage floor (SQLite, WAL, synchronous=FULL):");
    report.StorageFloor.AddRange(await new StorageFloorScenario(options).RunAsync());
}

if (options.Runs("history"))
{
    Console.WriteLine($"Long history (0 vs {options.HistoryLength:N0} existing messages):");
    report.History.AddRange(await new HistoryScenario(options, webAssembly).RunAsync());
}

if (options.Runs("connections"))
{
    Console.WriteLine($"Connections ({options.IdleConnections:N0} idle patient hub connections):");
    report.Connections = await new ConnectionsScenario(options, webAssembly).RunAsync();
}

if (options.Runs("cold-start"))
{
    Console.WriteLine("Cold start:");
    report.ColdStart = await new ColdStartScenario(webAssembly).RunAsync();
}

var (json, markdown) = report.Write(Path.Combine(repositoryRoot, "bench", "results"));
Console.WriteLine();
Console.WriteLine(report.ToMarkdown());
Console.WriteLine($"Wrote {json} and {markdown}");
return 0;

static string RepositoryRoot()
{
    for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
    {
        if (File.Exists(Path.Combine(folder.FullName, "ClinicChat.sln")))
        {
            return folder.FullName;
        }
    }

    throw new InvalidOperationException("Run the harness from inside the ClinicChat repository (ClinicChat.sln not found above the binary).");
}
