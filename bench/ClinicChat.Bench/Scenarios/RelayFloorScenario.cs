using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace ClinicChat.Bench.Scenarios;

public interface IRelayClient
{
    Task MessageAdded(PushedMessage message);
}

/// <summary>The transport floor: no grains, no storage, no auth; the same fan-out as ClinicChat (thread's patient + clinic staff).</summary>
public sealed class RelayHub : Hub<IRelayClient>
{
    public const string StaffGroup = "clinic";

    public Task Join(string group) => Groups.AddToGroupAsync(Context.ConnectionId, group);

    public Task Send(string patientGroup, PushedMessage message) => Clients.Groups(patientGroup, StaffGroup).MessageAdded(message);
}

/// <summary>
/// Runs a bare SignalR relay as a server process of its own (this assembly with <c>relay-server PORT</c>, Kestrel on
/// loopback, server GC as ClinicChat.Web) and drives it from this process with the same numbers of clients and the
/// same rates as the clinic-day scenario. Senders invoke the hub (there is no HTTP API to call); the invocation
/// completes when the broadcast has been queued.
/// </summary>
public sealed class RelayFloorScenario(BenchOptions options)
{
    /// <summary>The command line that makes this assembly the relay server instead of the harness.</summary>
    public const string ServerCommand = "relay-server";

    /// <summary>The relay server's process: serves until it is killed.</summary>
    public static async Task ServeAsync(int port)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls($"http://127.0.0.1:{port}");
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.Services.AddSignalR();
        await using var app = builder.Build();
        app.UseWebSockets();
        app.MapHub<RelayHub>("/hubs/relay");
        await app.RunAsync();
    }

    public async Task<IReadOnlyList<StepResult>> RunAsync()
    {
        var port = ChatProcess.FreePort();
        // The server GC, as ClinicChat.Web runs: the floor is a server measured the way ClinicChat is, while this
        // process, the load generator, runs the workstation GC as the clients it stands for would.
        await using var server = ChatProcess.Launch(typeof(RelayFloorScenario).Assembly.Location,
            new Dictionary<string, string> { ["DOTNET_gcServer"] = "1" }, null, ServerCommand, port.ToString(System.Globalization.CultureInfo.InvariantCulture));
        await server.WaitForPortAsync(port);
        var serverMeter = new ProcessMeter(server.ProcessId);

        var url = new Uri($"http://127.0.0.1:{port}/hubs/relay");
        var tracker = new DeliveryTracker();
        var staff = await Parallelism.MapAsync(Enumerable.Range(0, options.StaffConnections).ToList(), 8,
            _ => ConnectAsync(url, RelayHub.StaffGroup, message => { }));
        var patients = await Parallelism.MapAsync(Enumerable.Range(0, options.PatientConnections).ToList(), 8,
            i => ConnectAsync(url, PatientGroup(i % options.Conversations), m => tracker.Received(m.ClientMessageId)));

        await OfferedLoad.WarmUpAsync("relay floor", options, tracker, SendAsync, serverMeter);
        var steps = new List<StepResult>();
        foreach (var rate in options.RatesPerSecond)
        {
            var step = await OfferedLoad.RunStepAsync("relay floor", rate, options.StepDuration, tracker, SendAsync, serverMeter, options.GcPauses);
            OfferedLoad.PrintProgress(step, options);
            steps.Add(step);
        }

        foreach (var connection in staff.Concat(patients))
        {
            await connection.DisposeAsync();
        }

        return steps;

        async Task<bool> SendAsync(int n, string id)
        {
            var conversation = n % options.Conversations;
            var message = new PushedMessage(Guid.Empty, n, id, "bench-staff", "staff", "Bench Staff", $"synthetic bench message {n}", DateTimeOffset.UtcNow);
            await staff[n % staff.Length].InvokeAsync(nameof(RelayHub.Send), PatientGroup(conversation), message);
            return true;
        }
    }

    private static string PatientGroup(int conversation) => $"patient:{conversation}";

    private static async Task<HubConnection> ConnectAsync(Uri url, string group, Action<PushedMessage> onMessage)
    {
        // The same transport as ClinicChat's clients: WebSockets without negotiate.
        var connection = new HubConnectionBuilder()
            .WithUrl(url, options =>
            {
                options.Transports = HttpTransportType.WebSockets;
                options.SkipNegotiation = true;
            })
            .Build();
        connection.On<PushedMessage>(nameof(IRelayClient.MessageAdded), onMessage);
        await connection.StartAsync();
        await connection.InvokeAsync(nameof(RelayHub.Join), group);
        return connection;
    }
}
