using System.Diagnostics;
using System.Threading.Channels;
using ClinicChat.Diagnostics;
using Microsoft.Extensions.Logging;

namespace ClinicChat.Storage;

/// <summary>
/// The one writer for ClinicChat's append-only tables. Callers queue a unit of work and await it;
/// the writer runs whatever has queued in one transaction (each unit inside its own savepoint, so one
/// failing unit never takes the others down), commits once, and only then completes the callers.
/// One flush serves many messages: this is what lifts throughput above the disk's fsync rate, and it
/// avoids SQLite's writer starvation under concurrent busy-waiting writers (measured before the writer existed; see docs/benchmarks.md).
/// </summary>
public sealed partial class GroupCommitWriter : IAsyncDisposable
{
    private readonly Channel<PendingWrite> _queue = Channel.CreateUnbounded<PendingWrite>(new UnboundedChannelOptions { SingleReader = true });
    private readonly ChatDatabase _database;
    private readonly int _maxBatchSize;
    private readonly ILogger<GroupCommitWriter> _logger;
    private readonly Task _loop;

    public GroupCommitWriter(ChatDatabase database, int maxBatchSize, ILogger<GroupCommitWriter> logger)
    {
        _database = database;
        _maxBatchSize = maxBatchSize;
        _logger = logger;
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
    }

    private async Task CommitAsync(List<PendingWrite> batch)
    {
        // One flush serves many callers' traces: the span is a root of its own, linked to each of them.
        using var activity = ChatTracing.Source.HasListeners()
            ? ChatTracing.Source.StartActivity(ActivityKind.Internal, links: batch.Where(p => p.Caller != default).Select(p => new ActivityLink(p.Caller)), name: "group commit")
            : null;
        activity?.SetTag("clinicchat.batch.size", batch.Count);
        try
        {
            await using var connection = await _database.OpenAsync();
            await using var transaction = await connection.BeginTransactionAsync();
            var scope = new WriteScope(connection, transaction, _database.Dialect);
            var useSavepoints = batch.Count > 1;
            foreach (var pending in batch)
            {
                if (useSavepoints)
                {
                    await transaction.SaveAsync("unit");
                }

                try
                {
                    await pending.RunAsync(scope);
                    if (useSavepoints)
                    {
                        await transaction.ReleaseAsync("unit");
                    }
                }
                catch (Exception exception) when (useSavepoints)
                {
                    await transaction.RollbackAsync("unit");
                    await transaction.ReleaseAsync("unit");
                    pending.Fail(exception);
                }
                catch (Exception exception)
                {
                    // The only unit failed (a constraint, say): its caller handles it; nothing to commit.
                    await transaction.RollbackAsync();
                    pending.Fail(exception);
                    pending.Complete();
                    return;
                }
            }

            await transaction.CommitAsync();
            foreach (var pending in batch)
            {
                pending.Complete();
            }
        }
        catch (Exception exception)
        {
            activity?.SetStatus(ActivityStatusCode.Error, exception.GetType().Name);
            LogBatchFailed(exception, batch.Count);
            foreach (var pending in batch)
            {
                pending.Fail(exception);
                pending.Complete();
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        await _loop;
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "A group commit of {Count} writes failed; every write in it was reported as failed.")]
    private partial void LogBatchFailed(Exception exception, int count);

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
