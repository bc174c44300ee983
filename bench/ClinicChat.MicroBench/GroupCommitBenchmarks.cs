using BenchmarkDotNet.Attributes;
using ClinicChat.Audit;
using ClinicChat.Conversations;
using ClinicChat.Storage;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;

namespace ClinicChat.MicroBench;

/// <summary>
/// The group-commit writer on the embedded database as the product runs it (a SQLite file, WAL, synchronous = FULL):
/// sixteen staff messages queued at once, each its message row, the thread index's update and its audit row with the
/// chain read, as a send's unit writes them. Per message: the statements' work plus a share of the commit's fsync.
/// </summary>
[MemoryDiagnoser]
public class GroupCommitBenchmarks
{
    private const int Messages = 16;
    private static readonly DateTimeOffset At = new(2026, 12, 7, 9, 0, 0, TimeSpan.Zero);

    private readonly Guid _clinic = Guid.NewGuid();
    private readonly Guid[] _conversations = [.. Enumerable.Range(0, Messages).Select(_ => Guid.NewGuid())];
    private readonly Task[] _sends = new Task[Messages];
    private string _folder = null!;
    private GroupCommitWriter _writer = null!;
    private long _seq;

    [GlobalSetup]
    public void SetUp()
    {
        _folder = Path.Combine(Path.GetTempPath(), "clinicchat-microbench-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(_folder);
        var database = new ChatDatabase(StorageProvider.Sqlite, $"Data Source={Path.Combine(_folder, "bench.db")};Pooling=True");
        new SchemaMigrator(database, NullLogger<SchemaMigrator>.Instance).MigrateAsync().GetAwaiter().GetResult();
        _writer = new GroupCommitWriter(database, 500, NullLogger<GroupCommitWriter>.Instance);
        Task.WaitAll([.. _conversations.Select(id => _writer.WriteAsync(MessageStore.InsertConversation(new ConversationInfo(id, _clinic, Guid.NewGuid(), At, At, 0, false))))]);
    }

    [GlobalCleanup]
    public void CleanUp()
    {
        _writer.DisposeAsync().AsTask().GetAwaiter().GetResult();
        SqliteConnection.ClearAllPools();
        Directory.Delete(_folder, recursive: true);
    }

    [Benchmark(OperationsPerInvoke = Messages)]
    public Task SixteenSendsQueuedAtOnce()
    {
        var seq = ++_seq;
        for (var i = 0; i < Messages; i++)
        {
            var message = new MessageView(_conversations[i], seq, Guid.NewGuid().ToString(), "staff-1", SenderKind.Staff, "Alice Clinician", "Your results are in; nothing to worry about.", At);
            var sent = new AuditEvent(AuditActions.MessageSent, "staff-1", _clinic, Guid.NewGuid(), _conversations[i], AuditOutcomes.Success, "seq=" + seq);
            _sends[i] = _writer.WriteAsync(MessageStore.Append(message).Then(AuditLog.Append(At, sent)));
        }

        return Task.WhenAll(_sends);
    }
}
