using System.Globalization;
using System.Text.Json;
using ClinicChat.Conversations;
using ClinicChat.Patients;

namespace ClinicChat.Inbox;

/// <summary>
/// Which threads to list, for whom. Unread counts are the other side's messages after the reader's cursor, withdrawn ones not counted.
/// <c>OnlyWithMessages</c> leaves out threads nobody has written in yet (patients see a thread from its first message).
/// <c>List</c> (staff): one of the sidebar's lists, which then decides archived, status and assignee. A staff reader's
/// rows carry the thread's status and assignee; a patient's never do.
/// </summary>
public sealed record ThreadFilter(
    IReadOnlyCollection<Guid>? ClinicIds,
    Guid? PatientId,
    string ReaderId,
    SenderKind UnreadFrom,
    bool? Archived,
    string? Search,
    IReadOnlyCollection<Guid>? OnlyIds,
    IReadOnlyCollection<Guid>? ExceptIds,
    ThreadCursor? After,
    int Limit,
    bool OnlyWithMessages = false,
    ThreadList? List = null,
    IReadOnlyCollection<Guid>? BillingClinicIds = null)
{
    /// <summary>Staff read the patient's messages as unread; their rows carry the team's state.</summary>
    public bool ForStaff => UnreadFrom == SenderKind.Patient;
}

/// <summary>Keyset position in the recency order (last activity, then id).</summary>
public sealed record ThreadCursor(long LastActivityMs, Guid Id)
{
    public override string ToString() => $"{LastActivityMs.ToString(CultureInfo.InvariantCulture)}_{Id:N}";

    public static bool TryParse(string? text, out ThreadCursor? cursor)
    {
        cursor = null;
        if (text is null)
        {
            return true;
        }

        var parts = text.Split('_');
        if (parts.Length == 2 && long.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var ms) && Guid.TryParseExact(parts[1], "N", out var id))
        {
            cursor = new ThreadCursor(ms, id);
            return true;
        }

        return false;
    }
}

/// <summary>Reads the thread index for sidebars and inboxes: one indexed query per page, whatever the history size.</summary>
public sealed class ThreadIndexStore(ChatDatabase database)
{
    /// <summary>Unread counts stop at this value; the UI shows "99+".</summary>
    public const int UnreadCap = 100;

