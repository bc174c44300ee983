using System.Data.Common;

namespace ClinicChat.Onboarding;

/// <summary>SQL for operator-created clinics (the <c>clinics</c> row's operator columns) and invitations.</summary>
public sealed class OnboardingStore(ChatDatabase database)
{
    private const string ClinicColumns = "id, name, time_zone, created_at_ms, disabled_at_ms";

    private const string InvitationColumns =
        "i.id, i.clinic_id, c.name AS clinic_name, i.email, i.display_name, i.role, i.token_hash, i.replaced_token_hash, i.expires_at_ms, i.used_at_ms, i.revoked_at_ms";

    public async Task<ClinicAccount?> GetClinicAsync(Guid clinicId)
    {
        await using var connection = await database.OpenAsync();
        await using var command = connection.Command($"SELECT {ClinicColumns} FROM clinics WHERE id = @id");
        await using var reader = await command.With("@id", clinicId).ExecuteReaderAsync();
        return await reader.ReadAsync() ? ReadClinic(reader) : null;
    }

    public async Task<IReadOnlyList<ClinicAccount>> ListClinicsAsync()
    {
        await using var connection = await database.OpenAsync();
        await using var command = connection.Command($"SELECT {ClinicColumns} FROM clinics ORDER BY name, id");
        await using var reader = await command.ExecuteReaderAsync();
        var clinics = new List<ClinicAccount>();
        while (await reader.ReadAsync())
        {
            clinics.Add(ReadClinic(reader));
        }

        return clinics;
    }

    /// <summary>Inserts the clinic; a clinic with the same id is left alone (the grain checked it does not exist).</summary>
    public static WriteUnit CreateClinic(ClinicAccount clinic) => new(async scope =>
    {
        var command = scope.Command(
            $"INSERT INTO clinics ({ClinicColumns}) VALUES (@id, @name, @zone, @created, NULL) ON CONFLICT (id) DO NOTHING");
        await command.With("@id", clinic.Id).With("@name", clinic.Name).With("@zone", clinic.TimeZone).With("@created", clinic.CreatedAt)
            .ExecuteNonQueryAsync();
    });

    public static WriteUnit SetDisabled(Guid clinicId, DateTimeOffset? disabledAt) => new(async scope =>
    {
        var command = scope.Command("UPDATE clinics SET disabled_at_ms = @at WHERE id = @id");
        await command.With("@id", clinicId).With("@at", disabledAt).ExecuteNonQueryAsync();
    });

    public static WriteUnit CreateInvitation(Guid id, InvitationRequest request, string tokenHash, DateTimeOffset createdAt, DateTimeOffset expiresAt) => new(async scope =>
    {
        var command = scope.Command(
            """
            INSERT INTO invitations (id, clinic_id, email, display_name, role, token_hash, invited_by, created_at_ms, expires_at_ms)
            VALUES (@id, @clinic, @email, @name, @role, @hash, @by, @created, @expires)
            """);
        await command.With("@id", id).With("@clinic", request.ClinicId).With("@email", request.Email).With("@name", request.DisplayName)
            .With("@role", request.Role.ToString()).With("@hash", tokenHash).With("@by", request.InvitedBy)
            .With("@created", createdAt).With("@expires", expiresAt).ExecuteNonQueryAsync();
    });

    /// <summary>Sent by email now (channel 1 = <c>NoticeChannel.Email</c>): what the Admin's list shows as "sent".</summary>
    public static WriteUnit MarkEmailed(Guid id, DateTimeOffset sentAt) => new(async scope =>
    {
        var command = scope.Command("UPDATE invitations SET channel = 1, sent_at_ms = @at WHERE id = @id");
        await command.With("@id", id).With("@at", sentAt).ExecuteNonQueryAsync();
    });

    /// <summary>
    /// A new secret and expiry: the old link's secret no longer matches, so it stops working in this commit. Its hash is kept
    /// as the replaced one, so that link can say a newer one was sent.
    /// </summary>
    public static WriteUnit Reissue(Guid id, string tokenHash, DateTimeOffset sentAt, DateTimeOffset expiresAt) => new(async scope =>
    {
        var command = scope.Command(
            "UPDATE invitations SET replaced_token_hash = token_hash, token_hash = @hash, expires_at_ms = @expires, channel = 1, sent_at_ms = @at WHERE id = @id");
        await command.With("@id", id).With("@hash", tokenHash).With("@expires", expiresAt).With("@at", sentAt).ExecuteNonQueryAsync();
    });

    public static WriteUnit MarkUsed(Guid id, string userId, DateTimeOffset usedAt) => new(async scope =>
    {
        var command = scope.Command("UPDATE invitations SET used_at_ms = @at, used_by = @user WHERE id = @id");
        await command.With("@id", id).With("@at", usedAt).With("@user", userId).ExecuteNonQueryAsync();
    });

    public static WriteUnit MarkRevoked(Guid id, DateTimeOffset revokedAt) => new(async scope =>
    {
        var command = scope.Command("UPDATE invitations SET revoked_at_ms = @at WHERE id = @id");
        await command.With("@id", id).With("@at", revokedAt).ExecuteNonQueryAsync();
    });

    public async Task<StoredInvitation?> GetInvitationAsync(Guid id)
    {
        await using var connection = await database.OpenAsync();
        await using var command = connection.Command($"SELECT {InvitationColumns} FROM invitations i LEFT JOIN clinics c ON c.id = i.clinic_id WHERE i.id = @id");
        await using var reader = await command.With("@id", id).ExecuteReaderAsync();
        if (!await reader.ReadAsync())
        {
            return null;
        }

        var view = new InvitationView(
            reader.GetGuid("id"),
            reader.GetNullableGuid("clinic_id"),
            reader.GetNullableString("clinic_name"),
            reader.GetString(reader.GetOrdinal("email")),
            reader.GetString(reader.GetOrdinal("display_name")),
            Enum.Parse<InviteeRole>(reader.GetString(reader.GetOrdinal("role"))),
            reader.GetTime("expires_at_ms"));
        return new StoredInvitation(view, reader.GetString(reader.GetOrdinal("token_hash")), NullableTime(reader, "used_at_ms"), NullableTime(reader, "revoked_at_ms"))
        {
            ReplacedTokenHash = reader.GetNullableString("replaced_token_hash"),
        };
    }

    private static ClinicAccount ReadClinic(DbDataReader reader) => new(
        reader.GetGuid("id"),
        reader.GetString(reader.GetOrdinal("name")),
        reader.GetNullableString("time_zone"),
        NullableTime(reader, "created_at_ms"),
        NullableTime(reader, "disabled_at_ms"));

    private static DateTimeOffset? NullableTime(DbDataReader reader, string column)
    {
        var ordinal = reader.GetOrdinal(column);
        return reader.IsDBNull(ordinal) ? null : DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(ordinal));
    }
}

/// <summary>An invitation as stored: its view, the hash of its secret and what became of it.</summary>
public sealed record StoredInvitation(InvitationView View, string TokenHash, DateTimeOffset? UsedAt, DateTimeOffset? RevokedAt)
{
    /// <summary>The hash of the secret the last resend replaced (null: never resent).</summary>
    public string? ReplacedTokenHash { get; init; }
}
