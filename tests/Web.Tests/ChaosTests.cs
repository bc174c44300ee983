using System.Collections.Concurrent;
using Xunit.Abstractions;

namespace ClinicChat.Web.Tests;

[Trait("Category", "Slow")] // faults injected under load
[Collection(AppCollection.Name)]
public sealed class ChaosTests(AppFixture fixture, ITestOutputHelper output)
{
    private const int Rounds = 15;

    /// <summary>
    /// Staff on two accounts and a patient on two devices send concurrently while their push
    /// connections drop and come back at random, and some responses are "lost" so that the send is
    /// retried with the same client id. Afterwards every client's view equals the stored history
    /// (no loss, no duplicate, same order) and every acknowledged send is stored exactly once.
    /// </summary>
    [Fact]
    public async Task UnderRandomDisconnectsAndRetriesEveryViewEqualsTheStoredHistory()
    {
        var seed = Environment.TickCount;
        output.WriteLine($"Chaos seed: {seed}");
        var patient = TestData.PortalPatient(60);
        var alice = await fixture.App.SignInAsync(DemoData.Alice);
        var thread = await TestData.StartAsync(alice, patient.Id);
        ApiSession[] sessions =
        [
            alice,
            await fixture.App.SignInAsync(DemoData.Frank),
            await fixture.App.SignInAsync(patient.Email!),
            await fixture.App.SignInAsync(patient.Email!),
        ];
        var views = sessions.Select(s => new ClientView(s, thread.Id)).ToList();
        var acknowledged = new ConcurrentDictionary<string, long>();

        try
        {
            foreach (var view in views)
            {
                await view.ConnectAsync();
            }

            await Task.WhenAll(sessions.Select((session, index) => Task.Run(() => ClientLoopAsync(session, views[index], thread.Id, new Random(seed + index), acknowledged))));

            foreach (var view in views)
            {
                if (view.Hub.State != Microsoft.AspNetCore.SignalR.Client.HubConnectionState.Connected)
                {
                    await view.ConnectAsync();
                }
            }

            var stored = await TestData.PageAsync(alice, thread.Id);
            foreach (var view in views)
            {
                await view.WaitForSeqAsync(stored.LastSeq, TimeSpan.FromSeconds(30));
            }

            var history = stored.Messages.Select(m => (m.Seq, m.ClientMessageId, m.Text)).ToList();
            Assert.Equal(Enumerable.Range(1, history.Count).Select(i => (long)i), history.Select(h => h.Seq));
            Assert.Equal(acknowledged.Count, history.Count);
            Assert.All(acknowledged, ack => Assert.Equal(ack.Value, Assert.Single(history, h => h.ClientMessageId == ack.Key).Seq));
            Assert.All(views, view => Assert.Equal(history, view.Messages.Select(m => (m.Seq, m.ClientMessageId, m.Text))));
        }
        finally
        {
            foreach (var view in views)
            {
                await view.DisposeAsync();
            }
        }
    }

    private static async Task ClientLoopAsync(ApiSession session, ClientView view, Guid threadId, Random random, ConcurrentDictionary<string, long> acknowledged)
    {
        for (var round = 0; round < Rounds; round++)
        {
            var connected = view.Hub.State == Microsoft.AspNetCore.SignalR.Client.HubConnectionState.Connected;
            if (connected && random.NextDouble() < 0.3)
            {
                await view.DisconnectAsync();
            }
            else if (!connected && random.NextDouble() < 0.5)
            {
                await view.ConnectAsync();
            }

            var clientId = $"{session.UserId[..8]}-{Guid.NewGuid():N}";
            var text = $"round {round} from {session.Me.DisplayName}";
            var seq = await SendAsync(session, threadId, clientId, text);
            if (random.NextDouble() < 0.25)
            {
                // The response was "lost": the client retries with the same id and must get the same seq.
                Assert.Equal(seq, await SendAsync(session, threadId, clientId, text));
            }

            acknowledged[clientId] = seq;
        }
    }

    private static async Task<long> SendAsync(ApiSession session, Guid threadId, string clientId, string text)
    {
        var response = await session.Http.PostAsJsonAsync($"/api/v1/conversations/{threadId}/messages", new { clientMessageId = clientId, text });
        Assert.True(response.StatusCode is HttpStatusCode.Created or HttpStatusCode.OK);
        return (await response.Content.ReadFromJsonAsync<MessageDto>())!.Seq;
    }
}
