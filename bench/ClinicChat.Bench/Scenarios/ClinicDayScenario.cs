using Microsoft.AspNetCore.SignalR.Client;

namespace ClinicChat.Bench.Scenarios;

/// <summary>
/// Staff send into C threads through the HTTP API; P patient hub connections (several devices per
/// patient when P exceeds C) receive MessageAdded and acknowledge delivery like the web app; S staff
/// hub connections receive every message of their clinic, as open Chat tabs do.
/// </summary>
public sealed class ClinicDayScenario(BenchOptions options, string webAssembly)
{
    public async Task<IReadOnlyList<StepResult>> RunAsync()
    {
        await using var server = await ClinicChatServer.StartAsync(webAssembly);
        var patients = DemoAccounts.ChattablePatients().Take(options.Conversations).ToList();
        Console.WriteLine($"  setting up: {DemoAccounts.NorthsideStaff.Length} staff accounts, {patients.Count} patients and threads, " +
                          $"{options.StaffConnections} staff + {options.PatientConnections} patient hub connections");

        var staff = await Parallelism.MapAsync(DemoAccounts.NorthsideStaff, 2, email => ChatClient.SignInAsync(server.BaseAddress, email));
        var patientClients = await Parallelism.MapAsync(patients, 2, p => ChatClient.SignInAsync(server.BaseAddress, p.Email));
        var threads = await Parallelism.MapAsync(patients, 4, p => staff[0].StartConversationAsync(p.Id));

        var tracker = new DeliveryTracker();
        var receiptErrors = 0;
        var connections = new List<HubConnection>();
        connections.AddRange(await Parallelism.MapAsync(Enumerable.Range(0, options.StaffConnections).ToList(), 8,
            i => staff[i % staff.Length].ConnectAsync(message => { })));
        connections.AddRange(await Parallelism.MapAsync(Enumerable.Range(0, options.PatientConnections).ToList(), 8, i =>
        {
            var patient = patientClients[i % patientClients.Length];
            return patient.ConnectAsync(message =>
            {
                if (tracker.Received(message.ClientMessageId))
                {
                    _ = AcknowledgeAsync(patient, message);
                }
            });
        }));

        var steps = new List<StepResult>();
        foreach (var rate in options.RatesPerSecond)
        {
            var step = await OfferedLoad.RunStepAsync("ClinicChat", rate, options.StepDuration, tracker,
                (n, id) => staff[n % staff.Length].SendAsync(threads[n % threads.Length].Id, id, $"synthetic bench message {n}"),
                server.Meter);
            OfferedLoad.PrintProgress(step);
            steps.Add(step);
        }

        if (receiptErrors > 0)
        {
            Console.WriteLine($"  delivery receipts that failed: {receiptErrors}");
        }

        foreach (var connection in connections)
        {
            await connection.DisposeAsync();
        }

        foreach (var client in staff.Concat(patientClients))
        {
            client.Dispose();
        }

        return steps;

        async Task AcknowledgeAsync(ChatClient patient, PushedMessage message)
        {
            try
            {
                if (!await patient.AcknowledgeDeliveredAsync(message.ConversationId, message.Seq))
                {
                    Interlocked.Increment(ref receiptErrors);
                }
            }
            catch (HttpRequestException)
            {
                Interlocked.Increment(ref receiptErrors);
            }
        }
    }
}
