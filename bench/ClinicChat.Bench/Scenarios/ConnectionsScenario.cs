using Microsoft.AspNetCore.SignalR.Client;

namespace ClinicChat.Bench.Scenarios;

public sealed record ConnectionsResult(int Connections, double IdleMemoryMb, double ConnectedMemoryMb, double KilobytesPerConnection);

/// <summary>Server memory per idle connected patient (hub connection subscribed, nothing sent).</summary>
public sealed class ConnectionsScenario(BenchOptions options, string webAssembly)
{
    private static readonly TimeSpan Settle = TimeSpan.FromSeconds(3);

    public async Task<ConnectionsResult> RunAsync()
    {
        await using var server = await ClinicChatServer.StartAsync(webAssembly);
        var patients = DemoAccounts.ChattablePatients().Take(options.Conversations).ToList();
        var clients = await Parallelism.MapAsync(patients, 2, p => ChatClient.SignInAsync(server.BaseAddress, p.Email));

        await Task.Delay(Settle);
        var idle = server.Meter.ResidentBytes();
        var connections = await Parallelism.MapAsync(Enumerable.Range(0, options.IdleConnections).ToList(), 8,
            i => clients[i % clients.Length].ConnectAsync(message => { }));
        await Task.Delay(Settle);
        var connected = server.Meter.ResidentBytes();

        var result = new ConnectionsResult(connections.Length, idle / 1048576.0, connected / 1048576.0, (connected - idle) / 1024.0 / connections.Length);
        Console.WriteLine($"  {result.Connections:N0} idle connections: {result.IdleMemoryMb:F0} MB → {result.ConnectedMemoryMb:F0} MB, " +
                          $"{result.KilobytesPerConnection:F0} KB per connection");
        foreach (HubConnection connection in connections)
        {
            await connection.DisposeAsync();
        }

        foreach (var client in clients)
        {
            client.Dispose();
        }

        return result;
    }
}
