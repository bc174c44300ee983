using System.Data.Common;
using ClinicChat.Notices;
using ClinicChat.Patients;

namespace ClinicChat.Onboarding.Portal;

/// <summary>A patient at a clinic as a portal invitation needs them: where a link may go, and whether they have an account.</summary>
public sealed record InviteePatient(Guid PatientId, string DisplayName, string? Email, string? Mobile, bool SmsConsent, bool MobileStopped, string? PortalUserId);

/// <summary>A portal invitation as stored (a row of <c>invitations</c> with role 'Patient').</summary>
public sealed record StoredPortalInvitation(
    Guid Id,
    Guid ClinicId,
    string ClinicName,
    Guid PatientId,
    string PatientName,
    NoticeChannel Channel,
    string Address,
    string TokenHash,
    DateTimeOffset InvitedAt,
    DateTimeOffset ExpiresAt,
    DateTimeOffset? UsedAt,
    DateTimeOffset? CancelledAt,
    DateTimeOffset? LockedAt,
    int FailedChecks);

/// <summary>SQL for portal invitations: the <c>invitations</c> table shared with staff invitations, and what activation changes.</summary>
public sealed class PortalInvitationStore(ChatDatabase database)
{
    private const string Role = "Patient";

    private const string Columns =
        """
        i.id, i.clinic_id, c.name AS clinic_name, i.patient_id, i.display_name, i.channel, i.email, i.token_hash, i.created_at_ms, i.expires_at_ms,
        i.used_at_ms, i.revoked_at_ms, i.locked_at_ms, i.failed_checks
        """;

    /// <summary>The patient if they are a patient of the clinic; null otherwise (another clinic's patient is unknown here).</summary>
    public async Task<InviteePatient?> GetPatientAtClinicAsync(Guid clinicId, Guid patientId)
    {
        await using var connection = await database.OpenAsync();
        await using var command = connection.Command(
            """
            SELECT p.id, p.display_name, p.email, p.mobile_number, p.sms_consent_at_ms, p.portal_user_id,
                   (SELECT COUNT(*) FROM sms_opt_outs o WHERE o.number = p.mobile_number) AS stopped
              FROM clinic_patients cp JOIN patients p ON p.id = cp.patient_id
             WHERE cp.clinic_id = @clinic AND cp.patient_id = @patient
            """);
        await using var reader = await command.With("@clinic", clinicId).With("@patient", patientId).ExecuteReaderAsync();
        return await reader.ReadAsync()
            ? new InviteePatient(
                reader.GetGuid("id"),
                reader.GetString(reader.GetOrdinal("display_name")),
                reader.GetNullableString("email"),
                reader.GetNullableString("mobile_number"),
                !reader.IsDBNull(reader.GetOrdinal("sms_consent_at_ms")),
                reader.GetLong("stopped") > 0,
                reader.GetNullableString("portal_user_id"))
            : null;
    }

    public async Task<StoredPortalInvitation?> GetAsync(Guid id) =>
        (await ReadAsync($"SELECT {Columns} FROM invitations i JOIN clinics c ON c.id = i.clinic_id WHERE i.id = @id AND i.role = '{Role}'", ("@id", id))).FirstOrDefault();

    public async Task<StoredPortalInvitation?> LatestAsync(Guid clinicId, Guid patientId) =>
        (await ReadAsync(
            $"""
            SELECT {Columns} FROM invitations i JOIN clinics c ON c.id = i.clinic_id
             WHERE i.patient_id = @patient AND i.clinic_id = @clinic AND i.role = '{Role}'
             ORDER BY i.created_at_ms DESC, i.id LIMIT 1
            """,
            ("@patient", patientId), ("@clinic", clinicId))).FirstOrDefault();

    public static WriteUnit Insert(Guid id, PortalInvitationIssue issue, string tokenHash, DateTimeOffset now, DateTimeOffset expiresAt) => new(async scope =>
    {
        var command = scope.Command(
            """
            INSERT INTO invitations (id, clinic_id, email, display_name, role, token_hash, invited_by, created_at_ms, expires_at_ms, patient_id, channel, sent_at_ms)
            VALUES (@id, @clinic, @address, @name, @role, @hash, @by, @now, @expires, @patient, @channel, @now)
            """);
        await command.With("@id", id).With("@clinic", issue.ClinicId).With("@address", issue.Address).With("@name", issue.PatientName).With("@role", Role)
            .With("@hash", tokenHash).With("@by", issue.InvitedBy).With("@now", now).With("@expires", expiresAt).With("@patient", issue.PatientId)
            .With("@channel", (int)issue.Channel).ExecuteNonQueryAsync();
    });

    public static WriteUnit MarkCancelled(Guid id, DateTimeOffset at) => Update(id, "revoked_at_ms = @at", at);

    /// <summary>One more wrong date of birth; <paramref name="locks"/> when it is the last one allowed.</summary>
    public static WriteUnit CountFailedCheck(Guid id, bool locks, DateTimeOffset at) =>
        Update(id, locks ? "failed_checks = failed_checks + 1, locked_at_ms = @at" : "failed_checks = failed_checks + 1", at);

    public static WriteUnit MarkUsed(Guid id, string userId, DateTimeOffset at) => new(async scope =>
    {
        var command = scope.Command("UPDATE invitations SET used_at_ms = @at, used_by = @user WHERE id = @id");
        await command.With("@id", id).With("@at", at).With("@user", userId).ExecuteNonQueryAsync();
    });