    public async Task<(IReadOnlyList<ThreadSummary> Threads, ThreadCursor? Next)> ListAsync(ThreadFilter filter, ISet<Guid> pinned, ISet<Guid> muted)
    {
        await using var connection = await database.OpenAsync();
        await using var command = connection.CreateCommand();
        var where = new List<string>();
        if (filter.Archived is { } archived)
        {
            where.Add("c.archived = @archived");
            command.With("@archived", archived);
        }

        if (filter.OnlyWithMessages)
        {
            where.Add("c.last_seq > 0");
        }

        if (filter.List is { } list)
        {
            AddListConditions(where, command, list, filter.ReaderId);
        }

        command.With("@reader", filter.ReaderId).With("@unreadFrom", (int)filter.UnreadFrom)
            .With("@cap", UnreadCap).With("@limit", filter.Limit + 1);
        var scopes = filter.ClinicIds is null ? [new ClinicScope("1 = 1", "c.clinic_id")] : ClinicScopes(command, filter.ClinicIds, filter.BillingClinicIds ?? []);
        if (scopes.Count == 0)
        {
            return ([], null);
        }

        if (filter.PatientId is { } patientId)
        {
            where.Add("c.patient_id = @patient");
            command.With("@patient", patientId);
        }

        if (filter.OnlyIds is not null)
        {
            AddInList(where, command, "c.id", "only", filter.OnlyIds);
        }

        if (filter.ExceptIds is { Count: > 0 })
        {
            var names = filter.ExceptIds.Select((id, i) => { command.With($"@except{i}", id); return $"@except{i}"; });
            where.Add($"c.id NOT IN ({string.Join(", ", names)})");
        }

        var words = PatientNameIndex.BindWords(command, filter.Search);
        if (filter.After is { } after)
        {
            // The first term bounds the index range; the second is the exact keyset position.
            where.Add("c.last_activity_ms <= @afterMs AND (c.last_activity_ms < @afterMs OR c.id < @afterId)");
            command.With("@afterMs", after.LastActivityMs).With("@afterId", after.Id);
        }

        // The page's threads first: per clinic scope, the newest matching threads in the index's own order, up to a page
        // each; then the newest of those. One IN list over several clinics (or a clinic OR its billing threads) could
        // not be read in order from the index, so every matching thread of those clinics was joined, counted and sorted
        // before the page was cut. The thread's other columns, its last message and its unread count are read for the
        // page's rows only. A name search names the clinic's matching patients once per scope: probing the name index per
        // thread walked every thread of the clinic for a name that few or none have.
        var conditions = string.Concat(where.Select(condition => " AND " + condition));
        var page = PerScope(scopes, scope =>
        {
            var byName = words.Count == 0 ? "" : $" AND c.patient_id IN ({PatientNameIndex.PatientsMatching(scope.Clinic, words.Count)})";
            return $"SELECT c.id AS page_id FROM conversations c WHERE {scope.Condition}{conditions}{byName} ORDER BY c.last_activity_ms DESC, c.id DESC LIMIT @limit";
        });
        command.CommandText =
            $"""
            SELECT c.id, c.clinic_id, cl.name AS clinic_name, c.patient_id, p.display_name AS patient_name,
                   c.last_seq, c.last_activity_ms, c.archived, m.text AS last_text, m.attachments_json AS last_attachments, m.sender_kind AS last_kind, m.sender_id AS last_sender_id, m.sensitive AS last_sensitive,
                   c.status, c.assignee_id, au."DisplayName" AS assignee_name, c.waiting_since_ms, c.topic, CASE WHEN w.seq IS NULL THEN 0 ELSE 1 END AS last_withdrawn,
                   CASE WHEN p.portal_user_id IS NULL THEN 0 ELSE 1 END AS has_portal, {ClinicChatStore.OptInOf("c.patient_id", "c.clinic_id")} AS chat_opt_in,
                   (SELECT COUNT(*) FROM (SELECT 1 FROM messages u
                      WHERE u.conversation_id = c.id AND u.sender_kind = @unreadFrom
                        AND u.seq > COALESCE((SELECT rc.read_seq FROM receipt_cursors rc WHERE rc.conversation_id = c.id AND rc.reader_id = @reader), 0)
                        AND NOT EXISTS (SELECT 1 FROM withdrawn_messages wu WHERE wu.conversation_id = u.conversation_id AND wu.seq = u.seq)
                      LIMIT @cap) AS unread_rows) AS unread
              FROM ({page}) AS page
              JOIN conversations c ON c.id = page.page_id
              JOIN clinics cl ON cl.id = c.clinic_id
              JOIN patients p ON p.id = c.patient_id
              LEFT JOIN messages m ON m.conversation_id = c.id AND m.seq = c.last_seq
              LEFT JOIN "AspNetUsers" au ON au."Id" = c.assignee_id
              LEFT JOIN withdrawn_messages w ON w.conversation_id = c.id AND w.seq = c.last_seq
             ORDER BY c.last_activity_ms DESC, c.id DESC
             LIMIT @limit
            """;
        var threads = new List<ThreadSummary>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            var id = reader.GetGuid("id");
            var lastText = reader.GetNullableString("last_text");
            // NULL for a thread without messages yet.
            var sensitiveOrdinal = reader.GetOrdinal("last_sensitive");
            var sensitive = !reader.IsDBNull(sensitiveOrdinal) && reader.GetFlag("last_sensitive");
            // Files are read only for a message without text: the only case in which the preview names them.
            var attachments = string.IsNullOrWhiteSpace(lastText) && reader.GetNullableString("last_attachments") is { } json
                ? JsonSerializer.Deserialize<List<AttachmentRef>>(json)
                : null;
            var preview = reader.GetFlag("last_withdrawn") ? ThreadPreview.Withdrawn : ThreadPreview.Of(lastText, sensitive, attachments);

            var lastKindOrdinal = reader.GetOrdinal("last_kind");
            threads.Add(new ThreadSummary(
                id,
                reader.GetGuid("clinic_id"),
                reader.GetString(reader.GetOrdinal("clinic_name")),
                reader.GetGuid("patient_id"),
                reader.GetString(reader.GetOrdinal("patient_name")),
                reader.GetLong("last_seq"),
                reader.GetTime("last_activity_ms"),
                preview,
                reader.IsDBNull(lastKindOrdinal) ? null : (SenderKind)reader.GetInt64(lastKindOrdinal),
                (int)reader.GetLong("unread"),
                reader.GetFlag("archived"),
                pinned.Contains(id),
                muted.Contains(id),
                reader.GetFlag("has_portal"),
                reader.GetFlag("chat_opt_in"),
                Team: filter.ForStaff ? TeamOf(reader) : null,
                LastAutomatic: reader.GetNullableString("last_sender_id") == AutomaticReply.SenderId,
                Topic: (ThreadTopic)reader.GetLong("topic")));
        }

        if (threads.Count <= filter.Limit)
        {
            return (threads, null);
        }

