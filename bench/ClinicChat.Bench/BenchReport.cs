using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using ClinicChat.Bench.Scenarios;

namespace ClinicChat.Bench;

public sealed record MachineInfo(string Cpu, int Cores, string Memory, string Os, string Runtime, string Commit)
{
    public static MachineInfo Describe(string repositoryRoot) => new(
        ProcLine("/proc/cpuinfo", "model name") ?? "unknown",
        Environment.ProcessorCount,
        ProcLine("/proc/meminfo", "MemTotal") ?? "unknown",
        RuntimeInformation.OSDescription,
        RuntimeInformation.FrameworkDescription,
        Git(repositoryRoot, "rev-parse --short HEAD"));

    private static string? ProcLine(string path, string key) =>
        File.Exists(path) ? File.ReadLines(path).FirstOrDefault(l => l.StartsWith(key, StringComparison.Ordinal))?.Split(':', 2)[1].Trim() : null;

    private static string Git(string folder, string arguments)
    {
        try
        {
            using var git = System.Diagnostics.Process.Start(new System.Diagnostics.ProcessStartInfo("git", arguments)
            {
                WorkingDirectory = folder,
                RedirectStandardOutput = true,
            })!;
            var output = git.StandardOutput.ReadToEnd().Trim();
            git.WaitForExit();
            return output;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return "unknown";
        }
    }
}

/// <summary>Everything one run measured; written as JSON and as Markdown tables.</summary>
public sealed class BenchReport(BenchOptions options, MachineInfo machine)
{
    private static readonly JsonSerializerOptions Json = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    public DateTimeOffset StartedAt { get; } = DateTimeOffset.UtcNow;

    public BenchOptions Options { get; } = options;

    public MachineInfo Machine { get; } = machine;

    public List<StepResult> ClinicDay { get; } = [];

    public List<StepResult> RelayFloor { get; } = [];

    public List<StorageResult> StorageFloor { get; } = [];

    public List<HistoryResult> History { get; } = [];

    public ConnectionsResult? Connections { get; set; }

    public ColdStartResult? ColdStart { get; set; }

