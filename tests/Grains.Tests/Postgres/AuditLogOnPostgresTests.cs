using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace ClinicChat.Tests.Postgres;

/// <summary>The audit page, export and verification queries as PostgreSQL runs them (typed parameters, NULL filters, grants).</summary>
[Trait("Category", "Slow")] // a throwaway PostgreSQL server
[Collection(PostgresClusterCollection.Name)]
public sealed class AuditLogOnPostgresTests(PostgresClusterFixture fixture)
{
    private static readonly DateTimeOffset Start = new(2026, 11, 2, 9, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task ChainsAreListedFilteredCheckpointedAndVerifiedOnPostgres()
    {
        var database = await fixture.MigratedDatabaseAsync("audit_");
        var signer = new AuditCheckpointSigner(AuditCheckpointSigner.DevelopmentKey);
        var (clinic, patient) = (Guid.NewGuid(), Guid.NewGuid());
        await using (var writer = new GroupCommitWriter(database, 100, NullLogger<GroupCommitWriter>.Instance))
        {
            for (var i = 0; i < 5; i++)
            {
                await writer.AuditAsync(Start.AddMinutes(i), new AuditEvent(AuditActions.MessageSent, "alice", clinic, i % 2 == 0 ? patient : null, null, AuditOutcomes.Success));
                await writer.AuditAsync(Start.AddMinutes(i), new AuditEvent("signin", "someone", null, null, null, AuditOutcomes.Success));
            }

            Assert.NotNull(await writer.CheckpointAsync(AuditLog.ChainOf(clinic), signer, Start.AddHours(1)));
        }

        var store = new AuditStore(database);
        var chain = AuditLog.ChainOf(clinic);
        Assert.Equal(5, (await store.ListAsync(new AuditQuery(chain))).Count);
        Assert.Equal(3, (await store.ListAsync(new AuditQuery(chain, PatientId: patient))).Count);
        var newest = await store.ListAsync(new AuditQuery(chain, ActorId: "alice", Action: AuditActions.MessageSent, From: Start.AddMinutes(1), To: Start.AddMinutes(4), Limit: 2));
        Assert.Equal([Start.AddMinutes(3), Start.AddMinutes(2)], newest.Select(r => r.OccurredAt));
        Assert.Single(await store.ListAsync(new AuditQuery(chain, Before: newest[^1].Id, From: Start.AddMinutes(1), To: Start.AddMinutes(4))));
        Assert.Equal(5, (await store.PageAfterAsync(new AuditQuery(chain, Limit: AuditStore.PageSize), 0)).Count);

        var verified = await store.VerifyAsync(chain, signer);
        Assert.Equal((true, 5L, 1L), (verified.Ok, verified.Rows, verified.Checkpoints));
        Assert.True((await store.VerifyAsync(AuditLog.ChainOf(null), signer)).Ok);
        Assert.Equal(["", chain], await store.ChainsAsync());

        // The application's role may not rewrite history, even without the triggers' help.
        await using var connection = new NpgsqlConnection(database.ConnectionString);
        await connection.OpenAsync();
        await using var privileges = new NpgsqlCommand("SELECT has_table_privilege('public', 'audit_log', 'DELETE')", connection);
        Assert.Equal(false, await privileges.ExecuteScalarAsync());
    }
}
