using System.Data.Common;
using System.Text.Json;
using ClinicChat.Records;

namespace ClinicChat.Conversations;

/// <summary>SQL for the append-only message table and the conversation thread index.</summary>
public sealed class MessageStore(ChatDatabase database)
{
    private const string MessageColumns = "conversation_id, seq, client_message_id, sender_id, sender_kind, sender_name, text, sent_at_ms, attachments_json, cards_json, sensitive";

    private const string InsertMessage =
        $"INSERT INTO messages ({MessageColumns}) VALUES (@conversation, @seq, @client, @sender, @kind, @name, @text, @at, @attachments, @cards, @sensitive)";

    /// <inheritdoc cref="InsertConversationAsync"/>
    public static WriteUnit InsertConversation(ConversationInfo info) => new(scope => InsertConversationAsync(scope, info));

    /// <inheritdoc cref="AppendAsync"/>
    public static WriteUnit Append(MessageView message) => new(scope => AppendAsync(scope, message, null));

    /// <summary>The message, with the thread's response clock after it written by the same update of the thread index.</summary>
    public static WriteUnit Append(MessageView message, ThreadTeam clock) => new(scope => AppendAsync(scope, message, clock));

    /// <inheritdoc cref="MarkAttachmentsSentAsync"/>
    public static WriteUnit MarkAttachmentsSent(IEnumerable<Guid> attachmentIds, bool sensitive) =>
        new(scope => MarkAttachmentsSentAsync(scope, attachmentIds, sensitive));

    /// <summary>Marks a message withdrawn (an overlay: the message row never changes) and the files it carried with it.</summary>
    public static WriteUnit Withdraw(MessageView message, string byUserId, DateTimeOffset at) => new(async scope =>
    {
        var withdraw = scope.Command(
            "INSERT INTO withdrawn_messages (conversation_id, seq, withdrawn_by, at_ms) VALUES (@conversation, @seq, @by, @at)");
        await withdraw.With("@conversation", message.ConversationId).With("@seq", message.Seq).With("@by", byUserId).With("@at", at).ExecuteNonQueryAsync();

        foreach (var attachment in message.Attachments ?? [])
        {
            var withdrawFile = scope.Command("UPDATE attachments SET withdrawn = 1 WHERE id = @id");
            await withdrawFile.With("@id", attachment.Id).ExecuteNonQueryAsync();
        }
    });

    /// <summary>The thread's withdrawn seqs (few: a recall is rare), held by the conversation grain.</summary>
    public async Task<HashSet<long>> ReadWithdrawnAsync(Guid conversationId)
    {
        await using var connection = await database.OpenAsync();
        await using var command = connection.Command("SELECT seq FROM withdrawn_messages WHERE conversation_id = @conversation");
        await using var reader = await command.With("@conversation", conversationId).ExecuteReaderAsync();
        var seqs = new HashSet<long>();
        while (await reader.ReadAsync())
        {
            seqs.Add(reader.GetInt64(0));
        }

        return seqs;
    }

    /// <summary>One stored message by seq, or null.</summary>
    public async Task<MessageView?> ReadOneAsync(Guid conversationId, long seq)
    {
        var (page, _) = await ReadPageAsync(conversationId, seq - 1, null, 1);
        return page.Count == 1 && page[0].Seq == seq ? page[0] : null;
    }

    public static WriteUnit SetArchived(Guid conversationId, bool archived) => new(scope => SetArchivedAsync(scope, conversationId, archived));

    /// <inheritdoc cref="SaveCursorAsync"/>
    public static WriteUnit SaveCursor(Guid conversationId, ReceiptCursor cursor, bool deliveredMoved, bool readMoved, bool sensitiveReadMoved = false) =>
        new(scope => SaveCursorAsync(scope, conversationId, cursor, deliveredMoved, readMoved, sensitiveReadMoved));

    /// <summary>Creates the thread-index row for a new conversation (no-op when it exists).</summary>
    private static async Task InsertConversationAsync(WriteScope scope, ConversationInfo info)
    {
        var command = scope.Command(
            """
            INSERT INTO conversations (id, clinic_id, patient_id, created_at_ms, last_activity_ms, last_seq, archived)
            VALUES (@id, @clinic, @patient, @created, @created, 0, 0)
            ON CONFLICT (id) DO NOTHING
            """);
        await command.With("@id", info.Id).With("@clinic", info.ClinicId).With("@patient", info.PatientId).With("@created", info.CreatedAt).ExecuteNonQueryAsync();
    }

