using ClinicChat.Conversations;
using ClinicChat.Realtime;
using Microsoft.Extensions.DependencyInjection;

namespace ClinicChat.Patients;

/// <summary>
/// The authority on a patient's chat eligibility. It persists to the patients table (and chat opt-in per clinic to
/// patient_clinic_chat) rather than to grain storage because staff search filters and shows the same fields: one row, one truth.
/// </summary>
public sealed class PatientProfileGrain(
    PatientStore patients,
    ClinicChatStore clinicChat,
    GroupCommitWriter writer,
    [FromKeyedServices(ChatTime.Key)] TimeProvider time) : Grain, IPatientProfileGrain
{
    private PatientRecord? _record;
    private Dictionary<Guid, bool> _clinicChat = [];

    private Guid Id => this.GetPrimaryKey();

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        _record = await patients.GetAsync(Id);
        _clinicChat = await clinicChat.ReadChoicesAsync(Id);
    }

    public Task<ChatEligibility> GetChatEligibilityAsync(Guid clinicId) => Task.FromResult(
        _record is null || _record.PortalUserId is null ? ChatEligibility.NoPortalAccount
        : !ChatsWith(clinicId) ? ChatEligibility.OptedOut
        : ChatEligibility.Eligible);

    public Task<bool> IsPatientOfAsync(Guid clinicId) => Task.FromResult(_record?.ClinicIds.Contains(clinicId) == true);

    public Task<IReadOnlyList<Guid>> GetClinicIdsAsync() => Task.FromResult(_record?.ClinicIds ?? []);

    public Task<Outcome<PatientPreferences>> GetPreferencesAsync(Actor actor) => Task.FromResult<Outcome<PatientPreferences>>(
        _record is not null && actor.IsPatient(Id) ? Preferences(_record) : ChatError.NotFound());

    public async Task<Outcome<PatientPreferences>> SetChatOptInAsync(Actor actor, bool optIn)
    {
        if (_record is null || !actor.IsPatient(Id))
        {
            return ChatError.NotFound();
        }

        var now = time.GetUtcNow();
        var record = _record;
        var id = Id;
        // One row in every clinic's chain: each clinic's admins can see the change in their own log.
        await writer.WriteAsync(PatientStore.SetChatOptIn(id, optIn, now).Then(ClinicChatStore.ClearChoices(id)).Then(AuditLog.Append(now, [.. record.ClinicIds.Select(clinicId => new AuditEvent(
            AuditActions.PreferencesChanged, actor.UserId, clinicId, id, null, AuditOutcomes.Success, $"chatOptIn={optIn}"))])));
        _record = record with { ChatOptIn = optIn };
        _clinicChat = [];
        TellStaff(record.ClinicIds);
        return Preferences(_record);
    }

    public async Task<Outcome<PatientPreferences>> SetClinicChatOptInAsync(Actor actor, Guid clinicId, bool optIn)
    {
        if (_record is null || !actor.IsPatient(Id) || !_record.ClinicIds.Contains(clinicId))
        {
            return ChatError.NotFound();
        }

        var now = time.GetUtcNow();
        await writer.WriteAsync(ClinicChatStore.SaveChoice(Id, clinicId, optIn, now).Then(AuditLog.Append(now, new AuditEvent(
            AuditActions.ChatOptInChanged, actor.UserId, clinicId, Id, null, AuditOutcomes.Success, $"optIn={optIn}"))));
        _clinicChat[clinicId] = optIn;
        TellStaff([clinicId]);
        return Preferences(_record);
    }

    /// <summary>The patient's own choice for the clinic, else the one switch for every clinic.</summary>
    private bool ChatsWith(Guid clinicId) => _clinicChat.TryGetValue(clinicId, out var optIn) ? optIn : _record?.ChatOptIn == true;

    private PatientPreferences Preferences(PatientRecord record)
    {
        List<ClinicChatChoice> clinics = [.. record.ClinicIds.Select(clinicId => new ClinicChatChoice(clinicId, ChatsWith(clinicId)))];
        return new PatientPreferences(clinics.Count > 0 ? clinics.All(c => c.OptIn) : record.ChatOptIn, clinics);
    }

    /// <summary>Staff sidebars and composers react at once: tell each clinic's thread with this patient.</summary>
    private void TellStaff(IEnumerable<Guid> clinicIds)
    {
        foreach (var clinicId in clinicIds)
        {
            var topic = Topics.Clinic(clinicId);
            _ = GrainFactory.GetGrain<ITopicNotifierGrain>(topic)
                .PublishAsync(new ConversationUpdated(topic, ConversationId.For(clinicId, Id)));
        }
    }

    public async Task ReloadAsync()
    {
        var before = _record?.ClinicIds ?? [];
        _record = await patients.GetAsync(Id);
        // A portal account, or a clinic, changes what staff may do in the patient's threads (the composer opens).
        TellStaff(before.Union(_record?.ClinicIds ?? []));
    }

    public async Task RegisterAsync(PatientRegistration registration)
    {
        if (registration.Id != Id)
        {
            throw new ArgumentException("Registration is for another patient.", nameof(registration));
        }

        var now = time.GetUtcNow();
        await writer.WriteAsync(PatientStore.Upsert(registration, now).Then(AuditLog.Append(now, [.. registration.ClinicIds.Select(clinicId => new AuditEvent(
            AuditActions.PatientRegistered, "system", clinicId, registration.Id, null, AuditOutcomes.Success))])));
        _record = await patients.GetAsync(Id);
    }
}
