using ClinicChat.Access;
using ClinicChat.Audit;
using ClinicChat.Conversations;
using ClinicChat.Realtime;
using ClinicChat.Storage;
using Microsoft.Extensions.DependencyInjection;

namespace ClinicChat.Patients;

/// <summary>
/// The authority on a patient's chat eligibility. It persists to the patients table rather than to
/// grain storage because staff search filters and shows the same fields: one row, one truth.
/// </summary>
public sealed class PatientProfileGrain(
    PatientStore patients,
    GroupCommitWriter writer,
    [FromKeyedServices(ChatTime.Key)] TimeProvider time) : Grain, IPatientProfileGrain
{
    private PatientRecord? _record;

    private Guid Id => this.GetPrimaryKey();

    public override async Task OnActivateAsync(CancellationToken cancellationToken) =>
        _record = await patients.GetAsync(Id);

    public Task<ChatEligibility> GetChatEligibilityAsync() => Task.FromResult(
        _record is null || _record.PortalUserId is null ? ChatEligibility.NoPortalAccount
        : !_record.ChatOptIn ? ChatEligibility.OptedOut
        : ChatEligibility.Eligible);

    public Task<bool> IsPatientOfAsync(Guid clinicId) => Task.FromResult(_record?.ClinicIds.Contains(clinicId) == true);

    public Task<IReadOnlyList<Guid>> GetClinicIdsAsync() => Task.FromResult(_record?.ClinicIds ?? []);

    public Task<Outcome<PatientPreferences>> GetPreferencesAsync(Actor actor) => Task.FromResult<Outcome<PatientPreferences>>(
        _record is not null && actor.IsPatient(Id) ? new PatientPreferences(_record.ChatOptIn) : ChatError.NotFound());

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
        await writer.WriteAsync(PatientStore.SetChatOptIn(id, optIn, now).Then(AuditLog.Append(now, [.. record.ClinicIds.Select(clinicId => new AuditEvent(
            AuditActions.PreferencesChanged, actor.UserId, clinicId, id, null, AuditOutcomes.Success, $"chatOptIn={optIn}"))])));
        _record = record with { ChatOptIn = optIn };

        // Staff sidebars and composers react at once: tell every clinic thread of this patient.
        foreach (var clinicId in record.ClinicIds)
        {
            var topic = Topics.Clinic(clinicId);
            _ = GrainFactory.GetGrain<ITopicNotifierGrain>(topic)
                .PublishAsync(new ConversationUpdated(topic, ConversationId.For(clinicId, Id)));
        }

        return new PatientPreferences(optIn);
    }

    public async Task ReloadAsync() => _record = await patients.GetAsync(Id);

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
