using Microsoft.Extensions.Logging.Abstractions;

namespace ClinicChat.Tests.Storage;

/// <summary>What the group-commit writer promises its callers, written once and run on each database.</summary>
internal static class GroupCommitScenarios
{
    private static readonly DateTimeOffset At = new(2026, 11, 2, 9, 0, 0, TimeSpan.Zero);

    /// <summary>
    /// Units that fail in the middle of a batch (after writing a row of their own) fail alone: their
    /// callers see their exceptions, their rows are not stored, and the units before, between and after
    /// them in the same commit are stored exactly once, with the audit chain intact.
    /// </summary>
    public static async Task AFailingUnitFailsAloneAsync(ChatDatabase database)
    {
        var clinic = Guid.NewGuid();
        await using (var writer = new GroupCommitWriter(database, 100, NullLogger<GroupCommitWriter>.Instance))
        {
            // Hold the writer inside a first commit so the next five units queue up and commit together.
            var (holding, release) = (new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously), new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
            var first = writer.WriteAsync(new WriteUnit(async _ =>
            {
                holding.SetResult();
                await release.Task;
            }));
            await holding.Task;

            var before = writer.AuditAsync(At, Row(clinic, "before"));
            var failing = writer.WriteAsync(Failing(clinic, "failing"));
            var between = writer.AuditAsync(At, Row(clinic, "between"));
            var failingToo = writer.WriteAsync(Failing(clinic, "failing too"));
            var after = writer.AuditAsync(At, Row(clinic, "after"));
            release.SetResult();

            await Task.WhenAll(first, before, between, after);
            Assert.Equal("failing failed", (await Assert.ThrowsAsync<InvalidOperationException>(() => failing)).Message);
            Assert.Equal("failing too failed", (await Assert.ThrowsAsync<InvalidOperationException>(() => failingToo)).Message);
        }

        var store = new AuditStore(database);
        var chain = AuditLog.ChainOf(clinic);
        Assert.Equal(["after", "between", "before"], (await store.ListAsync(new AuditQuery(chain))).Select(r => r.Event.Action));
        var verified = await store.VerifyAsync(chain, new AuditCheckpointSigner(AuditCheckpointSigner.DevelopmentKey));
        Assert.Equal((true, 3L), (verified.Ok, verified.Rows));
    }

    /// <summary>A unit alone in its commit that fails: its caller sees the exception and nothing of it is stored; the writer goes on.</summary>
    public static async Task ALoneFailingUnitStoresNothingAsync(ChatDatabase database)
    {
        var clinic = Guid.NewGuid();
        await using (var writer = new GroupCommitWriter(database, 100, NullLogger<GroupCommitWriter>.Instance))
        {
            await Assert.ThrowsAsync<InvalidOperationException>(() => writer.WriteAsync(Failing(clinic, "failing")));
            await writer.AuditAsync(At, Row(clinic, "next"));
        }

        Assert.Equal(["next"], (await new AuditStore(database).ListAsync(new AuditQuery(AuditLog.ChainOf(clinic)))).Select(r => r.Event.Action));
    }

    /// <summary>
    /// A commit whose connection breaks under it (a unit's bare failure is rolled back; this one cannot be): every caller
    /// of that commit sees the failure and nothing of it is stored, and the next commit stores on a new connection. The
    /// embedded writer keeps its connection and compiled statements between commits, so it must drop them here.
    /// </summary>
    public static async Task ACommitWhoseConnectionBrokeFailsAndTheNextIsStoredAsync(ChatDatabase database)
    {
        var clinic = Guid.NewGuid();
        await using (var writer = new GroupCommitWriter(database, 100, NullLogger<GroupCommitWriter>.Instance))
        {
            await writer.AuditAsync(At, Row(clinic, "before"));
            var broken = AuditLog.Append(At, Row(clinic, "lost")).Then(new WriteUnit(async scope => await scope.Command("SELECT 1").Connection!.CloseAsync()));
            await Assert.ThrowsAnyAsync<Exception>(() => writer.WriteAsync(broken));
            await writer.AuditAsync(At, Row(clinic, "after"));
        }

        var store = new AuditStore(database);
        var chain = AuditLog.ChainOf(clinic);
        Assert.Equal(["after", "before"], (await store.ListAsync(new AuditQuery(chain))).Select(r => r.Event.Action));
        Assert.True((await store.VerifyAsync(chain, new AuditCheckpointSigner(AuditCheckpointSigner.DevelopmentKey))).Ok);
    }

    /// <summary>
    /// A statement the writer keeps compiled fails in one unit (a seq another activation stored: the primary key refuses it)
    /// and serves the next unit as before: the failure is its caller's alone, and nothing of it is stored.
    /// </summary>
    public static async Task AKeptStatementThatFailedServesTheNextUnitAsync(ChatDatabase database)
    {
        var conversation = new ConversationInfo(Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid(), At, At, 0, false);
        MessageView Message(long seq, string text) => new(conversation.Id, seq, $"client-{text}", "staff-1", SenderKind.Staff, "Staff One", text, At);
        await using (var writer = new GroupCommitWriter(database, 100, NullLogger<GroupCommitWriter>.Instance))
        {
            await writer.WriteAsync(MessageStore.InsertConversation(conversation).Then(MessageStore.Append(Message(1, "first"))));
            var taken = await Assert.ThrowsAnyAsync<Exception>(() => writer.WriteAsync(MessageStore.Append(Message(1, "taken"))));
            Assert.True(ChatDatabase.IsPrimaryKeyViolation(taken));
            await writer.WriteAsync(MessageStore.Append(Message(2, "second")));
        }

        var (page, _) = await new MessageStore(database).ReadPageAsync(conversation.Id, 0, null, 10);
        Assert.Equal(["first", "second"], page.Select(m => m.Text));
    }

    /// <summary>
    /// A kept statement keeps its parameter objects from unit to unit, never their values: a unit that leaves one unset
    /// fails (it must not run with the previous unit's value), and the statement then serves the next unit.
    /// </summary>
    public static async Task AKeptStatementNeverBindsTheLastUnitsValueAsync(ChatDatabase database)
    {
        const string Echo = "SELECT CAST(@value AS TEXT)";
        await using var writer = new GroupCommitWriter(database, 100, NullLogger<GroupCommitWriter>.Instance);
        Assert.Equal("first", await writer.WriteAsync(new WriteUnit<string?>(async scope =>
            (string?)await scope.Command(Echo).With("@value", "first").ExecuteScalarAsync())));

        await Assert.ThrowsAnyAsync<Exception>(() => writer.WriteAsync(new WriteUnit<string?>(async scope =>
            (string?)await scope.Command(Echo).ExecuteScalarAsync())));

        Assert.Equal("third", await writer.WriteAsync(new WriteUnit<string?>(async scope =>
            (string?)await scope.Command(Echo).With("@value", "third").ExecuteScalarAsync())));
    }

    /// <summary>A unit that writes an audit row and then fails.</summary>
    private static WriteUnit Failing(Guid clinic, string action) =>
        AuditLog.Append(At, Row(clinic, action)).Then(new WriteUnit(_ => throw new InvalidOperationException($"{action} failed")));

    private static AuditEvent Row(Guid clinic, string action) => new(action, "writer-test", clinic, null, null, AuditOutcomes.Success);
}
