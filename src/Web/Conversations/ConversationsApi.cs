using ClinicChat.Conversations;
using ClinicChat.Inbox;

namespace ClinicChat.Web.Conversations;

public static class ConversationsApi
{
    public static RouteGroupBuilder MapConversationsApi(this RouteGroupBuilder api)
    {
        var conversations = api.MapGroup("/conversations").WithTags("Conversations");
        conversations.MapGet("/", ListAsync);
        conversations.MapPost("/", StartAsync);
        conversations.MapGet("/{id:guid}", GetAsync);
        conversations.MapGet("/{id:guid}/messages", GetMessagesAsync);
        conversations.MapPost("/{id:guid}/messages", SendAsync).RequireRateLimiting(RateLimits.Send);
        conversations.MapPost("/{id:guid}/receipts", AcknowledgeAsync).NotUserActivity();
        conversations.MapPut("/{id:guid}/pin", (Guid id, FlagRequest request, Caller caller, IGrainFactory grains) =>
            SetFlagAsync(request, caller.Actor, grains, (inbox, actor, value) => inbox.SetPinnedAsync(actor, id, value)));
        conversations.MapPut("/{id:guid}/mute", (Guid id, FlagRequest request, Caller caller, IGrainFactory grains) =>
            SetFlagAsync(request, caller.Actor, grains, (inbox, actor, value) => inbox.SetMutedAsync(actor, id, value)));
        conversations.MapPut("/{id:guid}/assignee", AssignAsync);
        conversations.MapPut("/{id:guid}/status", SetStatusAsync);
        conversations.MapPut("/{id:guid}/topic", SetTopicAsync);
        conversations.MapPost("/{id:guid}/notes", AddNoteAsync).RequireRateLimiting(RateLimits.Send);
        conversations.MapPost("/{id:guid}/messages/{seq:long}/withdraw", WithdrawAsync).RequireRateLimiting(RateLimits.Send);
        return api;
    }

    /// <summary>
    /// Staff: the threads of their clinics (pinned first, then most recent), with how many wait for a reply (first page).
    /// Without <c>filter</c>, the Inbox (neither archived nor closed; <c>archived=true</c>: the archived ones);
    /// <c>filter</c> = <c>needsReply</c> (the patient wrote last), <c>mine</c> (assigned to the caller), <c>unassigned</c>,
    /// or <c>closed</c>. Patient: one thread per clinic, archived ones too unless <c>archived</c> is given (each is marked),
    /// and only threads with a message; no filter.
    /// </summary>
    private static async Task<Results<Ok<ThreadPageDto>, ProblemHttpResult>> ListAsync(
        Caller caller, IGrainFactory grains, bool? archived, string? search, int? limit, string? cursor, string? filter)
    {
        var actor = caller.Actor;
        var list = filter is null or "" ? (archived == true ? ThreadList.Archived : ThreadList.Inbox) : ListNamed(filter);
        if (list is null || (filter is { Length: > 0 } && (actor.Kind == ActorKind.Patient || archived == true)))
        {
            return ApiProblems.Validation("filter", "filter is needsReply, mine, unassigned or closed (staff only, not with archived=true), or absent.");
        }

        var outcome = actor.Kind == ActorKind.Patient
            ? await grains.GetGrain<IPatientInboxGrain>(actor.PatientId!.Value).ListThreadsAsync(actor, archived)
            : await grains.GetGrain<IStaffInboxGrain>(actor.UserId).ListThreadsAsync(actor, new ThreadQuery(list.Value, search, limit ?? 50, cursor));
        return outcome.ToOk(page => new ThreadPageDto(page.Threads.Select(ThreadDto.From).ToList(), page.NextCursor, page.NeedsReply));
    }

    private static ThreadList? ListNamed(string filter) => filter switch
    {
        "needsReply" => ThreadList.NeedsReply,
        "mine" => ThreadList.Mine,
        "unassigned" => ThreadList.Unassigned,
        "closed" => ThreadList.Closed,
        _ => null,
    };

    /// <summary>
    /// Staff of the thread's clinic: assigns it to a clinician or front desk colleague (<c>staffUserId</c>), or unassigns
    /// it (null). Pushed to the clinic's staff with a system line, and audited. With <c>expected</c>, 409
    /// <c>assignment_changed</c> if a colleague changed the assignment since the caller looked.
    /// </summary>
    private static async Task<Results<Ok<ThreadTeamDto>, ProblemHttpResult>> AssignAsync(Guid id, AssigneeRequest request, Caller caller, IGrainFactory grains)
    {
        var actor = caller.Actor;
        if (actor.Kind != ActorKind.Staff)
        {
            return ApiProblems.From(ChatError.NotFound());
        }

        if (request.StaffUserId is { } userId && !Guid.TryParse(userId, out _))
        {
            return ApiProblems.Validation("staffUserId", "staffUserId is a colleague's user id, or null to unassign.");
        }

        var assignment = new Assignment(request.StaffUserId, request.Expected is { } expected ? new ExpectedAssignee(expected.StaffUserId) : null);
        return (await grains.GetGrain<IConversationGrain>(id).AssignAsync(actor, assignment)).ToOk(ThreadTeamDto.From);
    }

