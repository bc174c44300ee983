using ClinicChat.Clinics;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Storage;

namespace ClinicChat.Tests;

/// <summary>A clinic's security settings: only its Admins read or change them, and a change never exists without its audit row.</summary>
[Collection(ClusterCollection.Name)]
public sealed class ClinicSecurityGrainTests(ClusterFixture fixture)
{
    [Fact]
    public async Task TheClinicsAdminChangesASettingAndTheChangeIsAuditedInTheClinicsChain()
    {
        var scenario = await Scenario.CreateAsync(fixture.Grains);
        var admin = scenario.Staff(StaffRole.Admin);
        var security = fixture.Grains.GetGrain<IClinicSecurityGrain>(scenario.ClinicId);

        var changed = await security.ChangeAsync(admin, new ClinicSecurityChange(RequireStaffTotp: true));

        Assert.True(changed.Value?.RequireStaffTotp);
        Assert.True((await security.GetAsync()).RequireStaffTotp);
        Assert.True((await security.ReadAsync(admin)).Value?.RequireStaffTotp);
        Assert.Equal(1, await StoredRowsAsync(scenario.ClinicId));
        Assert.Equal(1, await AuditRowsAsync(scenario.ClinicId, AuditActions.ClinicSecurityChanged, admin.UserId, "requireStaffTotp=true"));
    }

    [Theory]
    [InlineData(StaffRole.Clinician, false)]
    [InlineData(StaffRole.FrontDesk, false)]
    [InlineData(StaffRole.Billing, false)]
    [InlineData(StaffRole.Admin, true)]
    public async Task AnyoneButTheClinicsAdminIsRefusedAsNotFoundChangesNothingAndTheRefusalIsAudited(StaffRole role, bool atAnotherClinic)
    {
        var scenario = await Scenario.CreateAsync(fixture.Grains);
        var outsider = scenario.Staff(role, atAnotherClinic ? (await scenario.OtherClinicAsync()).Id : null);
        var security = fixture.Grains.GetGrain<IClinicSecurityGrain>(scenario.ClinicId);

        var changed = await security.ChangeAsync(outsider, new ClinicSecurityChange(RequireStaffTotp: true));
        var read = await security.ReadAsync(outsider);

        Assert.Equal(ChatErrorCode.NotFound, changed.Error?.Code);
        Assert.Equal(ChatErrorCode.NotFound, read.Error?.Code);
        Assert.False((await security.GetAsync()).RequireStaffTotp);
        Assert.Equal(0, await StoredRowsAsync(scenario.ClinicId));
        Assert.Equal(0, await AuditRowsAsync(scenario.ClinicId, AuditActions.ClinicSecurityChanged, outsider.UserId));
        // The first refusal of a caller at a clinic is written at once; the second, in the same window, is summarised later.
        Assert.Equal(1, await AuditRowsAsync(scenario.ClinicId, AuditActions.AccessDenied, outsider.UserId, "clinic_security"));
    }

    [Fact]
    public async Task AChangeWithoutAValueIsRefusedForTheAdminAsInvalid()
    {
        var scenario = await Scenario.CreateAsync(fixture.Grains);
        var admin = scenario.Staff(StaffRole.Admin);

        var changed = await fixture.Grains.GetGrain<IClinicSecurityGrain>(scenario.ClinicId).ChangeAsync(admin, new ClinicSecurityChange(null));

        Assert.Equal(ChatErrorCode.Validation, changed.Error?.Code);
        Assert.Equal("requireStaffTotp", changed.Error?.Field);
        Assert.Equal(0, await AuditRowsAsync(scenario.ClinicId, AuditActions.ClinicSecurityChanged, admin.UserId));
    }

    [Fact]
    public async Task WhenTheAuditRowCannotBeWrittenTheChangeIsNotStoredEither()
    {
        var scenario = await Scenario.CreateAsync(fixture.Grains);
        var admin = scenario.Staff(StaffRole.Admin);
        var security = fixture.Grains.GetGrain<IClinicSecurityGrain>(scenario.ClinicId);
        var trigger = "refuse_audit_" + scenario.ClinicId.ToString("N");
        // Only this clinic's change row is refused, so the rest of the collection's writes are untouched.
        await ExecuteAsync($"""
            CREATE TRIGGER {trigger} BEFORE INSERT ON audit_log
            WHEN NEW.clinic_id = '{scenario.ClinicId}' AND NEW.action = '{AuditActions.ClinicSecurityChanged}'
            BEGIN SELECT RAISE(ABORT, 'audit refused by the test'); END
            """);
        try
        {
            await Assert.ThrowsAnyAsync<Exception>(() => security.ChangeAsync(admin, new ClinicSecurityChange(RequireStaffTotp: true)));
        }
        finally
        {
            await ExecuteAsync($"DROP TRIGGER {trigger}");
        }

        Assert.Equal(0, await StoredRowsAsync(scenario.ClinicId));
        Assert.False((await security.GetAsync()).RequireStaffTotp);
        await fixture.DeactivateAsync(security);
        Assert.False((await security.GetAsync()).RequireStaffTotp);
    }

    [Fact]
    public async Task AClinicWhoseSettingWasKeptInGrainStateBeforeTheTableKeepsItUntilItsAdminChangesIt()
    {
        var scenario = await Scenario.CreateAsync(fixture.Grains);
        var security = fixture.Grains.GetGrain<IClinicSecurityGrain>(scenario.ClinicId);
        var storage = fixture.Services.GetRequiredKeyedService<IGrainStorage>(ChatStorage.GrainStateProvider);
        await storage.WriteStateAsync("clinicSecurity", security.GetGrainId(), new GrainState<ClinicSecurityState>(new ClinicSecurityState { RequireStaffTotp = true }));

        var before = await security.GetAsync();
        await security.ChangeAsync(scenario.Staff(StaffRole.Admin), new ClinicSecurityChange(RequireStaffTotp: false));
        await fixture.DeactivateAsync(security);
        var after = await security.GetAsync();

        Assert.True(before.RequireStaffTotp);
        Assert.False(after.RequireStaffTotp);
    }

    private Task<long> StoredRowsAsync(Guid clinicId) =>
        fixture.ScalarAsync("SELECT COUNT(*) FROM clinic_security WHERE clinic_id = @clinic", ("@clinic", clinicId));

    private Task<long> AuditRowsAsync(Guid clinicId, string action, string actorId, string? detail = null) =>
        fixture.ScalarAsync(
            "SELECT COUNT(*) FROM audit_log WHERE clinic_id = @clinic AND action = @action AND actor_id = @actor AND (CAST(@detail AS TEXT) IS NULL OR detail = CAST(@detail AS TEXT))",
            ("@clinic", clinicId), ("@action", action), ("@actor", actorId), ("@detail", detail));

    private async Task ExecuteAsync(string sql)
    {
        await using var connection = await fixture.Database.OpenAsync();
        await using var command = connection.Command(sql);
        await command.ExecuteNonQueryAsync();
    }
}
