using System.Data.Common;
using System.Globalization;

namespace ClinicChat.Patients;

/// <summary>
/// SQL for patients as staff add and edit them: the structured name, birth date, contact details, the clinic's MRN and
/// SMS consent. The directory's display name, sort name and name-token index are derived from the structured name on
/// every save, so search always finds a patient by the name their editor shows.
/// </summary>
public sealed class PatientDetailsStore(ChatDatabase database)
{
    private const string DateFormat = "yyyy-MM-dd";

    /// <summary>The patient as one clinic sees them; null when they are not a patient of that clinic.</summary>
    public async Task<PatientFile?> GetAsync(Guid clinicId, Guid patientId)
    {
        await using var connection = await database.OpenAsync();
        await using var command = connection.Command(
            """
            SELECT p.display_name, p.given_name, p.family_name, p.birth_date, p.email, p.mobile_number, p.preferred_language,
                   p.portal_user_id, p.sms_consent_at_ms, cp.mrn
              FROM clinic_patients cp JOIN patients p ON p.id = cp.patient_id
             WHERE cp.clinic_id = @clinic AND cp.patient_id = @patient
            """);
        await using var reader = await command.With("@clinic", clinicId).With("@patient", patientId).ExecuteReaderAsync();
        if (!await reader.ReadAsync())
        {
            return null;
        }

        // Patients registered before issue 20 (the practice-system path) have a display name only: the editor opens
        // with it split at the last space and no birth date, which staff then complete.
        var displayName = reader.GetString(0);
        var lastSpace = displayName.LastIndexOf(' ');
        var details = new PatientDetails(
            reader.GetNullableString("given_name") ?? (lastSpace > 0 ? displayName[..lastSpace] : displayName),
            reader.GetNullableString("family_name") ?? (lastSpace > 0 ? displayName[(lastSpace + 1)..] : string.Empty),
            ParseDate(reader.GetNullableString("birth_date")) ?? DateOnly.MinValue,
            reader.GetNullableString("email"),
            reader.GetNullableString("mobile_number"),
            reader.GetNullableString("mrn"),
            reader.GetNullableString("preferred_language"));
        var consentOrdinal = reader.GetOrdinal("sms_consent_at_ms");
        DateTimeOffset? consentAt = reader.IsDBNull(consentOrdinal) ? null : DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(consentOrdinal));
        return new PatientFile(patientId, clinicId, details, reader.GetNullableString("portal_user_id") is not null, consentAt);
    }

    /// <summary>Whether the patient exists at all (at any clinic): an imported id must not take over another clinic's patient.</summary>
    public async Task<bool> ExistsAsync(Guid patientId)
    {
        await using var connection = await database.OpenAsync();
        await using var command = connection.Command("SELECT 1 FROM patients WHERE id = @id");
        return await command.With("@id", patientId).ExecuteScalarAsync() is not null;
    }

    /// <summary>The patient of the clinic with this MRN, other than <paramref name="except"/>.</summary>
    public async Task<Guid?> FindByMrnAsync(Guid clinicId, string mrn, Guid except)
    {
        await using var connection = await database.OpenAsync();
        await using var command = connection.Command("SELECT patient_id FROM clinic_patients WHERE clinic_id = @clinic AND mrn = @mrn AND patient_id <> @except");
        return await command.With("@clinic", clinicId).With("@mrn", mrn).With("@except", except).ExecuteScalarAsync() is string id ? Guid.Parse(id) : null;
    }

    /// <summary>
    /// The patient of the clinic born on that date whose given and family names match, ignoring case and accents
    /// ("Zoë Müller" is "zoe muller"), other than <paramref name="except"/>. The birth-date index narrows the rows to
    /// the few people born that day (written as EXISTS so that SQLite starts there, not from every patient of the
    /// clinic: the join form made a 10,000-patient import quadratic); the names are compared here with the search's
    /// normalisation.
    /// </summary>
    public async Task<Guid?> FindByNameAndBirthDateAsync(Guid clinicId, PatientDetails details, Guid except)
    {
        await using var connection = await database.OpenAsync();
        await using var command = connection.Command(
            """
            SELECT p.id, p.given_name, p.family_name
              FROM patients p
             WHERE p.birth_date = @birth AND p.id <> @except
               AND EXISTS (SELECT 1 FROM clinic_patients cp WHERE cp.clinic_id = @clinic AND cp.patient_id = p.id)
            """);
        command.With("@clinic", clinicId).With("@birth", FormatDate(details.BirthDate)).With("@except", except);
        var given = NameSearch.Normalize(details.GivenName);
        var family = NameSearch.Normalize(details.FamilyName);
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            if (NameSearch.Normalize(reader.GetNullableString("given_name") ?? string.Empty) == given
                && NameSearch.Normalize(reader.GetNullableString("family_name") ?? string.Empty) == family)
            {
                return reader.GetGuid("id");
            }
        }

        return null;
    }

    /// <summary>
    /// A new patient of the clinic, not yet invited to the portal. Chat opt-in starts off: it is the patient's to give
    /// when they activate their portal account.
    /// </summary>
    public static WriteUnit Add(Guid clinicId, Guid patientId, PatientDetails details, SmsConsent? consent, DateTimeOffset at) =>
        new(async scope =>
        {
            var insert = scope.Command(
                """
                INSERT INTO patients (id, display_name, sort_name, mobile_number, email, portal_user_id, chat_opt_in, updated_at_ms,
                                      given_name, family_name, birth_date, preferred_language, sms_consent_at_ms, sms_consent_by)
                VALUES (@id, @name, @sort, @mobile, @email, NULL, 0, @at, @given, @family, @birth, @language, @consentAt, @consentBy)
                """);
            await WithDetails(insert, patientId, details, at).With("@consentAt", consent?.At).With("@consentBy", consent?.By).ExecuteNonQueryAsync();

            var link = scope.Command(
                "INSERT INTO clinic_patients (clinic_id, patient_id, sort_name, mrn) VALUES (@clinic, @patient, @sort, @mrn)");
            await link.With("@clinic", clinicId).With("@patient", patientId).With("@sort", NameSearch.Normalize(details.DisplayName))
                .With("@mrn", details.Mrn).ExecuteNonQueryAsync();

            await PatientNameIndex.RebuildAsync(scope, patientId, details.DisplayName);
        });

    /// <summary>
    /// New details for a patient of the clinic. Only the details change: the portal account, chat opt-in, threads and
    /// the patient's other clinics stay. The consent is written only when given (a changed mobile number clears it: see
    /// <see cref="ClinicPatientsGrain"/>), so <paramref name="consent"/> null with <paramref name="clearConsent"/> false keeps it.
    /// </summary>
    public static WriteUnit Update(Guid clinicId, Guid patientId, PatientDetails details, SmsConsent? consent, bool clearConsent, DateTimeOffset at) =>
        new(async scope =>
        {
            var consentSql = consent is not null || clearConsent ? ", sms_consent_at_ms = @consentAt, sms_consent_by = @consentBy" : string.Empty;
            var update = scope.Command(
                $"""
                UPDATE patients SET display_name = @name, sort_name = @sort, mobile_number = @mobile, email = @email, updated_at_ms = @at,
                       given_name = @given, family_name = @family, birth_date = @birth, preferred_language = @language{consentSql}
                 WHERE id = @id
                """);
            await WithDetails(update, patientId, details, at).With("@consentAt", consent?.At).With("@consentBy", consent?.By).ExecuteNonQueryAsync();

            // The sort name is the same at every clinic; the MRN is this clinic's own.
            var sort = scope.Command("UPDATE clinic_patients SET sort_name = @sort WHERE patient_id = @patient");
            await sort.With("@patient", patientId).With("@sort", NameSearch.Normalize(details.DisplayName)).ExecuteNonQueryAsync();

            var mrn = scope.Command("UPDATE clinic_patients SET mrn = @mrn WHERE clinic_id = @clinic AND patient_id = @patient");
            await mrn.With("@clinic", clinicId).With("@patient", patientId).With("@mrn", details.Mrn).ExecuteNonQueryAsync();

            await PatientNameIndex.RebuildAsync(scope, patientId, details.DisplayName);
        });

    public static WriteUnit RecordSmsConsent(Guid patientId, SmsConsent consent) =>
        new(async scope =>
        {
            var command = scope.Command(
                "UPDATE patients SET sms_consent_at_ms = @consentAt, sms_consent_by = @consentBy, updated_at_ms = @consentAt WHERE id = @id");
            await command.With("@id", patientId).With("@consentAt", consent.At).With("@consentBy", consent.By).ExecuteNonQueryAsync();
        });

    public static string FormatDate(DateOnly date) => date.ToString(DateFormat, CultureInfo.InvariantCulture);

    public static DateOnly? ParseDate(string? text) =>
        DateOnly.TryParseExact(text, DateFormat, CultureInfo.InvariantCulture, DateTimeStyles.None, out var date) ? date : null;

    private static DbCommand WithDetails(DbCommand command, Guid patientId, PatientDetails details, DateTimeOffset at) =>
        command.With("@id", patientId).With("@name", details.DisplayName).With("@sort", NameSearch.Normalize(details.DisplayName))
            .With("@mobile", details.Mobile).With("@email", details.Email).With("@at", at)
            .With("@given", details.GivenName).With("@family", details.FamilyName).With("@birth", FormatDate(details.BirthDate))
            .With("@language", details.PreferredLanguage);
}

/// <summary>Who recorded the patient's consent to SMS, and when.</summary>
public sealed record SmsConsent(DateTimeOffset At, string By);