    /// <summary>
    /// The staff member who sent a message withdraws it (sent to the wrong thread): within 5 minutes and before the patient
    /// read it, else 409 <c>recall_closed</c>; another colleague 403. The patient then sees "Message withdrawn" and cannot
    /// open its files; the stored message and the audit log keep it. Withdrawing again answers the same.
    /// </summary>
    private static async Task<Results<Ok<MessageDto>, ProblemHttpResult>> WithdrawAsync(Guid id, long seq, Caller caller, IGrainFactory grains)
    {
        var actor = caller.Actor;
        if (actor.Kind != ActorKind.Staff)
        {
            return ApiProblems.From(ChatError.NotFound());
        }

        return (await grains.GetGrain<IConversationGrain>(id).WithdrawAsync(actor, seq)).ToOk(m => MessageDto.From(m));
    }

    /// <summary>
    /// Staff of the thread's clinic: an internal note only the clinic's staff see, with the colleagues it mentions (each is
    /// told). 201 with the note; a retry with the same clientNoteId answers 200 with the note stored first.
    /// </summary>
    private static async Task<Results<Created<StaffItemDto>, Ok<StaffItemDto>, ProblemHttpResult>> AddNoteAsync(
        Guid id, AddNoteRequest request, Caller caller, IGrainFactory grains)
    {
        var actor = caller.Actor;
        if (actor.Kind != ActorKind.Staff)
        {
            return ApiProblems.From(ChatError.NotFound());
        }

        var mentions = request.Mentions ?? [];
        if (NoteRules.Validate(request.ClientNoteId, request.Text, mentions.Length) is { } invalid)
        {
            return ApiProblems.From(invalid);
        }

        var outcome = await grains.GetGrain<IConversationGrain>(id).AddNoteAsync(actor, new NewNote(request.ClientNoteId!, request.Text!, mentions));
        if (outcome.Value is not { } receipt)
        {
            return ApiProblems.From(outcome.Error!);
        }

        var note = StaffItemDto.From(receipt.Note);
        return receipt.WasDuplicate ? TypedResults.Ok(note) : TypedResults.Created($"/api/v1/conversations/{id}/messages", note);
    }

    /// <summary>
    /// Staff who take part in the thread route it to another topic (appointments, billing, careTeam, or none): a thread about
    /// billing is shared with the clinic's Billing staff. A system line for staff; pushed and audited.
    /// </summary>
    private static async Task<Results<Ok<ThreadTeamDto>, ProblemHttpResult>> SetTopicAsync(Guid id, TopicRequest request, Caller caller, IGrainFactory grains)
    {
        var actor = caller.Actor;
        if (actor.Kind != ActorKind.Staff)
        {
            return ApiProblems.From(ChatError.NotFound());
        }

        return ThreadTopics.TryParse(request.Topic, allowNone: true, out var topic)
            ? (await grains.GetGrain<IConversationGrain>(id).SetTopicAsync(actor, topic)).ToOk(ThreadTeamDto.From)
            : ApiProblems.Validation("topic", "topic is appointments, billing, careTeam or none.");
    }

    /// <summary>Staff of the thread's clinic: open, waiting (on the patient) or closed (done, without a reply). Pushed and audited.</summary>
    private static async Task<Results<Ok<ThreadTeamDto>, ProblemHttpResult>> SetStatusAsync(Guid id, StatusRequest request, Caller caller, IGrainFactory grains)
    {
        var actor = caller.Actor;
        if (actor.Kind != ActorKind.Staff)
        {
            return ApiProblems.From(ChatError.NotFound());
        }

        if (ThreadTeamDto.ParseStatus(request.Status) is not { } status)
        {
            return ApiProblems.Validation("status", "status is open, waiting or closed.");
        }

        return (await grains.GetGrain<IConversationGrain>(id).SetStatusAsync(actor, status)).ToOk(ThreadTeamDto.From);
    }

