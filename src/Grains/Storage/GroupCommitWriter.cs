using System.Data.Common;
using System.Diagnostics;
using System.Threading.Channels;
using ClinicChat.Diagnostics;
using Microsoft.Extensions.Logging;

namespace ClinicChat.Storage;

/// <summary>
/// The one writer for ClinicChat's append-only tables. Callers queue a unit of work and await it;
/// the writer runs whatever has queued in one transaction, commits once, and only then completes the
/// callers. One failing unit never takes the others down: the batch is then run again with that unit in
/// a savepoint of its own (see <see cref="TryCommitAsync"/>).
/// One flush serves many messages: this is what lifts throughput above the disk's fsync rate, and it
/// avoids SQLite's writer starvation under concurrent busy-waiting writers (measured before the writer existed; see docs/benchmarks.md).
/// </summary>
public sealed partial class GroupCommitWriter : IAsyncDisposable
{
    private readonly Channel<PendingWrite> _queue = Channel.CreateUnbounded<PendingWrite>(new UnboundedChannelOptions { SingleReader = true });
    private readonly ChatDatabase _database;
    private readonly int _maxBatchSize;
    private readonly ILogger<GroupCommitWriter> _logger;
    private readonly ChatMetrics? _metrics;
    private readonly Task _loop;

    // The writer's connection and its compiled statements; only the loop touches them. Kept between commits where
    // the dialect says so (SQLite), opened for each commit otherwise, and dropped after a commit that failed.
    private DbConnection? _connection;
    private StatementCache? _statements;

    /// <param name="metrics">Where each commit's duration and size are recorded; none in tests that build a writer of their own.</param>
    public GroupCommitWriter(ChatDatabase database, int maxBatchSize, ILogger<GroupCommitWriter> logger, ChatMetrics? metrics = null)
    {
        _database = database;
        _maxBatchSize = maxBatchSize;
        _logger = logger;
        _metrics = metrics;
        // The loop outlives whoever resolved the writer first: it must not inherit that caller's
        // ambient context (its Activity would become the parent of every flush span, for ever).
        using (ExecutionContext.SuppressFlow())
        {
            _loop = Task.Run(RunAsync);
        }
    }

    /// <summary>Runs <paramref name="unit"/> in the next group transaction; completes after that transaction committed.</summary>
    public Task WriteAsync(WriteUnit unit) => Queue(new PendingUnit(unit));

    /// <inheritdoc cref="WriteAsync(WriteUnit)"/>
    public Task<T> WriteAsync<T>(WriteUnit<T> unit) => Queue(new PendingUnit<T>(unit));

    private Task<T> Queue<T>(PendingWrite<T> pending)
    {
        if (!_queue.Writer.TryWrite(pending))
        {
            throw new ObjectDisposedException(nameof(GroupCommitWriter), "The writer is shutting down.");
        }

        return pending.Completion;
    }

    private async Task RunAsync()
    {
        var batch = new List<PendingWrite>(_maxBatchSize);
        while (await _queue.Reader.WaitToReadAsync())
        {
            while (batch.Count < _maxBatchSize && _queue.Reader.TryRead(out var next))
            {
                batch.Add(next);
            }

            await CommitAsync(batch);
            batch.Clear();
        }

        await DisconnectQuietlyAsync();
    }

    private async Task CommitAsync(List<PendingWrite> batch)
    {
        // One flush serves many callers' traces: the span is a root of its own, linked to each of them.
        using var activity = ChatTracing.Source.HasListeners()
            ? ChatTracing.Source.StartActivity(ActivityKind.Internal, links: batch.Where(p => p.Caller != default).Select(p => new ActivityLink(p.Caller)), name: "group commit")
            : null;
        activity?.SetTag("clinicchat.batch.size", batch.Count);
        var started = Stopwatch.GetTimestamp();
        try
        {
            // Almost every batch runs once, with no savepoint at all. When a unit fails, the batch runs
            // again with that unit and every later one in a savepoint of its own: the units before it
            // already ran without failing. Only a unit that runs bare can report a failure, so each
            // further run starts its savepoints earlier, and the loop ends.
            var isolatedFrom = batch.Count;
            while (await TryCommitAsync(batch, isolatedFrom) is { } failedAt)
            {
                isolatedFrom = failedAt;
            }

            activity?.SetTag("clinicchat.batch.isolated", batch.Count - isolatedFrom);
            _metrics?.Committed(Stopwatch.GetElapsedTime(started), batch.Count);
            foreach (var pending in batch)
            {
                pending.Complete();
            }

            if (!_database.Dialect.WriterKeepsConnection)
            {
                // After the callers are released: the commit stands whatever closing the connection does.
                await DisconnectQuietlyAsync();
            }
        }
        catch (Exception exception)
        {
            activity?.SetStatus(ActivityStatusCode.Error, exception.GetType().Name);
            _metrics?.Committed(Stopwatch.GetElapsedTime(started), batch.Count);
            // Whatever failed (the disk, the server, the commit itself), the next commit starts on a fresh connection.
            await DisconnectQuietlyAsync();
            LogBatchFailed(exception, batch.Count);
            foreach (var pending in batch)
            {
                pending.Fail(exception);
                pending.Complete();
            }
        }
    }

