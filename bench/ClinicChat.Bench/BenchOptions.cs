namespace ClinicChat.Bench;

/// <summary>
/// What to run and how big. The default sizes are the issue's; <c>--quick</c> shrinks every scenario
/// to a few minutes; <c>--smoke</c> is the CI run: tiny counts, and a failed data check fails the run.
/// </summary>
public sealed record BenchOptions(
    string Scenario,
    string Size,
    bool SkipBuild,
    bool Cluster,
    int StaffConnections,
    int PatientConnections,
    int Conversations,
    IReadOnlyList<int> RatesPerSecond,
    TimeSpan StepDuration,
    int HistoryLength,
    int HistorySamples,
    int InboxThreads,
    int SearchPopulation,
    IReadOnlyList<int> IdleConnectionLevels,
    int ActiveConversations)
{
    /// <summary>
    /// Whether the clinic day mixes in the team's actions (the default). Off (<c>--no-team-actions</c>) it is the clinic day
    /// as it was before issue 22, to tell the cost of a message apart from the extra requests the actions add.
    /// </summary>
    public bool TeamActions { get; init; } = true;

    /// <summary>
    /// How long the clinic day and the relay floor send at their first rate before the first measured step; nothing of it
    /// is reported (<c>--no-warm-up</c>: none). A server that runs all day has compiled its hot paths to their final tier
    /// and has its database pages in memory; without this the first step measured the first sends' JIT and cold cache.
    /// </summary>
    public TimeSpan WarmUp { get; init; }

    /// <summary>
    /// A file to append each load step's slowest 1 % of deliveries to (<c>--tail-log FILE</c>; CSV: target, rate, sent at in
    /// ms on the monotonic clock, latency ms), to line them up with a server-side trace of the same run.
    /// </summary>
    public string? TailLog { get; init; }

    /// <summary>
    /// Record the server's GC pauses during each load step over EventPipe (<c>--gc-pauses</c>) and say how many of the
    /// slowest deliveries were in flight during one.
    /// </summary>
    public bool GcPauses { get; init; }

    public static readonly string[] Scenarios = ["all", "clinic-day", "one-account", "floors", "history", "connections", "cold-start", "notices-smtp", "fhir-import"];

    private const string Usage = "[--scenario all|clinic-day|one-account|floors|history|connections|cold-start|notices-smtp|fhir-import] [--quick|--smoke] [--cluster] [--no-build] [--rates 500,1000] [--step-seconds 60] [--no-team-actions] [--no-warm-up] [--tail-log FILE] [--gc-pauses]";

    public bool IsSmoke => Size == "smoke";

    public static BenchOptions Parse(string[] args)
    {
        var scenario = "all";
        var size = "default";
        var skipBuild = false;
        var cluster = false;
        IReadOnlyList<int>? rates = null;
        TimeSpan? step = null;
        var teamActions = true;
        var warmUp = true;
        string? tailLog = null;
        var gcPauses = false;
        for (var i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--scenario" when i + 1 < args.Length:
                    scenario = args[++i];
                    break;
                case "--quick":
                    size = "quick";
                    break;
                case "--smoke":
                    size = "smoke";
                    break;
                case "--cluster":
                    cluster = true;
                    break;
                case "--no-build":
                    skipBuild = true;
                    break;
                case "--rates" when i + 1 < args.Length:
                    rates = args[++i].Split(',').Select(r => int.Parse(r, System.Globalization.CultureInfo.InvariantCulture)).ToList();
                    break;
                case "--no-team-actions":
                    teamActions = false;
                    break;
                case "--no-warm-up":
                    warmUp = false;
                    break;
                case "--gc-pauses":
                    gcPauses = true;
                    break;
                case "--tail-log" when i + 1 < args.Length:
                    tailLog = Path.GetFullPath(args[++i]);
                    break;
                case "--step-seconds" when i + 1 < args.Length:
                    step = TimeSpan.FromSeconds(int.Parse(args[++i], System.Globalization.CultureInfo.InvariantCulture));
                    break;
                default:
                    throw new ArgumentException($"Unknown argument '{args[i]}'. Usage: {Usage}");
            }
        }

        if (!Scenarios.Contains(scenario))
        {
            throw new ArgumentException($"Unknown scenario '{scenario}'. One of: {string.Join(", ", Scenarios)}.");
        }

        var sized = size switch
        {
            "smoke" => new BenchOptions(scenario, size, skipBuild, cluster, StaffConnections: 4, PatientConnections: 30, Conversations: 20,
                RatesPerSecond: [50, 100], StepDuration: TimeSpan.FromSeconds(2), HistoryLength: 300, HistorySamples: 20,
                InboxThreads: 200, SearchPopulation: 1_000, IdleConnectionLevels: [50, 100], ActiveConversations: 50),
            "quick" => new BenchOptions(scenario, size, skipBuild, cluster, StaffConnections: 10, PatientConnections: 200, Conversations: 100,
                RatesPerSecond: [100, 200, 500, 1000], StepDuration: TimeSpan.FromSeconds(4), HistoryLength: 2_000, HistorySamples: 200,
                InboxThreads: 1_000, SearchPopulation: 5_000, IdleConnectionLevels: [500, 1_000], ActiveConversations: 500),
            _ => new BenchOptions(scenario, size, skipBuild, cluster, StaffConnections: 50, PatientConnections: 1_000, Conversations: 500,
                RatesPerSecond: [100, 200, 500, 1000, 2000], StepDuration: TimeSpan.FromSeconds(15), HistoryLength: 100_000, HistorySamples: 500,
                InboxThreads: 10_000, SearchPopulation: 50_000, IdleConnectionLevels: [1_000, 5_000], ActiveConversations: 5_000),
        };

        // A profile wants one rate held long enough to attach dotnet-trace to the web node (docs/benchmarks.md, "Profiling").
        var warmUpTime = size switch { "smoke" => TimeSpan.FromSeconds(1), "quick" => TimeSpan.FromSeconds(2), _ => TimeSpan.FromSeconds(10) };
        return sized with
        {
            RatesPerSecond = rates ?? sized.RatesPerSecond,
            StepDuration = step ?? sized.StepDuration,
            TeamActions = teamActions,
            WarmUp = warmUp ? warmUpTime : TimeSpan.Zero,
            TailLog = tailLog,
            GcPauses = gcPauses,
        };
    }

    /// <summary>Generated demo patients the clinic-day server needs for <see cref="Conversations"/> chattable ones (about 60 % are).</summary>
    public int ClinicDayPopulation => Math.Max(DemoAccounts.GeneratedPatients, (int)(Conversations / 0.55));

    public bool Runs(string name) => Scenario == "all" || Scenario == name;
}
