using Npgsql;

namespace ClinicChat.Tests.Postgres;

[Trait("Category", "Slow")] // a throwaway PostgreSQL server
[Collection(PostgresClusterCollection.Name)]
public sealed class SchemaMigratorOnPostgresTests(PostgresClusterFixture fixture)
{
    /// <summary>Every query Orleans' three ADO.NET providers read at start-up (10.4.2).</summary>
    private static readonly string[] OrleansQueryKeys =
    [
        "CleanupDefunctSiloEntriesKey", "CleanupDefunctSiloEntryKey", "ClearStorageKey", "DeleteMembershipTableEntriesKey",
        "DeleteReminderRowKey", "DeleteReminderRowsKey", "GatewaysQueryKey", "InsertMembershipKey", "InsertMembershipVersionKey",
        "MembershipReadAllKey", "MembershipReadRowKey", "ReadFromStorageKey", "ReadRangeRows1Key", "ReadRangeRows2Key",
        "ReadReminderRowKey", "ReadReminderRowsKey", "UpdateIAmAlivetimeKey", "UpdateMembershipKey", "UpsertReminderRowKey",
        "WriteToStorageKey",
    ];

    [Fact]
    public async Task SilosMigratingAtTheSameTimeApplyEachScriptOnce()
    {
        var connectionString = await fixture.Server.CreateDatabaseAsync("migrate_" + Guid.NewGuid().ToString("N")[..12]);

        await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Task.Run(() => PostgresClusterFixture.MigrateAsync(connectionString))));
        await PostgresClusterFixture.MigrateAsync(connectionString);

        Assert.Equal(["0001_orleans", "0002_chat", "0003_sensitive", "0004_audit_checkpoints", "0005_attachment_sent", "0006_sensitive_records", "0007_clinic_security", "0008_onboarding", "0009_notices", "0010_patient_admin", "0011_staff", "0012_chat_opt_in", "0013_record_state", "0014_ehr_patients", "0015_integrations", "0016_team", "0017_clinic_profile", "0018_topics", "0019_lookup_indexes", "0020_needs_reply", "0021_name_index_order", "0022_pending_staff_invitations", "0023_receipt_events_by_reader", "0024_needs_reply_open_only", "0025_replaced_invitation_links", "0026_clinic_country", "identity.0001_create", "identity.0002_passkeys", "identity.0003_lookups"], await QueryAsync(connectionString, $"SELECT id FROM {SchemaMigrator.MigrationsTable} ORDER BY id"));
        Assert.Equal(OrleansQueryKeys, await QueryAsync(connectionString, "SELECT QueryKey FROM OrleansQuery ORDER BY QueryKey COLLATE \"C\""));
    }

    private static async Task<IReadOnlyList<string>> QueryAsync(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await using var reader = await command.ExecuteReaderAsync();
        var values = new List<string>();
        while (await reader.ReadAsync())
        {
            values.Add(reader.GetString(0));
        }

        return values;
    }
}
