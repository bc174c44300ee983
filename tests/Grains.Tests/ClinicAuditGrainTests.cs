using Microsoft.Extensions.DependencyInjection;

namespace ClinicChat.Tests;

/// <summary>A clinic's audit log is its Admins' alone; reading, exporting and verifying it are audited by the grain itself.</summary>
[Collection(ClusterCollection.Name)]
public sealed class ClinicAuditGrainTests(ClusterFixture fixture)
{
    public enum Outsider
    {
        ClinicianOfTheClinic,
        BillingOfTheClinic,
        AdminOfAnotherClinic,
        PatientOfTheClinic,
    }

    [Theory]
    [InlineData(Outsider.ClinicianOfTheClinic)]
    [InlineData(Outsider.BillingOfTheClinic)]
    [InlineData(Outsider.AdminOfAnotherClinic)]
    [InlineData(Outsider.PatientOfTheClinic)]
    public async Task AnyoneButTheClinicsAdminGetsNotFoundFromEveryOperationAndTheRefusalIsAudited(Outsider who)
    {
        var thread = await HistoryAsync();
        var scenario = await Scenario.CreateAsync(fixture.Grains);
        var outsider = OutsiderOf(who, thread, scenario);
        var audit = fixture.Grains.GetGrain<IClinicAuditGrain>(thread.ClinicId);

        ChatError?[] errors =
        [
            (await audit.ListAsync(outsider, new AuditFilter())).Error,
            (await audit.ExportAsync(outsider, new AuditExportQuery(AuditExportFormat.Csv))).Error,
            (await audit.VerifyAsync(outsider)).Error,
            (await audit.FindPatientsAsync(outsider, "")).Error,
            (await audit.NamePatientsAsync(outsider, [thread.PatientId])).Error,
        ];

        Assert.All(errors, e => Assert.Equal(ChatErrorCode.NotFound, e?.Code));
        Assert.Equal(1, await RowsAsync(thread.ClinicId, AuditActions.AccessDenied, outsider.UserId));
        Assert.Equal(0, await RowsAsync(thread.ClinicId, AuditActions.AuditViewed, outsider.UserId));
        Assert.Equal(0, await RowsAsync(thread.ClinicId, AuditActions.AuditExported, outsider.UserId));
        Assert.Equal(0, await RowsAsync(thread.ClinicId, AuditActions.AuditVerified, outsider.UserId));
    }

    [Fact]
    public async Task TheAdminPagesTheLogNewestFirstWithTheFiltersAndTheReadIsAudited()
    {
        var thread = await HistoryAsync(messages: 4);
        var admin = Admin(thread);
        var audit = fixture.Grains.GetGrain<IClinicAuditGrain>(thread.ClinicId);

        var first = (await audit.ListAsync(admin, new AuditFilter(PatientId: thread.PatientId, Action: AuditActions.MessageSent, Limit: 3))).Value!;
        var second = (await audit.ListAsync(admin, new AuditFilter(PatientId: thread.PatientId, Action: AuditActions.MessageSent, Before: first.NextBefore, Limit: 3))).Value!;

        var ids = first.Entries.Concat(second.Entries).Select(e => e.Id).ToList();
        Assert.Equal(4, ids.Count);
        Assert.Equal(ids.OrderDescending(), ids);
        Assert.All(first.Entries.Concat(second.Entries), e => Assert.Equal(AuditActions.MessageSent, e.Event.Action));
        Assert.Null(second.NextBefore);
        Assert.Equal(2, await RowsAsync(thread.ClinicId, AuditActions.AuditViewed, admin.UserId));
    }

    [Theory]
    [InlineData(0, "limit")]
    [InlineData(AuditLimits.MaxLimit + 1, "limit")]
    public async Task APageOutsideTheLimitsIsInvalid(int limit, string field)
    {
        var thread = await HistoryAsync();

        var page = await fixture.Grains.GetGrain<IClinicAuditGrain>(thread.ClinicId).ListAsync(Admin(thread), new AuditFilter(Limit: limit));

        Assert.Equal(ChatErrorCode.Validation, page.Error?.Code);
        Assert.Equal(field, page.Error?.Field);
    }

    [Fact]
    public async Task AnExportComesInBoundedChunksThatTogetherHoldTheWholeChainOnceAndIsAuditedOnce()
    {
        var thread = await HistoryAsync();
        var admin = Admin(thread);
        var writer = fixture.Services.GetRequiredService<GroupCommitWriter>();
        await writer.AuditAsync(fixture.Clock.GetUtcNow(), [.. Enumerable.Range(0, AuditLimits.ExportChunk + 5).Select(i =>
            new AuditEvent(AuditActions.ThreadViewed, thread.Clinician.UserId, thread.ClinicId, thread.PatientId, thread.Id, AuditOutcomes.Success, $"n={i}"))]);
        var audit = fixture.Grains.GetGrain<IClinicAuditGrain>(thread.ClinicId);
        var query = new AuditExportQuery(AuditExportFormat.Ndjson);

        var chunks = new List<AuditExportChunk>();
        for (var chunk = (await audit.ExportAsync(admin, query)).Value; chunk is not null;
             chunk = chunk.NextAfter is { } after ? (await audit.ExportAsync(admin, query with { After = after })).Value : null)
        {
            chunks.Add(chunk);
        }

        var exported = chunks.SelectMany(c => c.Entries).Select(e => e.Id).ToList();
        var stored = await fixture.QueryAsync("SELECT id FROM audit_log WHERE chain = @chain ORDER BY id", r => r.GetInt64(0), ("@chain", AuditLog.ChainOf(thread.ClinicId)));
        Assert.True(chunks.Count >= 2);
        Assert.All(chunks, c => Assert.True(c.Entries.Count <= AuditLimits.ExportChunk));
        // The export's own row is written before the first chunk is read, so the export includes it.
        Assert.Equal(stored.Where(id => id <= exported[^1]), exported);
        Assert.Equal(1, await RowsAsync(thread.ClinicId, AuditActions.AuditExported, admin.UserId, "format=ndjson from=- to=-"));
    }

