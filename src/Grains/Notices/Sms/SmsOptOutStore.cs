namespace ClinicChat.Notices.Sms;

/// <summary>A patient of a clinic whose verified mobile number is the one in question.</summary>
public sealed record NumberHolder(Guid ClinicId, Guid PatientId);

/// <summary>The sms_opt_outs table (numbers that replied STOP), and who uses a number.</summary>
public sealed class SmsOptOutStore(ChatDatabase database)
{
    public async Task<bool> IsStoppedAsync(string number)
    {
        await using var connection = await database.OpenAsync();
        await using var command = connection.Command("SELECT 1 FROM sms_opt_outs WHERE number = @number");
        return await command.With("@number", number).ExecuteScalarAsync() is not null;
    }

    /// <summary>
    /// The patients (and their clinics) whose portal account has this number as its verified mobile: the clinics whose
    /// audit logs record the number's STOP and START.
    /// </summary>
    public async Task<IReadOnlyList<NumberHolder>> HoldersAsync(string number)
    {
        await using var connection = await database.OpenAsync();
        await using var command = connection.Command(
            """
            SELECT DISTINCT cp.clinic_id, p.id AS patient_id
              FROM "AspNetUsers" u
              JOIN patients p ON p.portal_user_id = u."Id"
              JOIN clinic_patients cp ON cp.patient_id = p.id
             WHERE u."PhoneNumber" = @number AND u."PhoneNumberConfirmed" = TRUE
             ORDER BY cp.clinic_id, p.id
            """);
        await using var reader = await command.With("@number", number).ExecuteReaderAsync();
        var holders = new List<NumberHolder>();
        while (await reader.ReadAsync())
        {
            holders.Add(new NumberHolder(reader.GetGuid("clinic_id"), reader.GetGuid("patient_id")));
        }

        return holders;
    }

    public static WriteUnit Stop(string number, DateTimeOffset at) =>
        new(async scope =>
        {
            var command = scope.Command(
                "INSERT INTO sms_opt_outs (number, opted_out_at_ms) VALUES (@number, @at) ON CONFLICT (number) DO NOTHING");
            await command.With("@number", number).With("@at", at).ExecuteNonQueryAsync();
        });

    public static WriteUnit Start(string number) =>
        new(async scope =>
        {
            var command = scope.Command("DELETE FROM sms_opt_outs WHERE number = @number");
            await command.With("@number", number).ExecuteNonQueryAsync();
        });
}
