using System.Data.Common;

namespace ClinicChat.Integrations;

/// <summary>SQL for integration clients and the client assertions they have used.</summary>
public sealed class IntegrationStore(ChatDatabase database)
{
    /// <summary>Every client of every clinic: a deployment has tens, so the registry keeps them all in memory.</summary>
    public async Task<List<IntegrationClient>> AllAsync()
    {
        await using var connection = await database.OpenAsync();
        await using var command = connection.Command(
            "SELECT client_id, clinic_id, name, scopes, jwks, jwks_url, created_at_ms, created_by, revoked_at_ms FROM integration_clients");
        await using var reader = await command.ExecuteReaderAsync();
        var clients = new List<IntegrationClient>();
        while (await reader.ReadAsync())
        {
            clients.Add(Read(reader));
        }

        return clients;
    }

    public static WriteUnit Add(IntegrationClient client) => new(async scope =>
    {
        var command = scope.Command(
            """
            INSERT INTO integration_clients (client_id, clinic_id, name, scopes, jwks, jwks_url, created_at_ms, created_by, revoked_at_ms)
            VALUES (@id, @clinic, @name, @scopes, @jwks, @url, @created, @by, NULL)
            """);
        await command.With("@id", client.ClientId).With("@clinic", client.ClinicId).With("@name", client.Name)
            .With("@scopes", string.Join(' ', client.Scopes)).With("@jwks", client.Jwks).With("@url", client.JwksUrl)
            .With("@created", client.CreatedAt).With("@by", client.CreatedBy).ExecuteNonQueryAsync();
    });

    public static WriteUnit Revoke(string clientId, DateTimeOffset at) => new(async scope =>
    {
        var command = scope.Command(
            "UPDATE integration_clients SET revoked_at_ms = @at WHERE client_id = @id AND revoked_at_ms IS NULL");
        await command.With("@at", at).With("@id", clientId).ExecuteNonQueryAsync();
    });

    /// <summary>
    /// Records the assertion as used and, only if it was not used before, runs <paramref name="then"/> (its audit row) in
    /// the same transaction; yields whether it was new. Expired ids are dropped on the way: a replay of one is refused
    /// anyway, for its expiry has passed.
    /// </summary>
    public static WriteUnit<bool> UseAssertion(string clientId, string assertionId, DateTimeOffset expiresAt, DateTimeOffset now, WriteUnit then) =>
        new(async scope =>
        {
            var prune = scope.Command("DELETE FROM integration_assertions WHERE expires_at_ms < @now");
            await prune.With("@now", now).ExecuteNonQueryAsync();

            var insert = scope.Command(
                """
                INSERT INTO integration_assertions (client_id, jti, expires_at_ms) VALUES (@client, @jti, @expires)
                ON CONFLICT (client_id, jti) DO NOTHING
                """);
            var fresh = await insert.With("@client", clientId).With("@jti", assertionId).With("@expires", expiresAt).ExecuteNonQueryAsync() == 1;
            if (fresh)
            {
                await then.RunAsync(scope);
            }

            return fresh;
        });

    private static IntegrationClient Read(DbDataReader reader)
    {
        var revoked = reader.GetOrdinal("revoked_at_ms");
        return new IntegrationClient(
            reader.GetString(reader.GetOrdinal("client_id")),
            reader.GetGuid("clinic_id"),
            reader.GetString(reader.GetOrdinal("name")),
            reader.GetString(reader.GetOrdinal("scopes")).Split(' ', StringSplitOptions.RemoveEmptyEntries),
            reader.GetNullableString("jwks"),
            reader.GetNullableString("jwks_url"),
            reader.GetTime("created_at_ms"),
            reader.GetString(reader.GetOrdinal("created_by")),
            reader.IsDBNull(revoked) ? null : DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(revoked)));
    }
}
