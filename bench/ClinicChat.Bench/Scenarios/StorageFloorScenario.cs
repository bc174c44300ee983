using System.Diagnostics;
using Microsoft.Data.Sqlite;

namespace ClinicChat.Bench.Scenarios;

public sealed record StorageResult(string Mode, int RowsPerTransaction, double RowsPerSecond, double TransactionsPerSecond, LatencyStats Commit);

/// <summary>
/// The storage floor: one writer inserting message-sized rows into SQLite with ClinicChat's
/// durability settings (WAL, synchronous=FULL) as fast as it can, one row per transaction and in
/// 32-row transactions (what group commit can reach when sends queue up).
/// </summary>
public sealed class StorageFloorScenario(BenchOptions options)
{
    public const int BatchSize = 32;

    public async Task<IReadOnlyList<StorageResult>> RunAsync()
    {
        var folder = Path.Combine(Path.GetTempPath(), "clinicchat-bench-sqlite-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        try
        {
            var results = new List<StorageResult>();
            foreach (var rows in new[] { 1, BatchSize })
            {
                var result = await InsertForAsync(Path.Combine(folder, $"floor-{rows}.db"), rows, options.StepDuration);
                Console.WriteLine($"  sqlite      {rows,2} row(s)/transaction  {result.RowsPerSecond,8:F0} rows/s  " +
                                  $"commit p50 {result.Commit.P50:F2} ms  p99 {result.Commit.P99:F2} ms  max {result.Commit.Max:F2} ms");
                results.Add(result);
            }

            return results;
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            Directory.Delete(folder, recursive: true);
        }
    }

    private static async Task<StorageResult> InsertForAsync(string path, int rowsPerTransaction, TimeSpan duration)
    {
        await using var connection = new SqliteConnection($"Data Source={path};Pooling=False");
        await connection.OpenAsync();
        await ExecuteAsync(connection, "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL;");
        await ExecuteAsync(connection,
            "CREATE TABLE messages (conversation_id TEXT NOT NULL, seq INTEGER NOT NULL, client_message_id TEXT NOT NULL, " +
            "sender_id TEXT NOT NULL, text TEXT NOT NULL, sent_at TEXT NOT NULL, PRIMARY KEY (conversation_id, seq));");

        await using var insert = connection.CreateCommand();
        insert.CommandText = "INSERT INTO messages VALUES ($conversation, $seq, $clientMessageId, 'bench-staff', $text, $sentAt)";
        var conversation = insert.Parameters.Add("$conversation", SqliteType.Text);
        var seq = insert.Parameters.Add("$seq", SqliteType.Integer);
        var clientMessageId = insert.Parameters.Add("$clientMessageId", SqliteType.Text);
        var text = insert.Parameters.Add("$text", SqliteType.Text);
        var sentAt = insert.Parameters.Add("$sentAt", SqliteType.Text);
        conversation.Value = Guid.NewGuid().ToString();

        var commits = new LatencyRecorder();
        var transactions = 0;
        var start = Stopwatch.GetTimestamp();
        while (Stopwatch.GetElapsedTime(start) < duration)
        {
            var began = Stopwatch.GetTimestamp();
            await using (var transaction = connection.BeginTransaction())
            {
                insert.Transaction = transaction;
                for (var i = 0; i < rowsPerTransaction; i++)
                {
                    var n = (transactions * rowsPerTransaction) + i;
                    seq.Value = n;
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
        return new StorageResult(rowsPerTransaction == 1 ? "one row per transaction" : $"{rowsPerTransaction} rows per transaction",
            rowsPerTransaction, transactions * rowsPerTransaction / seconds, transactions / seconds, commits.Stats());
    }

    private static async Task ExecuteAsync(SqliteConnection connection, string sql)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync();
    }
}
