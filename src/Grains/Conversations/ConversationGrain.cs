using ClinicChat.Access;
using ClinicChat.Patients;
using ClinicChat.Realtime;
using ClinicChat.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace ClinicChat.Conversations;

public sealed partial class ConversationGrain(
    [PersistentState("conversation", ChatStorage.GrainStateProvider)] IPersistentState<ConversationState> state,
    GroupCommitWriter writer,
    MessageStore messages,
    [FromKeyedServices(ChatTime.Key)] TimeProvider time,
    ILogger<ConversationGrain> logger) : Grain, IConversationGrain, IRemindable
{
    /// <summary>Recent sends by (sender, client id): answers a quick retry without a database read.</summary>
    private readonly RecentSends _recent = new(capacity: 256);
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

    public async Task<Outcome<SendReceipt>> SendAsync(Actor actor, string clientMessageId, string text)
    {
        if (!await CanAccessAsync(actor))
        {
            return ChatError.NotFound();
        }

        if (MessageRules.Validate(clientMessageId, text) is { } invalid)
        {
            return invalid;
        }

        if (_recent.TryGet(actor.UserId, clientMessageId, out var earlier))
        {
            return new SendReceipt(earlier, WasDuplicate: true);
        }

        var patient = GrainFactory.GetGrain<IPatientProfileGrain>(state.State.PatientId);
        if (EligibilityError(await patient.GetChatEligibilityAsync()) is { } ineligible)
        {
            return ineligible;
        }

        // Stored with millisecond precision; answer with exactly what a later read will return.
        var now = DateTimeOffset.FromUnixTimeMilliseconds(time.GetUtcNow().ToUnixTimeMilliseconds());
        var message = new MessageView(
            Id,
            _lastSeq + 1,
            clientMessageId,
            actor.UserId,
            actor.Kind == ActorKind.Patient ? SenderKind.Patient : SenderKind.Staff,
            actor.DisplayName,
            text,
            now);
        var reopening = state.State.Archived;
        var sent = AuditFor(actor, AuditActions.MessageSent, $"seq={message.Seq}");
        var reopened = AuditFor(actor, AuditActions.ConversationReopened);
        try
        {
            // The unit runs on the writer's thread: it may only use the values captured here, never grain fields.
            await writer.WriteAsync(async (connection, transaction) =>
            {
                await MessageStore.AppendAsync(connection, transaction, message);
                await AuditLog.AppendAsync(connection, transaction, sent, now);
                if (reopening)
                {
                    await AuditLog.AppendAsync(connection, transaction, reopened, now);
                }
            });
        }
        catch (Exception exception) when (ChatDatabase.IsUniqueViolation(exception))
        {
            // A retry that reached a fresh activation: the unique index on (sender, client id) caught it.
            var stored = await messages.FindByClientIdAsync(Id, actor.UserId, clientMessageId)
                ?? throw new InvalidOperationException("Unique violation without a stored message.", exception);
            _recent.Add(stored);
            return new SendReceipt(stored, WasDuplicate: true);
        }

        _lastSeq = message.Seq;
        _lastActivity = now;
        _recent.Add(message);
        if (reopening)
        {
            state.State.Archived = false;
            state.State.ArchivedAt = null;
            await state.WriteStateAsync();
            await ArmArchivalAsync();
        }

        Publish(ChatEventKind.MessageAdded, message);
        LogSent(Id, message.Seq);
        return new SendReceipt(message, WasDuplicate: false);
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

        var (page, hasMore) = await messages.ReadPageAsync(Id, query.AfterSeq, query.BeforeSeq, query.Limit);
        var viewed = AuditFor(actor, AuditActions.ConversationViewed, $"count={page.Count}");
        var now = time.GetUtcNow();
        await writer.WriteAsync((connection, transaction) => AuditLog.AppendAsync(connection, transaction, viewed, now));
        return new MessagePage(page, _lastSeq, hasMore);
    }

    public async Task<Outcome<long>> MarkReadUpToAsync(Actor actor, long seq)
    {
        if (!await CanAccessAsync(actor))
        {
            return ChatError.NotFound();
        }

        if (seq < 0)
        {
            return ChatError.Invalid("readUpToSeq", "readUpToSeq must not be negative.");
        }

        var upTo = Math.Min(seq, _lastSeq);
        var now = time.GetUtcNow();
        var id = Id;
        var read = AuditFor(actor, AuditActions.MessageRead, $"upTo={upTo}");
        var stored = await writer.WriteAsync(async (connection, transaction) =>
        {
            var cursor = await MessageStore.AdvanceReadCursorAsync(connection, transaction, id, actor.UserId, upTo, now);
            await AuditLog.AppendAsync(connection, transaction, read, now);
            return cursor;
        });
        return stored;
    }

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

        state.State.Archived = true;
        state.State.ArchivedAt = now;
        var id = Id;
        var archived = new AuditEvent(AuditActions.ConversationArchived, "system", state.State.ClinicId, state.State.PatientId, id, AuditOutcomes.Success);
        await writer.WriteAsync(async (connection, transaction) =>
        {
            await MessageStore.SetArchivedAsync(connection, transaction, id, archived: true);
            await AuditLog.AppendAsync(connection, transaction, archived, now);
        });
        await state.WriteStateAsync();
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
        var denied = new AuditEvent(AuditActions.AccessDenied, actor.UserId, clinicId, patientId, Id, AuditOutcomes.Denied);
        var now = time.GetUtcNow();
        return writer.WriteAsync((connection, transaction) => AuditLog.AppendAsync(connection, transaction, denied, now));
    }

    private static ChatError? EligibilityError(ChatEligibility eligibility) => eligibility switch
    {
        ChatEligibility.NoPortalAccount => new ChatError(ChatErrorCode.PatientHasNoPortalAccount, "The patient has no portal account; chat needs one. Offer SMS instead."),
        ChatEligibility.OptedOut => new ChatError(ChatErrorCode.PatientOptedOut, "The patient has opted out of chat; nothing can be delivered."),
        _ => null,
    };

    private void Publish(ChatEventKind kind, MessageView? message)
    {
        foreach (var topic in new[] { Topics.Clinic(state.State.ClinicId), Topics.Patient(state.State.PatientId) })
        {
            // One-way: a push never holds up the sender. Clients that miss it recover from their seq cursor.
            _ = GrainFactory.GetGrain<ITopicNotifierGrain>(topic).PublishAsync(new ChatEvent(topic, kind, Id, message));
        }
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

    [LoggerMessage(Level = LogLevel.Information, Message = "Access to conversation {ConversationId} denied for user {UserId}.")]
    private partial void LogDenied(Guid conversationId, string userId);
}
