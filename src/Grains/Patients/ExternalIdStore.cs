namespace ClinicChat.Patients;

/// <summary>SQL for patients as the clinic's EHR knows them: its ids for them, and the system of the clinic's MRNs.</summary>
public sealed class ExternalIdStore(ChatDatabase database)
{
    /// <summary>The ClinicChat patients the EHR's <paramref name="externalIds"/> name at the clinic (one indexed lookup each).</summary>
    public async Task<Dictionary<string, Guid>> FindAsync(Guid clinicId, IReadOnlyCollection<string> externalIds)
    {
        var found = new Dictionary<string, Guid>(StringComparer.Ordinal);
        if (externalIds.Count == 0)
        {
            return found;
        }

        await using var connection = await database.OpenAsync();
        await using var command = connection.Command("SELECT patient_id FROM patient_external_ids WHERE clinic_id = @clinic AND external_id = @external");
        command.With("@clinic", clinicId).With("@external", string.Empty);
        foreach (var externalId in externalIds)
        {
            command.Parameters["@external"].Value = externalId;
            if (await command.ExecuteScalarAsync() is string patientId)
            {
                found[externalId] = Guid.Parse(patientId);
            }
        }

        return found;
    }

    /// <summary>Links the EHR's id to the patient, in the writer's transaction. An id is linked once; a repeat is a no-op.</summary>
    public static WriteUnit Link(Guid clinicId, string externalId, Guid patientId, DateTimeOffset at) => new(async scope =>
    {
        var command = scope.Command(
            """
            INSERT INTO patient_external_ids (clinic_id, external_id, patient_id, linked_at_ms)
            VALUES (@clinic, @external, @patient, @at)
            ON CONFLICT (clinic_id, external_id) DO NOTHING
            """);
        await command.With("@clinic", clinicId).With("@external", externalId).With("@patient", patientId).With("@at", at).ExecuteNonQueryAsync();
    });

    public async Task<string?> GetMrnSystemAsync(Guid clinicId)
    {
        await using var connection = await database.OpenAsync();
        await using var command = connection.Command("SELECT mrn_system FROM clinics WHERE id = @id");
        return await command.With("@id", clinicId).ExecuteScalarAsync() as string;
    }

    public static WriteUnit SetMrnSystem(Guid clinicId, string? system) => new(async scope =>
    {
        var command = scope.Command("UPDATE clinics SET mrn_system = @system WHERE id = @id");
        await command.With("@system", system).With("@id", clinicId).ExecuteNonQueryAsync();
    });
}
