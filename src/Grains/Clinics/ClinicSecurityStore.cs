namespace ClinicChat.Clinics;

/// <summary>The clinic_security table: one row per clinic whose Admins have changed a setting.</summary>
public sealed class ClinicSecurityStore(ChatDatabase database)
{
    /// <summary>The clinic's settings, or null when they were never changed since the table exists.</summary>
    public async Task<ClinicSecuritySettings?> GetAsync(Guid clinicId)
    {
        await using var connection = await database.OpenAsync();
        await using var command = connection.Command("SELECT require_staff_totp FROM clinic_security WHERE clinic_id = @clinic");
        await using var reader = await command.With("@clinic", clinicId).ExecuteReaderAsync();
        return await reader.ReadAsync() ? new ClinicSecuritySettings(reader.GetFlag("require_staff_totp")) : null;
    }

    public static WriteUnit Save(Guid clinicId, ClinicSecuritySettings settings, DateTimeOffset at) =>
        new(scope => SaveAsync(scope, clinicId, settings, at));

    private static async Task SaveAsync(WriteScope scope, Guid clinicId, ClinicSecuritySettings settings, DateTimeOffset at)
    {
        var command = scope.Command(
            """
            INSERT INTO clinic_security (clinic_id, require_staff_totp, changed_at_ms) VALUES (@clinic, @totp, @at)
            ON CONFLICT (clinic_id) DO UPDATE SET require_staff_totp = excluded.require_staff_totp, changed_at_ms = excluded.changed_at_ms
            """);
        await command.With("@clinic", clinicId).With("@totp", settings.RequireStaffTotp).With("@at", at).ExecuteNonQueryAsync();
    }
}
