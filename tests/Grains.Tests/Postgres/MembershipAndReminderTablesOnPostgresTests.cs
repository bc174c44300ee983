using ClinicChat.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Orleans.Configuration;
using Orleans.Runtime.MembershipService;

namespace ClinicChat.Tests.Postgres;

/// <summary>
/// The parts of the contract a healthy two-silo cluster never reaches in a few seconds: stale versions,
/// cleanup of dead silos, and reminder ranges that wrap around the hash ring.
/// </summary>
[Trait("Category", "Slow")] // a throwaway PostgreSQL server
[Collection(PostgresClusterCollection.Name)]
public sealed class MembershipAndReminderTablesOnPostgresTests(PostgresClusterFixture fixture)
{
    // Finer than PostgreSQL's microseconds: the cleanup must match the row by the times as they were read back.
    private static readonly DateTime LongAgo = new DateTime(2025, 1, 2, 3, 4, 5, 678, DateTimeKind.Utc).AddTicks(3);

    [Fact]
    public async Task AMembershipWriteWithAStaleTableVersionIsRefused()
    {
        var (table, _) = await MembershipTableAsync();
        var initial = await table.ReadAllAsync();

        var first = await table.InsertRowAsync(Member(1, SiloStatus.Joining), initial.Version.Next());
        var secondWithStaleVersion = await table.InsertRowAsync(Member(2, SiloStatus.Joining), initial.Version.Next());
        var afterInsert = await table.ReadAllAsync();
        var (entry, etag) = afterInsert.Members.Single();
        entry.Status = SiloStatus.Active;
        var updateWithStaleVersion = await table.UpdateRowAsync(entry, initial.Version.VersionEtag, initial.Version.Next());
        var update = await table.UpdateRowAsync(entry, etag, afterInsert.Version.Next());
        var afterUpdate = await table.ReadAllAsync();

        Assert.True(first);
        Assert.False(secondWithStaleVersion);
        Assert.False(updateWithStaleVersion);
        Assert.True(update);
        Assert.Equal([initial.Version.Version + 1, initial.Version.Version + 2], [afterInsert.Version.Version, afterUpdate.Version.Version]);
        Assert.Equal(SiloStatus.Active, afterUpdate.Members.Single().Item1.Status);
    }

    [Fact]
    public async Task OnlyDeadSilosLastSeenBeforeTheCutoffAreCleanedUp()
    {
        var (table, _) = await MembershipTableAsync();
        foreach (var member in new[] { Member(1, SiloStatus.Dead), Member(2, SiloStatus.Active), Member(3, SiloStatus.Dead, seen: DateTime.UtcNow) })
        {
            Assert.True(await table.InsertRowAsync(member, (await table.ReadAllAsync()).Version.Next()));
        }

        await table.CleanupDefunctSiloEntriesAsync(DateTimeOffset.UtcNow.AddHours(-1));
        var remaining = await table.ReadAllAsync();

        Assert.Equal([2, 3], remaining.Members.Select(m => m.Item1.SiloAddress.Generation).Order());
    }

    [Fact]
    public async Task DeletingAClusterRemovesItsVersionAndItsMembers()
    {
        var (table, clusterId) = await MembershipTableAsync();
        Assert.True(await table.InsertRowAsync(Member(1, SiloStatus.Active), (await table.ReadAllAsync()).Version.Next()));

        await table.DeleteMembershipTableEntriesAsync(clusterId);
        var rows = await fixture.QueryAsync(
            """
            SELECT (SELECT COUNT(*) FROM OrleansMembershipVersionTable WHERE DeploymentId = @cluster)
                 + (SELECT COUNT(*) FROM OrleansMembershipTable WHERE DeploymentId = @cluster)
            """,
            reader => reader.GetInt64(0),
            ("cluster", clusterId));

        Assert.Equal(0, rows.Single());
    }

    [Fact]
    public async Task ReminderRangesCoverTheHashRingWithoutGapsOrOverlaps()
    {
        var reminders = fixture.SiloServices.GetRequiredService<IReminderTable>();
        var grains = Enumerable.Range(0, 24).Select(_ => fixture.Grains.GetGrain<IPostgresProbeGrain>(Guid.NewGuid()).GetGrainId()).ToHashSet();
        foreach (var grain in grains)
        {
            // Far enough ahead that the silos never deliver a tick during the test.
            await reminders.UpsertRow(new ReminderEntry { GrainId = grain, ReminderName = "ring", StartAt = DateTime.UtcNow.AddDays(7), Period = TimeSpan.FromDays(7) });
        }

        try
        {
            var lowerHalf = await OursAsync(0x0000_0000, 0x8000_0000);
            var upperHalf = await OursAsync(0x8000_0000, 0x0000_0000);
            var wholeRing = await OursAsync(0x1234_5678, 0x1234_5678);

            Assert.Equal(grains.Count, lowerHalf.Count + upperHalf.Count);
            Assert.Empty(lowerHalf.Intersect(upperHalf));
            Assert.True(grains.SetEquals(wholeRing));
            Assert.All(lowerHalf, grain => Assert.InRange(grain.GetUniformHashCode(), 0x0000_0001u, 0x8000_0000u));
        }
        finally
        {
            foreach (var grain in grains)
            {
                var stored = await reminders.ReadRow(grain, "ring");
                await reminders.RemoveRow(grain, "ring", stored!.ETag!);
            }
        }

        async Task<HashSet<GrainId>> OursAsync(uint begin, uint end) =>
            (await reminders.ReadRows(begin, end)).Reminders.Select(r => r.GrainId).Where(grains.Contains).ToHashSet();
    }

    private static MembershipEntry Member(int generation, SiloStatus status, DateTime? seen = null) => new()
    {
        SiloAddress = SiloAddress.New(IPAddress.Loopback, 40_000 + generation, generation),
        SiloName = "silo-" + generation,
        HostName = "test-host",
        Status = status,
        ProxyPort = 30_000 + generation,
        StartTime = LongAgo,
        IAmAliveTime = seen ?? LongAgo,
    };

    /// <summary>Orleans' own membership table class, on a cluster id of its own in the fixture's database.</summary>
    private async Task<(AdoNetClusteringTable Table, string ClusterId)> MembershipTableAsync()
    {
        var clusterId = "table-" + Guid.NewGuid().ToString("N")[..12];
        var table = new AdoNetClusteringTable(
            new ServiceCollection().BuildServiceProvider(),
            Options.Create(new ClusterOptions { ClusterId = clusterId, ServiceId = OrleansHostingOptions.ServiceId }),
            Options.Create(new AdoNetClusteringSiloOptions { Invariant = "Npgsql", ConnectionString = fixture.ConnectionString }),
            NullLogger<AdoNetClusteringTable>.Instance);
        await table.InitializeMembershipTableAsync(tryInitTableVersion: true);
        return (table, clusterId);
    }
}
