using ClinicChat.Access;
using ClinicChat.Attachments;
using ClinicChat.Audit;
using ClinicChat.Diagnostics;
using ClinicChat.Patients;
using ClinicChat.Realtime;
using ClinicChat.Records;
using ClinicChat.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace ClinicChat.Conversations;

public sealed partial class ConversationGrain(
    [PersistentState("conversation", ChatStorage.GrainStateProvider)] IPersistentState<ConversationState> state,
    GroupCommitWriter writer,
    MessageStore messages,
    [FromKeyedServices(ChatTime.Key)] TimeProvider time,
    ChatMetrics metrics,
    ILogger<ConversationGrain> logger) : Grain, IConversationGrain, IRemindable
{
    private readonly ReceiptLedger _receipts = new();
    /// <summary>In memory: a lost activation only lets one more push through.</summary>
    private readonly TypingThrottle _typing = new();
    private ArchivalSchedule? _archival;
    private SendResolver? _resolver;
    private ConversationEvents? _events;
    private long _lastSeq;
    private DateTimeOffset _lastActivity;

    private Guid Id => this.GetPrimaryKey();

    private bool Exists => state.RecordExists;

    private ArchivalSchedule Archival => _archival ??= new(this, time);

    // The two below need the thread's clinic and patient, which never change once it exists; built on first use after that.
    private SendResolver Resolver => _resolver ??= new(GrainFactory, time, Id, state.State.ClinicId, state.State.PatientId);

    private ConversationEvents Events => _events ??= new(Id, state.State.ClinicId, state.State.PatientId,
        // One-way: a push never holds up the sender. Clients that miss it recover from their seq cursor.
        chatEvent => _ = GrainFactory.GetGrain<ITopicNotifierGrain>(chatEvent.Topic).PublishAsync(chatEvent));

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        if (Exists)
        {
            var tail = await messages.ReadTailAsync(Id);
            _lastSeq = tail?.Seq ?? 0;
            _lastActivity = tail?.SentAt ?? state.State.CreatedAt;
            _receipts.Load(await messages.ReadCursorsAsync(Id));
            if (ArchivalSchedule.WasReopened(state.State, _lastActivity))
            {
                state.State.Archived = false;
                state.State.ArchivedAt = null;
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

        if (SendResolver.EligibilityError(await patient.GetChatEligibilityAsync()) is { } ineligible)
        {
            return ineligible;
        }

        if (!Exists)
        {
            var now = time.GetUtcNow();
            state.State = new ConversationState { ClinicId = clinicId, PatientId = patientId, CreatedAt = now };
            _lastActivity = now;
            var info = Info();
            var started = AuditFor(actor, AuditActions.ConversationStarted);
            await writer.WriteAsync(MessageStore.InsertConversation(info).Then(AuditLog.Append(now, started)));
            // Arm before the state is saved: if saving fails, a retried start arms again, and a tick
            // that finds no saved state simply disarms. No thread can exist without its reminder.
            await Archival.ArmAsync(_lastActivity);
            await state.WriteStateAsync();
            LogStarted(Id, clinicId);
        }

        return Info();
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
            return resolved.Earlier is { } earlier ? ForSender(earlier, actor, duplicate: true) : resolved.Error!;
        }

        var now = message.SentAt;
        var reopening = state.State.Archived;
        var sent = AuditFor(actor, AuditActions.MessageSent, $"seq={message.Seq}");
        IReadOnlyList<AuditEvent> attached = message.Cards is { } cards
            ? cards.Select(c => AuditFor(actor, AuditActions.CardAttached, $"seq={message.Seq};record={c.RecordId};version={c.Version}")).ToList()
            : [];
        List<AuditEvent> audits = [sent, .. attached];
        if (reopening)
        {
            audits.Add(AuditFor(actor, AuditActions.ConversationReopened));
        }

        List<WriteUnit> units = [MessageStore.Append(message)];
        if (message.Attachments is { } files)
        {
            units.Add(MessageStore.MarkAttachmentsSent(files.Select(a => a.Id), message.Sensitive));
        }

        if (message.Sensitive && message.Cards is { } sentCards)
        {
            // Otherwise the patient would read the record the locked card hides through the record routes.
            units.Add(RecordStore.MarkSensitive(sentCards.Select(c => c.RecordId)));
        }

        units.Add(AuditLog.Append(now, audits));
        try
        {
            // Units capture their values when built: the writer runs them later, on its own thread.
            await writer.WriteAsync(WriteUnit.Together(units));
        }
        catch (Exception exception) when (ChatDatabase.IsPrimaryKeyViolation(exception))
        {
            // Another activation of this conversation stored that seq (possible for a moment in a
            // cluster). Catch up with the table and let the client retry with the same client id.
            var tail = await messages.ReadTailAsync(Id);
            _lastSeq = tail?.Seq ?? _lastSeq;
            LogSeqConflict(Id, message.Seq);
            return new ChatError(ChatErrorCode.RetryLater, "The conversation moved on elsewhere; retry with the same clientMessageId.");
        }
        catch (Exception exception) when (ChatDatabase.IsUniqueViolation(exception))
        {
            // A retry that reached a fresh activation: the unique index on (sender, client id) caught it.
            var stored = await messages.FindByClientIdAsync(Id, actor.UserId, send.ClientMessageId)
                ?? throw new InvalidOperationException("Unique violation without a stored message.", exception);
            Resolver.Remember(stored);
            return ForSender(stored, actor, duplicate: true);
        }

        _lastSeq = message.Seq;
        _lastActivity = now;
        Resolver.Remember(message);
        metrics.MessageSent(message.SenderKind);
        if (message.Attachments is { } attachments)
        {
            // The rows already say so; the attachment grains' cached copies must too before anyone fetches.
            await Task.WhenAll(attachments.Select(a => GrainFactory.GetGrain<IAttachmentGrain>(a.Id).MarkSentAsync(message.Sensitive)));
        }

        Events.MessageSent(message);
        if (reopening)
        {
            // The message is stored and pushed whatever happens next. Arm first: if saving the
            // state fails, activation reconciles it from the message time (see OnActivateAsync).
            await Archival.ArmAsync(_lastActivity);
            state.State.Archived = false;
            state.State.ArchivedAt = null;
            await state.WriteStateAsync();
        }

        LogSent(Id, message.Seq);
        return ForSender(message, actor, duplicate: false);
    }

    /// <summary>
    /// The stored message as its sender may see it now. A patient who marked a message sensitive gets it back locked
    /// unless their window is open: the same answer a reload gives, so the message does not flip.
    /// </summary>
    private SendReceipt ForSender(MessageView message, Actor sender, bool duplicate) =>
        new(SensitiveRules.ForReader(message, sender, time.GetUtcNow()), duplicate);

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
        var page = stored.Select(m => SensitiveRules.ForReader(m, actor, now)).ToList();
        // Every opening of a sensitive message by a patient is audited (staff see them as a matter of course).
        var opened = actor.Kind == ActorKind.Patient ? page.Where(m => m.Sensitive && !m.Locked).Select(m => m.Seq).ToList() : [];
        var viewed = AuditFor(actor, AuditActions.ConversationViewed,
            opened.Count == 0 ? $"count={page.Count}" : $"count={page.Count};sensitiveOpened={string.Join(',', opened)}");
        // Fetching is receiving: the caller's device now has everything in this page. The view is
        // audited in the same commit as that receipt, so a page read costs one flush, not two.
        await AdvanceAsync(actor, new ReceiptAck(page.Count > 0 ? page[^1].Seq : null, null), viewed);

        var readReceipts = actor.Kind == ActorKind.Staff && page.Count > 0
            ? _receipts.ReadReceipts(page, await messages.ReadAdvancesAsync(Id, page[0].Seq, page[^1].Seq))
            : [];
        return new MessagePage(page, _lastSeq, hasMore, _receipts.SideOf(SenderKind.Staff), _receipts.SideOf(SenderKind.Patient), readReceipts);
    }

    public async Task<Outcome<ReceiptCursor>> AcknowledgeAsync(Actor actor, ReceiptAck ack)
    {
        if (!await CanAccessAsync(actor))
        {
            return ChatError.NotFound();
        }

        return ReceiptRules.Validate(ack) is { } invalid ? invalid : await AdvanceAsync(actor, ack);
    }

    public Task NotifyTypingAsync(Actor actor)
    {
        if (Exists && (actor.CanChatAt(state.State.ClinicId) || actor.IsPatient(state.State.PatientId)) && _typing.ShouldPush(actor.UserId, time.GetUtcNow()))
        {
            Events.Typing(MessageRules.SideOf(actor), actor.DisplayName);
        }

        return Task.CompletedTask;
    }

    /// <summary>Moves a reader's cursors forward, stores the move, and tells both sides when receipts changed.</summary>
    /// <remarks><paramref name="alsoAudit"/> is written in the same commit, whether or not the cursors move.</remarks>
    private async Task<ReceiptCursor> AdvanceAsync(Actor actor, ReceiptAck ack, AuditEvent? alsoAudit = null)
    {
        var now = time.GetUtcNow();
        var move = _receipts.Propose(actor, ack, _lastSeq, state.State.CreatedAt, now);
        if (!move.IsWorthStoring)
        {
            if (alsoAudit is not null)
            {
                await writer.AuditAsync(time.GetUtcNow(), alsoAudit);
            }

            return move.Current;
        }

        var (action, detail) = move.Audit;
        var audit = AuditFor(actor, action, detail);
        await writer.WriteAsync(MessageStore.SaveCursor(Id, move.Next, move.DeliveredMoved, move.ReadMoved, move.SensitiveMoved)
            .Then(alsoAudit is null ? AuditLog.Append(now, audit) : AuditLog.Append(now, audit, alsoAudit)));

        var sideAfter = _receipts.Record(move);
        if (move.DeliveredMoved)
        {
            metrics.DeliveryReceiptAdvanced();
        }

        Events.ReceiptsMoved(move, sideAfter);
        return move.Next;
    }

    public async Task ReceiveReminder(string reminderName, TickStatus status)
    {
        if (!ArchivalSchedule.IsArchivalReminder(reminderName))
        {
            return;
        }

        var now = time.GetUtcNow();
        switch (ArchivalSchedule.OnTick(Exists, state.State.Archived, _lastActivity, now))
        {
            case ArchivalStep.Disarm:
                await Archival.DisarmAsync();
                return;
            case ArchivalStep.Rearm:
                await Archival.ArmAsync(_lastActivity);
                return;
            case ArchivalStep.Archive:
                break;
        }

        var id = Id;
        var archived = new AuditEvent(AuditActions.ConversationArchived, "system", state.State.ClinicId, state.State.PatientId, id, AuditOutcomes.Success);
        await writer.WriteAsync(MessageStore.SetArchived(id, archived: true).Then(AuditLog.Append(now, archived)));
        state.State.Archived = true;
        state.State.ArchivedAt = now;
        try
        {
            await state.WriteStateAsync();
        }
        catch
        {
            // Keep memory equal to storage; the reminder stays armed and the next tick tries again.
            state.State.Archived = false;
            state.State.ArchivedAt = null;
            throw;
        }

        await Archival.DisarmAsync();
        Events.Archived();
        LogArchived(Id);
    }

    /// <summary>Clinicians and front desk of the thread's clinic, and the patient themself; nobody else.</summary>
    private async Task<bool> CanAccessAsync(Actor actor)
    {
        if (Exists && (actor.CanChatAt(state.State.ClinicId) || actor.IsPatient(state.State.PatientId)))
        {
            return true;
        }

        await DenyAsync(actor, Exists ? state.State.ClinicId : null, Exists ? state.State.PatientId : null);
        return false;
    }

    private Task<ChatError> DenyAsync(Actor actor, Guid? clinicId, Guid? patientId)
    {
        LogDenied(Id, actor.UserId);
        if (!Exists)
        {
            // A refused read of an id that names no thread (a guess) should not hold an activation
            // for the collection age: thousands of guesses were ~180 MB of them.
            this.DeactivateOnIdle();
        }

        return GrainFactory.DenyAsync(actor, clinicId, patientId, Id);
    }

    private AuditEvent AuditFor(Actor actor, string action, string? detail = null) =>
        new(action, actor.UserId, state.State.ClinicId, state.State.PatientId, Id, AuditOutcomes.Success, detail);

    private ConversationInfo Info() => new(
        Id, state.State.ClinicId, state.State.PatientId, state.State.CreatedAt, _lastActivity, _lastSeq, state.State.Archived);

    [LoggerMessage(Level = LogLevel.Information, Message = "Conversation {ConversationId} started at clinic {ClinicId}.")]
    private partial void LogStarted(Guid conversationId, Guid clinicId);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Conversation {ConversationId} stored message {Seq}.")]
    private partial void LogSent(Guid conversationId, long seq);

    [LoggerMessage(Level = LogLevel.Information, Message = "Conversation {ConversationId} archived after inactivity.")]
    private partial void LogArchived(Guid conversationId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Conversation {ConversationId} found seq {Seq} already taken; caught up with the stored tail.")]
    private partial void LogSeqConflict(Guid conversationId, long seq);

    [LoggerMessage(Level = LogLevel.Information, Message = "Access to conversation {ConversationId} denied for user {UserId}.")]
    private partial void LogDenied(Guid conversationId, string userId);
}
