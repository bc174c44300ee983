using ClinicChat.Staff;
using Microsoft.Extensions.Logging;

namespace ClinicChat.Conversations;

/// <summary>
/// A thread's teamwork: its status, assignee and topic (<see cref="Team"/>) and the staff-only items that record them
/// (system lines and notes). <see cref="TeamRules"/> and <see cref="ResponseRules"/> decide; this stores a change with its
/// line, audit row and measured wait in one commit, then memory follows storage and the clinic's staff hear of it.
/// Runs inside the conversation grain's turn, which owns it.
/// </summary>
internal sealed class ThreadTeamwork(
    IGrainFactory grains,
    TeamStore store,
    GroupCommitWriter writer,
    TimeProvider time,
    ConversationAudit audit,
    ConversationEvents events,
    ResponseClock responses,
    ThreadNotices notices,
    ILogger logger,
    Guid conversationId,
    Guid clinicId)
{
    private long _lastItemSeq;

    /// <summary>The thread's status, assignee and topic, as stored (loaded on activation, changed one call at a time).</summary>
    public ThreadTeam Team { get; private set; } = ThreadTeam.New;

    /// <summary>Reads the stored state: on activation, and to catch up after another activation wrote (a moment in a cluster).</summary>
    public async Task LoadAsync() => (Team, _lastItemSeq) = await store.ReadAsync(conversationId);

    /// <summary>Assigns the thread to a colleague it routes to, or nobody; refused when the caller's view of it is stale.</summary>
    public async Task<Outcome<ThreadTeam>> AssignAsync(Actor actor, Assignment assignment, long lastSeq)
    {
        string? assigneeName = null;
        if (assignment.AssigneeId is { } assigneeId)
        {
            var colleagues = await ColleaguesAsync(actor);
            if (colleagues.Error is { } refused)
            {
                return refused;
            }

            assigneeName = colleagues.Value!.FirstOrDefault(c => c.UserId == assigneeId && RoutesTo(c))?.DisplayName;
            if (assigneeName is null)
            {
                return ChatError.Invalid("staffUserId", "A thread is assigned to one of the clinic's clinicians or front desk (or, about billing, its Billing staff).");
            }
        }

        return TeamRules.Conflict(Team, assignment) is { } conflict ? conflict : await ChangeAsync(actor, TeamRules.Assign(Team, assignment.AssigneeId, assigneeName), lastSeq);
    }

    /// <summary>Staff set the thread's status; the same status again changes nothing.</summary>
    public async Task<Outcome<ThreadTeam>> SetStatusAsync(Actor actor, ThreadStatus status, long lastSeq) =>
        Enum.IsDefined(status) ? await ChangeAsync(actor, TeamRules.SetStatus(Team, status), lastSeq) : ChatError.Invalid("status", "status is open, waiting or closed.");

    /// <summary>Staff, or a patient starting a thread, set its topic; the same topic again changes nothing.</summary>
    public async Task<Outcome<ThreadTeam>> SetTopicAsync(Actor actor, ThreadTopic topic, long lastSeq) =>
        Enum.IsDefined(topic) ? await ChangeAsync(actor, TeamRules.SetTopic(Team, topic), lastSeq) : ChatError.Invalid("topic", ThreadTopics.Help);

    /// <summary>Commits a change with its system line after message <paramref name="lastSeq"/> and its audit row. Null: nothing to change.</summary>
    public async Task<Outcome<ThreadTeam>> ChangeAsync(Actor actor, TeamChange? change, long lastSeq)
    {
        if (change is null)
        {
            return Team;
        }

        var now = time.GetUtcNow();
        var line = Line(actor, change, now, lastSeq, Team);
        var measured = await responses.RecordAsync(line.Sample);
        try
        {
            await writer.WriteAsync(WriteUnit.Together([line.Unit, .. measured is null ? Array.Empty<WriteUnit>() : [measured], AuditLog.Append(now, audit.TeamChanged(actor, change))]));
        }
        catch (Exception exception) when (ChatDatabase.IsPrimaryKeyViolation(exception))
        {
            // Another activation wrote an item meanwhile (a moment in a cluster): catch up, and let the caller try again.
            await LoadAsync();
            return new ChatError(ChatErrorCode.RetryLater, "The conversation moved on elsewhere; try again.");
        }

        Applied(line);
        return Team;
    }

    /// <summary>
    /// What a message does to the team state, for the message's own commit: a patient's message starts a wait and a
    /// person's answer ends it (the response clock); a patient writing into a thread that waits on them, or is closed,
    /// opens it again. Nothing changes in memory until <see cref="Sent"/>.
    /// </summary>
    public async Task<TeamAfterMessage> AfterMessageAsync(Actor actor, MessageView message)
    {
        var clocked = ResponseRules.AfterMessage(Team, message);
        var reopened = TeamRules.ReopenedBy(clocked.Team, message.SenderKind) is { } change ? Line(actor, change, message.SentAt, message.Seq, clocked.Team) : null;
        List<WriteUnit> units = [.. new[] { reopened?.Unit, await responses.RecordAsync(clocked.Sample) }.OfType<WriteUnit>()];
        return new TeamAfterMessage(
            clocked.Team != Team ? clocked.Team : null,
            units.Count == 0 ? null : WriteUnit.Together(units),
            reopened is null ? null : audit.TeamChanged(actor, reopened.Item.Change!),
            StartsWait: Team.WaitingSince is null && clocked.Team.WaitingSince is not null,
            clocked.Team,
            reopened);
    }

    /// <summary>After the message's commit: memory follows storage, and a reopening is told to the clinic's staff.</summary>
    public void Sent(TeamAfterMessage after)
    {
        Team = after.Clocked;
        if (after.Reopened is { } line)
        {
            Applied(line);
        }
    }

    /// <summary>A note to colleagues, never shown to the patient; the colleagues it mentions hear of it.</summary>
    public async Task<Outcome<NoteReceipt>> AddNoteAsync(Actor actor, NewNote note, long lastSeq)
    {
        if (NoteRules.Validate(note.ClientNoteId, note.Text, note.MentionIds?.Count ?? 0) is { } invalid)
        {
            return invalid;
        }

        var mentions = await MentionsAsync(actor, note.MentionIds ?? []);
        if (mentions.Error is { } unknown)
        {
            return unknown;
        }

        var now = time.GetUtcNow();
        var item = new StaffItem(conversationId, _lastItemSeq + 1, lastSeq, StaffItemKind.Note, actor.UserId, actor.DisplayName, now, Text: note.Text, Mentions: mentions.Value);
        var noted = audit.For(actor, AuditActions.NoteAdded, $"item={item.ItemSeq};mentions={string.Join(',', mentions.Value!.Select(m => m.UserId))}");
        var mentionNotices = await notices.MentionNoticesAsync(item);
        try
        {
            var unit = TeamStore.Append(item, note.ClientNoteId).Then(AuditLog.Append(now, noted));
            await writer.WriteAsync(mentionNotices is null ? unit : unit.Then(mentionNotices));
        }
        catch (Exception exception) when (ChatDatabase.IsPrimaryKeyViolation(exception))
        {
            await LoadAsync();
            return new ChatError(ChatErrorCode.RetryLater, "The conversation moved on elsewhere; retry with the same clientNoteId.");
        }
        catch (Exception exception) when (ChatDatabase.IsUniqueViolation(exception))
        {
            // A retry: the unique index on (writer, client id) caught it.
            var stored = await store.FindNoteAsync(conversationId, actor.UserId, note.ClientNoteId)
                ?? throw new InvalidOperationException("Unique violation without a stored note.", exception);
            return new NoteReceipt(stored, WasDuplicate: true);
        }

        _lastItemSeq = item.ItemSeq;
        events.StaffItemAdded(item, Team);
        events.Mentioned(item with { Mentions = [.. mentions.Value!.Where(m => m.UserId != actor.UserId)] });
        logger.NoteAdded(conversationId, item.ItemSeq);
        return new NoteReceipt(item, WasDuplicate: false);
    }

    /// <summary>The staff items a message page carries (see <see cref="StaffItemRange"/>); no query while the thread has none.</summary>
    public async Task<IReadOnlyList<StaffItem>> ItemsForAsync(MessagePageQuery query, IReadOnlyList<MessageView> page, bool hasMore)
    {
        if (_lastItemSeq == 0)
        {
            return [];
        }

        var (from, to) = StaffItemRange.Of(query, page, hasMore);
        return await store.ReadRangeAsync(conversationId, from, to);
    }

    /// <summary>The colleagues a note names, by the clinic's list (a name the writer could not have picked is refused).</summary>
    private async Task<Outcome<IReadOnlyList<Mention>>> MentionsAsync(Actor actor, IReadOnlyList<string> ids)
    {
        if (ids.Count == 0)
        {
            return new Outcome<IReadOnlyList<Mention>>([], null);
        }

        var colleagues = await ColleaguesAsync(actor);
        if (colleagues.Error is { } refused)
        {
            return refused;
        }

        var byId = colleagues.Value!.ToDictionary(c => c.UserId, StringComparer.Ordinal);
        var mentions = new List<Mention>();
        foreach (var id in ids.Distinct(StringComparer.Ordinal))
        {
            if (!byId.TryGetValue(id, out var colleague) || !RoutesTo(colleague))
            {
                return ChatError.Invalid("mentions", "A note mentions the colleagues who take part in the thread only: the clinic's clinicians and front desk (and, about billing, its Billing staff).");
            }

            mentions.Add(new Mention(colleague.UserId, colleague.DisplayName));
        }

        return mentions;
    }

    private Task<Outcome<IReadOnlyList<Colleague>>> ColleaguesAsync(Actor actor) =>
        grains.GetGrain<IClinicStaffGrain>(clinicId).ListColleaguesAsync(actor);

    /// <summary>Whether the thread routes to a colleague (by the roles they hold at its clinic): they could open it.</summary>
    private bool RoutesTo(Colleague colleague) => colleague.Roles.Any(role => ThreadTopics.RoutesTo(role, Team.Topic));

    /// <summary>
    /// A team change as the thread stores it: its system line after message <paramref name="afterSeq"/>, the state after it
    /// (from <paramref name="from"/>), and the wait a status change ends (see <see cref="ResponseRules"/>).
    /// </summary>
    private TeamLine Line(Actor actor, TeamChange change, DateTimeOffset at, long afterSeq, ThreadTeam from)
    {
        var item = new StaffItem(conversationId, _lastItemSeq + 1, afterSeq, StaffItemKind.Change, actor.UserId, actor.DisplayName, at, change);
        var (after, sample) = change.Kind == TeamChangeKind.StatusChanged
            ? ResponseRules.AfterStatus(TeamRules.After(from, change), at)
            : (TeamRules.After(from, change), null);
        return new TeamLine(item, after, TeamStore.SetTeam(conversationId, after).Then(TeamStore.Append(item)), sample);
    }

    /// <summary>After the commit: memory follows storage, and the clinic's staff hear of it.</summary>
    private void Applied(TeamLine line)
    {
        Team = line.After;
        _lastItemSeq = line.Item.ItemSeq;
        events.StaffItemAdded(line.Item, line.After);
        logger.TeamChanged(conversationId, line.Item.Change!.Kind, line.Item.ActorId);
    }
}

/// <summary>A team change's system line, the state after it, what stores both, and the wait it ends.</summary>
internal sealed record TeamLine(StaffItem Item, ThreadTeam After, WriteUnit Unit, ResponseSample? Sample);

/// <summary>What a message does to the team state (see <see cref="ThreadTeamwork.AfterMessageAsync"/>).</summary>
/// <param name="Clock">The state to store with the message's index row when the response clock moved; null when it did not.</param>
/// <param name="Unit">The reopening's line and the measured wait, for the message's commit; null when neither.</param>
/// <param name="Audit">The reopening's audit row.</param>
/// <param name="StartsWait">Whether the message starts a wait for a reply (the overdue notice's start).</param>
/// <param name="Clocked">The state after the response clock, before a reopening.</param>
/// <param name="Reopened">The reopening, when a patient's message reopens the thread.</param>
internal sealed record TeamAfterMessage(ThreadTeam? Clock, WriteUnit? Unit, AuditEvent? Audit, bool StartsWait, ThreadTeam Clocked, TeamLine? Reopened);
