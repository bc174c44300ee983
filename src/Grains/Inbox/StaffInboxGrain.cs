using ClinicChat.Conversations;
using ClinicChat.Patients;
using Microsoft.Extensions.DependencyInjection;

namespace ClinicChat.Inbox;

public sealed class StaffInboxGrain(
    [PersistentState("staffInbox", ChatStorage.GrainStateProvider)] IPersistentState<StaffInboxState> state,
    ThreadIndexStore threads,
    GroupCommitWriter writer,
    [FromKeyedServices(ChatTime.Key)] TimeProvider time) : Grain, IStaffInboxGrain
{
    public const int MaxPageSize = 100;

    public async Task<Outcome<ThreadPage>> ListThreadsAsync(Actor actor, ThreadQuery query)
    {
        if (Refusal(actor) is { } refused)
        {
            return refused;
        }

        if (query.Limit is < 1 or > MaxPageSize)
        {
            return ChatError.Invalid("limit", $"limit must be between 1 and {MaxPageSize}.");
        }

        if (query.Search?.Length > NameSearch.MaxQueryLength)
        {
            return ChatError.Invalid("search", $"search must be at most {NameSearch.MaxQueryLength} characters.");
        }

        if (query.Search is { } search && !TextInput.IsWellFormed(search))
        {
            return ChatError.Invalid("search", "search contains characters no name has.");
        }

        if (!ThreadCursor.TryParse(query.Cursor, out var cursor))
        {
            return ChatError.Invalid("cursor", "cursor is not one this API returned.");
        }

        var clinics = actor.ChatClinics.ToList();
        var billing = actor.BillingOnlyClinics().ToList();
        var pinned = state.State.Pinned;
        var muted = state.State.Muted;
        var page = new List<ThreadSummary>();

        // Pinned threads head the first page; the recency pages then skip them.
        if (cursor is null && pinned.Count > 0)
        {
            var (pinnedThreads, _) = await threads.ListAsync(
                Filter(actor, clinics, billing, query, onlyIds: pinned, exceptIds: null, after: null, limit: pinned.Count), pinned, muted);
            page.AddRange(pinnedThreads);
        }

        var (recent, next) = await threads.ListAsync(Filter(actor, clinics, billing, query, onlyIds: null, exceptIds: pinned, cursor, query.Limit), pinned, muted);
        page.AddRange(recent);
        await AuditListedAsync(actor, page);
        // Counted for the first page only: later pages only add rows, and pushes keep the sidebar's count current.
        var needsReply = cursor is null ? await threads.CountNeedingReplyAsync(clinics, billing) : (int?)null;
        return new ThreadPage(await WithOverdueAsync(page), next?.ToString(), needsReply);
    }

    public async Task<Outcome<ThreadSummary>> GetThreadAsync(Actor actor, Guid conversationId)
    {
        if (Refusal(actor) is not null)
        {
            return ChatError.NotFound();
        }

        var filter = new ThreadFilter(actor.ChatClinics.ToList(), null, actor.UserId, SenderKind.Patient, null, null, [conversationId], null, null, 1,
            BillingClinicIds: actor.BillingOnlyClinics().ToList());
        var (found, _) = await threads.ListAsync(filter, state.State.Pinned, state.State.Muted);
        if (found.Count != 1)
        {
            return ChatError.NotFound();
        }

        var online = await GrainFactory.GetGrain<Realtime.IPresenceGrain>(found[0].PatientId).IsOnlineAsync();
        var viewed = new AuditEvent(AuditActions.ThreadViewed, actor.UserId, found[0].ClinicId, found[0].PatientId, conversationId, AuditOutcomes.Success);
        var now = time.GetUtcNow();
        await writer.AuditAsync(now, viewed);
        return (await WithOverdueAsync(found))[0] with { PatientOnline = online };
    }

    /// <summary>
    /// When each waiting thread passes its clinic's reply target, counted in the clinic's office hours (a wait that starts
    /// on Friday evening is not overdue on Sunday). One call per clinic on the page, answered from the profile's memory.
    /// </summary>
    private async Task<List<ThreadSummary>> WithOverdueAsync(IReadOnlyList<ThreadSummary> page)
    {
        var hours = new Dictionary<Guid, Clinics.OfficeHours>();
        foreach (var clinicId in page.Where(t => t.Team?.WaitingSince is not null).Select(t => t.ClinicId).Distinct())
        {
            hours[clinicId] = (await GrainFactory.GetGrain<Clinics.IClinicProfileGrain>(clinicId).GetAsync()).Hours;
        }

        return [.. page.Select(t => t.Team is { WaitingSince: { } since } team
            ? t with { Team = team with { OverdueAt = Clinics.OfficeHoursRules.OverdueAt(hours[t.ClinicId], since) } }
            : t)];
    }

    /// <summary>A sidebar page shows names and message previews: one audit row per clinic it showed.</summary>
    private async Task AuditListedAsync(Actor actor, List<ThreadSummary> page)
    {
        var events = page.GroupBy(t => t.ClinicId)
            .Select(g => new AuditEvent(AuditActions.ThreadsListed, actor.UserId, g.Key, null, null, AuditOutcomes.Success, $"threads={g.Count()}"))
            .ToList();
        if (events.Count == 0)
        {
            return;
        }

        await writer.AuditAsync(time.GetUtcNow(), events);
    }

    public Task<Outcome<bool>> SetPinnedAsync(Actor actor, Guid conversationId, bool pinned) =>
        SetFlagAsync(actor, conversationId, state.State.Pinned, pinned, "pinned");

    public Task<Outcome<bool>> SetMutedAsync(Actor actor, Guid conversationId, bool muted) =>
        SetFlagAsync(actor, conversationId, state.State.Muted, muted, "muted");

    private async Task<Outcome<bool>> SetFlagAsync(Actor actor, Guid conversationId, HashSet<Guid> flags, bool value, string flagName)
    {
        // About one thread: whoever may not chat learns nothing about it, as for an unknown id.
        if (Refusal(actor) is not null)
        {
            return ChatError.NotFound();
        }

        // The conversation decides whether this staff member may see it at all.
        var conversation = await GrainFactory.GetGrain<IConversationGrain>(conversationId).GetAsync(actor);
        if (conversation.Value is not { } info)
        {
            return ChatError.NotFound();
        }

        var changed = value ? flags.Add(conversationId) : flags.Remove(conversationId);
        if (changed)
        {
            try
            {
                await state.WriteStateAsync();
            }
            catch
            {
                // Keep memory equal to storage.
                _ = value ? flags.Remove(conversationId) : flags.Add(conversationId);
                throw;
            }

            var changedEvent = new AuditEvent(
                AuditActions.ThreadFlagsChanged, actor.UserId, info.ClinicId, info.PatientId, conversationId, AuditOutcomes.Success, $"{flagName}={value}");
            var now = time.GetUtcNow();
            await writer.AuditAsync(now, changedEvent);
        }

        return value;
    }

    private ChatError? Refusal(Actor actor)
    {
        if (actor.UserId != this.GetPrimaryKeyString())
        {
            return ChatError.NotFound();
        }

        return actor.ChatClinics.Any() || actor.BillingOnlyClinics().Any()
            ? null
            : new ChatError(ChatErrorCode.Forbidden, "Chat is for clinicians, front desk and (for billing conversations) Billing staff.");
    }

    private static ThreadFilter Filter(
        Actor actor, List<Guid> clinics, List<Guid> billing, ThreadQuery query, IReadOnlyCollection<Guid>? onlyIds, IReadOnlyCollection<Guid>? exceptIds, ThreadCursor? after, int limit) =>
        new(clinics, null, actor.UserId, SenderKind.Patient, null, query.Search, onlyIds, exceptIds, after, limit, List: query.List, BillingClinicIds: billing);
}
