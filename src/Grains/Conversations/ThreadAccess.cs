using ClinicChat.Clinics;
using ClinicChat.Patients;
using Microsoft.Extensions.Logging;

namespace ClinicChat.Conversations;

/// <summary>
/// Who a thread lets in: the staff it routes to (see <see cref="ThreadTopics.RoutesTo(StaffRole, ThreadTopic)"/>) and its
/// patient. Anyone else is refused as if the thread did not exist, and the refusal is audited.
/// </summary>
/// <param name="topic">The thread's topic now: a billing thread also routes to its clinic's Billing staff.</param>
internal sealed class ThreadAccess(
    IGrainBase grain, IGrainFactory grains, IPersistentState<ConversationState> state, Func<ThreadTopic> topic, ILogger logger, Guid conversationId)
{
    private bool Exists => state.RecordExists;

    public bool TakesPart(Actor actor) => IsItsStaff(actor) || (Exists && actor.IsPatient(state.State.PatientId));

    /// <summary><see cref="TakesPart"/>, with a refusal audited.</summary>
    public Task<bool> LetsInAsync(Actor actor) => ElseDenyAsync(actor, TakesPart(actor));

    /// <summary>Only the staff the thread routes to: its team's actions are not the patient's.</summary>
    public Task<bool> LetsInStaffAsync(Actor actor) => ElseDenyAsync(actor, IsItsStaff(actor));

    /// <summary>
    /// Staff opening the thread of <paramref name="clinicId"/> and <paramref name="patientId"/>: refused as not found unless
    /// that is this thread, they chat at the clinic and it is the patient's clinic; then the patient must be reachable.
    /// </summary>
    public async Task<ChatError?> StaffStartProblemAsync(Actor actor, Guid clinicId, Guid patientId)
    {
        if (ConversationId.For(clinicId, patientId) != conversationId || !actor.CanChatAt(clinicId)
            || !await grains.GetGrain<IPatientProfileGrain>(patientId).IsPatientOfAsync(clinicId))
        {
            return await DenyAsync(actor, clinicId, patientId);
        }

        return await SendResolver.IneligibleAsync(grains, clinicId, patientId);
    }

    /// <summary>
    /// A patient opening their thread with a clinic of theirs, with a topic and a first message. Everything that can refuse is
    /// asked here, before anything is written: a refused start leaves no thread and no topic.
    /// </summary>
    public async Task<ChatError?> PatientStartProblemAsync(Actor actor, Guid clinicId, PatientStart start)
    {
        if (actor is not { Kind: ActorKind.Patient, PatientId: { } patientId } || ConversationId.For(clinicId, patientId) != conversationId)
        {
            return await DenyAsync(actor, clinicId, null);
        }

        var patient = grains.GetGrain<IPatientProfileGrain>(patientId);
        if (!await patient.IsPatientOfAsync(clinicId))
        {
            return await DenyAsync(actor, clinicId, patientId);
        }

        return TopicRules.PatientStartProblem(await grains.GetGrain<IClinicProfileGrain>(clinicId).GetAsync(), start)
            ?? MessageRules.Validate(start.Message.ClientMessageId, start.Message.Text)
            ?? (await patient.GetChatEligibilityAsync(clinicId) == ChatEligibility.OptedOut
                ? new ChatError(ChatErrorCode.PatientOptedOut, "Chat with this clinic is off: turn it on in Profile → Communication preferences first.")
                : null);
    }

    /// <summary>Logs and audits a refusal; the answer is the same "not found" an unknown thread gets.</summary>
    public Task<ChatError> DenyAsync(Actor actor, Guid? clinicId, Guid? patientId)
    {
        logger.Denied(conversationId, actor.UserId);
        if (!Exists)
        {
            // A refused read of an id that names no thread (a guess) should not hold an activation
            // for the collection age: thousands of guesses were ~180 MB of them.
            grain.DeactivateOnIdle();
        }

        return grains.DenyAsync(actor, clinicId, patientId, conversationId);
    }

    private bool IsItsStaff(Actor actor) => Exists && actor.RoutesTo(state.State.ClinicId, topic());

    private async Task<bool> ElseDenyAsync(Actor actor, bool allowed)
    {
        if (!allowed)
        {
            await DenyAsync(actor, Exists ? state.State.ClinicId : null, Exists ? state.State.PatientId : null);
        }

        return allowed;
    }
}
