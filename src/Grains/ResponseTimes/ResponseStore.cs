using ClinicChat.Conversations;

namespace ClinicChat.ResponseTimes;

/// <summary>SQL for measured waits (the response_times table): written in the commit that ends a wait, read by the Admin's report.</summary>
public sealed class ResponseStore(ChatDatabase database)
{
    /// <summary>A retried commit (same thread, kind and start) is stored once.</summary>
    public static WriteUnit Record(Guid conversationId, Guid clinicId, ResponseSample sample, TimeSpan office) => new(async scope =>
    {
        var command = scope.Command(
            """
            INSERT INTO response_times (conversation_id, kind, started_at_ms, clinic_id, ended_at_ms, office_ms)
            VALUES (@conversation, @kind, @started, @clinic, @ended, @office)
            ON CONFLICT (conversation_id, kind, started_at_ms) DO NOTHING
            """);
        await command.With("@conversation", conversationId).With("@kind", (int)sample.Kind).With("@started", sample.StartedAt).With("@clinic", clinicId)
            .With("@ended", sample.EndedAt).With("@office", (long)office.TotalMilliseconds).ExecuteNonQueryAsync();
    });

    /// <summary>The clinic's first answers and resolutions that ended from <paramref name="from"/> on.</summary>
    public async Task<List<(ResponseKind Kind, DateTimeOffset EndedAt, TimeSpan Office)>> ReadAsync(Guid clinicId, DateTimeOffset from)
    {
        await using var connection = await database.OpenAsync();
        await using var command = connection.Command(
            "SELECT kind, ended_at_ms, office_ms FROM response_times WHERE clinic_id = @clinic AND ended_at_ms >= @from AND kind <> @reply");
        await using var reader = await command.With("@clinic", clinicId).With("@from", from).With("@reply", (int)ResponseKind.Reply).ExecuteReaderAsync();
        var rows = new List<(ResponseKind, DateTimeOffset, TimeSpan)>();
        while (await reader.ReadAsync())
        {
            rows.Add(((ResponseKind)reader.GetInt64(0), DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(1)), TimeSpan.FromMilliseconds(reader.GetInt64(2))));
        }

        return rows;
    }
}