    /// <summary>Appends one message and moves the thread index forward, in the caller's transaction.</summary>
    private static async Task AppendAsync(WriteScope scope, MessageView message, ThreadTeam? clock)
    {
        await scope.Command(InsertMessage)
            .With("@conversation", message.ConversationId)
            .With("@seq", message.Seq)
            .With("@client", message.ClientMessageId)
            .With("@sender", message.SenderId)
            .With("@kind", (int)message.SenderKind)
            .With("@name", message.SenderName)
            .With("@text", message.Text)
            .With("@at", message.SentAt)
            .With("@attachments", message.Attachments is { Count: > 0 } attachments ? JsonSerializer.Serialize(attachments) : null)
            .With("@cards", message.Cards is { Count: > 0 } cards ? JsonSerializer.Serialize(cards) : null)
            .With("@sensitive", message.Sensitive)
            .ExecuteNonQueryAsync();

        var index = scope.Command(
            clock is null
                ? "UPDATE conversations SET last_seq = @seq, last_activity_ms = @at, archived = 0, last_waits = @waits WHERE id = @conversation"
                : "UPDATE conversations SET last_seq = @seq, last_activity_ms = @at, archived = 0, last_waits = @waits, waiting_since_ms = @waiting, episode_started_ms = @episode WHERE id = @conversation");
        index.With("@conversation", message.ConversationId).With("@seq", message.Seq).With("@at", message.SentAt).With("@waits", message.AwaitsReply);
        if (clock is not null)
        {
            index.With("@waiting", clock.WaitingSince).With("@episode", clock.EpisodeStarted);
        }

        await index.ExecuteNonQueryAsync();
    }

    /// <summary>
    /// Files a stored message carries become readable by the thread's other participants (and stay
    /// sensitive once a sensitive message carried them). Written in the message's own commit, so a
    /// file is never shown as sent without the message, nor the message without its files.
    /// </summary>
    private static async Task MarkAttachmentsSentAsync(WriteScope scope, IEnumerable<Guid> attachmentIds, bool sensitive)
    {
        var command = scope.Command(sensitive ? "UPDATE attachments SET sent = 1, sensitive = 1 WHERE id = @id" : "UPDATE attachments SET sent = 1 WHERE id = @id");
        command.With("@id", string.Empty);
        foreach (var id in attachmentIds)
        {
            command.Parameters["@id"].Value = id.ToString();
            await command.ExecuteNonQueryAsync();
        }
    }

    private static async Task SetArchivedAsync(WriteScope scope, Guid conversationId, bool archived)
    {
        var command = scope.Command("UPDATE conversations SET archived = @archived WHERE id = @id");
        await command.With("@id", conversationId).With("@archived", archived).ExecuteNonQueryAsync();
    }

    /// <summary>
    /// Stores a reader's advanced cursors and records each advance with its time. A patient's sensitive-read cursor
    /// lives in its events alone (kind 2; read back as their maximum), so it needed no new column.
    /// </summary>
    private static async Task SaveCursorAsync(
        WriteScope scope, Guid conversationId, ReceiptCursor cursor, bool deliveredMoved, bool readMoved, bool sensitiveReadMoved = false)
    {
        var upsert = scope.Command(
            """
            INSERT INTO receipt_cursors (conversation_id, reader_id, reader_kind, reader_name, delivered_seq, read_seq, updated_at_ms)
            VALUES (@conversation, @reader, @kind, @name, @delivered, @read, @at)
            ON CONFLICT (conversation_id, reader_id) DO UPDATE
               SET delivered_seq = CASE WHEN receipt_cursors.delivered_seq > excluded.delivered_seq THEN receipt_cursors.delivered_seq ELSE excluded.delivered_seq END,
                   read_seq = CASE WHEN receipt_cursors.read_seq > excluded.read_seq THEN receipt_cursors.read_seq ELSE excluded.read_seq END,
                   reader_name = excluded.reader_name, updated_at_ms = excluded.updated_at_ms
            """);
        await upsert.With("@conversation", conversationId).With("@reader", cursor.ReaderId).With("@kind", (int)cursor.ReaderKind)
            .With("@name", cursor.ReaderName).With("@delivered", cursor.DeliveredUpTo).With("@read", cursor.ReadUpTo)
            .With("@at", cursor.UpdatedAt).ExecuteNonQueryAsync();

        var advances = new[]
        {
            (ReceiptKind.Delivered, cursor.DeliveredUpTo, deliveredMoved),
            (ReceiptKind.Read, cursor.ReadUpTo, readMoved),
            (ReceiptKind.SensitiveRead, cursor.SensitiveReadUpTo, sensitiveReadMoved),
        };
        foreach (var (kind, upTo, moved) in advances)
        {
            if (!moved)
            {
                continue;
            }

            var insert = scope.Command(
                "INSERT INTO receipt_events (conversation_id, kind, up_to_seq, reader_id, at_ms) VALUES (@conversation, @kind, @upTo, @reader, @at) ON CONFLICT DO NOTHING");
            await insert.With("@conversation", conversationId).With("@kind", (int)kind).With("@upTo", upTo).With("@reader", cursor.ReaderId)
                .With("@at", cursor.UpdatedAt).ExecuteNonQueryAsync();
        }
    }

