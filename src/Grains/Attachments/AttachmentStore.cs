namespace ClinicChat.Attachments;

/// <summary>The <c>attachments</c> table: one row per stored file (its bytes live in the blob store).</summary>
public static class AttachmentStore
{
    public static WriteUnit Insert(AttachmentInfo attachment) => new(scope => InsertAsync(scope, attachment));

    public static async Task<AttachmentInfo?> LoadAsync(ChatDatabase database, Guid id, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.Command(
            "SELECT conversation_id, uploader_id, content_type, extension, size_bytes, sha256, created_at_ms, display_name, sensitive, sent, withdrawn FROM attachments WHERE id = @id");
        await using var reader = await command.With("@id", id).ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken)
            ? new AttachmentInfo(id, Guid.Parse(reader.GetString(0)), reader.GetString(1), reader.GetString(2), reader.GetString(3),
                reader.GetInt64(4), reader.GetString(5), DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(6)), reader.GetString(7),
                reader.GetInt64(8) != 0, reader.GetInt64(9) != 0, reader.GetInt64(10) != 0)
            : null;
    }

    private static async Task InsertAsync(WriteScope scope, AttachmentInfo a)
    {
        var command = scope.Command(
            """
            INSERT INTO attachments (id, conversation_id, uploader_id, content_type, extension, size_bytes, sha256, created_at_ms, display_name, sent)
            VALUES (@id, @conversation, @uploader, @type, @extension, @size, @sha, @at, @name, 0)
            """);
        await command.With("@id", a.Id).With("@conversation", a.ConversationId).With("@uploader", a.UploaderId).With("@type", a.ContentType)
            .With("@extension", a.Extension).With("@size", a.SizeBytes).With("@sha", a.Sha256).With("@at", a.CreatedAt).With("@name", a.DisplayName).ExecuteNonQueryAsync();
    }
}
