using System.Net.WebSockets;

namespace ClinicChat.Web.Tests.Proof;

/// <summary>
/// Throws <see cref="FuzzCorpus"/> at every endpoint of the OpenAPI document and hostile frames at
/// the hub: no 5xx, nothing logged at Error level (the exception handler logs every unhandled
/// exception there), and every refused request leaves the stored data as it was.
/// </summary>
[Trait("Category", "Slow")] // thousands of requests
[Collection(ProofCollection.Name)]
public sealed class FuzzTests(ProofFixture fixture)
{
    private const char RecordSeparator = HubCorpus.RecordSeparator;

    public static TheoryData<string> Endpoints() => new(EndpointMatrix.Entries.Select(e => e.Endpoint));

    [Theory]
    [MemberData(nameof(Endpoints))]
    public async Task TheHostileCorpusCausesNo5xxNoErrorAndRefusedRequestsChangeNothing(string endpoint)
    {
        var entry = EndpointMatrix.Find(endpoint)!;
        var operation = fixture.Operations.SingleOrDefault(o => o.Key == endpoint);
        Assert.True(operation is not null, $"{endpoint} is not in the OpenAPI document (see EveryEndpointInTheOpenApiDocumentHasAMatrixEntry).");
        var world = fixture.FuzzWorld;
        var caller = entry.FuzzCaller;
        var resources = entry.FuzzScope == Scope.None ? null : world.Resources[entry.FuzzScope];
        await using var stored = new StoredData(fixture.App);
        var failures = new List<string>();

        fixture.Logs.Clear();
        var before = await stored.SnapshotAsync();
        Session? previous = null;
        await foreach (var cell in FuzzCorpus.For(operation, () => entry.Body?.Invoke(new BodyContext(world, caller, resources))))
        {
            var session = await fixture.SessionAsync(world, caller);
            if (session is not null && session != previous)
            {
                // A sign-in between cells is not the cell's doing.
                before = await stored.SnapshotAsync();
                previous = session;
            }

            using var response = await fixture.Api.SendAsync(CellRequests.Build(entry, resources, cell.Body(), cell.Replaced), session);
            fixture.Follow(world, caller, response);
            var status = (int)response.StatusCode;
            var after = await stored.SnapshotAsync();
            failures.AddRange(await JudgeAsync(cell.Name, status, stored, before, after));
            before = after;
        }

        Assert.Empty(FilesNamedByAClient());
        Assert.True(failures.Count == 0, $"{endpoint} as {caller}, {failures.Count} failures:\n" + string.Join('\n', failures.Take(40)));
    }

    [Fact]
    public async Task TheHubSurvivesHostileFramesAndStoresOnlyWhatAValidCommandAsks()
    {
        var world = fixture.FuzzWorld;
        var own = world.Resources[Scope.Own].ConversationId;
        var session = (await fixture.SessionAsync(world, Caller.Clinician))!;
        await using var stored = new StoredData(fixture.App);
        var failures = new List<string>();

        fixture.Logs.Clear();
        var before = await stored.SnapshotAsync();
        Assert.NotEmpty(HubCorpus.Methods);
        foreach (var (name, frame, handshake, stalls, valid) in HubCorpus.Frames(own, world.Resources[Scope.OtherClinic].ConversationId))
        {
            var outcome = await HubCellAsync(session, frame, handshake, probe: !stalls);
            var after = await stored.SnapshotAsync();
            // A valid command (a delivery receipt up to seq 123) may store; anything else must change nothing.
            failures.AddRange((await JudgeAsync(name, valid ? 200 : 400, stored, before, after)).Select(f => $"{f} ({outcome})"));
            if (outcome.StartsWith("no answer", StringComparison.Ordinal))
            {
                failures.Add($"{name}: {outcome}");
            }

            before = after;
        }

        // And the hub still serves a well-behaved client; nothing went wrong late on a connection left behind.
        await using var connection = fixture.App.CreateHubConnection(session.Cookie);
        await ClinicChatApp.ConnectAsync(connection);
        failures.AddRange(fixture.Logs.Errors.Select(error => $"logged {error}"));
        Assert.True(failures.Count == 0, $"{failures.Count} failures:\n" + string.Join('\n', failures.Take(40)));
    }

