using ClinicChat.Access;
using ClinicChat.Conversations;
using ClinicChat.Inbox;
using ClinicChat.Web.Api;
using ClinicChat.Web.Hosting;
using ClinicChat.Web.Identity;
using Microsoft.AspNetCore.Http.HttpResults;

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
        return api;
    }

    /// <summary>
    /// Staff: the threads of their clinics (pinned first, then most recent), with how many wait for a reply (first page);
    /// <c>filter=needsReply</c> lists only those (not archived, the patient wrote last). Patient: one thread per clinic,
    /// archived ones too unless <c>archived</c> is given (each is marked), and only threads with a message.
    /// </summary>
    private static async Task<Results<Ok<ThreadPageDto>, ProblemHttpResult>> ListAsync(
        Caller caller, IGrainFactory grains, bool? archived, string? search, int? limit, string? cursor, string? filter)
    {
        var actor = caller.Actor;
        if (filter is not (null or "" or NeedsReplyFilter) || (filter == NeedsReplyFilter && actor.Kind == ActorKind.Patient))
        {
            return ApiProblems.Validation("filter", $"filter is {NeedsReplyFilter} (staff only), or absent.");
        }

        var outcome = actor.Kind == ActorKind.Patient
            ? await grains.GetGrain<IPatientInboxGrain>(actor.PatientId!.Value).ListThreadsAsync(actor, archived)
            : await grains.GetGrain<IStaffInboxGrain>(actor.UserId).ListThreadsAsync(actor,
                new ThreadQuery(archived ?? false, search, limit ?? 50, cursor, NeedsReply: filter == NeedsReplyFilter));
        return outcome.ToOk(page => new ThreadPageDto(page.Threads.Select(ThreadDto.From).ToList(), page.NextCursor, page.NeedsReply));
    }

    private const string NeedsReplyFilter = "needsReply";

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
        return outcome.ToOk(cursor => new ReceiptsDto(cursor.DeliveredUpTo, cursor.ReadUpTo, cursor.SensitiveReadUpTo));
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
