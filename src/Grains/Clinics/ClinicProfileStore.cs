using ClinicChat.Storage;

namespace ClinicChat.Clinics;

/// <summary>The clinic_profiles table: one row per clinic whose Admins have set something.</summary>
public sealed class ClinicProfileStore(ChatDatabase database)
{
    /// <summary>The clinic's phone, or null when none was set.</summary>
    public async Task<string?> GetPhoneAsync(Guid clinicId)
    {
        await using var connection = await database.OpenAsync();
        await using var command = connection.Command("SELECT phone FROM clinic_profiles WHERE clinic_id = @clinic");
        return await command.With("@clinic", clinicId).ExecuteScalarAsync() as string;
    }

    public static WriteUnit SavePhone(Guid clinicId, string? phone, DateTimeOffset at) => new(async scope =>
    {
        await using var command = scope.Connection.Command(
            """
            INSERT INTO clinic_profiles (clinic_id, phone, changed_at_ms) VALUES (@clinic, @phone, @at)
            ON CONFLICT (clinic_id) DO UPDATE SET phone = excluded.phone, changed_at_ms = excluded.changed_at_ms
            """,
            scope.Transaction);
        await command.With("@clinic", clinicId).With("@phone", phone).With("@at", at).ExecuteNonQueryAsync();
    });
}
