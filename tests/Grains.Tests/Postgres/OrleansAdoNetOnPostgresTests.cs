using ClinicChat.Hosting;
using Orleans.Storage;

namespace ClinicChat.Tests.Postgres;

/// <summary>Orleans' ADO.NET clustering, grain storage and reminders on our PostgreSQL script.</summary>
[Trait("Category", "Slow")] // a throwaway PostgreSQL server
[Collection(PostgresClusterCollection.Name)]
public sealed class OrleansAdoNetOnPostgresTests(PostgresClusterFixture fixture)
{
    [Fact]
    public async Task BothSilosAreActiveInTheMembershipTableOnTheirOwnPorts()
    {
        var rows = await fixture.QueryAsync(
            "SELECT Port, ProxyPort, Status FROM OrleansMembershipTable WHERE DeploymentId = @cluster",
            reader => (Port: reader.GetInt32(0), Gateway: reader.GetInt32(1), Status: reader.GetInt32(2)),
            ("cluster", fixture.ClusterId));
        var hosts = await fixture.Grains.GetGrain<IManagementGrain>(0).GetHosts(onlyActive: true);

        Assert.Equal(fixture.Cluster.Silos.Select(s => s.SiloAddress.Endpoint.Port).Order(), rows.Select(r => r.Port).Order());
        Assert.All(rows, row => Assert.Equal((int)SiloStatus.Active, row.Status));
        Assert.Equal(2, rows.Select(r => r.Gateway).Where(port => port > 0).Distinct().Count());
        Assert.Equal(2, hosts.Count);
    }

    [Fact]
    public async Task GrainStateWrittenToPostgresIsReadBackByANewActivation()
    {
        var grain = fixture.Grains.GetGrain<IPostgresProbeGrain>(Guid.NewGuid());

        var written = await grain.WriteAsync("kept across activations");
        await grain.DeactivateAsync();
        var read = await grain.ReadAsync();

        Assert.NotEqual(written.ActivationId, read.ActivationId);
        Assert.Equal("kept across activations", read.Value);
        Assert.True(read.RecordExists);
        Assert.Equal(written.ETag, read.ETag);
        Assert.Equal(
            [OrleansHostingOptions.ServiceId],
            await fixture.QueryAsync("SELECT DISTINCT ServiceId FROM OrleansStorage", reader => reader.GetString(0)));
    }

    [Fact]
    public async Task AStaleWriteIsRejectedWithAnInconsistentStateException()
    {
        var grain = fixture.Grains.GetGrain<IPostgresProbeGrain>(Guid.NewGuid());
        var first = await grain.WriteAsync("first");

        // A second writer (say, a duplicate activation during a partition) that holds the current etag wins...
        var competitor = new GrainState<ProbeState>(new ProbeState { Value = "competitor" }, first.ETag);
        await fixture.Storage.WriteStateAsync(PostgresProbeGrain.StateName, grain.GetGrainId(), competitor);
        // ... one that never read the state cannot overwrite it ...
        var blind = new GrainState<ProbeState>(new ProbeState { Value = "blind" }, null);
        var blindWrite = () => fixture.Storage.WriteStateAsync(PostgresProbeGrain.StateName, grain.GetGrainId(), blind);
        // ... and the grain, still holding the etag it wrote, is refused.
        var staleWrite = () => grain.WriteAsync("stale");

        await Assert.ThrowsAsync<InconsistentStateException>(blindWrite);
        await Assert.ThrowsAsync<InconsistentStateException>(staleWrite);
        await grain.DeactivateAsync();
        var read = await grain.ReadAsync();
        Assert.NotEqual(first.ETag, competitor.ETag);
        Assert.Equal("competitor", read.Value);
        Assert.Equal(competitor.ETag, read.ETag);
    }

    [Fact]
    public async Task AReminderIsStoredInPostgresReadBackAndUnregistered()
    {
        var grain = fixture.Grains.GetGrain<IPostgresProbeGrain>(Guid.NewGuid());
        // Longer than an int of milliseconds (~24.8 days), as the archival reminder's 30-day wait is.
        var period = TimeSpan.FromDays(30);

        await grain.RegisterReminderAsync("probe", TimeSpan.FromHours(1), period);
        var readBack = await grain.GetReminderAsync("probe");
        var stored = await StoredRemindersAsync(grain);
        await grain.UnregisterReminderAsync("probe");

        Assert.Equal("probe", readBack);
        Assert.Equal([(OrleansHostingOptions.ServiceId, (long)period.TotalMilliseconds)], stored);
        Assert.Null(await grain.GetReminderAsync("probe"));
        Assert.Empty(await StoredRemindersAsync(grain));
    }

    private Task<IReadOnlyList<(string ServiceId, long PeriodMs)>> StoredRemindersAsync(IPostgresProbeGrain grain) =>
        fixture.QueryAsync(
            "SELECT ServiceId, Period FROM OrleansRemindersTable WHERE GrainId = @grain AND ReminderName = 'probe'",
            reader => (reader.GetString(0), reader.GetInt64(1)),
            ("grain", grain.GetGrainId().ToString()));
}
