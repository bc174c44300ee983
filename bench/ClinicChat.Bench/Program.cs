using System.Diagnostics;
using ClinicChat.Bench;
using ClinicChat.Bench.Scenarios;

// Load generator for ClinicChat: real SignalR clients and the HTTP API as the web app uses them,
// against a freshly started ClinicChat.Web process, with the transport and storage floors
// measured in the same run. See bench/results/README.md and docs/benchmarks.md.
if (args is [RelayFloorScenario.ServerCommand, var relayPort])
{
    await RelayFloorScenario.ServeAsync(int.Parse(relayPort, System.Globalization.CultureInfo.InvariantCulture));
    return 0;
}

var options = BenchOptions.Parse(args);
var repositoryRoot = RepositoryRoot();
// The bench's own configuration (bin/<config>/net10.0) picks which ClinicChat.Web build to run. Release measures what an
// operator installs, `dotnet publish src/Web -c Release` (ReadyToRun; start-up and warm-up differ from a plain build);
// Debug, which the smoke run in the tests uses, measures the build output the tests have just built.
var configuration = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar)).Parent!.Name;
var published = configuration == "Release";
var webProject = Path.Combine(repositoryRoot, "src", "Web", "Web.csproj");
var webFolder = published
    ? Path.Combine(repositoryRoot, "bench", "obj", "published-web")
    : Path.Combine(repositoryRoot, "src", "Web", "bin", configuration, "net10.0");
var webAssembly = Path.Combine(webFolder, "ClinicChat.Web.dll");

if (!options.SkipBuild)
{
    Console.WriteLine(published ? $"Publishing ClinicChat.Web (Release) to {webFolder}…" : $"Building ClinicChat.Web ({configuration})…");
    string[] command = published
        ? ["publish", webProject, "-c", configuration, "-o", webFolder, "-v", "quiet", "-nologo"]
        : ["build", webProject, "-c", configuration, "-v", "quiet", "-nologo"];
    using var build = Process.Start("dotnet", command);
    await build.WaitForExitAsync();
    if (build.ExitCode != 0)
    {
        return build.ExitCode;
    }
}
else if (!File.Exists(webAssembly))
{
    Console.Error.WriteLine($"--no-build, but there is no {webAssembly}: run once without --no-build.");
    return 2;
}

var report = new BenchReport(options, MachineInfo.Describe(repositoryRoot));
var target = new BenchTarget(webAssembly, options.Cluster);
Console.WriteLine($"Scenario {options.Scenario} ({options.Size} size) against {webAssembly}, {target.Describe()}");

if (options.Runs("clinic-day"))
{
    Console.WriteLine("Clinic day (ClinicChat, fresh start):");
    var day = await new ClinicDayScenario(options, target).RunAsync();
    report.ClinicDay.AddRange(day.Steps);
    report.StoredCheck = day.Check;
    report.ReceiptErrors += day.ReceiptErrors;
}

if (options.Runs("one-account"))
{
    var oneAccount = new ClinicDayScenario(options, target, oneAccount: true);
    Console.WriteLine($"Clinic day, one account sending ({oneAccount.Target}; fresh start):");
    var day = await oneAccount.RunAsync();
    report.OneAccount.AddRange(day.Steps);
    report.OneAccountCheck = day.Check;
    report.ReceiptErrors += day.ReceiptErrors;
}

if (options.Runs("floors") || options.Runs("clinic-day") || options.Runs("one-account"))
{
    Console.WriteLine("Transport floor (bare SignalR relay, a server process of its own):");
    report.RelayFloor.AddRange(await new RelayFloorScenario(options).RunAsync());
}

if (options.Runs("floors"))
{
    Console.WriteLine(options.Cluster ? "Storage floor (PostgreSQL, fsync and synchronous_commit on):" : "Storage floor (SQLite, WAL, synchronous=FULL):");
    report.StorageFloor.AddRange(await new StorageFloorScenario(options).RunAsync());
}

if (options.Runs("history"))
{
    Console.WriteLine($"Long history (0 vs {options.HistoryLength:N0} messages; inbox of {options.InboxThreads:N0} threads; search over {options.SearchPopulation:N0} patients):");
    var history = await new HistoryScenario(options, target).RunAsync();
    report.History.AddRange(history.Appends);
    report.Lookups.AddRange(history.Lookups);
}

if (options.Runs("connections"))
{
    Console.WriteLine($"Connections (idle patient hub connections: {string.Join(", ", options.IdleConnectionLevels.Select(n => n.ToString("N0")))}):");
    report.Connections = await new ConnectionsScenario(options, target).RunAsync();
}

if (options.Runs("cold-start") && !options.Cluster)
{
    Console.WriteLine("Cold start (embedded):");
    report.ColdStart = await new ColdStartScenario(target).RunAsync();
}

if (options.Runs("notices-smtp"))
{
    Console.WriteLine("Email notices (outbox → NoticeDispatcher → SmtpNoticeSender → SMTP sink on loopback, in this process):");
    report.NoticesSmtp = await new NoticesSmtpScenario(options).RunAsync();
}

// By name only: ten bundles of 1,000 entries per phase is an EHR's day, not part of "all" or the smoke run.
if (options.Scenario == "fhir-import")
{
    Console.WriteLine("FHIR import (transaction bundles of 1,000 entries: 200 Patients, 800 Appointments):");
    report.FhirImport.AddRange(await new FhirImportScenario(target, options.Size == "quick" ? 3 : 10).RunAsync());
}

Console.WriteLine();
Console.WriteLine(report.ToMarkdown());
if (options.IsSmoke)
{
    // CI: the harness must run end to end and the data must be right; timings are not judged.
    var problems = report.SmokeProblems();
    foreach (var problem in problems)
    {
        Console.Error.WriteLine("Smoke check failed: " + problem);
    }

    Console.WriteLine(problems.Count == 0 ? "Smoke run: every scenario ran and the stored data is correct." : "");
    return problems.Count == 0 ? 0 : 1;
}

var (json, markdown) = report.Write(Path.Combine(repositoryRoot, "bench", "results"));
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
