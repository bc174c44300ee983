using System.Data.Common;
using System.Diagnostics;
using ClinicChat.Tests.Shared;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace ClinicChat.Bench.Scenarios;

public sealed record StorageResult(string Engine, string Mode, int RowsPerTransaction, double RowsPerSecond, double TransactionsPerSecond, LatencyStats Commit);

/// <summary>
/// The storage floor: one writer inserting message-sized rows into the engine ClinicChat runs on,
/// with its durability settings (SQLite: WAL, synchronous=FULL; PostgreSQL: fsync and
/// synchronous_commit on), as fast as it can, one row per transaction and in 32-row transactions
/// (what group commit can reach when sends queue up).
/// </summary>
public sealed class StorageFloorScenario(BenchOptions options)
{
    public const int BatchSize = 32;

    public async Task<IReadOnlyList<StorageResult>> RunAsync() => options.Cluster ? await PostgresAsync() : await SqliteAsync();

    private async Task<IReadOnlyList<StorageResult>> SqliteAsync()
    {
        var folder = Path.Combine(Path.GetTempPath(), "clinicchat-bench-sqlite-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        try
        {
            return await BothModesAsync("SQLite", async rows =>
            {
                var connection = new SqliteConnection($"Data Source={Path.Combine(folder, $"floor-{rows}.db")};Pooling=False");
                await connection.OpenAsync();
                await ExecuteAsync(connection, "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL;");
                return connection;
            });
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            Directory.Delete(folder, recursive: true);
        }
    }

    private async Task<IReadOnlyList<StorageResult>> PostgresAsync()
    {
        await using var postgres = await PostgresServer.StartNewAsync();
        var connectionString = await postgres.CreateDatabaseAsync("floor");
        return await BothModesAsync("PostgreSQL", async rows =>
        {
            var connection = new NpgsqlConnection(connectionString);
            await connection.OpenAsync();
            await ExecuteAsync(connection, $"DROP TABLE IF EXISTS messages; SET synchronous_commit = on;");
            return connection;
        });
    }

    private async Task<IReadOnlyList<StorageResult>> BothModesAsync(string engine, Func<int, Task<DbConnection>> open)
    {
        var results = new List<StorageResult>();
        foreach (var rows in new[] { 1, BatchSize })
        {
            await using var connection = await open(rows);
            var result = await InsertForAsync(engine, connection, rows, options.StepDuration);
            Console.WriteLine($"  {engine,-10}  {rows,2} row(s)/transaction  {result.RowsPerSecond,8:F0} rows/s  " +
                              $"commit p50 {result.Commit.P50:F2} ms  p99 {result.Commit.P99:F2} ms  max {result.Commit.Max:F2} ms");
            results.Add(result);
        }

        return results;
    }

    private static async Task<StorageResult> InsertForAsync(string engine, DbConnection connection, int rowsPerTransaction, TimeSpan duration)
    {
        await ExecuteAsync(connection,
            "CREATE TABLE messages (conversation_id TEXT NOT NULL, seq BIGINT NOT NULL, client_message_id TEXT NOT NULL, " +
            "sender_id TEXT NOT NULL, text TEXT NOT NULL, sent_at TEXT NOT NULL, PRIMARY KEY (conversation_id, seq));");

        await using var insert = connection.CreateCommand();
        insert.CommandText = "INSERT INTO messages VALUES (@conversation, @seq, @clientMessageId, 'bench-staff', @text, @sentAt)";
        var conversation = Parameter(insert, "conversation");
        var seq = Parameter(insert, "seq");
        var clientMessageId = Parameter(insert, "clientMessageId");
        var text = Parameter(insert, "text");
        var sentAt = Parameter(insert, "sentAt");
        conversation.Value = Guid.NewGuid().ToString();

        var commits = new LatencyRecorder();
        var transactions = 0;
        var start = Stopwatch.GetTimestamp();
        while (Stopwatch.GetElapsedTime(start) < duration)
        {
            var began = Stopwatch.GetTimestamp();
            await using (var transaction = await connection.BeginTransactionAsync())
            {
                insert.Transaction = transaction;
                for (var i = 0; i < rowsPerTransaction; i++)
                {
                    var n = (transactions * rowsPerTransaction) + i;
                    seq.Value = (long)n;
                    clientMessageId.Value = $"bench-{n}";
                    text.Value = $"synthetic bench message {n}";
                    sentAt.Value = DateTimeOffset.UtcNow.ToString("O");
                    await insert.ExecuteNonQueryAsync();
                }

                await transaction.CommitAsync();
            }

            commits.Add(LatencyRecorder.MillisecondsSince(began));
            transactions++;
        }

        var seconds = Stopwatch.GetElapsedTime(start).TotalSeconds;
        return new StorageResult(engine, rowsPerTransaction == 1 ? "one row per transaction" : $"{rowsPerTransaction} rows per transaction",
            rowsPerTransaction, transactions * rowsPerTransaction / seconds, transactions / seconds, commits.Stats());
    }

    private static DbParameter Parameter(DbCommand command, string name)
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = name;
        command.Parameters.Add(parameter);
        return parameter;
    }

    private static async Task ExecuteAsync(DbConnection connection, string sql)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync();
    }
}
