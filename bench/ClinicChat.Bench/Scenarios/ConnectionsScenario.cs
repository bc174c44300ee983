using System.Globalization;
using Microsoft.AspNetCore.SignalR.Client;

namespace ClinicChat.Bench.Scenarios;

public sealed record ConnectionLevel(int Connections, double ResidentMb, double KilobytesPerConnectionSincePrevious);

public sealed record ConnectionsResult(double IdleMemoryMb, IReadOnlyList<ConnectionLevel> Levels, int ActiveConversations, double KilobytesPerActiveConversation)
{
    /// <summary>The slope between the two largest levels: the fixed cost of the first connections (JIT, pools) is left out.</summary>
    public double MarginalKilobytesPerConnection => Levels.Count > 0 ? Levels[^1].KilobytesPerConnectionSincePrevious : 0;
}

/// <summary>
/// Server memory (resident set, measured from outside) with no client, then with growing numbers
/// of idle connected patients (hub connection subscribed, nothing sent); then per conversation
/// made active (opened and one message sent: its grain, inbox entries and thread index loaded).
/// </summary>
public sealed class ConnectionsScenario(BenchOptions options, BenchTarget target)
{
    private static readonly TimeSpan Settle = TimeSpan.FromSeconds(5);

    public async Task<ConnectionsResult> RunAsync()
    {
        // Enough chattable patients for one active conversation each (60 % of generated patients are chattable).
        var generated = Math.Max(DemoAccounts.GeneratedPatients, (int)(options.ActiveConversations / 0.55));
        await using var server = await target.StartAsync(new Dictionary<string, string>
        {
            ["ClinicChat__Seed__GeneratedPatients"] = generated.ToString(CultureInfo.InvariantCulture),
        });
        var patients = DemoAccounts.ChattablePatients(generated);
        var clients = await Parallelism.MapAsync(patients.Take(options.Conversations).ToList(), 2, p => ChatClient.SignInAsync(server.BaseAddress(p.Index), p.Email));
        using var alice = await ChatClient.SignInAsync(server.BaseAddress(0), DemoAccounts.Alice);
        var meter = server.Meter;

        await Task.Delay(Settle);
        var idle = meter.ResidentBytes();
        var previous = (Connections: 0, Resident: idle);
        var levels = new List<ConnectionLevel>();
        var connections = new List<HubConnection>();
        foreach (var level in options.IdleConnectionLevels)
        {
            var added = await Parallelism.MapAsync(Enumerable.Range(connections.Count, level - connections.Count).ToList(), 8,
                i => clients[i % clients.Length].ConnectAsync(message => { }));
            connections.AddRange(added);
            await Task.Delay(Settle);
            var resident = meter.ResidentBytes();
            var perConnection = (resident - previous.Resident) / 1024.0 / (level - previous.Connections);
            levels.Add(new ConnectionLevel(level, resident / 1048576.0, perConnection));
            Console.WriteLine($"  {level,6:N0} idle connections: {resident / 1048576.0:F0} MB ({perConnection:F1} KB per connection since {previous.Connections:N0})");
            previous = (level, resident);
        }

        foreach (var connection in connections)
        {
            await connection.DisposeAsync();
        }

        await Task.Delay(Settle);
        var beforeConversations = meter.ResidentBytes();
        await Parallel.ForAsync(0, options.ActiveConversations, new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (n, _) =>
        {
            var thread = await alice.StartConversationAsync(patients[n].Id);
            if (!await alice.SendAsync(thread.Id, $"bench-active-{n}", "synthetic bench message"))
            {
                throw new InvalidOperationException("Activating a conversation failed.");
            }
        });
        await Task.Delay(Settle);
        var perConversation = (meter.ResidentBytes() - beforeConversations) / 1024.0 / options.ActiveConversations;
        Console.WriteLine($"  {options.ActiveConversations:N0} active conversations: {perConversation:F1} KB each");

        foreach (var client in clients)
        {
            client.Dispose();
        }

        return new ConnectionsResult(idle / 1048576.0, levels, options.ActiveConversations, perConversation);
    }
}
