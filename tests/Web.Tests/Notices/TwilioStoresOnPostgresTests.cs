using ClinicChat.Notices;
using ClinicChat.Notices.Sms;
using ClinicChat.Storage;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace ClinicChat.Web.Tests.Notices;

/// <summary>The SMS channel's SQL as PostgreSQL runs it (booleans, typed parameters, ON CONFLICT): opt-outs, who uses a number, delivery reports.</summary>
[Trait("Category", "Slow")] // a throwaway PostgreSQL server
public sealed class TwilioStoresOnPostgresTests : IAsyncLifetime
{
    private static readonly DateTimeOffset At = new(2026, 12, 3, 14, 0, 0, TimeSpan.Zero);

    private PostgresServer _server = null!;

    public async Task InitializeAsync() => _server = await PostgresServer.StartNewAsync();

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task StopStartAndDeliveryReportsRunOnPostgres()
    {
        var connectionString = await _server.CreateDatabaseAsync("sms");
        var database = new ChatDatabase(StorageProvider.PostgreSql, connectionString);
        await new SchemaMigrator(database, NullLogger<SchemaMigrator>.Instance).MigrateAsync();
        var (clinicA, clinicB, clinicC, patient, other) = (Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid());
        const string number = "+14155550123";
        await using (var connection = new NpgsqlConnection(connectionString))
        {
            await connection.OpenAsync();
            await ExecuteAsync(connection, """
                INSERT INTO "AspNetUsers" ("Id", "DisplayName", "EmailConfirmed", "PhoneNumber", "PhoneNumberConfirmed", "TwoFactorEnabled", "LockoutEnabled", "AccessFailedCount")
                VALUES ('verified', 'A', FALSE, @number, TRUE, FALSE, TRUE, 0), ('unverified', 'B', FALSE, @number, FALSE, FALSE, TRUE, 0)
                """, ("number", number));
            await ExecuteAsync(connection, """
                INSERT INTO patients (id, display_name, sort_name, portal_user_id, chat_opt_in, updated_at_ms)
                VALUES (@patient, 'A', 'a', 'verified', 1, 0), (@other, 'B', 'b', 'unverified', 1, 0)
                """, ("patient", patient.ToString()), ("other", other.ToString()));
            await ExecuteAsync(connection, """
                INSERT INTO clinic_patients (clinic_id, patient_id, sort_name) VALUES (@a, @patient, 'a'), (@b, @patient, 'a'), (@c, @other, 'b')
                """, ("a", clinicA.ToString()), ("b", clinicB.ToString()), ("c", clinicC.ToString()), ("patient", patient.ToString()), ("other", other.ToString()));
            await ExecuteAsync(connection, """
                INSERT INTO notice_outbox (id, patient_id, clinic_id, channel, template, address, decided_at_ms, due_at_ms, state, provider_id)
                VALUES (@id, @patient, @a, 2, 'new-message', @number, 0, 0, 1, 'SM1')
                """, ("id", Guid.NewGuid().ToString()), ("patient", patient.ToString()), ("a", clinicA.ToString()), ("number", number));
        }

        var store = new SmsOptOutStore(database);
        Assert.Equal([new NumberHolder(clinicA, patient), new NumberHolder(clinicB, patient)], (await store.HoldersAsync(number)).OrderBy(h => h.ClinicId == clinicB));
        await using (var writer = new GroupCommitWriter(database, 100, NullLogger<GroupCommitWriter>.Instance))
        {
            await writer.WriteAsync(SmsOptOutStore.Stop(number, At));
            await writer.WriteAsync(SmsOptOutStore.Stop(number, At.AddMinutes(1)));
            Assert.True(await store.IsStoppedAsync(number));
            await writer.WriteAsync(SmsOptOutStore.Start(number));
            Assert.False(await store.IsStoppedAsync(number));

            Assert.True(await writer.WriteAsync(DeliveryReportStore.Report(new DeliveryReport("SM1", "undelivered", "30005", null), "twilio_30005", At)));
            Assert.False(await writer.WriteAsync(DeliveryReportStore.Report(new DeliveryReport("SM2", "failed", null, null), null, At)));
        }

        await using var check = new NpgsqlConnection(connectionString);
        await check.OpenAsync();
        await using var row = new NpgsqlCommand("SELECT delivery_status || ' ' || error_code FROM notice_outbox WHERE provider_id = 'SM1'", check);
        Assert.Equal("undelivered twilio_30005", await row.ExecuteScalarAsync());
        await using var audit = new NpgsqlCommand($"SELECT chain || ' ' || outcome FROM audit_log WHERE action = '{AuditActions.NoticeDeliveryReported}'", check);
        Assert.Equal($"{clinicA} {AuditOutcomes.Failure}", await audit.ExecuteScalarAsync());
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, string sql, params (string Name, object Value)[] parameters)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value);
        }

        await command.ExecuteNonQueryAsync();
    }
}
