using ClinicChat.Clinics;

namespace ClinicChat.Patients;

/// <summary>A patient as stored: directory data plus the portal link and chat preference.</summary>
public sealed record PatientRecord(
    Guid Id,
    string DisplayName,
    string? MobileNumber,
    string? PortalUserId,
    bool ChatOptIn,
    IReadOnlyList<Guid> ClinicIds);

/// <summary>SQL for clinics, patients and the name-token index behind patient search.</summary>
public sealed class PatientStore(ChatDatabase database)
{
    public async Task<PatientRecord?> GetAsync(Guid patientId)
    {
        await using var connection = await database.OpenAsync();
        await using var command = connection.Command(
            """
            SELECT p.id, p.display_name, p.mobile_number, p.portal_user_id, p.chat_opt_in, cp.clinic_id
              FROM patients p LEFT JOIN clinic_patients cp ON cp.patient_id = p.id
             WHERE p.id = @id
            """);
        await using var reader = await command.With("@id", patientId).ExecuteReaderAsync();
        PatientRecord? record = null;
        var clinics = new List<Guid>();
        while (await reader.ReadAsync())
        {
            record ??= new PatientRecord(
                reader.GetGuid("id"),
                reader.GetString(1),
                reader.GetNullableString("mobile_number"),
                reader.GetNullableString("portal_user_id"),
                reader.GetFlag("chat_opt_in"),
                clinics);
            if (reader.GetNullableGuid("clinic_id") is { } clinicId)
            {
                clinics.Add(clinicId);
            }
        }

        return record;
    }

    /// <summary>Which of <paramref name="patientIds"/> are patients of the clinic.</summary>
    public async Task<HashSet<Guid>> PatientsOfClinicAsync(Guid clinicId, IReadOnlyCollection<Guid> patientIds)
    {
        var found = new HashSet<Guid>();
        await using var connection = await database.OpenAsync();
        await using var command = connection.Command("SELECT 1 FROM clinic_patients WHERE clinic_id = @clinic AND patient_id = @patient");
        command.With("@clinic", clinicId).With("@patient", string.Empty);
        foreach (var patientId in patientIds)
        {
            command.Parameters["@patient"].Value = patientId.ToString();
            if (await command.ExecuteScalarAsync() is not null)
            {
                found.Add(patientId);
            }
        }

        return found;
    }

    /// <summary>The names of those of <paramref name="patientIds"/> who are patients of the clinic; others are left out.</summary>
    public async Task<Dictionary<Guid, string>> NamesAtClinicAsync(Guid clinicId, IReadOnlyCollection<Guid> patientIds)
    {
        var names = new Dictionary<Guid, string>();
        await using var connection = await database.OpenAsync();
        await using var command = connection.Command(
            "SELECT p.display_name FROM clinic_patients cp JOIN patients p ON p.id = cp.patient_id WHERE cp.clinic_id = @clinic AND cp.patient_id = @patient");
        command.With("@clinic", clinicId).With("@patient", string.Empty);
        foreach (var patientId in patientIds)
        {
            command.Parameters["@patient"].Value = patientId.ToString();
            if (await command.ExecuteScalarAsync() is string name)
            {
                names[patientId] = name;
            }
        }

        return names;
    }

    /// <summary>
    /// Creates or refreshes a patient's directory entry. The chat preference is taken only while the
    /// patient has no portal account yet (new, or added by staff and now linked): afterwards it belongs to
    /// the patient, and a re-sync must never undo an opt-out.
    /// A re-sync with another name forgets the structured name staff entered (the editor then splits the new one).
    /// </summary>
    public static WriteUnit Upsert(PatientRegistration patient, DateTimeOffset at) =>
        new(scope => UpsertAsync(scope, patient, at));

    public static WriteUnit SetChatOptIn(Guid patientId, bool optIn, DateTimeOffset at) =>
        new(scope => SetChatOptInAsync(scope, patientId, optIn, at));

    public static WriteUnit UpsertClinic(ClinicInfo clinic) => new(scope => UpsertClinicAsync(scope, clinic));