    public (string Json, string Markdown) Write(string folder)
    {
        Directory.CreateDirectory(folder);
        var stamp = StartedAt.ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture);
        var json = Path.Combine(folder, stamp + ".json");
        var markdown = Path.Combine(folder, stamp + ".md");
        File.WriteAllText(json, JsonSerializer.Serialize(this, Json));
        File.WriteAllText(markdown, ToMarkdown());
        return (json, markdown);
    }

    public string ToMarkdown()
    {
        var md = new StringBuilder();
        md.AppendLine(CultureInfo.InvariantCulture, $"# ClinicChat benchmark {StartedAt:yyyy-MM-dd HH:mm} UTC ({(Options.Quick ? "quick" : "full")})");
        md.AppendLine();
        md.AppendLine(CultureInfo.InvariantCulture, $"- Machine: {Machine.Cpu}, {Machine.Cores} cores, {Machine.Memory}; {Machine.Os}; {Machine.Runtime}; commit {Machine.Commit}");
        md.AppendLine(CultureInfo.InvariantCulture,
            $"- Load: {Options.StaffConnections} staff + {Options.PatientConnections} patient hub connections over {Options.Conversations} threads, " +
            $"{Options.StepDuration.TotalSeconds:F0} s per step; clients run on the same machine as the server");
        md.AppendLine();

        if (ClinicDay.Count + RelayFloor.Count > 0)
        {
            md.AppendLine("## Clinic day and transport floor (end to end: sender's call → recipient's hub receive)");
            md.AppendLine();
            md.AppendLine("| target | offered/s | delivered/s | p50 ms | p95 ms | p99 ms | max ms | send p99 ms | errors | lost | server CPU | server peak RSS | bench CPU |");
            md.AppendLine("|---|---|---|---|---|---|---|---|---|---|---|---|---|");
            foreach (var s in RelayFloor.Concat(ClinicDay).OrderBy(s => s.OfferedPerSecond).ThenBy(s => s.Target))
            {
                md.AppendLine(CultureInfo.InvariantCulture,
                    $"| {s.Target} | {s.OfferedPerSecond:N0} | {s.AchievedPerSecond:N0} | {s.EndToEnd.P50:F1} | {s.EndToEnd.P95:F1} | {s.EndToEnd.P99:F1} | {s.EndToEnd.Max:F1} | " +
                    $"{s.SendAcknowledged.P99:F1} | {s.SendErrors} | {s.Lost} | {Percent(s.ServerCpuPercent)} | {Megabytes(s.ServerPeakMemoryMb)} | {s.BenchCpuPercent:F0} % |");
            }

            md.AppendLine();
            md.AppendLine("CPU is in percent of one core (200 % = this whole machine). The relay floor runs inside the bench process, so its server CPU is part of bench CPU.");
            md.AppendLine();
        }

        if (StorageFloor.Count > 0)
        {
            md.AppendLine("## Storage floor (SQLite, WAL, synchronous=FULL, one writer)");
            md.AppendLine();
            md.AppendLine("| mode | rows/s | commits/s | commit p50 ms | commit p99 ms | commit max ms |");
            md.AppendLine("|---|---|---|---|---|---|");
            foreach (var s in StorageFloor)
            {
                md.AppendLine(CultureInfo.InvariantCulture,
                    $"| {s.Mode} | {s.RowsPerSecond:N0} | {s.TransactionsPerSecond:N0} | {s.Commit.P50:F2} | {s.Commit.P99:F2} | {s.Commit.Max:F2} |");
            }

            md.AppendLine();
        }

        if (History.Count > 0)
        {
            md.AppendLine("## Long history (append: API call → stored acknowledgement, sequential)");
            md.AppendLine();
            md.AppendLine("| existing messages | samples | p50 ms | p95 ms | p99 ms | max ms |");
            md.AppendLine("|---|---|---|---|---|---|");
            foreach (var h in History)
            {
                md.AppendLine(CultureInfo.InvariantCulture,
                    $"| {h.ExistingMessages:N0} | {h.Append.Count} | {h.Append.P50:F1} | {h.Append.P95:F1} | {h.Append.P99:F1} | {h.Append.Max:F1} |");
            }

            md.AppendLine();
        }

        if (Connections is not null || ColdStart is not null)
        {
            md.AppendLine("## Connections and cold start");
            md.AppendLine();
            md.AppendLine("| measure | value |");
            md.AppendLine("|---|---|");
            if (Connections is { } c)
            {
                md.AppendLine(CultureInfo.InvariantCulture, $"| server RSS idle → with {c.Connections:N0} idle patient connections | {c.IdleMemoryMb:F0} MB → {c.ConnectedMemoryMb:F0} MB |");
                md.AppendLine(CultureInfo.InvariantCulture, $"| memory per idle connection | {c.KilobytesPerConnection:F0} KB |");
            }

            if (ColdStart is { } cold)
            {
                md.AppendLine(CultureInfo.InvariantCulture, $"| process start → /readyz OK (fresh data folder, demo seeding) | {cold.ProcessStartToReadyMs:N0} ms |");
                md.AppendLine(CultureInfo.InvariantCulture, $"| process start → first successful sign-in | {cold.ProcessStartToFirstSignInMs:N0} ms |");
            }

            md.AppendLine();
        }

        foreach (var line in TargetVerdicts())
        {
            md.AppendLine(line);
        }

        return md.ToString();
    }

    /// <summary>The issue's targets, judged from this run's own numbers.</summary>
    private IEnumerable<string> TargetVerdicts()
    {
        var lines = new List<string>();
        var clinic200 = ClinicDay.FirstOrDefault(s => s.OfferedPerSecond == 200);
        var relay200 = RelayFloor.FirstOrDefault(s => s.OfferedPerSecond == 200);
        if (clinic200 is not null && relay200 is not null)
        {
            var ceiling = Math.Min(30, 1.5 * relay200.EndToEnd.P99);
            var verdict = clinic200.EndToEnd.P99 <= ceiling ? "met" : "NOT met";
            lines.Add(string.Create(CultureInfo.InvariantCulture,
                $"- Target p99 at 200 msg/s ≤ 1.5 × relay p99 ({1.5 * relay200.EndToEnd.P99:F1} ms) and ≤ 30 ms: measured {clinic200.EndToEnd.P99:F1} ms — {verdict}"));
        }

        var thousand = ClinicDay.Where(s => s.OfferedPerSecond >= 1000).OrderBy(s => s.OfferedPerSecond).FirstOrDefault();
        if (thousand is not null)
        {
            var met = thousand.AchievedPerSecond >= 0.98 * thousand.OfferedPerSecond && thousand.Lost == 0 && thousand.SendErrors == 0 && thousand.EndToEnd.P99 <= 100;
            lines.Add(string.Create(CultureInfo.InvariantCulture,
                $"- Target ≥ 1,000 durable msgs/s with p99 ≤ 100 ms: at {thousand.OfferedPerSecond:N0}/s offered, {thousand.AchievedPerSecond:N0}/s delivered, " +
                $"p99 {thousand.EndToEnd.P99:F1} ms, {thousand.SendErrors} errors, {thousand.Lost} lost — {(met ? "met" : "NOT met")}"));
        }

        return lines.Count == 0 ? lines : lines.Prepend("## Targets\n");
    }

    private static string Percent(double? value) => value is { } v ? string.Create(CultureInfo.InvariantCulture, $"{v:F0} %") : "—";

    private static string Megabytes(double? value) => value is { } v ? string.Create(CultureInfo.InvariantCulture, $"{v:F0} MB") : "—";
}
