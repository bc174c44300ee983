using ClinicChat.Access;
using ClinicChat.Clinics;
using ClinicChat.Records;
using ClinicChat.Attachments;
using ClinicChat.Onboarding.Portal;
using ClinicChat.Audit;
using ClinicChat.Diagnostics;
using ClinicChat.Notices;
using ClinicChat.Patients;
using ClinicChat.Realtime;
using ClinicChat.Staff;
using ClinicChat.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ClinicChat.Conversations;

/// <summary>
/// One clinic–patient thread. It orchestrates: access, collaborators that decide (<see cref="SendResolver"/>, <see cref="ReceiptLedger"/>,
/// <see cref="ArchivalSchedule"/>), one commit, then pushes. Not reentrant: seq, cursors and archival change one call at a time.
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
    private readonly Dictionary<string, ITopicNotifierGrain> _notifiers = new(StringComparer.Ordinal);
    private ArchivalSchedule? _archival;
    private SendResolver? _resolver;
    private ConversationEvents? _events;
    private ConversationAudit? _audit;
    private ReceiptRecorder? _recorder;
    private ThreadNotices? _notices;
    private AfterHoursReply? _afterHours;
    private ResponseClock? _responses;
    private CachedClinicProfile? _clinic;
    private long _lastSeq;
    private DateTimeOffset _lastActivity;
    /// <summary>The thread's status and assignee, as stored (loaded on activation, changed one call at a time).</summary>
    private ThreadTeam _team = ThreadTeam.New;
    private long _lastItemSeq;
    /// <summary>Seqs of the messages withdrawn (recalled): few, so held whole.</summary>
    private HashSet<long> _withdrawn = [];

    private Guid Id => this.GetPrimaryKey();

    private bool Exists => state.RecordExists;

    private ArchivalSchedule Archival => _archival ??= new(this, time);

    // These need the thread's clinic and patient, which never change once it exists; built on first use after that.
    private SendResolver Resolver => _resolver ??= new(GrainFactory, time, Id, state.State.ClinicId, state.State.PatientId);

    private ConversationEvents Events => _events ??= new(Id, state.State.ClinicId, state.State.PatientId, () => _team.Topic,
        // One-way: a push never holds up the sender. Clients that miss it recover from their seq cursor.
        chatEvent => _ = NotifierOf(chatEvent.Topic).PublishAsync(chatEvent));

    /// <summary>
    /// The topic's notifier, its reference kept for the activation: Orleans reads the interface's attributes on every
    /// <c>GetGrain</c> (docs/platform-findings.md), and a thread pushes to the same few topics for every message.
    /// </summary>
    private ITopicNotifierGrain NotifierOf(string topic) =>
        _notifiers.TryGetValue(topic, out var notifier) ? notifier : _notifiers[topic] = GrainFactory.GetGrain<ITopicNotifierGrain>(topic);

    private ConversationAudit Audit => _audit ??= new(Id, state.State.ClinicId, state.State.PatientId);

    private ReceiptRecorder Receipts => _recorder ??= new(_receipts, messages, writer, metrics, time, Id, Audit, Events);

    private ThreadNotices Notices => _notices ??= new(
        GrainFactory, messages, notices, noticeLinks, writer, time, noticeOptions.Value, Clinic, Id, state.State.ClinicId, state.State.PatientId);

    private CachedClinicProfile Clinic => _clinic ??= new(GrainFactory, time, state.State.ClinicId);

    private AfterHoursReply AfterHours => _afterHours ??= new(Clinic, messages, Id);

    private ResponseClock Responses => _responses ??= new(Clinic, Id, state.State.ClinicId);

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        if (Exists)
        {
            var tail = await messages.ReadTailAsync(Id);
            _lastSeq = tail?.Seq ?? 0;
            _lastActivity = tail?.SentAt ?? state.State.CreatedAt;
            _receipts.Load(await messages.ReadCursorsAsync(Id));
            (_team, _lastItemSeq) = await team.ReadAsync(Id);
            _withdrawn = await messages.ReadWithdrawnAsync(Id);
            if (ArchivalSchedule.WasReopened(state.State, _lastActivity))
            {
                state.State.Reopen();
            }
        }
    }

    public async Task<Outcome<ConversationInfo>> StartAsync(Actor actor, Guid clinicId, Guid patientId)
    {
        var patient = GrainFactory.GetGrain<IPatientProfileGrain>(patientId);
        if (ConversationId.For(clinicId, patientId) != Id || !actor.CanChatAt(clinicId) || !await patient.IsPatientOfAsync(clinicId))
        {
            return await DenyAsync(actor, clinicId, patientId);
        }

        if (SendResolver.EligibilityError(await GrainFactory.WithInvitationAsync(clinicId, patientId, await patient.GetChatEligibilityAsync(clinicId))) is { } ineligible)
        {
            return ineligible;
        }

        if (!Exists)
        {
            await CreateAsync(actor, clinicId, patientId);
        }

        return Info();
    }

    public async Task<Outcome<SendReceipt>> StartByPatientAsync(Actor actor, Guid clinicId, PatientStart start)
    {
        if (actor is not { Kind: ActorKind.Patient, PatientId: { } patientId } || ConversationId.For(clinicId, patientId) != Id)
        {
            return await DenyAsync(actor, clinicId, null);
        }

        var patient = GrainFactory.GetGrain<IPatientProfileGrain>(patientId);
        if (!await patient.IsPatientOfAsync(clinicId))
        {
            return await DenyAsync(actor, clinicId, patientId);
        }

        // Everything that can refuse is asked before anything is written: a refused start leaves no thread and no topic.
        var clinic = await GrainFactory.GetGrain<IClinicProfileGrain>(clinicId).GetAsync();
        var refusal = TopicRules.PatientStartProblem(clinic, start)
            ?? MessageRules.Validate(start.Message.ClientMessageId, start.Message.Text)
            ?? (await patient.GetChatEligibilityAsync(clinicId) == ChatEligibility.OptedOut
                ? new ChatError(ChatErrorCode.PatientOptedOut, "Chat with this clinic is off: turn it on in Profile → Communication preferences first.")
                : null);
        if (refusal is not null)
        {
            return refusal;
        }

        if (!Exists)
        {
            await CreateAsync(actor, clinicId, patientId, $"by=patient;topic={ThreadTopics.WireName(start.Topic)}");
        }

        if (TeamRules.SetTopic(_team, start.Topic) is { } change && (await ChangeTeamAsync(actor, change)).Error is { } notChanged)
        {
            return notChanged;
        }

        return await SendAsync(actor, start.Message);
    }

    /// <summary>
    /// A new thread: its index row and audit row in one commit, then its archival reminder, then its grain state. Arm before
    /// the state is saved: if saving fails, a retried start arms again, and a tick that finds no saved state simply
    /// disarms. No thread can exist without its reminder.
    /// </summary>
    private async Task CreateAsync(Actor actor, Guid clinicId, Guid patientId, string? auditDetail = null)
    {
        var now = time.GetUtcNow();
        state.State = new ConversationState { ClinicId = clinicId, PatientId = patientId, CreatedAt = now };
        _lastActivity = now;
        await writer.WriteAsync(MessageStore.InsertConversation(Info()).Then(AuditLog.Append(now, Audit.For(actor, AuditActions.ConversationStarted, auditDetail))));
        await Archival.ArmAsync(_lastActivity);
        await state.WriteStateAsync();
        logger.Started(Id, clinicId);
    }

    public async Task<Outcome<ConversationInfo>> GetAsync(Actor actor) =>
        await CanAccessAsync(actor) ? Info() : ChatError.NotFound();

    public async Task<Outcome<SendReceipt>> SendAsync(Actor actor, SendMessage send)
    {
        if (!await CanAccessAsync(actor))
        {
            return ChatError.NotFound();
        }

        var resolved = await Resolver.ResolveAsync(actor, send, _lastSeq + 1);
        if (resolved.Message is not { } message)
        {
            return resolved.Earlier is { } earlier ? SensitiveRules.ForSender(earlier, actor, time.GetUtcNow(), duplicate: true) : resolved.Error!;
        }

        var reopening = state.State.Archived;
        var audits = Audit.Sent(actor, message, reopening);
        // The response clock: a patient's message starts a wait, a person's answer ends it (measured in the same commit).
        var clocked = ResponseRules.AfterMessage(_team, message);
        // A patient writing into a thread that waits on them, or is closed, opens it again in the same commit.
        var reopened = TeamRules.ReopenedBy(clocked.Team, message.SenderKind) is { } change ? TeamLine(actor, change, message.SentAt, message.Seq, clocked.Team) : null;
        List<WriteUnit> teamUnits = [.. new[] { reopened?.Unit, await Responses.RecordAsync(clocked.Sample) }.OfType<WriteUnit>()];
        if (reopened is not null)
        {
            audits.Add(Audit.TeamChanged(actor, reopened.Item.Change!));
        }

        // Written while the clinic is closed: its automatic reply is the next message, stored with this one. It starts no
        // notice of its own (the patient is here), and the thread still needs a reply from a person.
        var automatic = await AfterHours.ForAsync(message);
        if (automatic is not null)
        {
            audits.Add(Audit.AutomaticReplySent(automatic));
        }

        try
        {
            var pending = await Notices.PendForAsync(message, startsWait: _team.WaitingSince is null && clocked.Team.WaitingSince is not null);
            await writer.WriteAsync(SendCommit.Of(message, audits, pending, teamUnits.Count == 0 ? null : WriteUnit.Together(teamUnits), automatic,
                clocked.Team != _team ? clocked.Team : null));
        }
        catch (Exception exception) when (ChatDatabase.IsPrimaryKeyViolation(exception))
        {
            // Another activation of this conversation stored that seq (possible for a moment in a
            // cluster). Catch up with the table and let the client retry with the same client id.
            var tail = await messages.ReadTailAsync(Id);
            _lastSeq = tail?.Seq ?? _lastSeq;
            (_team, _lastItemSeq) = await team.ReadAsync(Id);
            AfterHours.Forget();
            logger.SeqConflict(Id, message.Seq);
            return new ChatError(ChatErrorCode.RetryLater, "The conversation moved on elsewhere; retry with the same clientMessageId.");
        }
        catch (Exception exception) when (ChatDatabase.IsUniqueViolation(exception))
        {
            // A retry that reached a fresh activation: the unique index on (sender, client id) caught it.
            var stored = await messages.FindByClientIdAsync(Id, actor.UserId, send.ClientMessageId)
                ?? throw new InvalidOperationException("Unique violation without a stored message.", exception);
            Resolver.Remember(stored);
            return SensitiveRules.ForSender(stored, actor, time.GetUtcNow(), duplicate: true);
        }

        _lastSeq = automatic?.Seq ?? message.Seq;
        _lastActivity = message.SentAt;
        _team = clocked.Team;
        Resolver.Remember(message);
        metrics.MessageSent(message.SenderKind);
        if (message.Attachments is { } attachments)
        {
            // The rows already say so; the attachment grains' cached copies must too before anyone fetches.
            await Task.WhenAll(attachments.Select(a => GrainFactory.GetGrain<IAttachmentGrain>(a.Id).MarkSentAsync(message.Sensitive)));
        }

        Events.MessageSent(message);
        if (automatic is not null)
        {
            AfterHours.Sent(automatic);
            Events.MessageSent(automatic);
        }

        if (reopened is not null)
        {
            Applied(reopened);
        }

        if (reopening)
        {
            // The message is stored and pushed whatever happens next. Arm first: if saving the
            // state fails, activation reconciles it from the message time (see OnActivateAsync).
            await Archival.ArmAsync(_lastActivity);
            state.State.Reopen();
            await state.WriteStateAsync();
        }

        logger.Sent(Id, message.Seq);
        return SensitiveRules.ForSender(message, actor, time.GetUtcNow(), duplicate: false);
    }

    public async Task<Outcome<MessagePage>> GetMessagesAsync(Actor actor, MessagePageQuery query)
    {
        if (!await CanAccessAsync(actor))
        {
            return ChatError.NotFound();
        }

        if (MessageRules.Validate(query) is { } invalid)
        {
            return invalid;
        }

        var (stored, hasMore) = await messages.ReadPageAsync(Id, query.AfterSeq, query.BeforeSeq, query.Limit);
        var now = time.GetUtcNow();
        var page = await WithoutWithdrawnRecordsAsync(actor, stored.Select(m => AsWithdrawn(SensitiveRules.ForReader(m, actor, now), actor)).ToList());
        // Fetching is receiving: the caller's device now has everything in this page. The view is
        // audited in the same commit as that receipt, so a page read costs one flush, not two.
        await Receipts.AdvanceAsync(actor, new ReceiptAck(page.Count > 0 ? page[^1].Seq : null, null), _lastSeq, state.State.CreatedAt, Audit.Viewed(actor, page));

        return new MessagePage(page, _lastSeq, hasMore, _receipts.SideOf(SenderKind.Staff), _receipts.SideOf(SenderKind.Patient),
            await Receipts.ReadReceiptsAsync(actor, page), await StaffItemsForAsync(actor, query, stored, hasMore));
    }

    /// <summary>A withdrawn message as the reader sees it: staff as it was, marked; the patient only that it was withdrawn.</summary>
    private MessageView AsWithdrawn(MessageView message, Actor reader) =>
        !_withdrawn.Contains(message.Seq) ? message
            : reader.Kind == ActorKind.Patient ? RecallRules.ForPatient(message) : message with { Withdrawn = true };

    public async Task<Outcome<MessageView>> WithdrawAsync(Actor actor, long seq)
    {
        if (!await IsClinicStaffAsync(actor))
        {
            return ChatError.NotFound();
        }

        if (seq < 1 || seq > _lastSeq || await messages.ReadOneAsync(Id, seq) is not { } message)
        {
            return ChatError.NotFound();
        }

        if (_withdrawn.Contains(seq))
        {
            return message with { Withdrawn = true };
        }

        var now = time.GetUtcNow();
        if (RecallRules.Refusal(message, actor, _receipts.SideOf(SenderKind.Patient).ReadUpTo, now) is { } refused)
        {
            return refused;
        }

        await writer.WriteAsync(MessageStore.Withdraw(message, actor.UserId, now).Then(AuditLog.Append(now, Audit.For(actor, AuditActions.MessageWithdrawn, $"seq={seq}"))));
        _withdrawn.Add(seq);
        if (message.Attachments is { } attachments)
        {
            // The rows already say so; the attachment grains' cached copies must too before the patient fetches.
            await Task.WhenAll(attachments.Select(a => GrainFactory.GetGrain<IAttachmentGrain>(a.Id).MarkWithdrawnAsync()));
        }

        Events.MessageWithdrawn(seq);
        logger.Withdrawn(Id, seq);
        return message with { Withdrawn = true };
    }

    /// <summary>Staff only (null for a patient, who never learns they exist); no query while the thread has none.</summary>
    private async Task<IReadOnlyList<StaffItem>?> StaffItemsForAsync(Actor actor, MessagePageQuery query, IReadOnlyList<MessageView> page, bool hasMore)
    {
        if (actor.Kind != ActorKind.Staff)
        {
            return null;
        }

        if (_lastItemSeq == 0)
        {
            return [];
        }

        var (from, to) = StaffItemRange.Of(query, page, hasMore);
        return await team.ReadRangeAsync(Id, from, to);
    }

    public async Task<Outcome<ThreadTeam>> AssignAsync(Actor actor, Assignment assignment)
    {
        if (!await IsClinicStaffAsync(actor))
        {
            return ChatError.NotFound();
        }

        string? assigneeName = null;
        if (assignment.AssigneeId is { } assigneeId)
        {
            var colleagues = await GrainFactory.GetGrain<IClinicStaffGrain>(state.State.ClinicId).ListColleaguesAsync(actor);
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

        return TeamRules.Conflict(_team, assignment) is { } conflict ? conflict : await ChangeTeamAsync(actor, TeamRules.Assign(_team, assignment.AssigneeId, assigneeName));
    }

    public async Task<Outcome<ThreadTeam>> SetStatusAsync(Actor actor, ThreadStatus status)
    {
        if (!await IsClinicStaffAsync(actor))
        {
            return ChatError.NotFound();
        }

        return Enum.IsDefined(status) ? await ChangeTeamAsync(actor, TeamRules.SetStatus(_team, status)) : ChatError.Invalid("status", "status is open, waiting or closed.");
    }

    public async Task<Outcome<ThreadTeam>> SetTopicAsync(Actor actor, ThreadTopic topic)
    {
        if (!await IsClinicStaffAsync(actor))
        {
            return ChatError.NotFound();
        }

        return Enum.IsDefined(topic) ? await ChangeTeamAsync(actor, TeamRules.SetTopic(_team, topic)) : ChatError.Invalid("topic", ThreadTopics.Help);
    }

    public async Task<Outcome<NoteReceipt>> AddNoteAsync(Actor actor, NewNote note)
    {
        if (!await IsClinicStaffAsync(actor))
        {
            return ChatError.NotFound();
        }

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
        var item = new StaffItem(Id, _lastItemSeq + 1, _lastSeq, StaffItemKind.Note, actor.UserId, actor.DisplayName, now, Text: note.Text, Mentions: mentions.Value);
        var audit = Audit.For(actor, AuditActions.NoteAdded, $"item={item.ItemSeq};mentions={string.Join(',', mentions.Value!.Select(m => m.UserId))}");
        var notices = await Notices.MentionNoticesAsync(item);
        try
        {
            var unit = TeamStore.Append(item, note.ClientNoteId).Then(AuditLog.Append(now, audit));
            await writer.WriteAsync(notices is null ? unit : unit.Then(notices));
        }
        catch (Exception exception) when (ChatDatabase.IsPrimaryKeyViolation(exception))
        {
            (_team, _lastItemSeq) = await team.ReadAsync(Id);
            return new ChatError(ChatErrorCode.RetryLater, "The conversation moved on elsewhere; retry with the same clientNoteId.");
        }
        catch (Exception exception) when (ChatDatabase.IsUniqueViolation(exception))
        {
            // A retry: the unique index on (writer, client id) caught it.
            var stored = await team.FindNoteAsync(Id, actor.UserId, note.ClientNoteId)
                ?? throw new InvalidOperationException("Unique violation without a stored note.", exception);
            return new NoteReceipt(stored, WasDuplicate: true);
        }

        _lastItemSeq = item.ItemSeq;
        Events.StaffItemAdded(item, _team);
        Events.Mentioned(item with { Mentions = [.. mentions.Value!.Where(m => m.UserId != actor.UserId)] });
        logger.NoteAdded(Id, item.ItemSeq);
        return new NoteReceipt(item, WasDuplicate: false);
    }

    /// <summary>The colleagues a note names, by the clinic's list (a name the writer could not have picked is refused).</summary>
    private async Task<Outcome<IReadOnlyList<Mention>>> MentionsAsync(Actor actor, IReadOnlyList<string> ids)
    {
        if (ids.Count == 0)
        {
            return new Outcome<IReadOnlyList<Mention>>([], null);
        }

        var colleagues = await GrainFactory.GetGrain<IClinicStaffGrain>(state.State.ClinicId).ListColleaguesAsync(actor);
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

    /// <summary>Whether the thread routes to a colleague (by the roles they hold at its clinic): they could open it.</summary>
    private bool RoutesTo(Colleague colleague) => colleague.Roles.Any(role => ThreadTopics.RoutesTo(role, _team.Topic));

    /// <summary>Commits a change with its system line and audit row, then tells the clinic's staff. Null: nothing to change.</summary>
    private async Task<Outcome<ThreadTeam>> ChangeTeamAsync(Actor actor, TeamChange? change)
    {
        if (change is null)
        {
            return _team;
        }

        var now = time.GetUtcNow();
        var line = TeamLine(actor, change, now, _lastSeq);
        var measured = await Responses.RecordAsync(line.Sample);
        try
        {
            await writer.WriteAsync(WriteUnit.Together([line.Unit, .. measured is null ? Array.Empty<WriteUnit>() : [measured], AuditLog.Append(now, Audit.TeamChanged(actor, change))]));
        }
        catch (Exception exception) when (ChatDatabase.IsPrimaryKeyViolation(exception))
        {
            // Another activation wrote an item meanwhile (a moment in a cluster): catch up, and let the caller try again.
            (_team, _lastItemSeq) = await team.ReadAsync(Id);
            return new ChatError(ChatErrorCode.RetryLater, "The conversation moved on elsewhere; try again.");
        }

        Applied(line);
        return _team;
    }

    /// <summary>
    /// A team change as the thread stores it: its system line after message <paramref name="afterSeq"/>, the state after it
    /// (from <paramref name="from"/>, the thread's own by default), and the wait a status change ends (see <see cref="ResponseRules"/>).
    /// </summary>
    private TeamLineWrite TeamLine(Actor actor, TeamChange change, DateTimeOffset at, long afterSeq, ThreadTeam? from = null)
    {
        var item = new StaffItem(Id, _lastItemSeq + 1, afterSeq, StaffItemKind.Change, actor.UserId, actor.DisplayName, at, change);
        var (after, sample) = change.Kind == TeamChangeKind.StatusChanged
            ? ResponseRules.AfterStatus(TeamRules.After(from ?? _team, change), at)
            : (TeamRules.After(from ?? _team, change), null);
        return new TeamLineWrite(item, after, TeamStore.SetTeam(Id, after).Then(TeamStore.Append(item)), sample);
    }

    /// <summary>After the commit: memory follows storage, and the clinic's staff hear of it.</summary>
    private void Applied(TeamLineWrite line)
    {
        _team = line.After;
        _lastItemSeq = line.Item.ItemSeq;
        Events.StaffItemAdded(line.Item, line.After);
        logger.TeamChanged(Id, line.Item.Change!.Kind, line.Item.ActorId);
    }

    private sealed record TeamLineWrite(StaffItem Item, ThreadTeam After, WriteUnit Unit, ResponseSample? Sample);

    /// <summary>
    /// Staff the thread routes to (clinicians and front desk of its clinic; its Billing staff when it is about billing);
    /// anyone else (the patient too) is refused, audited, as not found.
    /// </summary>
    private async Task<bool> IsClinicStaffAsync(Actor actor)
    {
        if (Exists && actor.RoutesTo(state.State.ClinicId, _team.Topic))
        {
            return true;
        }

        await DenyAsync(actor, Exists ? state.State.ClinicId : null, Exists ? state.State.PatientId : null);
        return false;
    }

    /// <summary>
    /// A card whose record the clinic's system withdrew after it was sent (entered in error) reaches the patient without
    /// what was entered in error: the card says it was withdrawn. Staff keep the snapshot as sent. One lookup per page that
    /// shows a patient cards; none otherwise.
    /// </summary>
    private async Task<List<MessageView>> WithoutWithdrawnRecordsAsync(Actor actor, List<MessageView> page)
    {
        if (actor.Kind != ActorKind.Patient || !page.Any(m => m.Cards is { Count: > 0 }))
        {
            return page;
        }

        var withdrawn = await records.WithdrawnAmongAsync(page.SelectMany(m => m.Cards ?? []).Select(c => c.RecordId).Distinct().ToList());
        return withdrawn.Count == 0 ? page : page.ConvertAll(m => m.Cards is { } cards && cards.Any(c => withdrawn.Contains(c.RecordId))
            ? m with { Cards = [.. cards.Select(c => withdrawn.Contains(c.RecordId) ? c with { Snapshot = RecordSnapshot.Withdrawn(c.Snapshot.Kind) } : c)] }
            : m);
    }

    public async Task<Outcome<ReceiptCursor>> AcknowledgeAsync(Actor actor, ReceiptAck ack)
    {
        if (!await CanAccessAsync(actor))
        {
            return ChatError.NotFound();
        }

        return ReceiptRules.Validate(ack) is { } invalid ? invalid : await Receipts.AdvanceAsync(actor, ack, _lastSeq, state.State.CreatedAt);
    }

    public Task NotifyTypingAsync(Actor actor)
    {
        if (TakesPart(actor) && _typing.ShouldPush(actor.UserId, time.GetUtcNow()))
        {
            Events.Typing(MessageRules.SideOf(actor), actor.DisplayName);
        }

        return Task.CompletedTask;
    }

    public async Task LookForNoticeAsync(NoticeAudience audience)
    {
        if (Exists)
        {
            await (audience == NoticeAudience.Patient
                ? Notices.LookForPatientAsync(_receipts.SideOf(SenderKind.Patient).ReadUpTo, _lastSeq)
                : Notices.LookForStaffAsync(_team, _lastSeq));
        }
    }

    public async Task ReceiveReminder(string reminderName, TickStatus status)
    {
        if (!ArchivalSchedule.IsArchivalReminder(reminderName) || !await Archival.TickAsync(Exists, state.State.Archived, _lastActivity))
        {
            return;
        }

        var now = time.GetUtcNow();
        await writer.WriteAsync(MessageStore.SetArchived(Id, archived: true).Then(AuditLog.Append(now, Audit.Archived())));
        state.State.Archive(now);
        try
        {
            await state.WriteStateAsync();
        }
        catch
        {
            // Keep memory equal to storage; the reminder stays armed and the next tick tries again.
            state.State.Reopen();
            throw;
        }

        await Archival.DisarmAsync();
        Events.Archived();
        logger.Archived(Id);
    }

    /// <summary>Staff the thread routes to (see <see cref="ThreadTopics.RoutesTo(StaffRole, ThreadTopic)"/>), and the patient themself; nobody else.</summary>
    private bool TakesPart(Actor actor) => Exists && (actor.RoutesTo(state.State.ClinicId, _team.Topic) || actor.IsPatient(state.State.PatientId));

    /// <summary><see cref="TakesPart"/>, with a refusal audited and answered as not found.</summary>
    private async Task<bool> CanAccessAsync(Actor actor)
    {
        if (TakesPart(actor))
        {
            return true;
        }

        await DenyAsync(actor, Exists ? state.State.ClinicId : null, Exists ? state.State.PatientId : null);
        return false;
    }

    private Task<ChatError> DenyAsync(Actor actor, Guid? clinicId, Guid? patientId)
    {
        logger.Denied(Id, actor.UserId);
        if (!Exists)
        {
            // A refused read of an id that names no thread (a guess) should not hold an activation
            // for the collection age: thousands of guesses were ~180 MB of them.
            this.DeactivateOnIdle();
        }

        return GrainFactory.DenyAsync(actor, clinicId, patientId, Id);
    }

    private ConversationInfo Info() => new(
        Id, state.State.ClinicId, state.State.PatientId, state.State.CreatedAt, _lastActivity, _lastSeq, state.State.Archived);
}
