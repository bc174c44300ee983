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
    /// <summary>Recent sends by (sender, client id): answers a quick retry without a database read.</summary>
    private readonly RecentSends _recent = new(capacity: 256);

    /// <summary>Every reader's receipt cursors (the patient, and each staff member who has received or read).</summary>
    private readonly Dictionary<string, ReceiptCursor> _cursors = [];
    /// <summary>In memory: a lost activation only lets one more push through.</summary>
    private readonly TypingThrottle _typing = new();
    private long _lastSeq;
    private DateTimeOffset _lastActivity;

    private Guid Id => this.GetPrimaryKey();

    private bool Exists => state.RecordExists;

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        if (Exists)
        {
            var tail = await messages.ReadTailAsync(Id);
            _lastSeq = tail?.Seq ?? 0;
            _lastActivity = tail?.SentAt ?? state.State.CreatedAt;
            foreach (var cursor in await messages.ReadCursorsAsync(Id))
            {
                _cursors[cursor.ReaderId] = cursor;
            }

            // A message after the archival reopened the thread even if saving that state failed.
            if (state.State.Archived && _lastActivity > state.State.ArchivedAt)
            {
                state.State.Archived = false;
                state.State.ArchivedAt = null;
            }
        }
    }

    public async Task<Outcome<ConversationInfo>> StartAsync(Actor actor, Guid clinicId, Guid patientId)
    {
        if (ConversationId.For(clinicId, patientId) != Id || !actor.CanChatAt(clinicId))
        {
            await DenyAsync(actor, clinicId, patientId);
            return ChatError.NotFound();
        }

        var patient = GrainFactory.GetGrain<IPatientProfileGrain>(patientId);
        if (!await patient.IsPatientOfAsync(clinicId))
        {
            await DenyAsync(actor, clinicId, patientId);
            return ChatError.NotFound();
        }

        if (EligibilityError(await patient.GetChatEligibilityAsync()) is { } ineligible)
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
            await writer.WriteAsync(async (connection, transaction) =>
            {
                await MessageStore.InsertConversationAsync(connection, transaction, info);
                await AuditLog.AppendAsync(connection, transaction, started, now);
            });
            // Arm before the state is saved: if saving fails, a retried start arms again, and a tick
            // that finds no saved state simply disarms. No thread can exist without its reminder.
            await ArmArchivalAsync();
            await state.WriteStateAsync();
            LogStarted(Id, clinicId);
        }

        return Info();
    }

    public async Task<Outcome<ConversationInfo>> GetAsync(Actor actor) =>
        await CanAccessAsync(actor) ? Info() : ChatError.NotFound();

    public async Task<Outcome<SendReceipt>> SendAsync(
        Actor actor, string clientMessageId, string text, IReadOnlyList<Guid>? attachmentIds = null, IReadOnlyList<Guid>? artifactIds = null, bool sensitive = false)
    {
        if (!await CanAccessAsync(actor))
        {
            return ChatError.NotFound();
        }

        attachmentIds ??= [];
        artifactIds ??= [];
        if (MessageRules.Validate(clientMessageId, text, attachmentIds.Count, artifactIds.Count) is { } invalid)
        {
            return invalid;
        }

        if (artifactIds.Count > 0 && actor.Kind != ActorKind.Staff)
        {
            return ChatError.Invalid("artifactIds", "Only clinic staff attach record cards.");
        }

        if (_recent.TryGet(actor.UserId, clientMessageId, out var earlier))
        {
            return ForSender(earlier, actor, duplicate: true);
        }

        var patient = GrainFactory.GetGrain<IPatientProfileGrain>(state.State.PatientId);
        if (EligibilityError(await patient.GetChatEligibilityAsync()) is { } ineligible)
        {
            return ineligible;
        }

        var attachments = new List<AttachmentRef>(attachmentIds.Count);
        foreach (var attachmentId in attachmentIds.Distinct())
        {
            // Only files this sender uploaded to this conversation: nobody attaches someone else's file.
            if (await GrainFactory.GetGrain<IAttachmentGrain>(attachmentId).FindForSendAsync(Id, actor.UserId) is not { } found)
            {
                return ChatError.Invalid("attachmentIds", "Each attachment must be uploaded to this conversation by the sender first.");
            }

            attachments.Add(new AttachmentRef(found.Id, found.ContentType, found.SizeBytes, found.DisplayName));
        }

        var cards = new List<CardRef>(artifactIds.Count);
        foreach (var artifactId in artifactIds.Distinct())
        {
            // Only this patient's records at this clinic: a card never shows one patient another's details.
            if (await GrainFactory.GetGrain<IArtifactGrain>(artifactId).FindForSendAsync(state.State.ClinicId, state.State.PatientId) is not { } record)
            {
                return ChatError.Invalid("artifactIds", "Each record card must be about this thread's patient.");
            }

            cards.Add(new CardRef(record.Id, record.Version, record.Snapshot));
        }

        // Stored with millisecond precision; answer with exactly what a later read will return.
        var now = DateTimeOffset.FromUnixTimeMilliseconds(time.GetUtcNow().ToUnixTimeMilliseconds());
        var message = new MessageView(
            Id,
            _lastSeq + 1,
            clientMessageId,
            actor.UserId,
            SideOf(actor),
            actor.DisplayName,
            text,
            now,
            attachments.Count > 0 ? attachments : null,
            cards.Count > 0 ? cards : null,
            sensitive);
        var reopening = state.State.Archived;
        var sent = AuditFor(actor, AuditActions.MessageSent, $"seq={message.Seq}");
        var attached = cards.Select(c => AuditFor(actor, AuditActions.CardAttached, $"seq={message.Seq};record={c.ArtifactId};version={c.Version}")).ToList();
        var reopened = AuditFor(actor, AuditActions.ConversationReopened);
        try
        {
            // The unit runs on the writer's thread: it may only use the values captured here, never grain fields.
            await writer.WriteAsync(async (connection, transaction) =>
            {
                await MessageStore.AppendAsync(connection, transaction, message);
                if (message.Attachments is { } files)
                {
                    await MessageStore.MarkAttachmentsSentAsync(connection, transaction, files.Select(a => a.Id), message.Sensitive);
                }

                if (message.Sensitive && message.Cards is { } sentCards)
                {
                    // Otherwise the patient would read the record the locked card hides through the record routes.
                    await RecordStore.MarkSensitiveAsync(connection, transaction, sentCards.Select(c => c.ArtifactId));
                }

                await AuditLog.AppendAsync(connection, transaction, sent, now);
                foreach (var card in attached)
                {
                    await AuditLog.AppendAsync(connection, transaction, card, now);
                }

                if (reopening)
                {
                    await AuditLog.AppendAsync(connection, transaction, reopened, now);
                }
            });
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
            var stored = await messages.FindByClientIdAsync(Id, actor.UserId, clientMessageId)
                ?? throw new InvalidOperationException("Unique violation without a stored message.", exception);
            _recent.Add(stored);
            return ForSender(stored, actor, duplicate: true);
        }

        _lastSeq = message.Seq;
        _lastActivity = now;
        _recent.Add(message);
        metrics.MessageSent(message.SenderKind);
        // The rows already say so; the attachment grains' cached copies must too before anyone fetches.
        await Task.WhenAll(attachments.Select(a => GrainFactory.GetGrain<IAttachmentGrain>(a.Id).MarkSentAsync(message.Sensitive)));

        Publish(ChatEventKind.MessageAdded, message);
        if (reopening)
        {
            // The message is stored and pushed whatever happens next. Arm first: if saving the
            // state fails, activation reconciles it from the message time (see OnActivateAsync).
            await ArmArchivalAsync();
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
            ? await ReadReceiptsAsync(page)
            : [];
        return new MessagePage(
            page,
            _lastSeq,
            hasMore,
            ReceiptRules.SideOf(_cursors.Values, SenderKind.Staff),
            ReceiptRules.SideOf(_cursors.Values, SenderKind.Patient),
            readReceipts);
    }

    public async Task<Outcome<ReceiptCursor>> AcknowledgeAsync(Actor actor, ReceiptAck ack)
    {
        if (!await CanAccessAsync(actor))
        {
            return ChatError.NotFound();
        }

        if (ack.DeliveredUpToSeq < 0)
        {
            return ChatError.Invalid("deliveredUpToSeq", "deliveredUpToSeq must not be negative.");
        }

        if (ack.ReadUpToSeq < 0)
        {
            return ChatError.Invalid("readUpToSeq", "readUpToSeq must not be negative.");
        }

        if (ack.DeliveredUpToSeq is null && ack.ReadUpToSeq is null)
        {
            return ChatError.Invalid("readUpToSeq", "Give deliveredUpToSeq, readUpToSeq or both.");
        }

        return await AdvanceAsync(actor, ack);
    }

    public async Task NotifyTypingAsync(Actor actor)
    {
        if (!Exists || !(actor.CanChatAt(state.State.ClinicId) || actor.IsPatient(state.State.PatientId)))
        {
            return;
        }

        if (!_typing.ShouldPush(actor.UserId, time.GetUtcNow()))
        {
            return;
        }

        var side = SideOf(actor);
        var audience = side == SenderKind.Staff ? Topics.Patient(state.State.PatientId) : Topics.Clinic(state.State.ClinicId);
        _ = GrainFactory.GetGrain<ITopicNotifierGrain>(audience)
            .PublishAsync(new ChatEvent(audience, ChatEventKind.Typing, Id, null, side, null, actor.DisplayName));
    }

    /// <summary>Moves a reader's cursors forward, stores the move, and tells both sides when receipts changed.</summary>
    /// <remarks><paramref name="alsoAudit"/> is written in the same commit, whether or not the cursors move.</remarks>
    private async Task<ReceiptCursor> AdvanceAsync(Actor actor, ReceiptAck ack, AuditEvent? alsoAudit = null)
    {
        var side = SideOf(actor);
        var current = _cursors.GetValueOrDefault(actor.UserId)
            ?? new ReceiptCursor(actor.UserId, side, actor.DisplayName, 0, 0, state.State.CreatedAt);
        var (delivered, read) = ReceiptRules.Advance(current.DeliveredUpTo, current.ReadUpTo, ack, _lastSeq);
        var now = time.GetUtcNow();
        // The client says what was read; the session says whether sensitive content could have been shown then.
        var sensitiveRead = side == SenderKind.Patient
            ? ReceiptRules.AdvanceSensitive(current.SensitiveReadUpTo, ack, _lastSeq, actor.MaySeeSensitive(now))
            : current.SensitiveReadUpTo;
        var sideBefore = ReceiptRules.SideOf(_cursors.Values, side);
        if (!ReceiptRules.IsWorthStoring(side, current, delivered, read, sideBefore, sensitiveRead))
        {
            if (alsoAudit is not null)
            {
                await writer.AuditAsync(time.GetUtcNow(), alsoAudit);
            }

            return current;
        }

        var deliveredMoved = delivered != current.DeliveredUpTo;
        var readMoved = read != current.ReadUpTo;
        var sensitiveMoved = sensitiveRead != current.SensitiveReadUpTo;
        var next = current with { DeliveredUpTo = delivered, ReadUpTo = read, SensitiveReadUpTo = sensitiveRead, ReaderName = actor.DisplayName, UpdatedAt = now };
        var audit = readMoved || sensitiveMoved
            ? AuditFor(actor, AuditActions.MessageRead, $"readUpTo={read};deliveredUpTo={delivered}" + (sensitiveMoved ? $";sensitiveReadUpTo={sensitiveRead}" : ""))
            : AuditFor(actor, AuditActions.MessageDelivered, $"deliveredUpTo={delivered}");
        var id = Id;
        await writer.WriteAsync(async (connection, transaction) =>
        {
            await MessageStore.SaveCursorAsync(connection, transaction, id, next, deliveredMoved, readMoved, sensitiveMoved);
            await AuditLog.AppendAsync(connection, transaction, audit, now);
            if (alsoAudit is not null)
            {
                await AuditLog.AppendAsync(connection, transaction, alsoAudit, now);
            }
        });

        _cursors[actor.UserId] = next;
        if (deliveredMoved)
        {
            metrics.DeliveryReceiptAdvanced();
        }

        var sideAfter = ReceiptRules.SideOf(_cursors.Values, side);

        // Staff see who read (for "read by Frank at 14:05"); the patient sees only the clinic's side as a whole.
        if (sideAfter != sideBefore || readMoved || sensitiveMoved)
        {
            var clinicTopic = Topics.Clinic(state.State.ClinicId);
            _ = GrainFactory.GetGrain<ITopicNotifierGrain>(clinicTopic)
                .PublishAsync(new ChatEvent(clinicTopic, ChatEventKind.ReceiptsUpdated, id, null, side, sideAfter, actor.DisplayName));
        }

        if (sideAfter != sideBefore)
        {
            var patientTopic = Topics.Patient(state.State.PatientId);
            _ = GrainFactory.GetGrain<ITopicNotifierGrain>(patientTopic)
                .PublishAsync(new ChatEvent(patientTopic, ChatEventKind.ReceiptsUpdated, id, null, side, sideAfter));
        }

        return next;
    }

    /// <summary>
    /// For each message of the page, who on the other side read it and when (staff only). A sensitive message the
    /// patient has read only locked is listed as such, with the time it was opened; once read unlocked, with that time.
    /// </summary>
    private async Task<IReadOnlyList<ReadReceipt>> ReadReceiptsAsync(IReadOnlyList<MessageView> page)
    {
        var advances = await messages.ReadAdvancesAsync(Id, page[0].Seq, page[^1].Seq);
        var byReader = advances.GroupBy(a => a.ReaderId).ToDictionary(
            g => g.Key,
            g => g.OrderBy(a => a.UpTo).ToLookup(a => a.Kind == ReceiptKind.SensitiveRead, a => (a.UpTo, a.At)));
        var receipts = new List<ReadReceipt>();
        foreach (var message in page)
        {
            foreach (var (readerId, readerAdvances) in byReader)
            {
                if (!_cursors.TryGetValue(readerId, out var reader) || reader.ReaderKind == message.SenderKind)
                {
                    continue;
                }

                if (ReceiptRules.IsLockedToRecipients(message) && FirstAt(readerAdvances[true], message.Seq) is { } unlockedAt)
                {
                    receipts.Add(new ReadReceipt(message.Seq, readerId, reader.ReaderName, reader.ReaderKind, unlockedAt));
                }
                else if (FirstAt(readerAdvances[false], message.Seq) is { } readAt)
                {
                    receipts.Add(new ReadReceipt(message.Seq, readerId, reader.ReaderName, reader.ReaderKind, readAt, Locked: ReceiptRules.IsLockedToRecipients(message)));
                }
            }
        }

        return receipts;
    }

    /// <summary>
    /// When a cursor first reached <paramref name="seq"/>: cursors only move forward, so its first advance at or past it
    /// (<paramref name="advances"/> come sorted by position, once per page).
    /// </summary>
    private static DateTimeOffset? FirstAt(IEnumerable<(long UpTo, DateTimeOffset At)> advances, long seq) =>
        advances.Where(a => a.UpTo >= seq).Select(a => (DateTimeOffset?)a.At).FirstOrDefault();

    private static SenderKind SideOf(Actor actor) => actor.Kind == ActorKind.Patient ? SenderKind.Patient : SenderKind.Staff;

    public async Task ReceiveReminder(string reminderName, TickStatus status)
    {
        if (reminderName != ArchivalPolicy.ReminderName)
        {
            return;
        }

        if (!Exists || state.State.Archived)
        {
            await DisarmArchivalAsync();
            return;
        }

        var now = time.GetUtcNow();
        if (!ArchivalPolicy.ShouldArchive(_lastActivity, now))
        {
            await ArmArchivalAsync();
            return;
        }

        var id = Id;
        var archived = new AuditEvent(AuditActions.ConversationArchived, "system", state.State.ClinicId, state.State.PatientId, id, AuditOutcomes.Success);
        await writer.WriteAsync(async (connection, transaction) =>
        {
            await MessageStore.SetArchivedAsync(connection, transaction, id, archived: true);
            await AuditLog.AppendAsync(connection, transaction, archived, now);
        });
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

        await DisarmArchivalAsync();
        Publish(ChatEventKind.ConversationUpdated, message: null);
        LogArchived(Id);
    }

    private async Task ArmArchivalAsync()
    {
        var wait = ArchivalPolicy.NextCheckIn(_lastActivity, time.GetUtcNow());
        await this.RegisterOrUpdateReminder(ArchivalPolicy.ReminderName, wait, ArchivalPolicy.MaxWait);
    }

    private async Task DisarmArchivalAsync()
    {
        if (await this.GetReminder(ArchivalPolicy.ReminderName) is { } reminder)
        {
            await this.UnregisterReminder(reminder);
        }
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

    private Task DenyAsync(Actor actor, Guid? clinicId, Guid? patientId)
    {
        LogDenied(Id, actor.UserId);
        if (!Exists)
        {
            // A refused read of an id that names no thread (a guess) should not hold an activation
            // for the collection age: thousands of guesses were ~180 MB of them.
            this.DeactivateOnIdle();
        }

        return GrainFactory.RecordDeniedAsync(new AuditEvent(AuditActions.AccessDenied, actor.UserId, clinicId, patientId, Id, AuditOutcomes.Denied));
    }

    private static ChatError? EligibilityError(ChatEligibility eligibility) => eligibility switch
    {
        ChatEligibility.NoPortalAccount => new ChatError(ChatErrorCode.PatientHasNoPortalAccount, "The patient has no portal account; chat needs one. Offer SMS instead."),
        ChatEligibility.OptedOut => new ChatError(ChatErrorCode.PatientOptedOut, "The patient has opted out of chat; nothing can be delivered."),
        _ => null,
    };

    private void Publish(ChatEventKind kind, MessageView? message)
    {
        // One-way: a push never holds up the sender. Clients that miss it recover from their seq cursor.
        var clinic = Topics.Clinic(state.State.ClinicId);
        _ = GrainFactory.GetGrain<ITopicNotifierGrain>(clinic).PublishAsync(new ChatEvent(clinic, kind, Id, message));
        var patient = Topics.Patient(state.State.PatientId);
        var forPatient = message is null ? null : SensitiveRules.ForPatientPush(message);
        _ = GrainFactory.GetGrain<ITopicNotifierGrain>(patient).PublishAsync(new ChatEvent(patient, kind, Id, forPatient));
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
