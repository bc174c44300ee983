using System.Data.Common;
using System.Globalization;
using System.Security.Cryptography;
using ClinicChat.Storage;

namespace ClinicChat.Web.Tests.Proof;

/// <summary>
/// A fingerprint of everything the app has stored (one hash per table), to prove that a refused
/// request changed nothing. What a refusal may legitimately write is left out: the audit log
/// (refusals are audited; <see cref="NewAuditOutcomesAsync"/> checks those rows), Identity's
/// lockout counters (a wrong password counts towards lockout), the same counters of addresses
/// without an account (address lockout grains) and the session grains' background writes of when
/// each user was last active.
/// </summary>
public sealed class StoredData(ClinicChatApp app) : IAsyncDisposable
{
    private static readonly HashSet<string> AppendOnlyLogs = ["audit_log", "audit_checkpoints", "schema_migrations", "data_protection_keys", "sqlite_sequence"];

    private static readonly HashSet<string> LockoutColumns = ["AccessFailedCount", "LockoutEnd", "ConcurrencyStamp"];

    private readonly ChatDatabase _database = app.Services.GetRequiredService<ChatDatabase>();

    private DbConnection? _watcher;
    private long _version;
    private Snapshot? _last;

    /// <remarks>
    /// Most refused requests write nothing at all. SQLite's <c>data_version</c>, read on a connection
    /// kept open, changes whenever another connection commits, so an unchanged database is known
    /// without hashing every table again.
    /// </remarks>
    public async Task<Snapshot> SnapshotAsync()
    {
        _watcher ??= await _database.OpenAsync();
        await using (var version = _watcher.CreateCommand())
        {
            version.CommandText = "PRAGMA data_version";
            var current = (long)(await version.ExecuteScalarAsync())!;
            if (_last is not null && current == _version)
            {
                return _last;
            }

            _version = current;
        }

        await using var connection = await _database.OpenAsync();
        var tables = new List<string>();
        await using (var list = connection.CreateCommand())
        {
            list.CommandText = "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name";
            await using var reader = await list.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                tables.Add(reader.GetString(0));
            }
        }

        var hashes = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var table in tables.Where(t => !AppendOnlyLogs.Contains(t)))
        {
            hashes[table] = await HashAsync(connection, table);
        }

        _last = new Snapshot(hashes, await LastAuditIdAsync(connection));
        return _last;
    }

    public async ValueTask DisposeAsync()
    {
        if (_watcher is not null)
        {
            await _watcher.DisposeAsync();
        }
    }

    /// <summary>The action and outcome of every audit row written after <paramref name="since"/>.</summary>
    public async Task<IReadOnlyList<(string Action, string Outcome)>> NewAuditOutcomesAsync(Snapshot since)
    {
        await using var connection = await _database.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT action, outcome FROM audit_log WHERE id > $since ORDER BY id";
        command.Parameters.Add(new Microsoft.Data.Sqlite.SqliteParameter("$since", since.LastAuditId));
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new List<(string, string)>();
        while (await reader.ReadAsync())
        {
            rows.Add((reader.GetString(0), reader.GetString(1)));
        }

        return rows;
    }

    private static async Task<string> HashAsync(DbConnection connection, string table)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = table == "OrleansStorage"
            // Session grains write each user's last activity in the background, once a minute at a
            // random point (UserSessionsGrain): that is not something a refused request wrote. A failed sign-in
            // at an unknown address counts towards its lockout (AddressLockoutGrain), as Identity's counters do.
            ? "SELECT * FROM \"OrleansStorage\" WHERE GrainTypeString NOT IN ('userSessions', 'addressLockout')"
            : $"SELECT * FROM \"{table}\"";
        await using var reader = await command.ExecuteReaderAsync();
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var rows = 0;
        while (await reader.ReadAsync())
        {
            rows++;
            for (var i = 0; i < reader.FieldCount; i++)
            {
                if (LockoutColumns.Contains(reader.GetName(i)))
                {
                    continue;
                }

                var value = reader.IsDBNull(i) ? "\u2400" : reader.GetValue(i) is byte[] bytes ? Convert.ToHexString(bytes) : Convert.ToString(reader.GetValue(i), CultureInfo.InvariantCulture);
                hash.AppendData(Encoding.UTF8.GetBytes(value + "\u241F"));
            }
        }

        return $"{rows} rows {Convert.ToHexString(hash.GetHashAndReset())[..12]}";
    }

    private static async Task<long> LastAuditIdAsync(DbConnection connection)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT COALESCE(MAX(id), 0) FROM audit_log";
        return (long)(await command.ExecuteScalarAsync())!;
    }

    public sealed record Snapshot(IReadOnlyDictionary<string, string> Tables, long LastAuditId)
    {
        /// <summary>The tables whose content differs, with their row counts and hashes before and after.</summary>
        public IEnumerable<string> ChangesTo(Snapshot after) =>
            Tables.Keys.Union(after.Tables.Keys)
                .Where(t => Tables.GetValueOrDefault(t) != after.Tables.GetValueOrDefault(t))
                .Select(t => $"{t}: {Tables.GetValueOrDefault(t)} -> {after.Tables.GetValueOrDefault(t)}");
    }
}
