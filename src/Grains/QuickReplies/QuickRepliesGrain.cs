using ClinicChat.Clinics;
using ClinicChat.Patients;
using Microsoft.Extensions.DependencyInjection;

namespace ClinicChat.QuickReplies;

/// <summary>
/// One clinic's quick replies, loaded once per activation and written through with their audit rows. The grain is the
/// only writer of its clinic's rows, so checking a shortcut against memory before saving is enough (the table's unique
/// index is the backstop).
/// </summary>
public sealed class QuickRepliesGrain(QuickReplyStore store, GroupCommitWriter writer, [FromKeyedServices(ChatTime.Key)] TimeProvider time)
    : Grain, IQuickRepliesGrain
{
    private List<QuickReply> _replies = [];

    private Guid ClinicId => this.GetPrimaryKey();

    public override async Task OnActivateAsync(CancellationToken cancellationToken) => _replies = await store.ListAsync(ClinicId);

    public async Task<Outcome<IReadOnlyList<QuickReply>>> ListAsync(Actor actor)
    {
        if (actor.Kind != ActorKind.Staff || !actor.IsOf(ClinicId))
        {
            return await GrainFactory.DenyAsync(actor, ClinicId, null, null, "quick_replies.list");
        }

        return VisibleTo(actor).ToList();
    }

    public async Task<Outcome<IReadOnlyList<FilledQuickReply>>> FillForAsync(Actor actor, Guid patientId)
    {
        if (!actor.CanChatAt(ClinicId))
        {
            return await GrainFactory.DenyAsync(actor, ClinicId, patientId, null, "quick_replies.fill");
        }

        // The patients grain decides whether this is the clinic's patient (404 otherwise, audited there).
        var patient = await GrainFactory.GetGrain<IClinicPatientsGrain>(ClinicId).GetAsync(actor, patientId);
        if (patient.Error is { } error)
        {
            return error;
        }

        var clinic = await GrainFactory.GetGrain<IClinicProfileGrain>(ClinicId).GetAsync();
        var values = new PlaceholderValues(patient.Value!.Details.GivenName, clinic.Name, clinic.Phone);
        return VisibleTo(actor).Select(reply =>
        {
            var (text, unfilled) = QuickReplyRules.Fill(reply.Text, values);
            return new FilledQuickReply(reply.Id, reply.Shortcut, reply.Personal, text, unfilled);
        }).ToList();
    }

    public async Task<Outcome<QuickReply>> CreateAsync(Actor actor, QuickReplyDraft draft, bool personal)
    {
        if (await RefuseChangeAsync(actor, personal, "quick_replies.create") is { } refused)
        {
            return refused;
        }

        var owner = personal ? actor.UserId : null;
        var list = _replies.Where(r => r.OwnerId == owner).ToList();
        var limit = personal ? QuickReplyRules.MaxPersonalReplies : QuickReplyRules.MaxClinicReplies;
        if (list.Count >= limit)
        {
            return ChatError.Invalid("shortcut", $"A list holds at most {limit} quick replies; delete one that is no longer used.");
        }

        var reply = new QuickReply(Guid.NewGuid(), ClinicId, owner, string.Empty, string.Empty, time.GetUtcNow());
        return await SaveAsync(actor, reply, draft, AuditActions.QuickReplyCreated);
    }

    public async Task<Outcome<QuickReply>> UpdateAsync(Actor actor, Guid id, QuickReplyDraft draft)
    {
        var found = await FindForChangeAsync(actor, id, "quick_replies.update");
        return found.Error is { } error ? error : await SaveAsync(actor, found.Value!, draft, AuditActions.QuickReplyChanged);
    }

    public async Task<Outcome<QuickReply>> DeleteAsync(Actor actor, Guid id)
    {
        var found = await FindForChangeAsync(actor, id, "quick_replies.delete");
        if (found.Error is { } error)
        {
            return error;
        }

        var reply = found.Value!;
        var now = time.GetUtcNow();
        await writer.WriteAsync(QuickReplyStore.Delete(id).Then(AuditLog.Append(now, Audited(AuditActions.QuickReplyDeleted, actor, reply))));
        _replies.Remove(reply);
        return reply;
    }

    /// <summary>The clinic's replies and the caller's own, sorted by shortcut (the clinic's first where both use one).</summary>
    private IEnumerable<QuickReply> VisibleTo(Actor actor) =>
        _replies.Where(r => r.OwnerId is null || r.OwnerId == actor.UserId).OrderBy(r => r.Shortcut, StringComparer.Ordinal).ThenBy(r => r.Personal);

    private async Task<Outcome<QuickReply>> SaveAsync(Actor actor, QuickReply current, QuickReplyDraft draft, string action)
    {
        if (QuickReplyRules.Validate(draft) is { } invalid)
        {
            return invalid;
        }

        var shortcut = QuickReplyRules.NormalizeShortcut(draft.Shortcut!);
        if (_replies.Any(r => r.OwnerId == current.OwnerId && r.Id != current.Id && r.Shortcut == shortcut))
        {
            return new ChatError(ChatErrorCode.ShortcutTaken,
                $"/{shortcut} is taken in {(current.Personal ? "your quick replies" : "the clinic's quick replies")}; choose another shortcut.", "shortcut");
        }

        var now = time.GetUtcNow();
        var saved = current with { Shortcut = shortcut, Text = draft.Text!.Trim(), UpdatedAt = now };
        await writer.WriteAsync(QuickReplyStore.Save(saved).Then(AuditLog.Append(now, Audited(action, actor, saved))));
        _replies.RemoveAll(r => r.Id == saved.Id);
        _replies.Add(saved);
        return saved;
    }

    /// <summary>
    /// A reply the caller may change: the clinic's for its Admins, their own personal ones. A colleague's personal reply
    /// is "not found", as it is in every list.
    /// </summary>
    private async Task<Outcome<QuickReply>> FindForChangeAsync(Actor actor, Guid id, string detail)
    {
        var reply = _replies.Find(r => r.Id == id && (r.OwnerId is null || r.OwnerId == actor.UserId));
        if (reply is null || !actor.IsOf(ClinicId))
        {
            return await GrainFactory.DenyAsync(actor, ClinicId, null, null, detail);
        }

        return await RefuseChangeAsync(actor, reply.Personal, detail) is { } refused ? refused : reply;
    }

    /// <summary>Personal replies are for those who chat (clinicians, front desk); the clinic's are its Admins' to keep.</summary>
    private async Task<ChatError?> RefuseChangeAsync(Actor actor, bool personal, string detail)
    {
        if (personal ? actor.CanChatAt(ClinicId) : actor.HasRoleAt(ClinicId, StaffRole.Admin))
        {
            return null;
        }

        return await GrainFactory.DenyAsync(actor, ClinicId, null, null, detail, actor.Kind == ActorKind.Staff && actor.IsOf(ClinicId)
            ? new ChatError(ChatErrorCode.Forbidden, personal
                ? "Personal quick replies are for the clinic's clinicians and front desk."
                : "Only the clinic's Admins change its quick replies.")
            : null);
    }

    private AuditEvent Audited(string action, Actor actor, QuickReply reply) =>
        new(action, actor.UserId, ClinicId, null, null, AuditOutcomes.Success, $"reply={reply.Id:N};scope={(reply.Personal ? "personal" : "clinic")}");
}
