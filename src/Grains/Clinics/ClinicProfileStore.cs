using System.Text.Json;
using ClinicChat.Conversations;

namespace ClinicChat.Clinics;

/// <summary>
/// The clinic_profiles table (one row per clinic whose Admins have set something) and the clinic's time zone, which the
/// office hours share with the clinic's notices (quiet hours).
/// </summary>
public sealed class ClinicProfileStore(ChatDatabase database)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>The clinic's name, phone and office hours; a clinic with none set has no phone and no hours, in its own time zone (UTC without one).</summary>
    public async Task<ClinicProfile> GetAsync(Guid clinicId)
    {
        await using var connection = await database.OpenAsync();
        await using var command = connection.Command(
            """
            SELECT c.name, c.time_zone, p.phone, p.office_hours_json, p.patient_topics, c.country
              FROM clinics c LEFT JOIN clinic_profiles p ON p.clinic_id = c.id
             WHERE c.id = @clinic
            """);
        await using var reader = await command.With("@clinic", clinicId).ExecuteReaderAsync();
        if (!await reader.ReadAsync())
        {
            return new ClinicProfile(string.Empty, null, OfficeHours.None(TimeZoneInfo.Utc.Id));
        }

        var zone = reader.GetNullableString("time_zone") ?? "UTC";
        var hours = reader.GetNullableString("office_hours_json") is { } json
            ? JsonSerializer.Deserialize<OfficeHours>(json, Json)! with { TimeZone = zone }
            : OfficeHours.None(zone);
        return new ClinicProfile(reader.GetString(0), reader.GetNullableString("phone"), hours, TopicsOf(reader.GetNullableString("patient_topics")),
            reader.GetNullableString("country"));
    }

    /// <summary>The phone and the topics patients may start conversations about (stored as their wire names, comma-separated).</summary>
    public static WriteUnit SaveProfile(Guid clinicId, string? phone, IReadOnlyList<ThreadTopic> patientTopics, DateTimeOffset at) => new(async scope =>
    {
        var command = scope.Command(
            """
            INSERT INTO clinic_profiles (clinic_id, phone, patient_topics, changed_at_ms) VALUES (@clinic, @phone, @topics, @at)
            ON CONFLICT (clinic_id) DO UPDATE SET phone = excluded.phone, patient_topics = excluded.patient_topics, changed_at_ms = excluded.changed_at_ms
            """);
        await command.With("@clinic", clinicId).With("@phone", phone)
            .With("@topics", patientTopics.Count == 0 ? null : string.Join(',', patientTopics.Select(ThreadTopics.WireName))).With("@at", at).ExecuteNonQueryAsync();
    });

    private static IReadOnlyList<ThreadTopic> TopicsOf(string? stored) =>
        [.. (stored ?? string.Empty).Split(',', StringSplitOptions.RemoveEmptyEntries)
            .Select(name => ThreadTopics.TryParse(name, allowNone: false, out var topic) ? topic : ThreadTopic.None).Where(t => t != ThreadTopic.None)];

    /// <summary>The country its phone numbers are in, on the clinics row beside its time zone (null: the deployment's).</summary>
    public static WriteUnit SaveCountry(Guid clinicId, string? country) => new(async scope =>
    {
        var command = scope.Command("UPDATE clinics SET country = @country WHERE id = @clinic");
        await command.With("@country", country).With("@clinic", clinicId).ExecuteNonQueryAsync();
    });

    /// <summary>The hours, and their time zone as the clinic's own (kept in one place: the clinics row).</summary>
    public static WriteUnit SaveOfficeHours(Guid clinicId, OfficeHours hours, DateTimeOffset at) => new(async scope =>
    {
        var zone = scope.Command("UPDATE clinics SET time_zone = @zone WHERE id = @clinic");
        await zone.With("@zone", hours.TimeZone).With("@clinic", clinicId).ExecuteNonQueryAsync();

        var command = scope.Command(
            """
            INSERT INTO clinic_profiles (clinic_id, office_hours_json, changed_at_ms) VALUES (@clinic, @hours, @at)
            ON CONFLICT (clinic_id) DO UPDATE SET office_hours_json = excluded.office_hours_json, changed_at_ms = excluded.changed_at_ms
            """);
        await command.With("@clinic", clinicId).With("@hours", JsonSerializer.Serialize(hours, Json)).With("@at", at).ExecuteNonQueryAsync();
    });
}