    private static async Task UpsertAsync(WriteScope scope, PatientRegistration patient, DateTimeOffset at)
    {
        var sortName = NameSearch.Normalize(patient.DisplayName);
        var upsert = scope.Command(
            """
            INSERT INTO patients (id, display_name, sort_name, mobile_number, email, portal_user_id, chat_opt_in, updated_at_ms)
            VALUES (@id, @name, @sort, @mobile, @email, @portal, @optIn, @at)
            ON CONFLICT (id) DO UPDATE SET display_name = excluded.display_name, sort_name = excluded.sort_name,
                given_name = CASE WHEN patients.display_name = excluded.display_name THEN patients.given_name END,
                family_name = CASE WHEN patients.display_name = excluded.display_name THEN patients.family_name END,
                mobile_number = excluded.mobile_number, email = excluded.email, portal_user_id = excluded.portal_user_id,
                chat_opt_in = CASE WHEN patients.portal_user_id IS NULL THEN excluded.chat_opt_in ELSE patients.chat_opt_in END,
                updated_at_ms = excluded.updated_at_ms
            """);
        await upsert.With("@id", patient.Id).With("@name", patient.DisplayName).With("@sort", sortName)
            .With("@mobile", patient.MobileNumber).With("@email", patient.Email).With("@portal", patient.PortalUserId)
            .With("@optIn", patient.ChatOptIn).With("@at", at).ExecuteNonQueryAsync();

        // A clinic the registration no longer names is dropped; one it still names keeps its row, and with it the
        // MRN staff gave the patient there.
        var clinicIds = patient.ClinicIds.Distinct().ToList();
        // One parameter per clinic: the text varies with the count, so this command is not kept.
        await using var unlink = scope.OneOffCommand(
            $"DELETE FROM clinic_patients WHERE patient_id = @id AND clinic_id NOT IN ({string.Join(',', clinicIds.Select((_, i) => $"@c{i}").DefaultIfEmpty("''"))})");
        unlink.With("@id", patient.Id);
        for (var i = 0; i < clinicIds.Count; i++)
        {
            unlink.With($"@c{i}", clinicIds[i]);
        }

        await unlink.ExecuteNonQueryAsync();

        foreach (var clinicId in clinicIds)
        {
            var link = scope.Command(
                """
                INSERT INTO clinic_patients (clinic_id, patient_id, sort_name) VALUES (@clinic, @patient, @sort)
                ON CONFLICT (clinic_id, patient_id) DO UPDATE SET sort_name = excluded.sort_name
                """);
            await link.With("@clinic", clinicId).With("@patient", patient.Id).With("@sort", sortName).ExecuteNonQueryAsync();
        }

        await PatientNameIndex.RebuildAsync(scope, patient.Id, patient.DisplayName);
    }

    private static async Task SetChatOptInAsync(WriteScope scope, Guid patientId, bool optIn, DateTimeOffset at)
    {
        var command = scope.Command("UPDATE patients SET chat_opt_in = @optIn, updated_at_ms = @at WHERE id = @id");
        await command.With("@id", patientId).With("@optIn", optIn).With("@at", at).ExecuteNonQueryAsync();
    }

    /// <summary>
    /// Patients of a clinic whose name has a word starting with each word of <paramref name="query"/>
    /// (case- and diacritic-insensitive), by name: each word is one range of the name index, read in name order.
    /// </summary>
    public async Task<IReadOnlyList<PatientSummary>> SearchAsync(Guid clinicId, string query, int limit)
    {
        await using var connection = await database.OpenAsync();
        await using var command = connection.CreateCommand();
        command.With("@clinic", clinicId).With("@limit", limit);
        var words = PatientNameIndex.BindWords(command, query);
        // The page's patients first, in name order from an index (clinic_patients.sort_name is the patient's, kept
        // equal), then their columns for those rows only: computing them for every match before the sort cut the page
        // read each matching patient and ran the subqueries thousands of times for a common name.
        var page = words.Count == 0
            ? "SELECT cp.sort_name, cp.patient_id FROM clinic_patients cp WHERE cp.clinic_id = @clinic ORDER BY cp.sort_name, cp.patient_id LIMIT @limit"
            : PatientNameIndex.MatchesInNameOrder(words.Count);
        command.CommandText =
            $"""
            SELECT p.id, p.display_name, CASE WHEN p.portal_user_id IS NULL THEN 0 ELSE 1 END AS has_portal, {ClinicChatStore.OptInOf("p.id", "@clinic")} AS chat_opt_in, p.mobile_number, p.email,
                   CASE WHEN EXISTS (SELECT 1 FROM conversations c WHERE c.clinic_id = @clinic AND c.patient_id = p.id) THEN 1 ELSE 0 END AS has_conversation,
                   p.birth_date, (SELECT m.mrn FROM clinic_patients m WHERE m.clinic_id = @clinic AND m.patient_id = p.id) AS mrn
              FROM ({page}) page JOIN patients p ON p.id = page.patient_id
             ORDER BY page.sort_name, page.patient_id
            """;
        var results = new List<PatientSummary>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            results.Add(new PatientSummary(
                reader.GetGuid("id"),
                reader.GetString(reader.GetOrdinal("display_name")),
                reader.GetFlag("has_portal"),
                reader.GetFlag("chat_opt_in"),
                reader.GetNullableString("mobile_number"),
                reader.GetFlag("has_conversation"),
                PatientHints.For(reader.GetNullableString("mobile_number"), reader.GetNullableString("email")),
                PatientDetailsStore.ParseDate(reader.GetNullableString("birth_date")),
                reader.GetNullableString("mrn")));
        }

        return results;
    }

    private static async Task UpsertClinicAsync(WriteScope scope, ClinicInfo clinic)
    {
        var command = scope.Command(
            "INSERT INTO clinics (id, name) VALUES (@id, @name) ON CONFLICT (id) DO UPDATE SET name = excluded.name");
        await command.With("@id", clinic.Id).With("@name", clinic.Name).ExecuteNonQueryAsync();
    }

    public async Task<ClinicInfo?> GetClinicAsync(Guid clinicId)
    {
        await using var connection = await database.OpenAsync();
        await using var command = connection.Command("SELECT name FROM clinics WHERE id = @id");
        return await command.With("@id", clinicId).ExecuteScalarAsync() is string name ? new ClinicInfo(clinicId, name) : null;
    }
}