    [Fact]
    public async Task AnUnknownExportFormatIsInvalidForTheAdminAndNothingIsAudited()
    {
        var thread = await HistoryAsync();
        var admin = Admin(thread);

        var export = await fixture.Grains.GetGrain<IClinicAuditGrain>(thread.ClinicId).ExportAsync(admin, new AuditExportQuery(null));

        Assert.Equal("format", export.Error?.Field);
        Assert.Equal(0, await RowsAsync(thread.ClinicId, AuditActions.AuditExported, admin.UserId));
    }

    [Fact]
    public async Task AnIntactChainVerifiesIsSignedAndTheVerificationIsAudited()
    {
        var thread = await HistoryAsync();
        var admin = Admin(thread);
        var chain = AuditLog.ChainOf(thread.ClinicId);

        var result = (await fixture.Grains.GetGrain<IClinicAuditGrain>(thread.ClinicId).VerifyAsync(admin)).Value!;

        Assert.True(result.Ok);
        Assert.Equal(await fixture.ScalarAsync("SELECT COUNT(*) FROM audit_log WHERE chain = @chain AND action <> @verified", ("@chain", chain), ("@verified", AuditActions.AuditVerified)), result.Rows);
        Assert.Equal(1, await fixture.ScalarAsync("SELECT COUNT(*) FROM audit_checkpoints WHERE chain = @chain", ("@chain", chain)));
        Assert.Equal(1, await RowsAsync(thread.ClinicId, AuditActions.AuditVerified, admin.UserId, $"ok rows={result.Rows}"));
    }

    [Fact]
    public async Task PatientsAreNamedOnlyWhenTheyAreTheClinicsOwn()
    {
        var thread = await HistoryAsync();
        var elsewhere = await Scenario.CreateAsync(fixture.Grains);
        var stranger = await elsewhere.PatientAsync("Stranger Danger");
        var audit = fixture.Grains.GetGrain<IClinicAuditGrain>(thread.ClinicId);

        var named = (await audit.NamePatientsAsync(Admin(thread), [thread.PatientId, stranger])).Value!;
        var found = (await audit.FindPatientsAsync(Admin(thread), "stranger")).Value!;

        Assert.Equal([new AuditPatient(thread.PatientId, "Pat Example")], named);
        Assert.Empty(found);
    }

    private static Actor Admin(ChatThread thread) => new(
        "admin-" + Guid.NewGuid().ToString("N"), ActorKind.Staff, "Admin Tester", null, [new ClinicMembership(thread.ClinicId, StaffRole.Admin)]);

    private async Task<ChatThread> HistoryAsync(int messages = 2)
    {
        var scenario = await Scenario.CreateAsync(fixture.Grains);
        var thread = await scenario.ThreadAsync();
        for (var i = 0; i < messages; i++)
        {
            await thread.SayAsync(thread.Clinician, $"note {i}");
        }

        return thread;
    }

    private static Actor OutsiderOf(Outsider who, ChatThread thread, Scenario elsewhere) => who switch
    {
        Outsider.ClinicianOfTheClinic => thread.Clinician with { UserId = "staff-" + Guid.NewGuid().ToString("N") },
        Outsider.BillingOfTheClinic => new Actor("staff-" + Guid.NewGuid().ToString("N"), ActorKind.Staff, "Billing", null, [new ClinicMembership(thread.ClinicId, StaffRole.Billing)]),
        Outsider.AdminOfAnotherClinic => elsewhere.Staff(StaffRole.Admin),
        Outsider.PatientOfTheClinic => Scenario.PatientActor(thread.PatientId, "user-" + Guid.NewGuid().ToString("N")),
        _ => throw new ArgumentOutOfRangeException(nameof(who)),
    };

    private Task<long> RowsAsync(Guid clinicId, string action, string actorId, string? detail = null) =>
        fixture.ScalarAsync(
            "SELECT COUNT(*) FROM audit_log WHERE chain = @chain AND action = @action AND actor_id = @actor AND (CAST(@detail AS TEXT) IS NULL OR detail = CAST(@detail AS TEXT))",
            ("@chain", AuditLog.ChainOf(clinicId)), ("@action", action), ("@actor", actorId), ("@detail", detail));
}
