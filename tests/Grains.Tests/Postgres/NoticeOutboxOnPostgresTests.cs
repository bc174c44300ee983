using System.Collections.Concurrent;
using ClinicChat.Notices;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace ClinicChat.Tests.Postgres;

/// <summary>The notice outbox as a cluster runs it: several nodes' dispatchers on one PostgreSQL database.</summary>
[Trait("Category", "Slow")] // a throwaway PostgreSQL server
[Collection(PostgresClusterCollection.Name)]
public sealed class NoticeOutboxOnPostgresTests(PostgresClusterFixture fixture)
{
    private static readonly DateTimeOffset Now = new(2026, 12, 3, 15, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task ThreeNodesDispatchingAtOnceSendEachNoticeExactlyOnce()
    {
        var database = await fixture.MigratedDatabaseAsync("outbox_");
        var clinicId = Guid.NewGuid();
        await using var writer = new GroupCommitWriter(database, 100, NullLogger<GroupCommitWriter>.Instance);
        var rows = Enumerable.Range(0, 450).Select(i => new OutboxRow(
            Guid.NewGuid(), Guid.NewGuid(), null, clinicId, Guid.NewGuid(), 1, NoticeChannel.Email, NoticeTemplates.NewMessage,
            $"patient{i}@example.com", "https://chat.test/#/inbox", null, Now, Now, NoticeState.Pending)).ToList();
        await writer.WriteAsync(NoticeStore.Queue(rows));
        var provider = new RecordingProvider();
        var nodes = Enumerable.Range(0, 3).Select(_ => Dispatcher(database, writer, provider)).ToList();

        // Each node keeps passing until a pass finds nothing, the way its loop would; all three at once.
        await Task.WhenAll(nodes.Select(node => Task.Run(async () =>
        {
            while (await node.DispatchDueAsync() > 0)
            {
            }
        })));

        Assert.Equal(rows.Select(r => r.Id).Order(), provider.Sent.Keys.Order());
        Assert.All(provider.Sent.Values, count => Assert.Equal(1, count));
        Assert.Equal(450L, await ScalarAsync(database, "SELECT COUNT(*) FROM notice_outbox WHERE state = 1 AND lease_owner IS NULL"));
        Assert.Equal(450L, await ScalarAsync(database, "SELECT COUNT(*) FROM audit_log WHERE action = 'notice.sent'"));
    }

    [Fact]
    public async Task DecisionQueriesRunOnPostgres()
    {
        var database = await fixture.MigratedDatabaseAsync("notices_");
        var store = new NoticeStore(database);
        var (patientId, conversationId) = (Guid.NewGuid(), Guid.NewGuid());
        await using var writer = new GroupCommitWriter(database, 100, NullLogger<GroupCommitWriter>.Instance);
        await writer.WriteAsync(NoticeStore.Queue([
            new OutboxRow(Guid.NewGuid(), patientId, null, Guid.NewGuid(), conversationId, 7, NoticeChannel.Email, NoticeTemplates.Reply, "a@example.com", null, null, Now, Now, NoticeState.Pending),
            new OutboxRow(Guid.NewGuid(), patientId, null, Guid.NewGuid(), conversationId, 7, NoticeChannel.Sms, NoticeTemplates.Reply, "+15550001111", null, null, Now, Now.AddHours(9), NoticeState.Pending),
            new OutboxRow(Guid.NewGuid(), null, "staff-1", Guid.NewGuid(), conversationId, 8, NoticeChannel.Email, NoticeTemplates.StaffWaiting, "s@example.com", null, null, Now, Now, NoticeState.Pending),
        ]).Then(NoticeStore.SaveChoice(patientId, Guid.NewGuid(), new NoticeChoice(true, true, Now), Now))
          .Then(NoticeStore.Pend(conversationId, NoticeAudience.Patient, Now.AddMinutes(-1))));

        // Parses and runs on PostgreSQL (no thread waits in this database).
        await writer.WriteAsync(NoticeStore.PendWaitingThreads(Guid.NewGuid(), Now));
        Assert.Equal(7, await store.LastDecidedSeqAsync(conversationId));
        Assert.Equal(Now, await store.LastStaffWaitingAtAsync(conversationId));
        Assert.Null(await store.LastStaffWaitingAtAsync(Guid.NewGuid()));
        Assert.Equal(1, await store.CountThreadNoticesSinceAsync(patientId, Now.AddHours(-24)));
        Assert.Equal(2, (await store.ReadDecisionAsync(conversationId, 7)).Count);
        Assert.Equal(NoticeContact.None, await store.ReadContactAsync(patientId));
        Assert.True(Assert.Single((await store.ReadChoicesAsync(patientId)).Values).Sms);
        Assert.Equal([(conversationId, NoticeAudience.Patient)], await store.ClaimDuePendingAsync(Now, Now.AddMinutes(1), 10));
        Assert.Empty(await store.ClaimDuePendingAsync(Now, Now.AddMinutes(1), 10));
        Assert.Empty(await store.ReadStaffAsync(Guid.NewGuid(), [StaffRole.Clinician, StaffRole.Billing]));
    }

    private static NoticeDispatcher Dispatcher(ChatDatabase database, GroupCommitWriter writer, INoticeSender provider) => new(
        new NoticeStore(database), writer, database, [provider], new NoticeLinks("https://chat.test"), Options.Create(new NotificationOptions()),
        new Microsoft.Extensions.Hosting.Internal.HostingEnvironment { EnvironmentName = Environments.Production }, new FakeTimeProvider(Now), NullLogger<NoticeDispatcher>.Instance);

    private static async Task<long> ScalarAsync(ChatDatabase database, string sql)
    {
        await using var connection = await database.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        return Convert.ToInt64(await command.ExecuteScalarAsync());
    }

    /// <summary>The provider's side of the boundary: counts what reached it, per notice.</summary>
    private sealed class RecordingProvider : INoticeSender
    {
        public ConcurrentDictionary<Guid, int> Sent { get; } = new();

        public NoticeChannel Channel => NoticeChannel.Email;

        public async Task<NoticeSendResult> SendAsync(OutgoingNotice notice, CancellationToken cancellationToken)
        {
            await Task.Yield();
            Sent.AddOrUpdate(notice.Id, 1, (_, count) => count + 1);
            return NoticeSendResult.Sent();
        }
    }
}
