using System.Data.Common;

namespace ClinicChat.Storage;

/// <summary>What a unit runs in: the group transaction, and the database's dialect.</summary>
public readonly struct WriteScope
{
    private readonly StatementCache _statements;

    internal WriteScope(DbConnection connection, DbTransaction transaction, SqlDialect dialect, StatementCache statements)
    {
        Connection = connection;
        Transaction = transaction;
        Dialect = dialect;
        _statements = statements;
    }

    public DbConnection Connection { get; }

    public DbTransaction Transaction { get; }

    public SqlDialect Dialect { get; }

    /// <summary>
    /// A command for <paramref name="sql"/> in this transaction, compiled once for the writer's connection (see
    /// <see cref="StatementCache"/>): for the statements units run on every message. The SQL must be a constant
    /// text; the writer owns the command, so do not dispose it, and do not ask for the same text again while a
    /// reader of it is open.
    /// </summary>
    public DbCommand Command(string sql) => _statements.For(sql, Transaction);
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
