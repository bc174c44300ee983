using System.Data.Common;
using System.Text.Json;

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
    private const string Columns = "id, clinic_id, patient_id, kind, resource_id, version, snapshot_json, updated_at_ms, source_version_id, source_updated_ms";

    /// <summary>Read with every record; written only by <see cref="MarkSensitiveAsync"/>, so an import never clears it.</summary>
    private const string ReadColumns = Columns + ", sensitive";

    /// <summary>How many of a patient's records of one kind a search looks through (newest first); far more than a patient has.</summary>
    public const int MaxSearched = 1000;

    /// <summary>Stores a record's new current state and appends it to the record's history, in the writer's transaction.</summary>
    public static WriteUnit Save(RecordView record, RecordKind kind) => new(scope => SaveAsync(scope, record, kind, newVersion: true));

    /// <summary>
    /// Stores which version the sending system last sent when what the card shows did not change (no new version, no
    /// history row): a later, older version is then still recognised as older.
    /// </summary>
    public static WriteUnit SaveSource(RecordView record, RecordKind kind) => new(scope => SaveAsync(scope, record, kind, newVersion: false));

    /// <inheritdoc cref="MarkSensitiveAsync"/>
    public static WriteUnit MarkSensitive(IEnumerable<Guid> recordIds) => new(scope => MarkSensitiveAsync(scope, recordIds));

    private static async Task SaveAsync(WriteScope scope, RecordView record, RecordKind kind, bool newVersion)
    {
        var snapshot = JsonSerializer.Serialize(record.Snapshot);
        var upsert = scope.Command(
            $"""
            INSERT INTO artifacts ({Columns}, sort_time_ms, withdrawn, is_open)
            VALUES (@id, @clinic, @patient, @kind, @resource, @version, @snapshot, @at, @sourceVersion, @sourceUpdated, @sort, @withdrawn, @open)
            ON CONFLICT (id) DO UPDATE
               SET version = excluded.version, snapshot_json = excluded.snapshot_json,
                   sort_time_ms = excluded.sort_time_ms, updated_at_ms = excluded.updated_at_ms,
                   source_version_id = excluded.source_version_id, source_updated_ms = excluded.source_updated_ms,
                   withdrawn = excluded.withdrawn, is_open = excluded.is_open
            """);
        await upsert.With("@id", record.Id).With("@clinic", record.ClinicId).With("@patient", record.PatientId).With("@kind", (int)kind)
            .With("@resource", record.ResourceId).With("@version", record.Version).With("@snapshot", snapshot)
            .With("@at", record.UpdatedAt).With("@sourceVersion", record.Source?.VersionId).With("@sourceUpdated", record.Source?.LastUpdated)
            .With("@sort", record.Snapshot.SortTime).With("@withdrawn", record.Snapshot.IsWithdrawn).With("@open", record.Snapshot.IsOpen)
            .ExecuteNonQueryAsync();

        if (!newVersion)
        {
            return;
        }

        var history = scope.Command(
            "INSERT INTO artifact_versions (artifact_id, version, snapshot_json, recorded_at_ms) VALUES (@id, @version, @snapshot, @at)");
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
    /// A patient's records of a kind at a clinic, what matters first: appointments from <paramref name="now"/> on, soonest
    /// first, then past ones, latest first (a feed of far-future appointments never hides the next one); other kinds the
    /// open ones (active prescriptions, unpaid invoices) first, each group newest first. Withdrawn records are never
    /// listed, and without <paramref name="includeSensitive"/> neither are records sent in sensitive messages; both are
    /// left out in the query, so the limit counts only what is shown. Index range scans over one patient's records.
    /// </summary>
    public async Task<IReadOnlyList<RecordView>> ListAsync(
        Guid clinicId, Guid patientId, RecordKind kind, int limit, bool includeSensitive, DateTimeOffset now)
    {
        var shown = $"clinic_id = @clinic AND patient_id = @patient AND kind = @kind AND withdrawn = 0{(includeSensitive ? "" : " AND sensitive = 0")}";
        string[] queries = kind == RecordKind.Appointment
            ? [
                $"SELECT {ReadColumns} FROM artifacts WHERE {shown} AND sort_time_ms >= @now ORDER BY sort_time_ms ASC LIMIT @limit",
                $"SELECT {ReadColumns} FROM artifacts WHERE {shown} AND (sort_time_ms < @now OR sort_time_ms IS NULL) ORDER BY sort_time_ms DESC LIMIT @limit",
            ]
            : [$"SELECT {ReadColumns} FROM artifacts WHERE {shown} ORDER BY is_open DESC, sort_time_ms DESC LIMIT @limit"];

        var records = new List<RecordView>(limit);
        await using var connection = await database.OpenAsync();
        foreach (var query in queries)
        {
            await using var command = connection.Command(query);
            await using var reader = await command.With("@clinic", clinicId).With("@patient", patientId).With("@kind", (int)kind)
                .With("@limit", limit - records.Count).With("@now", now).ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                records.Add(Read(reader));
            }

            if (records.Count == limit)
            {
                break;
            }
        }

        return records;
    }

    /// <summary>Which of <paramref name="recordIds"/> the clinic's system has withdrawn (entered in error).</summary>
    public async Task<HashSet<Guid>> WithdrawnAmongAsync(IReadOnlyCollection<Guid> recordIds)
    {
        var withdrawn = new HashSet<Guid>();
        if (recordIds.Count == 0)
        {
            return withdrawn;
        }

        await using var connection = await database.OpenAsync();
        await using var command = connection.Command(string.Empty);
        var names = recordIds.Select((id, i) =>
        {
            command.With($"@r{i}", id);
            return $"@r{i}";
        }).ToList();
        command.CommandText = $"SELECT id FROM artifacts WHERE withdrawn = 1 AND id IN ({string.Join(", ", names)})";
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            withdrawn.Add(reader.GetGuid("id"));
        }

        return withdrawn;
    }

    /// <summary>The records a sensitive message carries become sensitive, in the message's own commit (as its attachments do).</summary>
    public static async Task MarkSensitiveAsync(WriteScope scope, IEnumerable<Guid> recordIds)
    {
        var command = scope.Command("UPDATE artifacts SET sensitive = 1 WHERE id = @id");
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
        reader.GetFlag("sensitive"),
        SourceOf(reader));

    private static SourceVersion? SourceOf(DbDataReader reader)
    {
        var versionId = reader.GetNullableString("source_version_id");
        var lastUpdated = reader.IsDBNull(reader.GetOrdinal("source_updated_ms")) ? (DateTimeOffset?)null : reader.GetTime("source_updated_ms");
        return versionId is null && lastUpdated is null ? null : new SourceVersion(versionId, lastUpdated);
    }
}
