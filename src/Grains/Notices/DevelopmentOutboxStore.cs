namespace ClinicChat.Notices;

/// <summary>The development outbox's one query (a clinic's latest notice_outbox rows) and how a row reads to its recipient.</summary>
public static class DevelopmentOutboxStore
{
    public sealed record Row(Guid Id, DateTimeOffset DecidedAt, NoticeChannel Channel, string Template, string? Address, string? Link, string? Code, int State);

    public static async Task<IReadOnlyList<Row>> LatestAsync(ChatDatabase database, Guid clinicId, int limit)
    {
        await using var connection = await database.OpenAsync();
        await using var command = connection.Command(
            """
            SELECT id, decided_at_ms, channel, template, address, link, code, state FROM notice_outbox
             WHERE clinic_id = @clinic
             ORDER BY decided_at_ms DESC, id
             LIMIT @limit
            """);
        await using var reader = await command.With("@clinic", clinicId).With("@limit", limit).ExecuteReaderAsync();
        var rows = new List<Row>();
        while (await reader.ReadAsync())
        {
            rows.Add(new Row(
                reader.GetGuid("id"),
                reader.GetTime("decided_at_ms"),
                (NoticeChannel)reader.GetLong("channel"),
                reader.GetString(reader.GetOrdinal("template")),
                reader.GetNullableString("address"),
                reader.GetNullableString("link"),
                reader.GetNullableString("code"),
                (int)reader.GetLong("state")));
        }

        return rows;
    }

    /// <summary>The row as its recipient would read it, worded by <see cref="NoticeText"/> like the real senders; the address masked.</summary>
    public static DevelopmentOutboxEntry Render(Row row, string clinicName)
    {
        var masked = row.Address is null ? null : ContactMasks.Mask(row.Channel, row.Address);
        var notice = new OutgoingNotice(row.Id, row.Channel, row.Template, row.Address ?? string.Empty, clinicName, row.Link, row.Code, null, Attempt: 1);
        var (subject, text) = Words(notice);
        return new DevelopmentOutboxEntry(row.Id, row.DecidedAt, row.Channel, row.Template, masked, StateName(row.State), subject, text);
    }

    /// <summary>A decision that sent nothing has no words; nor has a template its channel has no wording for.</summary>
    private static (string? Subject, string? Text) Words(OutgoingNotice notice)
    {
        try
        {
            return notice.Channel switch
            {
                NoticeChannel.Email => (NoticeText.Subject(notice), NoticeText.Body(notice)),
                NoticeChannel.Sms => (null, NoticeText.Sms(notice)),
                _ => (null, null),
            };
        }
        catch (ArgumentOutOfRangeException)
        {
            return (null, null);
        }
    }

    private static string StateName(int state) => Enum.IsDefined((NoticeState)state) ? ((NoticeState)state).ToString().ToLowerInvariant() : $"state {state}";
}
