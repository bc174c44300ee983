using System.Data.Common;

namespace ClinicChat.Storage;

/// <summary>
/// What a unit runs in: the group transaction. A unit makes every command through
/// <see cref="Command"/> (kept compiled) or, where its SQL text is built from the data, <see cref="OneOffCommand"/>;
/// the connection and the transaction themselves stay with the writer.
/// </summary>
public readonly struct WriteScope
{
    private readonly DbConnection _connection;
    private readonly DbTransaction _transaction;
    private readonly SqlDialect _dialect;
    private readonly StatementCache _statements;

    internal WriteScope(DbConnection connection, DbTransaction transaction, SqlDialect dialect, StatementCache statements)
    {
        _connection = connection;
        _transaction = transaction;
        _dialect = dialect;
        _statements = statements;
    }

    /// <summary>
    /// A command for <paramref name="sql"/> in this transaction, compiled once for the writer's connection (see
    /// <see cref="StatementCache"/>). The text must come from a fixed set (constants, or constants chosen by the
    /// dialect or an enum): each distinct text is kept. The writer owns the command, so do not dispose it, and do
    /// not ask for the same text again while a reader of it is open.
    /// </summary>
    public DbCommand Command(string sql) => _statements.For(sql, _transaction);

    /// <summary>
    /// A command used once, for SQL whose text depends on the data (one parameter per id of a list, say), which a
    /// cache would keep forever. The caller disposes it.
    /// </summary>
    public DbCommand OneOffCommand(string sql) => _connection.Command(sql, _transaction);

    /// <summary>Makes this transaction exclude every other that serialises on <paramref name="key"/> (<see cref="SqlDialect.SerialiseAsync"/>).</summary>
    public Task SerialiseAsync(long key) => _dialect.SerialiseAsync(_connection, _transaction, key);
}

/// <summary>
/// A piece of work for the <see cref="GroupCommitWriter"/>, built by a store and run inside the
/// writer's transaction. Grains compose units and queue them; they never see a connection or a
/// transaction. Units capture everything they write when built: they run later, on the writer's loop.
/// </summary>
public sealed class WriteUnit
{
    private readonly Func<WriteScope, Task> _run;

    internal WriteUnit(Func<WriteScope, Task> run) => _run = run;

    /// <summary>Units that commit together, in the order given: all of them, or (on failure) none.</summary>
    public static WriteUnit Together(params IReadOnlyList<WriteUnit> units) =>
        units.Count == 1 ? units[0] : new WriteUnit(async scope =>
        {
            foreach (var unit in units)
            {
                await unit._run(scope);
            }
        });

    public WriteUnit Then(WriteUnit next) => Together(this, next);

    internal Task RunAsync(WriteScope scope) => _run(scope);
}

/// <summary>A <see cref="WriteUnit"/> that yields a value read inside the transaction (an id, say).</summary>
public sealed class WriteUnit<T>
{
    private readonly Func<WriteScope, Task<T>> _run;

    internal WriteUnit(Func<WriteScope, Task<T>> run) => _run = run;

    internal Task<T> RunAsync(WriteScope scope) => _run(scope);
}
