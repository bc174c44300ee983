using ClinicChat.Conversations;
using ClinicChat.Notices;
using ClinicChat.Patients;
using Microsoft.Extensions.DependencyInjection;

namespace ClinicChat.Clinics;

/// <summary>
/// A clinic's profile, loaded once per activation: every change goes through this grain, so memory is never stale.
/// Its staff (any role) read it, its patients read its office hours; its Admins change it, each change with its audit
/// row in one write unit. Conversations ask it, in memory, whether the clinic is closed when a patient writes.
/// </summary>
public sealed class ClinicProfileGrain(ClinicProfileStore store, GroupCommitWriter writer, [FromKeyedServices(ChatTime.Key)] TimeProvider time)
    : Grain, IClinicProfileGrain
{
    private ClinicProfile _profile = new(string.Empty, null, OfficeHours.None("UTC"));

    private Guid ClinicId => this.GetPrimaryKey();

    public override async Task OnActivateAsync(CancellationToken cancellationToken) => _profile = await store.GetAsync(ClinicId);

    public Task<ClinicProfile> GetAsync() => Task.FromResult(_profile);

    public async Task<Outcome<ClinicProfile>> ReadAsync(Actor actor) =>
        IsStaff(actor) ? _profile : await GrainFactory.DenyAsync(actor, ClinicId, null, null, "clinic_profile");

    public async Task<Outcome<ClinicProfile>> ChangeAsync(Actor actor, ClinicProfileChange change)
    {
        if (await RefuseChangeAsync(actor) is { } refused)
        {
            return refused;
        }

        var phone = string.IsNullOrWhiteSpace(change.Phone) ? null : change.Phone.Trim();
        if (phone is { Length: > ClinicProfileRules.MaxPhoneLength } || (phone is not null && !TextInput.IsWellFormed(phone)))
        {
            return ChatError.Invalid("phone", $"The phone number must be at most {ClinicProfileRules.MaxPhoneLength} characters.");
        }

        return await SaveAsync(actor, phone, _profile.StartTopics);
    }

    public async Task<Outcome<ClinicProfile>> ChangeCountryAsync(Actor actor, string? country)
    {
        if (await RefuseChangeAsync(actor) is { } refused)
        {
            return refused;
        }

        return country is null || ClinicProfileRules.IsCountryCode(country)
            ? await SaveCountryAsync(actor.UserId, country)
            : ChatError.Invalid("country", "The country is a two-letter code, e.g. GB or US.");
    }

    public async Task SetCountryAsync(string country, string operatorId)
    {
        if (!ClinicProfileRules.IsCountryCode(country))
        {
            throw new ArgumentException("The country is a two-letter code, e.g. GB or US.", nameof(country));
        }

        await SaveCountryAsync(operatorId, country);
    }

    private async Task<ClinicProfile> SaveCountryAsync(string actorId, string? country)
    {
        var now = time.GetUtcNow();
        await writer.WriteAsync(ClinicProfileStore.SaveCountry(ClinicId, country).Then(AuditLog.Append(now, new AuditEvent(
            AuditActions.ClinicProfileChanged, actorId, ClinicId, null, null, AuditOutcomes.Success, $"country={country ?? "deployment"}"))));
        _profile = _profile with { Country = country };
        return _profile;
    }

    public async Task<Outcome<ClinicProfile>> ChangePatientTopicsAsync(Actor actor, IReadOnlyList<ThreadTopic> topics) =>
        await RefuseChangeAsync(actor) is { } refused ? refused : await SaveAsync(actor, _profile.Phone, TopicRules.Normalised(topics));

    /// <summary>The phone and the patients' topics, with the audit row in the same commit (what was set, never the number).</summary>
    private async Task<ClinicProfile> SaveAsync(Actor actor, string? phone, IReadOnlyList<ThreadTopic> topics)
    {
        var now = time.GetUtcNow();
        await writer.WriteAsync(ClinicProfileStore.SaveProfile(ClinicId, phone, topics, now).Then(AuditLog.Append(now, new AuditEvent(
            AuditActions.ClinicProfileChanged, actor.UserId, ClinicId, null, null, AuditOutcomes.Success,
            $"phone={(phone is null ? "cleared" : "set")};patientTopics={(topics.Count == 0 ? "none" : string.Join(',', topics.Select(ThreadTopics.WireName)))}"))));
        _profile = _profile with { Phone = phone, PatientTopics = topics };
        return _profile;
    }

    public async Task<Outcome<OfficeHoursNow>> ReadOfficeHoursAsync(Actor actor)
    {
        var patientOfClinic = actor is { Kind: ActorKind.Patient, PatientId: { } patientId }
            && await GrainFactory.GetGrain<IPatientProfileGrain>(patientId).IsPatientOfAsync(ClinicId);
        return IsStaff(actor) || patientOfClinic
            ? OfficeHoursRules.Now(_profile.Name, _profile.Hours, time.GetUtcNow())
            : await GrainFactory.DenyAsync(actor, ClinicId, null, null, "office_hours");
    }

    /// <remarks>
    /// The clinic's account grain keeps the zone it was created with for the operator's answers until it is activated
    /// again; everything that acts on the zone (notices, these hours) reads the clinics row.
    /// </remarks>
    public async Task<Outcome<OfficeHours>> ChangeOfficeHoursAsync(Actor actor, OfficeHours hours)
    {
        if (await RefuseChangeAsync(actor) is { } refused)
        {
            return refused;
        }

        var now = time.GetUtcNow();
        if (OfficeHoursRules.Validate(hours, DateOnly.FromDateTime(now.UtcDateTime)) is { } invalid)
        {
            return invalid;
        }

        var saved = hours with
        {
            Weekly = [.. hours.Weekly.OrderBy(o => ((int)o.Day + 6) % 7).ThenBy(o => o.Opens)],
            Closures = [.. hours.Closures.OrderBy(c => c.From).Select(c => c with { Label = string.IsNullOrWhiteSpace(c.Label) ? null : c.Label.Trim() })],
            AfterHoursReply = string.IsNullOrWhiteSpace(hours.AfterHoursReply) ? null : hours.AfterHoursReply.Trim(),
            EmergencyNote = string.IsNullOrWhiteSpace(hours.EmergencyNote) ? null : hours.EmergencyNote.Trim(),
        };
        var unit = ClinicProfileStore.SaveOfficeHours(ClinicId, saved, now);
        if (saved.EmailWhenOverdue)
        {
            // Threads already waiting are reckoned anew (turned on, or hours or target changed), at once: a staff look reads
            // the profile from this grain, which answers only after this change is saved.
            unit = unit.Then(NoticeStore.PendWaitingThreads(ClinicId, now));
        }

        await writer.WriteAsync(unit.Then(AuditLog.Append(now, new AuditEvent(
            AuditActions.ClinicProfileChanged, actor.UserId, ClinicId, null, null, AuditOutcomes.Success,
            $"officeHours=set;timeZone={saved.TimeZone};openings={saved.Weekly.Count};closures={saved.Closures.Count};autoReply={(saved.AfterHoursReply is null ? "off" : "on")};replyTarget={saved.ReplyTargetMinutes};overdueEmail={(saved.EmailWhenOverdue ? "on" : "off")}"))));
        _profile = _profile with { Hours = saved };
        return saved;
    }

    private bool IsStaff(Actor actor) => actor.Kind == ActorKind.Staff && actor.IsOf(ClinicId);

    private async Task<ChatError?> RefuseChangeAsync(Actor actor) =>
        actor.HasRoleAt(ClinicId, StaffRole.Admin)
            ? null
            : await GrainFactory.DenyAsync(actor, ClinicId, null, null, "clinic_profile",
                IsStaff(actor) ? new ChatError(ChatErrorCode.Forbidden, "Only the clinic's Admins change its profile and office hours.") : null);
}