    /// <summary>Opens the clinic's thread with a patient, creating it on first use.</summary>
    private static async Task<Results<Ok<ConversationDto>, ProblemHttpResult>> StartAsync(
        StartConversationRequest request, Caller caller, IGrainFactory grains)
    {
        var actor = caller.Actor;
        if (request.PatientId is not { } patientId)
        {
            return ApiProblems.Validation("patientId", "patientId is required.");
        }

        var chatClinics = actor.ChatClinics.ToList();
        if (chatClinics.Count == 0)
        {
            return ApiProblems.From(ChatError.NotFound());
        }

        if (request.ClinicId is null && chatClinics.Count > 1)
        {
            return ApiProblems.Validation("clinicId", "clinicId is required for staff of several clinics.");
        }

        var clinicId = request.ClinicId ?? chatClinics[0];
        var outcome = await grains.GetGrain<IConversationGrain>(ConversationId.For(clinicId, patientId)).StartAsync(actor, clinicId, patientId);
        return outcome.ToOk(ConversationDto.From);
    }

    /// <summary>One thread as the caller's sidebar shows it (names, unread count, flags), archived or not.</summary>
    private static async Task<Results<Ok<ThreadDto>, ProblemHttpResult>> GetAsync(Guid id, Caller caller, IGrainFactory grains)
    {
        var actor = caller.Actor;
        var outcome = actor.Kind == ActorKind.Patient
            ? await grains.GetGrain<IPatientInboxGrain>(actor.PatientId!.Value).GetThreadAsync(actor, id)
            : await grains.GetGrain<IStaffInboxGrain>(actor.UserId).GetThreadAsync(actor, id);
        return outcome.ToOk(ThreadDto.From);
    }

    /// <summary>A page of messages in seq order: after <c>afterSeq</c>, before <c>beforeSeq</c>, or the newest.</summary>
    private static async Task<Results<Ok<MessagePageDto>, ProblemHttpResult>> GetMessagesAsync(
        Guid id, Caller caller, IGrainFactory grains, long? afterSeq, long? beforeSeq, int? limit)
    {
        var actor = caller.Actor;
        var outcome = await grains.GetGrain<IConversationGrain>(id).GetMessagesAsync(actor, new MessagePageQuery(afterSeq, beforeSeq, limit ?? 50));
        var viewer = new ActorSide(actor.Kind == ActorKind.Patient ? SenderKind.Patient : SenderKind.Staff);
        return outcome.ToOk(page => MessagePageDto.From(page, viewer));
    }

    /// <summary>Stores a message durably. Retrying with the same clientMessageId returns the stored message (200) instead of a second copy.</summary>
    private static async Task<Results<Created<MessageDto>, Ok<MessageDto>, ProblemHttpResult>> SendAsync(
        Guid id, SendMessageRequest request, Caller caller, IGrainFactory grains)
    {
        var attachmentIds = request.AttachmentIds ?? [];
        var recordIds = request.RecordIds ?? [];
        if (MessageRules.Validate(request.ClientMessageId, request.Text, attachmentIds.Length, recordIds.Length) is { } invalid)
        {
            return ApiProblems.From(invalid);
        }

        var outcome = await grains.GetGrain<IConversationGrain>(id)
            .SendAsync(caller.Actor, new SendMessage(request.ClientMessageId!, request.Text ?? string.Empty, attachmentIds, recordIds, request.Sensitive ?? false));
        if (outcome.Value is not { } receipt)
        {
            return ApiProblems.From(outcome.Error!);
        }

        var message = MessageDto.From(receipt.Message);
        return receipt.WasDuplicate
            ? TypedResults.Ok(message)
            : TypedResults.Created($"/api/v1/conversations/{id}/messages?afterSeq={message.Seq - 1}&limit=1", message);
    }

    /// <summary>
    /// Acknowledges receipt and reading: the caller's devices have everything up to deliveredUpToSeq,
    /// and the caller has read up to readUpToSeq. Cursors only move forward.
    /// </summary>
    private static async Task<Results<Ok<ReceiptsDto>, ProblemHttpResult>> AcknowledgeAsync(
        Guid id, ReceiptsRequest request, Caller caller, IGrainFactory grains)
    {
        var outcome = await grains.GetGrain<IConversationGrain>(id).AcknowledgeAsync(caller.Actor, new ReceiptAck(request.DeliveredUpToSeq, request.ReadUpToSeq));
        return outcome.ToOk(ReceiptsDto.From);
    }

    private static async Task<Results<Ok<FlagRequest>, ProblemHttpResult>> SetFlagAsync(
        FlagRequest request, Actor actor, IGrainFactory grains, Func<IStaffInboxGrain, Actor, bool, Task<Outcome<bool>>> set)
    {
        if (request.Value is not { } value)
        {
            return ApiProblems.Validation("value", "value (true or false) is required.");
        }

        if (actor.Kind != ActorKind.Staff)
        {
            return ApiProblems.From(ChatError.NotFound());
        }

        var outcome = await set(grains.GetGrain<IStaffInboxGrain>(actor.UserId), actor, value);
        return outcome.ToOk(flag => new FlagRequest(flag));
    }
}
