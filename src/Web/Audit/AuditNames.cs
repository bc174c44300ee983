using ClinicChat.Audit;
using Microsoft.EntityFrameworkCore;

namespace ClinicChat.Web.Audit;

/// <summary>
/// Names for a page of a clinic's audit log, resolved when an Admin reads it: the chain stores ids
/// only (a hashed row can never hold a name that later changes or must be erased), and a person is
/// shown by their current name. Only the clinic's own people get a name: staff with a role there and
/// its patients. Anyone else stays an id, so one clinic's log never names another clinic's patient or
/// staff member (for example one who tried to open this clinic's data and was denied). Staff names come from the
/// identity store (the web tier's own); patient names from the clinic's audit grain, which asks the patient directory.
/// </summary>
public sealed class AuditNames(IdentityDb identity, IGrainFactory grains)
{
    public const string System = "system";

    /// <summary>Actors that are a clinic's connected system rather than a person (the demo's practice system: <c>integration:demo</c>).</summary>
    public const string IntegrationPrefix = "integration:";

    public async Task<IReadOnlyList<AuditEventDto>> NameAsync(
        IClinicAuditGrain audit, Actor reader, Guid clinicId, IReadOnlyList<AuditEventDto> events, CancellationToken cancellationToken)
    {
        var people = await PeopleAtClinicAsync(
            clinicId, events.Select(e => e.ActorId).Where(id => id != System && !id.StartsWith(IntegrationPrefix, StringComparison.Ordinal)).Distinct().ToList(), cancellationToken);
        var patientIds = events.Select(e => e.PatientId).OfType<Guid>()
            .Concat(people.Values.Select(p => p.PatientId).OfType<Guid>())
            .Distinct().ToList();
        var named = patientIds.Count == 0 ? null : (await audit.NamePatientsAsync(reader, patientIds)).Value;
        var patientNames = named?.ToDictionary(p => p.Id, p => p.DisplayName) ?? [];

        var integrations = await IntegrationNamesAsync(reader, clinicId, events);
        string? ActorName(string actorId) =>
            actorId == System ? "System"
            : actorId.StartsWith(IntegrationPrefix, StringComparison.Ordinal)
                ? $"Integration ({integrations.GetValueOrDefault(actorId[IntegrationPrefix.Length..]) ?? actorId[IntegrationPrefix.Length..]})"
            : people.GetValueOrDefault(actorId) is not { } person ? null
            : person.PatientId is { } patientId ? patientNames.GetValueOrDefault(patientId)
            : person.Name;

        return [.. events.Select(e => e with
        {
            ActorName = ActorName(e.ActorId),
            PatientName = e.PatientId is { } id ? patientNames.GetValueOrDefault(id) : null,
        })];
    }

    /// <summary>The clinic's own registered integrations by client id (revoked ones too): another clinic's stay an id.</summary>
    private async Task<Dictionary<string, string>> IntegrationNamesAsync(Actor reader, Guid clinicId, IReadOnlyList<AuditEventDto> events)
    {
        if (!events.Any(e => e.ActorId.StartsWith(IntegrationPrefix, StringComparison.Ordinal)))
        {
            return [];
        }

        var clients = await grains.GetGrain<Integrations.IIntegrationClientsGrain>(Integrations.IIntegrationClientsGrain.Registry).ListAsync(reader, clinicId);
        return clients.Value?.ToDictionary(c => c.ClientId, c => c.Name, StringComparer.Ordinal) ?? [];
    }

    /// <summary>The actors that are this clinic's staff (with their name) or patients (with their patient id, named by the clinic's directory).</summary>
    private async Task<Dictionary<string, Person>> PeopleAtClinicAsync(Guid clinicId, IReadOnlyCollection<string> userIds, CancellationToken cancellationToken)
    {
        if (userIds.Count == 0)
        {
            return [];
        }

        var membershipPrefix = $"{clinicId:D}:";
        var claims = await identity.UserClaims.AsNoTracking()
            .Where(c => userIds.Contains(c.UserId) && (c.ClaimType == ChatClaims.Name || c.ClaimType == ChatClaims.Membership || c.ClaimType == ChatClaims.PatientId))
            .Select(c => new { c.UserId, c.ClaimType, c.ClaimValue })
            .ToListAsync(cancellationToken);
        var people = new Dictionary<string, Person>();
        foreach (var user in claims.GroupBy(c => c.UserId))
        {
            var name = user.FirstOrDefault(c => c.ClaimType == ChatClaims.Name)?.ClaimValue;
            if (user.FirstOrDefault(c => c.ClaimType == ChatClaims.PatientId) is { } patient && Guid.TryParse(patient.ClaimValue, out var patientId))
            {
                // Named only if the directory says this is the clinic's patient (NameAsync looks it up).
                people[user.Key] = new Person(null, patientId);
            }
            else if (name is not null && user.Any(c => c.ClaimType == ChatClaims.Membership && c.ClaimValue?.StartsWith(membershipPrefix, StringComparison.Ordinal) == true))
            {
                people[user.Key] = new Person(name, null);
            }
        }

        return people;
    }

    private sealed record Person(string? Name, Guid? PatientId);
}