    /// <summary>
    /// Runs the batch in one transaction and commits it. The units from <paramref name="isolatedFrom"/> on
    /// run inside a savepoint each: if one fails, only its own writes are undone and its caller gets its
    /// exception. The units before it run bare; if one of those fails, the whole transaction is rolled
    /// back (nothing is stored) and its index is returned, to isolate from there in the next run.
    /// </summary>
    /// <remarks>
    /// Why not a savepoint around every unit: on SQLite, while a savepoint is open the first change to
    /// each page copies the page's old content to a statement journal, which spills to a temporary file
    /// past 64 KiB; with a savepoint per unit that was most of the writer's file I/O (measured,
    /// docs/benchmarks.md). On PostgreSQL each savepoint is two more round trips. A unit fails rarely
    /// (a retry that reaches a fresh activation hits a unique key), so only then does the batch pay for
    /// isolation. Running a unit again is safe: units write only through their scope and read what they
    /// depend on (an audit chain's last hash) inside the transaction.
    /// </remarks>
    private async Task<int?> TryCommitAsync(List<PendingWrite> batch, int isolatedFrom)
    {
        if (_connection is null)
        {
            _connection = await _database.OpenAsync();
            _statements = new StatementCache(_connection);
        }

        await using var transaction = await _connection.BeginTransactionAsync();
        var scope = new WriteScope(_connection, transaction, _database.Dialect, _statements!);
        for (var i = 0; i < isolatedFrom; i++)
        {
            try
            {
                await batch[i].RunAsync(scope);
            }
            catch (Exception)
            {
                await transaction.RollbackAsync();
                return i;
            }
        }

        for (var i = isolatedFrom; i < batch.Count; i++)
        {
            await transaction.SaveAsync("unit");
            try
            {
                await batch[i].RunAsync(scope);
                await transaction.ReleaseAsync("unit");
            }
            catch (Exception exception)
            {
                await transaction.RollbackAsync("unit");
                await transaction.ReleaseAsync("unit");
                // Final for this unit: no run follows one that reached the isolated units.
                batch[i].Fail(exception);
            }
        }

        await transaction.CommitAsync();
        return null;
    }

    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        await _loop;
    }

    /// <summary>
    /// Drops the connection and its statements. Both are forgotten first, so however closing them goes, the next commit
    /// opens a new connection; the connection is closed even when a statement's disposal throws.
    /// </summary>
    private async Task DisconnectQuietlyAsync()
    {
        var (statements, connection) = (_statements, _connection);
        (_statements, _connection) = (null, null);
        try
        {
            try
            {
                if (statements is not null)
                {
                    await statements.DisposeAsync();
                }
            }
            finally
            {
                if (connection is not null)
                {
                    await connection.DisposeAsync();
                }
            }
        }
        catch (Exception exception)
        {
            // Closing a connection may fail too (a broken one, a server gone); the next commit opens a new one either way.
            LogDisconnectFailed(exception);
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "A group commit of {Count} writes failed; every write in it was reported as failed.")]
    private partial void LogBatchFailed(Exception exception, int count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Closing the writer's connection failed; the next commit opens a new one.")]
    private partial void LogDisconnectFailed(Exception exception);

    private abstract class PendingWrite
    {
        /// <summary>The trace of the caller that queued this unit (read only while a tracer listens).</summary>
        public ActivityContext Caller { get; } = ChatTracing.Source.HasListeners() ? Activity.Current?.Context ?? default : default;

        public abstract Task RunAsync(WriteScope scope);

        /// <summary>Records a failure; the caller sees it at <see cref="Complete"/>.</summary>
        public abstract void Fail(Exception exception);

        /// <summary>Releases the caller, after the commit, with the result or the recorded failure.</summary>
        public abstract void Complete();
    }

    private abstract class PendingWrite<T> : PendingWrite
    {
        private readonly TaskCompletionSource<T> _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private T? _result;
        private Exception? _failure;

        public Task<T> Completion => _completion.Task;

        public override async Task RunAsync(WriteScope scope) => _result = await RunCoreAsync(scope);

        public override void Fail(Exception exception) => _failure ??= exception;

        protected abstract Task<T> RunCoreAsync(WriteScope scope);

        public override void Complete()
        {
            if (_failure is not null)
            {
                _completion.TrySetException(_failure);
            }
            else
            {
                _completion.TrySetResult(_result!);
            }
        }
    }

    // Each kind of work has its own pending type, so queueing one allocates no adapter.
    private sealed class PendingUnit(WriteUnit unit) : PendingWrite<bool>
    {
        protected override async Task<bool> RunCoreAsync(WriteScope scope)
        {
            await unit.RunAsync(scope);
            return true;
        }
    }

    private sealed class PendingUnit<T>(WriteUnit<T> unit) : PendingWrite<T>
    {
        protected override Task<T> RunCoreAsync(WriteScope scope) => unit.RunAsync(scope);
    }
}
