namespace ClinicChat.Patients;

/// <summary>
/// SQL for chat opt-in per clinic (<c>patient_clinic_chat</c>). A clinic without a row follows the patient's one switch
/// (<c>patients.chat_opt_in</c>): readers take <c>COALESCE(row, switch)</c>, see <see cref="OptInOf"/>.
/// </summary>
public sealed class ClinicChatStore(ChatDatabase database)
{
    /// <summary>
    /// The SQL expression for a patient's opt-in at a clinic, for queries that list threads or patients of a clinic.
    /// <paramref name="patient"/> and <paramref name="clinic"/> are SQL expressions for the two ids, <c>p</c> the patients row.
    /// </summary>
    public static string OptInOf(string patient, string clinic) =>
        $"COALESCE((SELECT pcc.opt_in FROM patient_clinic_chat pcc WHERE pcc.patient_id = {patient} AND pcc.clinic_id = {clinic}), p.chat_opt_in)";

    /// <summary>The patient's own choices, clinic by clinic (clinics they never chose for are absent).</summary>
    public async Task<Dictionary<Guid, bool>> ReadChoicesAsync(Guid patientId)
    {
        await using var connection = await database.OpenAsync();
        await using var command = connection.Command("SELECT clinic_id, opt_in FROM patient_clinic_chat WHERE patient_id = @patient");
        command.With("@patient", patientId);
        var choices = new Dictionary<Guid, bool>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            choices[reader.GetGuid("clinic_id")] = reader.GetFlag("opt_in");
        }

        return choices;
    }

    public static WriteUnit SaveChoice(Guid patientId, Guid clinicId, bool optIn, DateTimeOffset at) => new(async scope =>
    {
        var command = scope.Command(
            """
            INSERT INTO patient_clinic_chat (patient_id, clinic_id, opt_in, changed_at_ms) VALUES (@patient, @clinic, @optIn, @at)
            ON CONFLICT (patient_id, clinic_id) DO UPDATE SET opt_in = excluded.opt_in, changed_at_ms = excluded.changed_at_ms
            """);
        await command.With("@patient", patientId).With("@clinic", clinicId).With("@optIn", optIn).With("@at", at).ExecuteNonQueryAsync();
    });

    /// <summary>"Every clinic": the one switch decides again for all of them, clinics linked later included.</summary>
    public static WriteUnit ClearChoices(Guid patientId) => new(async scope =>
    {
        var command = scope.Command("DELETE FROM patient_clinic_chat WHERE patient_id = @patient");
        await command.With("@patient", patientId).ExecuteNonQueryAsync();
    });
}