    /// <summary>A new portal account for the invited patient: the patient row points at it, with the chat choice made on the page.</summary>
    public static WriteUnit AttachAccount(Guid patientId, string userId, bool chatOptIn, DateTimeOffset at) => new(async scope =>
    {
        var command = scope.Command(
            "UPDATE patients SET portal_user_id = @user, chat_opt_in = @optIn, updated_at_ms = @at WHERE id = @id AND portal_user_id IS NULL");
        await command.With("@id", patientId).With("@user", userId).With("@optIn", chatOptIn).With("@at", at).ExecuteNonQueryAsync();
    });

    /// <summary>
    /// Linking: the clinic's record of the invited patient is merged into the patient the existing account is. The clinic's
    /// <c>clinic_patients</c> row (with its MRN) and its name-search tokens move to the existing patient id; the invited row
    /// stays behind with no clinic (its invitations and audit rows keep pointing at it).
    /// </summary>
    public static WriteUnit MergeIntoExisting(Guid clinicId, Guid invitedPatientId, Guid existingPatientId, DateTimeOffset at) => new(async scope =>
    {
        var readMrn = scope.Command("SELECT mrn FROM clinic_patients WHERE clinic_id = @clinic AND patient_id = @patient");
        var mrn = await readMrn.With("@clinic", clinicId).With("@patient", invitedPatientId).ExecuteScalarAsync() as string;

        var readName = scope.Command("SELECT display_name FROM patients WHERE id = @patient");
        var name = (string)(await readName.With("@patient", existingPatientId).ExecuteScalarAsync())!;

        foreach (var table in new[] { "clinic_patients", "patient_name_tokens" })
        {
            var clear = scope.Command($"DELETE FROM {table} WHERE clinic_id = @clinic AND patient_id = @patient");
            await clear.With("@clinic", clinicId).With("@patient", invitedPatientId).ExecuteNonQueryAsync();
        }

        var join = scope.Command(
            "INSERT INTO clinic_patients (clinic_id, patient_id, sort_name, mrn) VALUES (@clinic, @patient, @sort, @mrn) ON CONFLICT DO NOTHING");
        await join.With("@clinic", clinicId).With("@patient", existingPatientId).With("@sort", NameSearch.Normalize(name)).With("@mrn", mrn).ExecuteNonQueryAsync();

        await PatientNameIndex.RebuildAsync(scope, existingPatientId, name);

        var touch = scope.Command("UPDATE patients SET updated_at_ms = @at WHERE id = @id");
        await touch.With("@id", existingPatientId).With("@at", at).ExecuteNonQueryAsync();
    });

    /// <summary>A date of birth as stored (<c>yyyy-MM-dd</c>); null when none is on file.</summary>
    public async Task<DateOnly?> BirthDateAsync(Guid patientId)
    {
        await using var connection = await database.OpenAsync();
        await using var command = connection.Command("SELECT birth_date FROM patients WHERE id = @id");
        return await command.With("@id", patientId).ExecuteScalarAsync() is string text
            && DateOnly.TryParseExact(text, "yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.None, out var date)
                ? date
                : null;
    }

    /// <summary>
    /// Whether the patient of a portal account is someone other than a clinic's patient of the given date of birth. Linking
    /// merges the clinic's record into the account's patient, which is right only for one person: someone already a patient
    /// of this clinic is a second record there (twins, a child at a parent's address), and a date of birth on file that
    /// differs is someone else.
    /// </summary>
    public async Task<bool> IsAnotherPersonAsync(Guid clinicId, Guid accountPatientId, DateOnly birthDate) =>
        await GetPatientAtClinicAsync(clinicId, accountPatientId) is not null
        || await BirthDateAsync(accountPatientId) is { } onFile && onFile != birthDate;

    private static WriteUnit Update(Guid id, string set, DateTimeOffset at) => new(async scope =>
    {
        var command = scope.Command($"UPDATE invitations SET {set} WHERE id = @id");
        await command.With("@id", id).With("@at", at).ExecuteNonQueryAsync();
    });

    private async Task<List<StoredPortalInvitation>> ReadAsync(string sql, params (string Name, object Value)[] parameters)
    {
        await using var connection = await database.OpenAsync();
        await using var command = connection.Command(sql);
        foreach (var (name, value) in parameters)
        {
            command.With(name, value);
        }

        var found = new List<StoredPortalInvitation>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            found.Add(new StoredPortalInvitation(
                reader.GetGuid("id"),
                reader.GetGuid("clinic_id"),
                reader.GetString(reader.GetOrdinal("clinic_name")),
                reader.GetGuid("patient_id"),
                reader.GetString(reader.GetOrdinal("display_name")),
                (NoticeChannel)Convert.ToInt32(reader.GetValue(reader.GetOrdinal("channel")), System.Globalization.CultureInfo.InvariantCulture),
                reader.GetString(reader.GetOrdinal("email")),
                reader.GetString(reader.GetOrdinal("token_hash")),
                reader.GetTime("created_at_ms"),
                reader.GetTime("expires_at_ms"),
                NullableTime(reader, "used_at_ms"),
                NullableTime(reader, "revoked_at_ms"),
                NullableTime(reader, "locked_at_ms"),
                Convert.ToInt32(reader.GetValue(reader.GetOrdinal("failed_checks")), System.Globalization.CultureInfo.InvariantCulture)));
        }

        return found;
    }

    private static DateTimeOffset? NullableTime(DbDataReader reader, string column)
    {
        var ordinal = reader.GetOrdinal(column);
        return reader.IsDBNull(ordinal) ? null : DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(ordinal));
    }
}
