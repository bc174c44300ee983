using System.Data.Common;
using System.Text.Json;

namespace ClinicChat.Conversations;

/// <summary>
/// SQL for the team's side of a thread: its status and assignee (columns of the thread index, so the sidebar's lists
/// filter on them) and the lines only staff see (<c>staff_items</c>, append-only).
/// </summary>
public sealed class TeamStore(ChatDatabase database)
{
    /// <summary>Items one message page carries at most (notes are rare; a thread with more between two messages shows the first ones).</summary>
    public const int MaxItemsPerPage = 500;

    private const string ItemColumns = "conversation_id, item_seq, after_seq, kind, actor_id, actor_name, at_ms, change_json, text, client_id, mentions_json";

    public static WriteUnit SetTeam(Guid conversationId, ThreadTeam team) => new(async scope =>
    {
        var command = scope.Command(
            "UPDATE conversations SET status = @status, assignee_id = @assignee, waiting_since_ms = @waiting, episode_started_ms = @episode, topic = @topic WHERE id = @id");
        await command.With("@id", conversationId).With("@status", (int)team.Status).With("@assignee", team.AssigneeId).With("@topic", (int)team.Topic)
            .With("@waiting", team.WaitingSince).With("@episode", team.EpisodeStarted).ExecuteNonQueryAsync();
    });

    public static WriteUnit Append(StaffItem item, string? clientId = null) => new(async scope =>
    {
        var command = scope.Command(
            $"INSERT INTO staff_items ({ItemColumns}) VALUES (@conversation, @seq, @after, @kind, @actor, @name, @at, @change, @text, @client, @mentions)");
        await command
            .With("@conversation", item.ConversationId)
            .With("@seq", item.ItemSeq)
            .With("@after", item.AfterSeq)
            .With("@kind", (int)item.Kind)
            .With("@actor", item.ActorId)
            .With("@name", item.ActorName)
            .With("@at", item.At)
            .With("@change", item.Change is { } change ? JsonSerializer.Serialize(change) : null)
            .With("@text", item.Text)
            .With("@client", clientId)
            .With("@mentions", item.Mentions is { Count: > 0 } mentions ? JsonSerializer.Serialize(mentions) : null)
            .ExecuteNonQueryAsync();
    });

    /// <summary>What an activating conversation grain continues from: the team's state and the last item's seq.</summary>
    public async Task<(ThreadTeam Team, long LastItemSeq)> ReadAsync(Guid conversationId)
    {
        await using var connection = await database.OpenAsync();
        await using var command = connection.Command(
            """
            SELECT c.status, c.assignee_id, u."DisplayName" AS assignee_name, c.waiting_since_ms, c.episode_started_ms, c.topic,
                   COALESCE((SELECT MAX(i.item_seq) FROM staff_items i WHERE i.conversation_id = c.id), 0) AS last_item_seq
              FROM conversations c
              LEFT JOIN "AspNetUsers" u ON u."Id" = c.assignee_id
             WHERE c.id = @id
            """);
        await using var reader = await command.With("@id", conversationId).ExecuteReaderAsync();
        if (!await reader.ReadAsync())
        {
            return (ThreadTeam.New, 0);
        }

        var assignee = reader.GetNullableString("assignee_id");
        return (new ThreadTeam((ThreadStatus)reader.GetLong("status"), assignee, assignee is null ? null : reader.GetNullableString("assignee_name"),
            reader.GetNullableTime("waiting_since_ms"), reader.GetNullableTime("episode_started_ms"), Topic: (ThreadTopic)reader.GetLong("topic")), reader.GetLong("last_item_seq"));
    }

    /// <summary>The items that follow messages <paramref name="fromAfterSeq"/> to <paramref name="toAfterSeq"/> (null: no end), in order.</summary>
    public async Task<IReadOnlyList<StaffItem>> ReadRangeAsync(Guid conversationId, long fromAfterSeq, long? toAfterSeq)
    {
        await using var connection = await database.OpenAsync();
        await using var command = connection.Command(
            $"""
            SELECT {ItemColumns} FROM staff_items
             WHERE conversation_id = @conversation AND after_seq >= @from{(toAfterSeq is null ? string.Empty : " AND after_seq <= @to")}
             ORDER BY item_seq LIMIT @limit
            """);
        command.With("@conversation", conversationId).With("@from", fromAfterSeq).With("@limit", MaxItemsPerPage);
        if (toAfterSeq is { } to)
        {
            command.With("@to", to);
        }

        var items = new List<StaffItem>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            items.Add(ReadItem(reader));
        }

        return items;
    }

    /// <summary>A note stored under this writer's client id (a retry that reached a fresh activation, or raced the first).</summary>
    public async Task<StaffItem?> FindNoteAsync(Guid conversationId, string actorId, string clientId)
    {
        await using var connection = await database.OpenAsync();
        await using var command = connection.Command(
            $"SELECT {ItemColumns} FROM staff_items WHERE conversation_id = @conversation AND actor_id = @actor AND client_id = @client");
        await using var reader = await command.With("@conversation", conversationId).With("@actor", actorId).With("@client", clientId).ExecuteReaderAsync();
        return await reader.ReadAsync() ? ReadItem(reader) : null;
    }

    private static StaffItem ReadItem(DbDataReader reader) => new(
        reader.GetGuid("conversation_id"),
        reader.GetLong("item_seq"),
        reader.GetLong("after_seq"),
        (StaffItemKind)reader.GetLong("kind"),
        reader.GetString(reader.GetOrdinal("actor_id")),
        reader.GetString(reader.GetOrdinal("actor_name")),
        reader.GetTime("at_ms"),
        reader.GetNullableString("change_json") is { } json ? JsonSerializer.Deserialize<TeamChange>(json) : null,
        reader.GetNullableString("text"),
        reader.GetNullableString("mentions_json") is { } mentions ? JsonSerializer.Deserialize<List<Mention>>(mentions) : null);
}
