using System.Data.Common;
using System.Text.Json;
using ClinicChat.Storage;

namespace ClinicChat.Records;

/// <summary>SQL for patient records (appointments, invoices, prescriptions) and their version history.</summary>
/// <remarks>
/// The tables keep their first names (<c>artifacts</c>, <c>artifact_versions</c>, <c>artifact_id</c>) although the
/// concept is now called "record" everywhere else: renaming append-only tables that carry no-update/no-delete triggers
/// in a migration risks an existing database for no user value, and an old silo must keep working on the schema
/// during a rolling restart.
/// </remarks>
public sealed class RecordStore(ChatDatabase database)
{
    private const string Columns = "id, clinic_id, patient_id, kind, resource_id, version, snapshot_json, updated_at_ms";

    /// <summary>Read with every record; written only by <see cref="MarkSensitiveAsync"/>, so an import never clears it.</summary>
    private const string ReadColumns = Columns + ", sensitive";

    /// <summary>Stores a record's new current state and appends it to the record's history, in the writer's transaction.</summary>
    public static WriteUnit Save(RecordView record, RecordKind kind) => new(scope => SaveAsync(scope.Connection, scope.Transaction, record, kind));

    /// <inheritdoc cref="MarkSensitiveAsync"/>
    public static WriteUnit MarkSensitive(IEnumerable<Guid> recordIds) => new(scope => MarkSensitiveAsync(scope.Connection, scope.Transaction, recordIds));

    private static async Task SaveAsync(DbConnection connection, DbTransaction transaction, RecordView record, RecordKind kind)
    {
        var snapshot = JsonSerializer.Serialize(record.Snapshot);
        await using (var upsert = connection.Command(
            $"""
            INSERT INTO artifacts ({Columns}, sort_time_ms)
            VALUES (@id, @clinic, @patient, @kind, @resource, @version, @snapshot, @at, @sort)
            ON CONFLICT (id) DO UPDATE
               SET version = excluded.version, snapshot_json = excluded.snapshot_json,
                   sort_time_ms = excluded.sort_time_ms, updated_at_ms = excluded.updated_at_ms
            """,
            transaction))
        {
            await upsert.With("@id", record.Id).With("@clinic", record.ClinicId).With("@patient", record.PatientId).With("@kind", (int)kind)
                .With("@resource", record.ResourceId).With("@version", record.Version).With("@snapshot", snapshot)
                .With("@at", record.UpdatedAt).With("@sort", record.Snapshot.SortTime).ExecuteNonQueryAsync();
        }

        await using var history = connection.Command(
            "INSERT INTO artifact_versions (artifact_id, version, snapshot_json, recorded_at_ms) VALUES (@id, @version, @snapshot, @at)",
            transaction);
        await history.With("@id", record.Id).With("@version", record.Version).With("@snapshot", snapshot).With("@at", record.UpdatedAt)
            .ExecuteNonQueryAsync();
    }

    public async Task<RecordView?> GetAsync(Guid recordId)
    {
        await using var connection = await database.OpenAsync();
        await using var command = connection.Command($"SELECT {ReadColumns} FROM artifacts WHERE id = @id");
        await using var reader = await command.With("@id", recordId).ExecuteReaderAsync();
        return await reader.ReadAsync() ? Read(reader) : null;
    }

    /// <summary>The clinic's stored records among <paramref name="keys"/>, by (kind, resource id).</summary>
    public async Task<Dictionary<(RecordKind Kind, string ResourceId), RecordView>> FindAsync(Guid clinicId, IReadOnlyCollection<(RecordKind Kind, string ResourceId)> keys)
    {
        var found = new Dictionary<(RecordKind, string), RecordView>();
        await using var connection = await database.OpenAsync();
        await using var command = connection.Command($"SELECT {ReadColumns} FROM artifacts WHERE clinic_id = @clinic AND kind = @kind AND resource_id = @resource");
        command.With("@clinic", clinicId).With("@kind", 0).With("@resource", string.Empty);
        foreach (var (kind, resourceId) in keys)
        {
            command.Parameters["@kind"].Value = (int)kind;
            command.Parameters["@resource"].Value = resourceId;
            await using var reader = await command.ExecuteReaderAsync();
            if (await reader.ReadAsync())
            {
                found[(kind, resourceId)] = Read(reader);
            }
        }

        return found;
    }

    /// <summary>
    /// A patient's newest records of a kind at a clinic (an index range scan). Without <paramref name="includeSensitive"/>
    /// records sent in sensitive messages are left out in the query, so the limit counts only what is shown.
    /// </summary>
    public async Task<IReadOnlyList<RecordView>> ListAsync(Guid clinicId, Guid patientId, RecordKind kind, int limit, bool includeSensitive)
    {
        await using var connection = await database.OpenAsync();
        await using var command = connection.Command(
            $"""
            SELECT {ReadColumns} FROM artifacts
             WHERE clinic_id = @clinic AND patient_id = @patient AND kind = @kind{(includeSensitive ? "" : " AND sensitive = 0")}
             ORDER BY sort_time_ms DESC
             LIMIT @limit
            """);
        await using var reader = await command.With("@clinic", clinicId).With("@patient", patientId).With("@kind", (int)kind).With("@limit", limit)
            .ExecuteReaderAsync();
        var records = new List<RecordView>();
        while (await reader.ReadAsync())
        {
            records.Add(Read(reader));
        }

        return records;
    }

    /// <summary>The records a sensitive message carries become sensitive, in the message's own commit (as its attachments do).</summary>
    public static async Task MarkSensitiveAsync(DbConnection connection, DbTransaction transaction, IEnumerable<Guid> recordIds)
    {
        await using var command = connection.Command("UPDATE artifacts SET sensitive = 1 WHERE id = @id", transaction);
        command.With("@id", string.Empty);
        foreach (var id in recordIds)
        {
            command.Parameters["@id"].Value = id.ToString();
            await command.ExecuteNonQueryAsync();
        }
    }

    private static RecordView Read(DbDataReader reader) => new(
        reader.GetGuid("id"),
        reader.GetGuid("clinic_id"),
        reader.GetGuid("patient_id"),
        reader.GetString(reader.GetOrdinal("resource_id")),
        (int)reader.GetLong("version"),
        JsonSerializer.Deserialize<RecordSnapshot>(reader.GetString(reader.GetOrdinal("snapshot_json")))!,
        reader.GetTime("updated_at_ms"),
        reader.GetFlag("sensitive"));
}