    [Fact]
    public async Task TheStoredDataComparisonSeesAWriteAndAnAuditedRefusal()
    {
        var world = fixture.FuzzWorld;
        var alice = await fixture.SessionAsync(world, Caller.Clinician);
        var bill = await fixture.SessionAsync(world, Caller.Billing);
        await using var stored = new StoredData(fixture.App);

        var before = await stored.SnapshotAsync();
        var unchanged = await stored.SnapshotAsync();
        using (await fixture.Api.PostAsync($"/api/v1/conversations/{world.Resources[Scope.Own].ConversationId}/messages", new { clientMessageId = BodyContext.UniqueId(), text = "seen" }, alice))
        {
        }

        var afterSend = await stored.SnapshotAsync();
        using (await fixture.Api.GetAsync($"/api/v1/clinics/{world.Resources[Scope.Own].ClinicId}/audit", bill))
        {
        }

        var afterRefusal = await stored.SnapshotAsync();

        Assert.Empty(before.ChangesTo(unchanged));
        Assert.Contains(before.ChangesTo(afterSend), change => change.StartsWith("messages:", StringComparison.Ordinal));
        Assert.Empty(afterSend.ChangesTo(afterRefusal));
        Assert.Contains((await stored.NewAuditOutcomesAsync(afterSend)), row => row.Outcome == AuditOutcomes.Denied);
    }

    /// <summary>A refused request must change nothing; any request must not fail on the server or log an error.</summary>
    private async Task<IEnumerable<string>> JudgeAsync(string cell, int status, StoredData stored, StoredData.Snapshot before, StoredData.Snapshot after)
    {
        var failures = new List<string>();
        if (status >= 500)
        {
            failures.Add($"{cell}: answered {status}");
        }

        if (fixture.Logs.Errors is { Count: > 0 } errors)
        {
            failures.Add($"{cell}: logged {errors[0]}");
            fixture.Logs.Clear();
        }

        if (status >= 400)
        {
            failures.AddRange(before.ChangesTo(after).Select(change => $"{cell}: refused ({status}) but changed {change}"));
            failures.AddRange((await stored.NewAuditOutcomesAsync(before))
                .Where(row => row.Outcome == AuditOutcomes.Success)
                .Select(row => $"{cell}: refused ({status}) but audited {row.Action} as a success"));
        }

        return failures;
    }

    /// <summary>Uploaded files are stored under their hash; a file anywhere named as a client asked means a path escaped.</summary>
    private IEnumerable<string> FilesNamedByAClient() =>
        new[] { fixture.App.DataDirectory, Path.GetTempPath() }
            .Where(Directory.Exists)
            .SelectMany(folder => Directory.EnumerateFiles(folder, $"*{FuzzCorpus.TraversalMarker}*",
                folder == fixture.App.DataDirectory ? SearchOption.AllDirectories : SearchOption.TopDirectoryOnly));

    /// <summary>
    /// Sends one frame on a fresh connection, then a probe invocation, and reports how the server
    /// answered: any completion means the frame was dealt with, as the hub handles a connection's
    /// messages in order; a close means the server refused the connection.
    /// </summary>
    private async Task<string> HubCellAsync(Session session, byte[] frame, bool handshake, bool probe)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        using var socket = await fixture.Api.OpenHubSocketAsync(session, timeout.Token);
        try
        {
            if (handshake)
            {
                await SendTextAsync(socket, "{\"protocol\":\"json\",\"version\":1}" + RecordSeparator, timeout.Token);
            }

            await socket.SendAsync(frame, frame.Length > 0 && frame[0] == 0x96 ? WebSocketMessageType.Binary : WebSocketMessageType.Text, true, timeout.Token);
            if (!probe)
            {
                return "not probed";
            }

            if (socket.State == WebSocketState.Open)
            {
                await SendTextAsync(socket, HubCorpus.Probe + RecordSeparator, timeout.Token);
            }

            var buffer = new byte[64 * 1024];
            var text = new StringBuilder();
            while (true)
            {
                var received = await socket.ReceiveAsync(buffer, timeout.Token);
                if (received.MessageType == WebSocketMessageType.Close)
                {
                    return $"closed: {text.ToString().Split(RecordSeparator).LastOrDefault(t => t.Contains("error", StringComparison.Ordinal))}";
                }

                text.Append(Encoding.UTF8.GetString(buffer, 0, received.Count));
                if (text.ToString().Split(RecordSeparator).Any(IsCompletion))
                {
                    return "answered";
                }
            }
        }
        catch (OperationCanceledException)
        {
            return "no answer within 30 s";
        }
        catch (WebSocketException exception)
        {
            return $"closed: {exception.WebSocketErrorCode}";
        }
    }

    private static bool IsCompletion(string message)
    {
        try
        {
            using var json = JsonDocument.Parse(message);
            return json.RootElement.TryGetProperty("type", out var type) && type.ValueKind == JsonValueKind.Number && type.GetInt32() == 3;
        }
        catch (JsonException)
        {
            return false;
        }
    }

    private static Task SendTextAsync(WebSocket socket, string text, CancellationToken cancellationToken) =>
        socket.SendAsync(Encoding.UTF8.GetBytes(text), WebSocketMessageType.Text, true, cancellationToken);
}
