namespace ClinicChat.Tests;

[Collection(ClusterCollection.Name)]
public sealed class ScratchTests(ClusterFixture fixture)
{
    [Fact]
    public async Task Scratch()
    {
        var scenario = await Scenario.CreateAsync(fixture.Grains);
        var thread = await scenario.ThreadAsync();
        var management = fixture.Cluster.Client.GetGrain<IManagementGrain>(0);
        var id = thread.Grain.GetGrainId();
        Assert.Contains(id, await management.GetActiveGrains(id.Type));
        await fixture.DeactivateAsync(thread.Grain);
        Assert.DoesNotContain(id, await management.GetActiveGrains(id.Type));
        var rows = await fixture.QueryAsync("SELECT grain_id, start_at_ms, period_ms, etag FROM reminders", r => $"{r.GetString(0)} {r.GetInt64(1)} {r.GetInt64(2)} {r.GetInt64(3)}");
        Assert.Fail(id + "\n" + string.Join("\n", rows));
    }
}
