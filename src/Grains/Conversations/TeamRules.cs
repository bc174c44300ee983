namespace ClinicChat.Conversations;

/// <summary>The decisions about a thread's status, assignee and topic, apart from storage and pushes.</summary>
internal static class TeamRules
{
    /// <summary>Refuses an assignment made on a view of the thread that no longer holds (a colleague took it meanwhile).</summary>
    public static ChatError? Conflict(ThreadTeam current, Assignment request) =>
        request.Expected is { } expected && !string.Equals(expected.AssigneeId, current.AssigneeId, StringComparison.Ordinal)
            ? new ChatError(ChatErrorCode.AssignmentChanged,
                current.AssigneeId is null ? "The thread was unassigned meanwhile." : $"{current.AssigneeName ?? "A colleague"} has this thread now.")
            : null;

    /// <summary>The change an assignment makes, or null when the thread is assigned so already.</summary>
    public static TeamChange? Assign(ThreadTeam current, string? assigneeId, string? assigneeName) =>
        string.Equals(current.AssigneeId, assigneeId, StringComparison.Ordinal) ? null
            : assigneeId is null ? new TeamChange(TeamChangeKind.Unassigned, current.Status)
            : new TeamChange(TeamChangeKind.Assigned, current.Status, assigneeId, assigneeName);

    public static TeamChange? SetStatus(ThreadTeam current, ThreadStatus status) =>
        current.Status == status ? null : new TeamChange(TeamChangeKind.StatusChanged, status);

    public static TeamChange? SetTopic(ThreadTeam current, ThreadTopic topic) =>
        current.Topic == topic ? null : new TeamChange(TeamChangeKind.TopicChanged, current.Status, Topic: topic);

    /// <summary>A patient who writes into a thread waiting on them, or closed, opens it again: the clinic owes an answer.</summary>
    public static TeamChange? ReopenedBy(ThreadTeam current, SenderKind sender) =>
        sender == SenderKind.Patient && current.Status != ThreadStatus.Open ? new TeamChange(TeamChangeKind.Reopened, ThreadStatus.Open) : null;

    public static ThreadTeam After(ThreadTeam current, TeamChange change) => change.Kind switch
    {
        TeamChangeKind.Assigned => current with { AssigneeId = change.AssigneeId, AssigneeName = change.AssigneeName },
        TeamChangeKind.Unassigned => current with { AssigneeId = null, AssigneeName = null },
        TeamChangeKind.TopicChanged => current with { Topic = change.Topic ?? ThreadTopic.None },
        _ => current with { Status = change.Status },
    };

    /// <summary>The audit detail: ids and the status only.</summary>
    public static string AuditDetail(TeamChange change) => change.Kind switch
    {
        TeamChangeKind.Assigned => $"assignee={change.AssigneeId}",
        TeamChangeKind.Unassigned => "assignee=none",
        TeamChangeKind.Reopened => "status=open;by=patient_message",
        TeamChangeKind.TopicChanged => $"topic={ThreadTopics.WireName(change.Topic ?? ThreadTopic.None)}",
        _ => $"status={change.Status.ToString().ToLowerInvariant()}",
    };
}

/// <summary>
/// Which staff items a message page carries: those that follow its messages. An item follows message <c>after_seq</c>,
/// so a page of messages a..b owns after_seq a..b, reaching down to 0 when nothing is older and up without end when
/// nothing is newer. Neighbouring pages may both carry an item at their boundary; clients merge by item seq.
/// </summary>
internal static class StaffItemRange
{
    public static (long From, long? To) Of(MessagePageQuery query, IReadOnlyList<MessageView> page, bool hasMore)
    {
        if (query.AfterSeq is { } after)
        {
            return (after, hasMore && page.Count > 0 ? page[^1].Seq : null);
        }

        var from = hasMore && page.Count > 0 ? page[0].Seq : 0;
        return (from, query.BeforeSeq is { } before ? before - 1 : null);
    }
}
