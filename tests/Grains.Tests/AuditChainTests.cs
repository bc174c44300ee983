using System.Data.Common;
using ClinicChat.Inbox;

namespace ClinicChat.Tests;

/// <summary>The audit log is tamper-evident: each clinic's rows form a hash chain anyone can re-verify from the stored fields.</summary>
[Collection(ClusterCollection.Name)]
public sealed class AuditChainTests(ClusterFixture fixture)
{
    [Fact]
    public async Task EveryLinkOfAClinicsChainVerifiesFromTheStoredFields()
    {
        var scenario = await Scenario.CreateAsync(fixture.Grains);
        await RecordSomeHistoryAsync(scenario);

        var rows = await ChainAsync(AuditLog.ChainOf(scenario.ClinicId));

        Assert.True(rows.Count >= 10, $"expected a real history, found {rows.Count} rows");
        Assert.Equal(AuditLog.GenesisHash, rows[0].PrevHash);
        var previous = AuditLog.GenesisHash;
        foreach (var row in rows)
        {
            Assert.Equal(previous, row.PrevHash);
            Assert.Equal(row.Hash, AuditLog.Hash(row.PrevHash, row.Chain, row.OccurredAtMs, row.Event));
            previous = row.Hash;
        }
    }

    [Fact]
    public async Task EveryChainInTheDatabaseVerifies()
    {
        var scenario = await Scenario.CreateAsync(fixture.Grains);
        await RecordSomeHistoryAsync(scenario);
        // Events outside any clinic (an unknown thread id) go to the clinic-less chain.
        await fixture.Grains.GetGrain<IConversationGrain>(Guid.NewGuid()).GetAsync(scenario.Staff(StaffRole.Clinician));

        var chains = await fixture.QueryAsync("SELECT DISTINCT chain FROM audit_log", reader => reader.GetString(0));
        var broken = new List<string>();
        foreach (var chain in chains)
        {
            var previous = AuditLog.GenesisHash;
            foreach (var row in await ChainAsync(chain))
            {
                if (row.PrevHash != previous || row.Hash != AuditLog.Hash(row.PrevHash, row.Chain, row.OccurredAtMs, row.Event))
                {
                    broken.Add(chain);
                    break;
                }

                previous = row.Hash;
            }
        }

        Assert.Contains(AuditLog.ChainOf(null), chains);
        Assert.Contains(AuditLog.ChainOf(scenario.ClinicId), chains);
        Assert.Empty(broken);
    }

    [Fact]
    public async Task TheChainRecordsWhoDidWhatIncludingRefusals()
    {
        var scenario = await Scenario.CreateAsync(fixture.Grains);
        var (thread, billing) = await RecordSomeHistoryAsync(scenario);

        var rows = await ChainAsync(AuditLog.ChainOf(scenario.ClinicId));

        Assert.Contains(rows, r => r.Event.Action == AuditActions.ConversationStarted && r.Event.ActorId == thread.Clinician.UserId);
        Assert.Contains(rows, r => r.Event.Action == AuditActions.MessageSent && r.Event.ActorId == thread.Patient.UserId && r.Event.Detail == "seq=2");
        Assert.Contains(rows, r => r.Event.Action == AuditActions.MessageRead && r.Event.Detail == "readUpTo=2;deliveredUpTo=2");
        Assert.Contains(rows, r => r.Event.Action == AuditActions.MessageDelivered && r.Event.ActorId == thread.Patient.UserId && r.Event.Detail == "deliveredUpTo=3");
        Assert.Contains(rows, r => r.Event.Action == AuditActions.PreferencesChanged && r.Event.PatientId == thread.PatientId);
        Assert.Contains(rows, r => r.Event.Action == AuditActions.AccessDenied && r.Event.ActorId == billing.UserId && r.Event.Outcome == AuditOutcomes.Denied);
        Assert.All(rows, r => Assert.Equal(scenario.ClinicId, r.Event.ClinicId));
    }

    [Fact]
    public async Task AuditRowsNeverCarryMessageText()
    {
        const string secret = "Biopsy result: benign";
        var scenario = await Scenario.CreateAsync(fixture.Grains);
        var thread = await scenario.ThreadAsync();
        await thread.SayAsync(thread.Clinician, secret);

        var leaks = await fixture.ScalarAsync(
            "SELECT COUNT(*) FROM audit_log WHERE instr(COALESCE(detail, ''), @text) > 0", ("@text", "Biopsy"));

        Assert.Equal(0, leaks);
    }

