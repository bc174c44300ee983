using System.Data.Common;

namespace ClinicChat.Storage;

/// <summary>
/// The group-commit writer's commands, one per SQL text, kept as long as the writer's connection: a statement the
/// writer runs for every message is compiled once instead of once a unit.
/// </summary>
/// <remarks>
/// Microsoft.Data.Sqlite compiles a command's SQL when the command first runs and throws the compiled statement away
/// with the command; it keeps no cache across commands (dotnet/efcore#14044, open). A send's unit runs the same four
/// statements every time; compiled once, a message costs the writer about a third less (docs/benchmarks.md, "the writer
/// compiles each statement once"). A cached command keeps its compiled statement while its parameters are replaced;
/// SQLite compiles it again by itself if the schema changes underneath.
/// </remarks>
internal sealed class StatementCache(DbConnection connection) : IAsyncDisposable
{
    private readonly Dictionary<string, DbCommand> _commands = new(StringComparer.Ordinal);

    /// <summary>
    /// The command for <paramref name="sql"/> (a constant: each distinct text is kept for the connection's life), in
    /// <paramref name="transaction"/>, its parameters kept from the last run but unset. The cache owns it: callers run it
    /// and let it be.
    /// </summary>
    /// <remarks>
    /// Keeping the parameter objects (<see cref="DbCommandExtensions.With"/> sets a kept one's value) saves a send's
    /// writer about 20 of them; unsetting each (a null <see cref="DbParameter.Value"/>, which the provider refuses to
    /// bind) keeps the promise that a unit never runs with another unit's value: one that forgets a parameter fails.
    /// </remarks>
    public DbCommand For(string sql, DbTransaction transaction)
    {
        if (!_commands.TryGetValue(sql, out var command))
        {
            command = connection.CreateCommand();
            command.CommandText = sql;
            _commands.Add(sql, command);
        }

        foreach (DbParameter parameter in command.Parameters)
        {
            parameter.Value = null;
        }

        command.Transaction = transaction;
        return command;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var command in _commands.Values)
        {
            await command.DisposeAsync();
        }

        _commands.Clear();
    }
}