        threads.RemoveAt(threads.Count - 1);
        var last = threads[^1];
        return (threads, new ThreadCursor(last.LastActivityAt.ToUnixTimeMilliseconds(), last.ConversationId));
    }

    /// <summary>
    /// How many of the clinics' threads wait for a reply: neither archived nor closed, and the last message is the
    /// patient's or the clinic's automatic reply to them (a range of the partial index over such threads, per clinic;
    /// capped, the sidebar shows "999+").
    /// </summary>
    public async Task<int> CountNeedingReplyAsync(IReadOnlyCollection<Guid> clinicIds, IReadOnlyCollection<Guid>? billingClinicIds = null)
    {
        await using var connection = await database.OpenAsync();
        await using var command = connection.CreateCommand();
        var scopes = ClinicScopes(command, clinicIds, billingClinicIds ?? []);
        if (scopes.Count == 0)
        {
            return 0;
        }

        // Per clinic scope, as the page is (one OR over the scopes is not read from the partial index).
        command.With("@cap", ThreadPage.NeedsReplyCap);
        var waiting = PerScope(scopes, scope => $"SELECT 1 AS waits FROM conversations c WHERE {scope.Condition} AND {NeedsReplyCondition} LIMIT @cap");
        command.CommandText = $"SELECT COUNT(*) FROM ({waiting}) AS waiting";
        var count = Convert.ToInt32(await command.ExecuteScalarAsync(), CultureInfo.InvariantCulture);
        return Math.Min(count, ThreadPage.NeedsReplyCap);
    }

    /// <summary>
    /// A thread the clinic still owes a person's answer: not archived, open (neither waiting on the patient nor closed), and its last message awaits a reply
    /// (<see cref="MessageView.AwaitsReply"/>, stored with the message). Exactly the terms of the partial index
    /// <c>ix_conversations_needs_reply</c>, which SQLite uses only for a query that names them.
    /// </summary>
    private const string NeedsReplyCondition = "c.last_waits = 1 AND c.archived = 0 AND c.status = 0";

    private static void AddListConditions(List<string> where, System.Data.Common.DbCommand command, ThreadList list, string readerId)
    {
        command.With("@closed", (int)ThreadStatus.Closed);
        switch (list)
        {
            case ThreadList.Archived:
                where.Add("c.archived = 1");
                return;
            case ThreadList.Closed:
                where.Add("c.archived = 0 AND c.status = @closed");
                return;
            case ThreadList.NeedsReply:
                where.Add(NeedsReplyCondition);
                return;
            case ThreadList.Mine:
                where.Add("c.archived = 0 AND c.status <> @closed AND c.assignee_id = @assignee");
                command.With("@assignee", readerId);
                return;
            case ThreadList.Unassigned:
                where.Add("c.archived = 0 AND c.status <> @closed AND c.assignee_id IS NULL");
                return;
            default:
                where.Add("c.archived = 0 AND c.status <> @closed");
                return;
        }
    }

    private static ThreadTeam TeamOf(System.Data.Common.DbDataReader reader)
    {
        var assignee = reader.GetNullableString("assignee_id");
        // A member whose account is gone keeps the assignment (their id); the sidebar shows "a former colleague".
        return new ThreadTeam((ThreadStatus)reader.GetLong("status"), assignee, assignee is null ? null : reader.GetNullableString("assignee_name"),
            reader.GetNullableTime("waiting_since_ms"), Topic: (ThreadTopic)reader.GetLong("topic"));
    }

    /// <summary>
    /// The clinics whose threads the reader takes part in, one condition each (so that a page can read each in its index's
    /// order): every thread at <paramref name="chatClinics"/>, and the billing threads at <paramref name="billingClinics"/>
    /// (where the reader is only Billing staff, so no thread is in two scopes; see <see cref="ThreadTopics.RoutesTo(Access.StaffRole, ThreadTopic)"/>).
    /// </summary>
    private static List<ClinicScope> ClinicScopes(System.Data.Common.DbCommand command, IReadOnlyCollection<Guid> chatClinics, IReadOnlyCollection<Guid> billingClinics)
    {
        var scopes = chatClinics.Select((id, i) => { command.With($"@clinic{i}", id); return new ClinicScope($"c.clinic_id = @clinic{i}", $"@clinic{i}"); }).ToList();
        if (billingClinics.Count > 0)
        {
            command.With("@billingTopic", (int)ThreadTopic.Billing);
            // "topic <> 0" repeats the topic index's own condition: SQLite uses a partial index only for a query that
            // names its WHERE term, and "topic = 2" alone does not (it then walked the clinic's every thread).
            scopes.AddRange(billingClinics.Select((id, i) =>
            {
                command.With($"@billing{i}", id);
                return new ClinicScope($"c.clinic_id = @billing{i} AND c.topic <> 0 AND c.topic = @billingTopic", $"@billing{i}");
            }));
        }

        return scopes;
    }

    /// <summary>
    /// One read per clinic scope, each with its own ORDER BY and LIMIT, as one UNION ALL. Each read is wrapped in a
    /// subquery: SQLite allows ORDER BY and LIMIT in a compound's members only there (PostgreSQL accepts the same text).
    /// </summary>
    private static string PerScope(IEnumerable<ClinicScope> scopes, Func<ClinicScope, string> read) =>
        string.Join(" UNION ALL ", scopes.Select((scope, i) => $"SELECT * FROM ({read(scope)}) AS scope{i}"));

    /// <summary>A scope's condition on <c>conversations c</c>, and what names its clinic (a parameter, or the thread's own column).</summary>
    private sealed record ClinicScope(string Condition, string Clinic);

    private static void AddInList(List<string> where, System.Data.Common.DbCommand command, string column, string prefix, IReadOnlyCollection<Guid> ids)
    {
        if (ids.Count == 0)
        {
            where.Add("1 = 0");
            return;
        }

        var names = ids.Select((id, i) => { command.With($"@{prefix}{i}", id); return $"@{prefix}{i}"; });
        where.Add($"{column} IN ({string.Join(", ", names)})");
    }
}
