namespace ClinicChat.Web.Tests;

[Trait("Category", "Slow")] // processes killed and restarted
public sealed class DurabilityTests
{
    [Fact]
    public async Task HistorySurvivesARestartAndSeqContinues()
    {
        var patient = TestData.PortalPatient(40);
        var dataDirectory = Path.Combine(Path.GetTempPath(), "clinicchat-restart-" + Guid.NewGuid().ToString("N"));
        Guid threadId;
        await using (var first = new ClinicChatApp(dataDirectory))
        {
            var alice = await first.SignInAsync(DemoData.Alice);
            threadId = (await TestData.StartAsync(alice, patient.Id)).Id;
            for (var i = 1; i <= 3; i++)
            {
                await TestData.SendAsync(alice, threadId, $"before restart {i}");
            }
        }

        await using var second = new ClinicChatApp(dataDirectory);
        var aliceAgain = await second.SignInAsync(DemoData.Alice);
        var next = await TestData.SendAsync(aliceAgain, threadId, "after restart");
        var page = await TestData.PageAsync(aliceAgain, threadId);
        second.DeleteData();

        Assert.Equal(4, next.Seq);
        Assert.Equal(["before restart 1", "before restart 2", "before restart 3", "after restart"], page.Messages.Select(m => m.Text));
    }

    /// <summary>
    /// The real process, killed with SIGKILL while sends are in flight: every send that was
    /// acknowledged is there after a restart; retrying every send with its client id then stores the
    /// unacknowledged ones exactly once, and seq stays gapless.
    /// </summary>
    [Fact]
    public async Task KillNineWhileSendingLosesNoAcknowledgedMessageAndRetriesStoreOnce()
    {
        const int Streams = 4;
        const int PerStream = 15;
        var patient = TestData.PortalPatient(41);
        var dataDirectory = Path.Combine(Path.GetTempPath(), "clinicchat-kill-" + Guid.NewGuid().ToString("N"));
        var acknowledged = new System.Collections.Concurrent.ConcurrentBag<MessageDto>();
        var clientIds = Enumerable.Range(0, Streams * PerStream).Select(i => $"kill-{i}").ToList();
        Guid threadId;
        using (var first = await AppProcess.StartAsync(dataDirectory))
        {
            using var alice = await first.SignInAsync(DemoData.Alice);
            threadId = (await (await alice.PostAsJsonAsync("/api/v1/conversations", new { patientId = patient.Id })).Content.ReadFromJsonAsync<ConversationDto>())!.Id;
            var halfAcknowledged = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            var streams = Enumerable.Range(0, Streams).Select(stream => Task.Run(async () =>
            {
                for (var i = stream * PerStream; i < (stream + 1) * PerStream; i++)
                {
                    try
                    {
                        var response = await alice.PostAsJsonAsync($"/api/v1/conversations/{threadId}/messages", new { clientMessageId = clientIds[i], text = $"message {i}" });
                        acknowledged.Add((await response.Content.ReadFromJsonAsync<MessageDto>())!);
                        if (acknowledged.Count >= Streams * PerStream / 2)
                        {
                            halfAcknowledged.TrySetResult();
                        }
                    }
                    catch (HttpRequestException)
                    {
                        return; // The process is gone: this send and the rest of the stream were never acknowledged.
                    }
                }
            })).ToList();
            await halfAcknowledged.Task.WaitAsync(TimeSpan.FromSeconds(60));
            first.Kill();
            await Task.WhenAll(streams);
        }

        using var second = await AppProcess.StartAsync(dataDirectory);
        using var aliceAgain = await second.SignInAsync(DemoData.Alice);
        var survived = await (await aliceAgain.GetAsync($"/api/v1/conversations/{threadId}/messages?limit=200")).Content.ReadFromJsonAsync<MessagePageDto>();
        foreach (var (clientId, i) in clientIds.Select((id, i) => (id, i)))
        {
            var retry = await aliceAgain.PostAsJsonAsync($"/api/v1/conversations/{threadId}/messages", new { clientMessageId = clientId, text = $"message {i}" });
            Assert.True(retry.StatusCode is HttpStatusCode.OK or HttpStatusCode.Created);
        }

        var final = await (await aliceAgain.GetAsync($"/api/v1/conversations/{threadId}/messages?limit=200")).Content.ReadFromJsonAsync<MessagePageDto>();
        second.Dispose();
        Directory.Delete(dataDirectory, recursive: true);

        var stored = survived!.Messages.ToDictionary(m => m.ClientMessageId, m => m.Seq);
        Assert.All(acknowledged, ack => Assert.Equal(ack.Seq, stored[ack.ClientMessageId]));
        Assert.Equal(Enumerable.Range(1, clientIds.Count).Select(i => (long)i), final!.Messages.Select(m => m.Seq));
        Assert.Equal(clientIds.Order(), final.Messages.Select(m => m.ClientMessageId).Order());
    }
}
