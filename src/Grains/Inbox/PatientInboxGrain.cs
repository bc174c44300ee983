using ClinicChat.Conversations;
using Orleans.Concurrency;

namespace ClinicChat.Inbox;

/// <summary>The patient's portal inbox: at most one thread per clinic, so a single page always holds them all.</summary>
[StatelessWorker]
public sealed class PatientInboxGrain(ThreadIndexStore threads) : Grain, IPatientInboxGrain
{
    private const int MaxThreads = 500;

    /// <summary>Patients have no pins or mutes.</summary>
    private static readonly HashSet<Guid> NoFlags = [];

    public async Task<Outcome<ThreadPage>> ListThreadsAsync(Actor actor, bool? archived)
    {
        var patientId = this.GetPrimaryKey();
        if (!actor.IsPatient(patientId))
        {
            return ChatError.NotFound();
        }

        var filter = new ThreadFilter(null, patientId, actor.UserId, SenderKind.Staff, archived, null, null, null, null, MaxThreads, OnlyWithMessages: true);
        var (list, _) = await threads.ListAsync(filter, NoFlags, NoFlags);
        return new ThreadPage(list, null);
    }

    public async Task<Outcome<ThreadSummary>> GetThreadAsync(Actor actor, Guid conversationId)
    {
        var patientId = this.GetPrimaryKey();
        if (!actor.IsPatient(patientId))
        {
            return ChatError.NotFound();
        }

        var filter = new ThreadFilter(null, patientId, actor.UserId, SenderKind.Staff, null, null, [conversationId], null, null, 1, OnlyWithMessages: true);
        var (found, _) = await threads.ListAsync(filter, NoFlags, NoFlags);
        return found.Count == 1 ? found[0] : ChatError.NotFound();
    }
}
