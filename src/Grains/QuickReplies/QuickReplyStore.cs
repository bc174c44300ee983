namespace ClinicChat.QuickReplies;

/// <summary>SQL for quick replies. Deleting one removes its row: a template is the clinic's wording, not health data, and its audit rows remain.</summary>
public sealed class QuickReplyStore(ChatDatabase database)
{
    /// <summary>Every reply of one clinic, the clinic's and each staff member's.</summary>
    public async Task<List<QuickReply>> ListAsync(Guid clinicId)
    {
        await using var connection = await database.OpenAsync();
        await using var command = connection.Command(
            "SELECT id, clinic_id, owner_id, shortcut, text, updated_at_ms FROM quick_replies WHERE clinic_id = @clinic");
        await using var reader = await command.With("@clinic", clinicId).ExecuteReaderAsync();
        var replies = new List<QuickReply>();
        while (await reader.ReadAsync())
        {
            replies.Add(new QuickReply(
                reader.GetGuid("id"), reader.GetGuid("clinic_id"), reader.GetNullableString("owner_id"),
                reader.GetString(reader.GetOrdinal("shortcut")), reader.GetString(reader.GetOrdinal("text")), reader.GetTime("updated_at_ms")));
        }

        return replies;
    }

    public static WriteUnit Save(QuickReply reply) => new(async scope =>
    {
        var command = scope.Command(
            """
            INSERT INTO quick_replies (id, clinic_id, owner_id, shortcut, text, updated_at_ms)
            VALUES (@id, @clinic, @owner, @shortcut, @text, @at)
            ON CONFLICT (id) DO UPDATE SET shortcut = excluded.shortcut, text = excluded.text, updated_at_ms = excluded.updated_at_ms
            """);
        await command.With("@id", reply.Id).With("@clinic", reply.ClinicId).With("@owner", reply.OwnerId).With("@shortcut", reply.Shortcut)
            .With("@text", reply.Text).With("@at", reply.UpdatedAt).ExecuteNonQueryAsync();
    });

    public static WriteUnit Delete(Guid id) => new(async scope =>
    {
        var command = scope.Command("DELETE FROM quick_replies WHERE id = @id");
        await command.With("@id", id).ExecuteNonQueryAsync();
    });
}
