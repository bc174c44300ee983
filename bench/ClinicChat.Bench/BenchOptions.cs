namespace ClinicChat.Bench;

/// <summary>What to run and how big: <c>--quick</c> shrinks every scenario to about a minute in all.</summary>
public sealed record BenchOptions(
    string Scenario,
    bool Quick,
    bool SkipBuild,
    int StaffConnections,
    int PatientConnections,
    int Conversations,
    IReadOnlyList<int> RatesPerSecond,
    TimeSpan StepDuration,
    int HistoryLength,
    int HistorySamples,
    int IdleConnections)
{
    public static readonly string[] Scenarios = ["all", "clinic-day", "floors", "history", "connections", "cold-start"];

    public static BenchOptions Parse(string[] args)
    {
        var scenario = "all";
        var quick = false;
        var skipBuild = false;
        for (var i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--scenario" when i + 1 < args.Length:
                    scenario = args[++i];
                    break;
                case "--quick":
                    quick = true;
                    break;
                case "--no-build":
                    skipBuild = true;
                    break;
                default:
                    throw new ArgumentException($"Unknown argument '{args[i]}'. Usage: [--scenario {string.Join('|', Scenarios)}] [--quick] [--no-build]");
            }
        }

        if (!Scenarios.Contains(scenario))
        {
            throw new ArgumentException($"Unknown scenario '{scenario}'. One of: {string.Join(", ", Scenarios)}.");
        }

        return quick
            ? new BenchOptions(scenario, true, skipBuild, StaffConnections: 10, PatientConnections: 200, Conversations: 100,
                RatesPerSecond: [100, 200, 500, 1000], StepDuration: TimeSpan.FromSeconds(4), HistoryLength: 2000, HistorySamples: 200,
                IdleConnections: 1000)
            : new BenchOptions(scenario, false, skipBuild, StaffConnections: 50, PatientConnections: 1000, Conversations: 180,
                RatesPerSecond: [100, 200, 500, 1000, 2000], StepDuration: TimeSpan.FromSeconds(15), HistoryLength: 10000, HistorySamples: 500,
                IdleConnections: 1000);
    }

    public bool Runs(string name) => Scenario == "all" || Scenario == name;
}
