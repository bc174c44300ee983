using ClinicChat.Clinics;
using ClinicChat.Conversations;
using ClinicChat.Inbox;
using ClinicChat.Patients;

namespace ClinicChat.Web.Conversations;

/// <summary>One of the patient's clinics, and what they may start a conversation with it about.</summary>
/// <param name="Topics">appointments, billing, careTeam as the clinic offers them; empty: the clinic takes no new conversations in the portal.</param>
/// <param name="ChatOptIn">Whether the patient has chat with this clinic on (off: they turn it on in Profile first).</param>
/// <param name="ConversationId">The patient's thread with the clinic, when it has a message; starting a conversation continues it.</param>
public sealed record ClinicTopicsDto(Guid ClinicId, string ClinicName, IReadOnlyList<string> Topics, bool ChatOptIn, Guid? ConversationId);

/// <param name="ClinicId">One of the patient's clinics.</param>
/// <param name="Topic">appointments, billing or careTeam: one the clinic offers.</param>
/// <param name="ClientMessageId">The first message's idempotency key, as for any message: a retry answers 200 with the message stored first.</param>
/// <param name="Text">The first message.</param>
public sealed record PatientStartRequest(Guid? ClinicId, string? Topic, string? ClientMessageId, string? Text);

public sealed record PatientStartDto(Guid ConversationId, MessageDto Message);

/// <summary>
/// Patients start conversations: which of their clinics take one and about what, and the start itself (the clinic's one
/// thread with them takes the topic and the message). The rules are the conversation grain's; this reads the wire format.
/// </summary>
public static class PatientStartApi
{
    public static RouteGroupBuilder MapPatientStartApi(this RouteGroupBuilder api)
    {
        api.MapGet("/me/conversation-topics", ListAsync).WithTags("Conversations");
        api.MapPost("/me/conversations", StartAsync).WithTags("Conversations").RequireRateLimiting(RateLimits.Send);
        return api;
    }

    /// <summary>The patient's clinics, each with the topics it offers; staff are not found.</summary>
    private static async Task<Results<Ok<IReadOnlyList<ClinicTopicsDto>>, ProblemHttpResult>> ListAsync(Caller caller, IGrainFactory grains)
    {
        if (caller.Actor is not { Kind: ActorKind.Patient, PatientId: { } patientId })
        {
            return ApiProblems.From(ChatError.NotFound());
        }

        var patient = grains.GetGrain<IPatientProfileGrain>(patientId);
        var threads = (await grains.GetGrain<IPatientInboxGrain>(patientId).ListThreadsAsync(caller.Actor, archived: null)).Value?.Threads ?? [];
        var clinics = new List<ClinicTopicsDto>();
        foreach (var clinicId in await patient.GetClinicIdsAsync())
        {
            var profile = await grains.GetGrain<IClinicProfileGrain>(clinicId).GetAsync();
            clinics.Add(new ClinicTopicsDto(clinicId, profile.Name, [.. profile.StartTopics.Select(ThreadTopics.WireName)],
                await patient.GetChatEligibilityAsync(clinicId) != ChatEligibility.OptedOut, threads.FirstOrDefault(t => t.ClinicId == clinicId)?.ConversationId));
        }

        return TypedResults.Ok<IReadOnlyList<ClinicTopicsDto>>([.. clinics.OrderBy(c => c.ClinicName, StringComparer.CurrentCultureIgnoreCase)]);
    }

    /// <summary>
    /// 201 with the thread and the message; 200 for a retry with the same clientMessageId. 403 when the clinic takes no
    /// conversations in the portal, 400 for a topic it does not offer or an invalid message, 409 <c>patient_opted_out</c>
    /// while the patient has chat with it off; another clinic is not found.
    /// </summary>
    private static async Task<Results<Created<PatientStartDto>, Ok<PatientStartDto>, ProblemHttpResult>> StartAsync(
        PatientStartRequest request, Caller caller, IGrainFactory grains)
    {
        if (caller.Actor is not { Kind: ActorKind.Patient, PatientId: { } patientId })
        {
            return ApiProblems.From(ChatError.NotFound());
        }

        if (request.ClinicId is not { } clinicId)
        {
            return ApiProblems.Validation("clinicId", "clinicId is one of your clinics.");
        }

        if (!ThreadTopics.TryParse(request.Topic, allowNone: false, out var topic))
        {
            return ApiProblems.Validation("topic", ThreadTopics.Help);
        }

        if (MessageRules.Validate(request.ClientMessageId, request.Text) is { } invalid)
        {
            return ApiProblems.From(invalid);
        }

        var conversationId = ConversationId.For(clinicId, patientId);
        var outcome = await grains.GetGrain<IConversationGrain>(conversationId)
            .StartByPatientAsync(caller.Actor, clinicId, new PatientStart(topic, new SendMessage(request.ClientMessageId!, request.Text!)));
        if (outcome.Value is not { } receipt)
        {
            return ApiProblems.From(outcome.Error!);
        }

        var started = new PatientStartDto(conversationId, MessageDto.From(receipt.Message));
        return receipt.WasDuplicate ? TypedResults.Ok(started) : TypedResults.Created($"/api/v1/conversations/{conversationId}", started);
    }
}