    [Fact]
    public async Task StoredAuditRowsAndMessagesCannotBeRewrittenOrDeleted()
    {
        var scenario = await Scenario.CreateAsync(fixture.Grains);
        var thread = await scenario.ThreadAsync();
        await thread.SayAsync(thread.Clinician, "Original");
        await using var connection = await fixture.Database.OpenAsync();

        string[] tampering =
        [
            "UPDATE audit_log SET detail = 'forged' WHERE clinic_id = @clinic",
            "DELETE FROM audit_log WHERE clinic_id = @clinic",
            "UPDATE messages SET text = 'forged' WHERE conversation_id = @conversation",
            "DELETE FROM messages WHERE conversation_id = @conversation",
        ];

        foreach (var sql in tampering)
        {
            await using var command = connection.Command(sql).With("@clinic", scenario.ClinicId).With("@conversation", thread.Id);
            await Assert.ThrowsAnyAsync<DbException>(() => command.ExecuteNonQueryAsync());
        }

        Assert.Equal(1, await fixture.MessageCountAsync(thread.Id));
    }

    [Fact]
    public async Task ReadingPatientDataThroughSearchSidebarAndThreadIsAudited()
    {
        var scenario = await Scenario.CreateAsync(fixture.Grains);
        var thread = await scenario.ThreadAsync("Audrey Audit");
        var inbox = fixture.Grains.GetGrain<IStaffInboxGrain>(thread.Clinician.UserId);

        await fixture.Grains.GetGrain<IClinicDirectoryGrain>(scenario.ClinicId).SearchPatientsAsync(thread.Clinician, "audrey", 10);
        await inbox.ListThreadsAsync(thread.Clinician, new ThreadQuery(ThreadList.Inbox, null, 20, null));
        await inbox.GetThreadAsync(thread.Clinician, thread.Id);

        var rows = await ChainAsync(AuditLog.ChainOf(scenario.ClinicId));
        Assert.Contains(rows, r => r.Event.Action == AuditActions.PatientsSearched && r.Event.ActorId == thread.Clinician.UserId && r.Event.Detail == "results=1");
        Assert.Contains(rows, r => r.Event.Action == AuditActions.ThreadsListed && r.Event.ActorId == thread.Clinician.UserId && r.Event.Detail == "threads=1");
        Assert.Contains(rows, r => r.Event.Action == AuditActions.ThreadViewed && r.Event.ConversationId == thread.Id);
        Assert.DoesNotContain(rows, r => (r.Event.Detail ?? string.Empty).Contains("audrey", StringComparison.OrdinalIgnoreCase));
    }

    /// <summary>Start, a few messages each way, a read, a page view, a pin, a refused outsider and an opt-out.</summary>
    private async Task<(ChatThread Thread, Actor Billing)> RecordSomeHistoryAsync(Scenario scenario)
    {
        var thread = await scenario.ThreadAsync();
        await thread.SayAsync(thread.Clinician, "Hello");
        await thread.SayAsync(thread.Patient, "Hi");
        await thread.SayAsync(thread.Clinician, "All good");
        await thread.Grain.AcknowledgeAsync(thread.Clinician, new ReceiptAck(null, 2));
        await thread.Grain.GetMessagesAsync(thread.Patient, new MessagePageQuery(null, null, 10));
        await fixture.Grains.GetGrain<IStaffInboxGrain>(thread.Clinician.UserId).SetPinnedAsync(thread.Clinician, thread.Id, pinned: true);
        var billing = scenario.Staff(StaffRole.Billing);
        await thread.Grain.GetAsync(billing);
        await fixture.Grains.GetGrain<IPatientProfileGrain>(thread.PatientId).SetChatOptInAsync(thread.Patient, optIn: false);
        return (thread, billing);
    }

    private Task<IReadOnlyList<AuditRow>> ChainAsync(string chain) => fixture.QueryAsync(
        """
        SELECT chain, occurred_at_ms, action, actor_id, clinic_id, patient_id, conversation_id, outcome, detail, prev_hash, hash
          FROM audit_log WHERE chain = @chain ORDER BY id
        """,
        reader => new AuditRow(
            reader.GetString(0),
            reader.GetInt64(1),
            new AuditEvent(
                reader.GetString(2),
                reader.GetString(3),
                NullableGuid(reader, 4),
                NullableGuid(reader, 5),
                NullableGuid(reader, 6),
                reader.GetString(7),
                reader.IsDBNull(8) ? null : reader.GetString(8)),
            reader.GetString(9),
            reader.GetString(10)),
        ("@chain", chain));

    private static Guid? NullableGuid(DbDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? null : Guid.Parse(reader.GetString(ordinal));

    private sealed record AuditRow(string Chain, long OccurredAtMs, AuditEvent Event, string PrevHash, string Hash);
}