    /// <summary>
    /// The first message from <paramref name="from"/> after <paramref name="afterSeq"/> (the other side's read cursor) that was
    /// not withdrawn (nobody is told of a message taken back): when it was sent and whether the message before it came from
    /// the other side (so this one answers it). Null when none.
    /// </summary>
    public async Task<(long Seq, DateTimeOffset SentAt, bool Answers)?> FirstUnreadFromAsync(Guid conversationId, SenderKind from, long afterSeq)
    {
        await using var connection = await database.OpenAsync();
        await using var command = connection.Command(
            """
            SELECT m.seq, m.sent_at_ms,
                   (SELECT p.sender_kind FROM messages p WHERE p.conversation_id = m.conversation_id AND p.seq = m.seq - 1)
              FROM messages m
             WHERE m.conversation_id = @conversation AND m.seq > @after AND m.sender_kind = @kind
               AND NOT EXISTS (SELECT 1 FROM withdrawn_messages w WHERE w.conversation_id = m.conversation_id AND w.seq = m.seq)
             ORDER BY m.seq LIMIT 1
            """);
        command.With("@conversation", conversationId).With("@after", afterSeq).With("@kind", (int)from);
        await using var reader = await command.ExecuteReaderAsync();
        return await reader.ReadAsync()
            ? (reader.GetInt64(0), DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(1)), !reader.IsDBNull(2) && reader.GetInt64(2) != (int)from)
            : null;
    }

    public async Task<IReadOnlyList<ReceiptCursor>> ReadCursorsAsync(Guid conversationId)
    {
        await using var connection = await database.OpenAsync();
        await using var command = connection.Command(
            """
            SELECT c.reader_id, c.reader_kind, c.reader_name, c.delivered_seq, c.read_seq, c.updated_at_ms,
                   COALESCE((SELECT MAX(e.up_to_seq) FROM receipt_events e
                              WHERE e.conversation_id = c.conversation_id AND e.kind = 2 AND e.reader_id = c.reader_id), 0) AS sensitive_read_seq
              FROM receipt_cursors c
             WHERE c.conversation_id = @conversation
            """);
        await using var reader = await command.With("@conversation", conversationId).ExecuteReaderAsync();
        var cursors = new List<ReceiptCursor>();
        while (await reader.ReadAsync())
        {
            cursors.Add(new ReceiptCursor(
                reader.GetString(0), (SenderKind)reader.GetInt64(1), reader.GetString(2), reader.GetInt64(3), reader.GetInt64(4),
                DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(5)), reader.GetInt64(6)));
        }

        return cursors;
    }

    /// <summary>
    /// The read advances that answer "who read seq first..last, and when": every advance inside the
    /// range, plus each reader's first advance beyond it. Cursors only move forward, so a message's
    /// read time for a reader is that of their first advance at or past its seq. Read and sensitive-read
    /// advances both (a patient's sensitive message is read when the second kind reaches it).
    /// Both halves go reader by reader (a thread's readers are its cursor rows) through the events' key, which starts
    /// with the reader: an old page of a long thread costs a few seeks, not a walk over every advance after it. CROSS JOIN
    /// makes SQLite take the readers first, whatever its statistics say: left to choose, it walked the thread's every
    /// advance and looked each one's reader up (PostgreSQL plans it as an ordinary join).
    /// </summary>
    public async Task<IReadOnlyList<(string ReaderId, ReceiptKind Kind, long UpTo, DateTimeOffset At)>> ReadAdvancesAsync(Guid conversationId, long firstSeq, long lastSeq)
    {
        await using var connection = await database.OpenAsync();
        await using var command = connection.Command(
            """
            SELECT e.reader_id, e.kind, e.up_to_seq, e.at_ms
              FROM receipt_cursors r
             CROSS JOIN receipt_events e
             WHERE r.conversation_id = @conversation AND e.conversation_id = r.conversation_id AND e.reader_id = r.reader_id
               AND e.kind IN (1, 2) AND e.up_to_seq BETWEEN @first AND @last
            UNION ALL
            SELECT e.reader_id, e.kind, e.up_to_seq, e.at_ms
              FROM receipt_cursors r
             CROSS JOIN (SELECT 1 AS kind UNION ALL SELECT 2) k
             CROSS JOIN receipt_events e
             WHERE r.conversation_id = @conversation AND e.conversation_id = r.conversation_id AND e.reader_id = r.reader_id
               AND e.kind = k.kind
               AND e.up_to_seq = (SELECT MIN(f.up_to_seq) FROM receipt_events f
                                   WHERE f.conversation_id = r.conversation_id AND f.reader_id = r.reader_id AND f.kind = k.kind
                                     AND f.up_to_seq > @last)
            """);
        await using var reader = await command.With("@conversation", conversationId).With("@first", firstSeq).With("@last", lastSeq).ExecuteReaderAsync();
        var advances = new List<(string, ReceiptKind, long, DateTimeOffset)>();
        while (await reader.ReadAsync())
        {
            advances.Add((reader.GetString(0), (ReceiptKind)reader.GetInt64(1), reader.GetInt64(2), DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(3))));
        }

        return advances;
    }

    /// <summary>The newest message's seq and time: what an activating conversation grain continues from.</summary>
    public async Task<(long Seq, DateTimeOffset SentAt)?> ReadTailAsync(Guid conversationId)
    {
        await using var connection = await database.OpenAsync();
        await using var command = connection.Command(
            "SELECT seq, sent_at_ms FROM messages WHERE conversation_id = @conversation ORDER BY seq DESC LIMIT 1");
        await using var reader = await command.With("@conversation", conversationId).ExecuteReaderAsync();
        return await reader.ReadAsync() ? (reader.GetInt64(0), DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(1))) : null;
    }

    /// <summary>When <paramref name="senderId"/> last wrote in the thread (an index range over that sender's messages only).</summary>
    public async Task<DateTimeOffset?> LastSentByAsync(Guid conversationId, string senderId)
    {
        await using var connection = await database.OpenAsync();
        await using var command = connection.Command("SELECT MAX(sent_at_ms) FROM messages WHERE conversation_id = @conversation AND sender_id = @sender");
        return await command.With("@conversation", conversationId).With("@sender", senderId).ExecuteScalarAsync() is { } ms and not DBNull
            ? DateTimeOffset.FromUnixTimeMilliseconds(Convert.ToInt64(ms, System.Globalization.CultureInfo.InvariantCulture))
            : null;
    }

    public async Task<MessageView?> FindByClientIdAsync(Guid conversationId, string senderId, string clientMessageId)
    {
        await using var connection = await database.OpenAsync();
        await using var command = connection.Command(
            $"SELECT {MessageColumns} FROM messages WHERE conversation_id = @conversation AND sender_id = @sender AND client_message_id = @client");
        await using var reader = await command.With("@conversation", conversationId).With("@sender", senderId).With("@client", clientMessageId).ExecuteReaderAsync();
        return await reader.ReadAsync() ? ReadMessage(reader) : null;
    }

    /// <summary>
    /// A page in seq order: after <paramref name="afterSeq"/> (oldest first), before <paramref name="beforeSeq"/>,
    /// or the newest when neither is given. Reads <paramref name="limit"/> + 1 rows to know whether more exist.
    /// </summary>
    public async Task<(IReadOnlyList<MessageView> Messages, bool HasMore)> ReadPageAsync(Guid conversationId, long? afterSeq, long? beforeSeq, int limit)
    {
        var ascending = afterSeq is not null;
        var where = "conversation_id = @conversation"
            + (afterSeq is not null ? " AND seq > @after" : string.Empty)
            + (beforeSeq is not null ? " AND seq < @before" : string.Empty);
        await using var connection = await database.OpenAsync();
        await using var command = connection.Command(
            $"SELECT {MessageColumns} FROM messages WHERE {where} ORDER BY seq {(ascending ? "ASC" : "DESC")} LIMIT @limit");
        command.With("@conversation", conversationId).With("@limit", limit + 1);
        if (afterSeq is not null)
        {
            command.With("@after", afterSeq.Value);
        }

        if (beforeSeq is not null)
        {
            command.With("@before", beforeSeq.Value);
        }

        var messages = new List<MessageView>(limit + 1);
        await using (var reader = await command.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                messages.Add(ReadMessage(reader));
            }
        }

        var hasMore = messages.Count > limit;
        if (hasMore)
        {
            messages.RemoveAt(messages.Count - 1);
        }

        if (!ascending)
        {
            messages.Reverse();
        }

        return (messages, hasMore);
    }

    private static MessageView ReadMessage(DbDataReader reader) => new(
        reader.GetGuid("conversation_id"),
        reader.GetLong("seq"),
        reader.GetString(reader.GetOrdinal("client_message_id")),
        reader.GetString(reader.GetOrdinal("sender_id")),
        (SenderKind)reader.GetLong("sender_kind"),
        reader.GetString(reader.GetOrdinal("sender_name")),
        reader.GetString(reader.GetOrdinal("text")),
        reader.GetTime("sent_at_ms"),
        reader.GetNullableString("attachments_json") is { } json ? JsonSerializer.Deserialize<List<AttachmentRef>>(json) : null,
        reader.GetNullableString("cards_json") is { } cards ? JsonSerializer.Deserialize<List<CardRef>>(cards) : null,
        reader.GetFlag("sensitive"));
}
