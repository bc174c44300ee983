using System.Security.Cryptography;
using Microsoft.Data.Sqlite;

namespace ClinicChat.Web.Tests.Upgrade;

/// <summary>
/// What a data folder holds, as row counts and content hashes: per table, a SHA-256 over every row
/// (only the columns named, rows in the order of their text, not of the table's key, which a migration
/// may change: sqlite.0031 re-keyed receipt_events), and per attachment file its own SHA-256. Two
/// fingerprints are equal when nothing of what they cover was lost, doubled or changed; columns a
/// later migration adds are not covered, so an upgraded database can still be compared with the old.
/// </summary>
public sealed record DataFingerprint(IReadOnlyList<TableFingerprint> Tables, IReadOnlyDictionary<string, string> Files)
{
    /// <summary>The tables whose loss would be a loss of clinical or legal record.</summary>
    public static readonly string[] CoveredTables =
        [
            "clinics", "patients", "clinic_patients", "conversations", "messages", "receipt_cursors", "receipt_events", "attachments",
            "artifacts", "artifact_versions", "audit_log", "audit_checkpoints", "AspNetUsers", "AspNetUserClaims",
        ];

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    public TableFingerprint Table(string name) => Tables.Single(t => t.Name == name);

    /// <summary>Fingerprints the tables of <see cref="CoveredTables"/> with all their current columns.</summary>
    public static DataFingerprint Of(string dataDirectory) => Of(dataDirectory, null);

    /// <summary>Fingerprints the same tables and columns <paramref name="earlier"/> covered.</summary>
    public static DataFingerprint Like(DataFingerprint earlier, string dataDirectory) => Of(dataDirectory, earlier);

    public void Save(string path) => File.WriteAllText(path, JsonSerializer.Serialize(this, Json));

    public static DataFingerprint Load(string path) => JsonSerializer.Deserialize<DataFingerprint>(File.ReadAllText(path), Json)!;

    private static DataFingerprint Of(string dataDirectory, DataFingerprint? earlier)
    {
        using var connection = new SqliteConnection($"Data Source={Path.Combine(dataDirectory, "clinicchat.db")};Mode=ReadOnly;Pooling=False");
        connection.Open();
        var tables = CoveredTables.Select(name => TableOf(connection, name, earlier?.Table(name).Columns)).ToList();
        var attachments = Path.Combine(dataDirectory, "attachments");
        var files = Directory.Exists(attachments)
            ? Directory.EnumerateFiles(attachments, "*", SearchOption.AllDirectories)
                .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}uploads{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
                .ToDictionary(f => Path.GetRelativePath(attachments, f).Replace('\\', '/'), HashOf, StringComparer.Ordinal)
            : [];
        return new DataFingerprint(tables, new SortedDictionary<string, string>(files, StringComparer.Ordinal));
    }

    private static TableFingerprint TableOf(SqliteConnection connection, string table, IReadOnlyList<string>? columns)
    {
        var names = new List<string>();
        using (var pragma = connection.CreateCommand())
        {
            pragma.CommandText = $"SELECT name FROM pragma_table_info('{table}') ORDER BY cid";
            using var reader = pragma.ExecuteReader();
            while (reader.Read())
            {
                names.Add(reader.GetString(0));
            }
        }

        if (names.Count == 0)
        {
            throw new InvalidOperationException($"The database has no table '{table}'.");
        }

        columns ??= names;
        using var select = connection.CreateCommand();
        select.CommandText = $"SELECT {string.Join(", ", columns.Select(c => $"\"{c}\""))} FROM \"{table}\"";
        using var rows = select.ExecuteReader();
        var texts = new List<string>();
        while (rows.Read())
        {
            var text = new StringBuilder();
            for (var i = 0; i < rows.FieldCount; i++)
            {
                var value = rows.GetValue(i);
                text.Append(value switch
                {
                    DBNull => "\u2400",
                    byte[] bytes => Convert.ToBase64String(bytes),
                    _ => Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture),
                }).Append('\u241F');
            }

            texts.Add(text.Append('\u241E').ToString());
        }

        texts.Sort(StringComparer.Ordinal);
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (var text in texts)
        {
            hash.AppendData(Encoding.UTF8.GetBytes(text));
        }

        var count = texts.Count;
        return new TableFingerprint(table, columns, count, Convert.ToHexStringLower(hash.GetHashAndReset()));
    }

    private static string HashOf(string file)
    {
        using var stream = File.OpenRead(file);
        return Convert.ToHexStringLower(SHA256.HashData(stream));
    }
}

public sealed record TableFingerprint(string Name, IReadOnlyList<string> Columns, long Rows, string Sha256);
