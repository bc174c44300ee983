using System.Data.Common;
using System.Globalization;
using Microsoft.Extensions.Options;
using Orleans.Configuration;

namespace ClinicChat.Storage;

/// <summary>
/// Durable reminders for embedded mode. Orleans ships ADO.NET reminder providers for server databases
/// only, so SQLite needs this table of our own. Rows are addressed by grain id; the silo's reminder
/// service reads the hash range it owns (a ring range may wrap around zero).
/// </summary>
public sealed class SqliteReminderTable(ChatDatabase database, IOptions<ClusterOptions> clusterOptions) : IReminderTable
{
    private readonly string _serviceId = clusterOptions.Value.ServiceId;

    public Task StartAsync(CancellationToken cancellationToken = default) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken = default) => Task.CompletedTask;

    public Task<ReminderTableData> ReadRows(GrainId grainId) =>
        QueryAsync("grain_id = @grain", command => command.With("@grain", grainId.ToString()));

    public Task<ReminderTableData> ReadRows(uint begin, uint end) =>
        begin < end
            ? QueryAsync("grain_hash > @begin AND grain_hash <= @end", command => command.With("@begin", (long)begin).With("@end", (long)end))
            : QueryAsync("(grain_hash > @begin OR grain_hash <= @end)", command => command.With("@begin", (long)begin).With("@end", (long)end));

    public async Task<ReminderEntry?> ReadRow(GrainId grainId, string reminderName)
    {
        var rows = await QueryAsync(
            "grain_id = @grain AND reminder_name = @name",
            command => command.With("@grain", grainId.ToString()).With("@name", reminderName));
        return rows.Reminders.FirstOrDefault();
    }

    public async Task<string?> UpsertRow(ReminderEntry entry)
    {
        await using var connection = await database.OpenAsync();
        await using var command = connection.Command(
            """
            INSERT INTO reminders (service_id, grain_id, reminder_name, start_at_ms, period_ms, grain_hash, etag)
            VALUES (@service, @grain, @name, @start, @period, @hash, 1)
            ON CONFLICT (service_id, grain_id, reminder_name) DO UPDATE
               SET start_at_ms = excluded.start_at_ms, period_ms = excluded.period_ms, etag = reminders.etag + 1
            RETURNING etag
            """);
        var etag = await command
            .With("@service", _serviceId)
            .With("@grain", entry.GrainId.ToString())
            .With("@name", entry.ReminderName)
            .With("@start", new DateTimeOffset(DateTime.SpecifyKind(entry.StartAt, DateTimeKind.Utc)).ToUnixTimeMilliseconds())
            .With("@period", (long)entry.Period.TotalMilliseconds)
            .With("@hash", (long)entry.GrainId.GetUniformHashCode())
            .ExecuteScalarAsync();
        return Convert.ToInt64(etag, CultureInfo.InvariantCulture).ToString(CultureInfo.InvariantCulture);
    }

    public async Task<bool> RemoveRow(GrainId grainId, string reminderName, string eTag)
    {
        await using var connection = await database.OpenAsync();
        await using var command = connection.Command(
            "DELETE FROM reminders WHERE service_id = @service AND grain_id = @grain AND reminder_name = @name AND etag = @etag");
        var removed = await command
            .With("@service", _serviceId)
            .With("@grain", grainId.ToString())
            .With("@name", reminderName)
            .With("@etag", long.Parse(eTag, CultureInfo.InvariantCulture))
            .ExecuteNonQueryAsync();
        return removed > 0;
    }

    public async Task TestOnlyClearTable()
    {
        await using var connection = await database.OpenAsync();
        await using var command = connection.Command("DELETE FROM reminders WHERE service_id = @service");
        await command.With("@service", _serviceId).ExecuteNonQueryAsync();
    }

    private async Task<ReminderTableData> QueryAsync(string where, Action<DbCommand> bind)
    {
        await using var connection = await database.OpenAsync();
        await using var command = connection.Command(
            $"SELECT grain_id, reminder_name, start_at_ms, period_ms, etag FROM reminders WHERE service_id = @service AND {where}");
        command.With("@service", _serviceId);
        bind(command);
        await using var reader = await command.ExecuteReaderAsync();
        var entries = new List<ReminderEntry>();
        while (await reader.ReadAsync())
        {
            entries.Add(new ReminderEntry
            {
                GrainId = GrainId.Parse(reader.GetString(0)),
                ReminderName = reader.GetString(1),
                StartAt = DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(2)).UtcDateTime,
                Period = TimeSpan.FromMilliseconds(reader.GetInt64(3)),
                ETag = reader.GetInt64(4).ToString(CultureInfo.InvariantCulture),
            });
        }

        return new ReminderTableData(entries);
    }
}
