using ClinicChat.Clinics;
using ClinicChat.Records;
using ClinicChat.Diagnostics;
using ClinicChat.Notices;
using ClinicChat.Realtime;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ClinicChat.Conversations;

/// <summary>
/// One clinic–patient thread. It orchestrates: access (<see cref="ThreadAccess"/>), then collaborators that decide and store (<see cref="SendResolver"/> and
/// <see cref="SendPlanner"/> for a send, <see cref="ReceiptRecorder"/>, <see cref="ThreadTeamwork"/>, <see cref="ThreadWithdrawals"/>,
/// <see cref="ThreadNotices"/>, <see cref="ArchivalSchedule"/>), one commit each, then pushes. Not reentrant: seq, cursors, the
/// team state and archival change one call at a time.
/// </summary>
public sealed class ConversationGrain(
    [PersistentState("conversation", ChatStorage.GrainStateProvider)] IPersistentState<ConversationState> state,
    GroupCommitWriter writer,
    MessageStore messages,
    TeamStore team,
    RecordStore records,
    NoticeStore notices,
    NoticeLinks noticeLinks,
    IOptions<NotificationOptions> noticeOptions,
    [FromKeyedServices(ChatTime.Key)] TimeProvider time,
    ChatMetrics metrics,
    ILogger<ConversationGrain> logger) : Grain, IConversationGrain, IRemindable
{
    private readonly ReceiptLedger _receipts = new();
    /// <summary>In memory: a lost activation only lets one more push through.</summary>
    private readonly TypingThrottle _typing = new();
    private ArchivalSchedule? _archival;
    private ThreadAccess? _access;
    private SendResolver? _resolver;
    private ConversationEvents? _events;
    private ConversationAudit? _audit;
    private ReceiptRecorder? _recorder;
    private ThreadNotices? _notices;
    private SendPlanner? _planner;
    private ThreadTeamwork? _teamwork;
    private ThreadWithdrawals? _withdrawals;
    private CachedClinicProfile? _clinic;
    private long _lastSeq;
    private DateTimeOffset _lastActivity;

    private Guid Id => this.GetPrimaryKey();

    private bool Exists => state.RecordExists;

    private ArchivalSchedule Archival => _archival ??= new(this, state, writer, time);

    private ThreadAccess Access => _access ??= new(this, GrainFactory, state, () => Teamwork.Team.Topic, logger, Id);

    // These need the thread's clinic and patient, which never change once it exists; built on first use after that.
    private SendResolver Resolver => _resolver ??= new(GrainFactory, messages, time, Id, state.State.ClinicId, state.State.PatientId);

    private ConversationEvents Events => _events ??= new(Id, state.State.ClinicId, state.State.PatientId, () => Teamwork.Team.Topic, new TopicPublisher(GrainFactory).Publish);

    private ConversationAudit Audit => _audit ??= new(Id, state.State.ClinicId, state.State.PatientId);

    private ReceiptRecorder Receipts => _recorder ??= new(_receipts, messages, writer, metrics, time, Id, Audit, Events);

    private ThreadNotices Notices => _notices ??= new(
        GrainFactory, messages, notices, noticeLinks, writer, time, noticeOptions.Value, Clinic, Id, state.State.ClinicId, state.State.PatientId);

    private CachedClinicProfile Clinic => _clinic ??= new(GrainFactory, time, state.State.ClinicId);

    private SendPlanner Planner => _planner ??= new(GrainFactory, Audit, Teamwork, new AfterHoursReply(Clinic, messages, Id), Notices, Events);

    private ThreadTeamwork Teamwork => _teamwork ??= new(
        GrainFactory, team, writer, time, Audit, Events, new ResponseClock(Clinic, Id, state.State.ClinicId), Notices, logger, Id, state.State.ClinicId);

    private ThreadWithdrawals Withdrawals => _withdrawals ??= new(GrainFactory, messages, records, writer, time, Audit, Events, logger, Id);

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        if (Exists)
        {
            var tail = await messages.ReadTailAsync(Id);
            _lastSeq = tail?.Seq ?? 0;
            _lastActivity = tail?.SentAt ?? state.State.CreatedAt;
            _receipts.Load(await messages.ReadCursorsAsync(Id));
            await Teamwork.LoadAsync();
            await Withdrawals.LoadAsync();
            if (ArchivalSchedule.WasReopened(state.State, _lastActivity))
            {
                state.State.Reopen();
            }
        }
    }

    public async Task<Outcome<ConversationInfo>> StartAsync(Actor actor, Guid clinicId, Guid patientId)
    {
        if (await Access.StaffStartProblemAsync(actor, clinicId, patientId) is { } problem)
        {
            return problem;
        }

        if (!Exists)
        {
            await CreateAsync(actor, clinicId, patientId);
        }

        return Info();
    }

    public async Task<Outcome<SendReceipt>> StartByPatientAsync(Actor actor, Guid clinicId, PatientStart start)
    {
        if (await Access.PatientStartProblemAsync(actor, clinicId, start) is { } problem)
        {
            return problem;
        }

        if (!Exists)
        {
            await CreateAsync(actor, clinicId, actor.PatientId!.Value, $"by=patient;topic={ThreadTopics.WireName(start.Topic)}");
        }

        if ((await Teamwork.SetTopicAsync(actor, start.Topic, _lastSeq)).Error is { } notChanged)
        {
            return notChanged;
        }

        return await SendAsync(actor, start.Message);
    }

    /// <summary>A new thread: its index row and audit row in one commit, then its archival reminder and grain state.</summary>
    private async Task CreateAsync(Actor actor, Guid clinicId, Guid patientId, string? auditDetail = null)
    {
        var now = time.GetUtcNow();
        state.State = new ConversationState { ClinicId = clinicId, PatientId = patientId, CreatedAt = now };
        _lastActivity = now;
        await writer.WriteAsync(MessageStore.InsertConversation(Info()).Then(AuditLog.Append(now, Audit.For(actor, AuditActions.ConversationStarted, auditDetail))));
        await Archival.SaveNewAsync(now);
        logger.Started(Id, clinicId);
    }

    public async Task<Outcome<ConversationInfo>> GetAsync(Actor actor) =>
        await Access.LetsInAsync(actor) ? Info() : ChatError.NotFound();

    public async Task<Outcome<SendReceipt>> SendAsync(Actor actor, SendMessage send)
    {
        if (!await Access.LetsInAsync(actor))
        {
            return ChatError.NotFound();
        }

        var resolved = await Resolver.ResolveAsync(actor, send, _lastSeq + 1);
        if (resolved.Message is not { } message)
        {
            return resolved.Earlier is { } earlier ? SensitiveRules.ForSender(earlier, actor, time.GetUtcNow(), duplicate: true) : resolved.Error!;
        }

        var reopening = state.State.Archived;
        var plan = await Planner.PlanAsync(actor, message, reopening);
        try
        {
            await writer.WriteAsync(plan.Commit);
        }
        catch (Exception exception) when (ChatDatabase.IsPrimaryKeyViolation(exception))
        {
            // Another activation of this conversation stored that seq (possible for a moment in a
            // cluster). Catch up with the table and let the client retry with the same client id.
            var tail = await messages.ReadTailAsync(Id);
            _lastSeq = tail?.Seq ?? _lastSeq;
            await Teamwork.LoadAsync();
            Planner.Conflicted();
            logger.SeqConflict(Id, message.Seq);
            return new ChatError(ChatErrorCode.RetryLater, "The conversation moved on elsewhere; retry with the same clientMessageId.");
        }
        catch (Exception exception) when (ChatDatabase.IsUniqueViolation(exception))
        {
            return SensitiveRules.ForSender(await Resolver.StoredCopyAsync(actor, send.ClientMessageId, exception), actor, time.GetUtcNow(), duplicate: true);
        }

        _lastSeq = plan.LastSeq;
        _lastActivity = message.SentAt;
        Resolver.Remember(message);
        metrics.MessageSent(message.SenderKind);
        await Planner.StoredAsync(plan);
        if (reopening)
        {
            // The message is stored and pushed whatever happens next.
            await Archival.SaveReopenedAsync(_lastActivity);
        }

        logger.Sent(Id, message.Seq);
        return SensitiveRules.ForSender(message, actor, time.GetUtcNow(), duplicate: false);
    }

    public async Task<Outcome<MessagePage>> GetMessagesAsync(Actor actor, MessagePageQuery query)
    {
        if (!await Access.LetsInAsync(actor))
        {
            return ChatError.NotFound();
        }

        if (MessageRules.Validate(query) is { } invalid)
        {
            return invalid;
        }

        var (stored, hasMore) = await messages.ReadPageAsync(Id, query.AfterSeq, query.BeforeSeq, query.Limit);
        var now = time.GetUtcNow();
        var page = await Withdrawals.AsSeenByAsync(actor, stored.Select(m => SensitiveRules.ForReader(m, actor, now)));
        // Fetching is receiving: the caller's device now has everything in this page. The view is
        // audited in the same commit as that receipt, so a page read costs one flush, not two.
        await Receipts.AdvanceAsync(actor, new ReceiptAck(page.Count > 0 ? page[^1].Seq : null, null), _lastSeq, state.State.CreatedAt, Audit.Viewed(actor, page));

        return new MessagePage(page, _lastSeq, hasMore, _receipts.SideOf(SenderKind.Staff), _receipts.SideOf(SenderKind.Patient),
            await Receipts.ReadReceiptsAsync(actor, page),
            // Staff only: a patient never learns they exist.
            actor.Kind == ActorKind.Staff ? await Teamwork.ItemsForAsync(query, stored, hasMore) : null);
    }

    public async Task<Outcome<MessageView>> WithdrawAsync(Actor actor, long seq) =>
        await Access.LetsInStaffAsync(actor) ? await Withdrawals.WithdrawAsync(actor, seq, _lastSeq, _receipts.SideOf(SenderKind.Patient).ReadUpTo) : ChatError.NotFound();

    public async Task<Outcome<ThreadTeam>> AssignAsync(Actor actor, Assignment assignment) =>
        await Access.LetsInStaffAsync(actor) ? await Teamwork.AssignAsync(actor, assignment, _lastSeq) : ChatError.NotFound();

    public async Task<Outcome<ThreadTeam>> SetStatusAsync(Actor actor, ThreadStatus status) =>
        await Access.LetsInStaffAsync(actor) ? await Teamwork.SetStatusAsync(actor, status, _lastSeq) : ChatError.NotFound();

    public async Task<Outcome<ThreadTeam>> SetTopicAsync(Actor actor, ThreadTopic topic) =>
        await Access.LetsInStaffAsync(actor) ? await Teamwork.SetTopicAsync(actor, topic, _lastSeq) : ChatError.NotFound();

    public async Task<Outcome<NoteReceipt>> AddNoteAsync(Actor actor, NewNote note) =>
        await Access.LetsInStaffAsync(actor) ? await Teamwork.AddNoteAsync(actor, note, _lastSeq) : ChatError.NotFound();

    public async Task<Outcome<ReceiptCursor>> AcknowledgeAsync(Actor actor, ReceiptAck ack)
    {
        if (!await Access.LetsInAsync(actor))
        {
            return ChatError.NotFound();
        }

        return ReceiptRules.Validate(ack) is { } invalid ? invalid : await Receipts.AdvanceAsync(actor, ack, _lastSeq, state.State.CreatedAt);
    }

    public Task NotifyTypingAsync(Actor actor)
    {
        if (Access.TakesPart(actor) && _typing.ShouldPush(actor.UserId, time.GetUtcNow()))
        {
            Events.Typing(MessageRules.SideOf(actor), actor.UserId, actor.DisplayName);
        }

        return Task.CompletedTask;
    }

    public async Task LookForNoticeAsync(NoticeAudience audience)
    {
        if (Exists)
        {
            await (audience == NoticeAudience.Patient
                ? Notices.LookForPatientAsync(_receipts.SideOf(SenderKind.Patient).ReadUpTo, _lastSeq)
                : Notices.LookForStaffAsync(Teamwork.Team, _lastSeq));
        }
    }

    public async Task ReceiveReminder(string reminderName, TickStatus status)
    {
        if (ArchivalSchedule.IsArchivalReminder(reminderName)
            && await Archival.TickAsync(_lastActivity, now => MessageStore.SetArchived(Id, archived: true).Then(AuditLog.Append(now, Audit.Archived()))))
        {
            Events.Archived();
            logger.Archived(Id);
        }
    }

    private ConversationInfo Info() => new(
        Id, state.State.ClinicId, state.State.PatientId, state.State.CreatedAt, _lastActivity, _lastSeq, state.State.Archived);
}
