using ClinicChat.Audit;
using Hl7.Fhir.Model;
using Hl7.Fhir.Serialization;
using AuditEvent = Hl7.Fhir.Model.AuditEvent;

namespace ClinicChat.Web.Integration;

/// <summary>
/// Our audit rows as FHIR R4 AuditEvent resources, for export. Rows hold ids and outcomes only, so
/// the resources do too: no message text, no names.
/// </summary>
public static class FhirAuditEvents
{
    public const string ActionSystem = "urn:clinicchat:audit-action";
    public const string CategorySystem = "urn:clinicchat:audit-category";
    public const string UserSystem = "urn:clinicchat:user";
    public const string ConversationSystem = "urn:clinicchat:conversation";
    public const string ClinicSystem = "urn:clinicchat:clinic";

    private const string ObjectTypeSystem = "http://terminology.hl7.org/CodeSystem/audit-entity-type";
    private const string ObjectRoleSystem = "http://terminology.hl7.org/CodeSystem/object-role";

    public static AuditEvent From(AuditEntry row)
    {
        var e = row.Event;
        var audit = new AuditEvent
        {
            Id = row.Id.ToString(System.Globalization.CultureInfo.InvariantCulture),
            // Type is the action's feature ("message"), subtype the action itself ("message.sent").
            Type = new Coding(CategorySystem, e.Action.Split('.')[0]),
            Subtype = [new Coding(ActionSystem, e.Action)],
            Action = ActionOf(e.Action),
            Recorded = row.OccurredAt,
            Outcome = e.Outcome switch
            {
                AuditOutcomes.Success => AuditEvent.AuditEventOutcome.N0,
                AuditOutcomes.Denied => AuditEvent.AuditEventOutcome.N4,
                _ => AuditEvent.AuditEventOutcome.N8,
            },
            OutcomeDesc = e.Outcome,
            Agent =
            [
                new AuditEvent.AgentComponent
                {
                    Who = new ResourceReference { Identifier = new Identifier(UserSystem, e.ActorId) },
                    Requestor = true,
                },
            ],
            Source = new AuditEvent.SourceComponent
            {
                Site = e.ClinicId?.ToString(),
                Observer = new ResourceReference { Display = "ClinicChat" },
            },
        };

        if (e.PatientId is { } patientId)
        {
            audit.Entity.Add(new AuditEvent.EntityComponent
            {
                What = new ResourceReference($"Patient/{patientId}"),
                Type = new Coding(ObjectTypeSystem, "1", "Person"),
                Role = new Coding(ObjectRoleSystem, "1", "Patient"),
            });
        }

        if (e.ConversationId is { } conversationId)
        {
            audit.Entity.Add(new AuditEvent.EntityComponent
            {
                What = new ResourceReference { Identifier = new Identifier(ConversationSystem, conversationId.ToString()) },
                Type = new Coding(ObjectTypeSystem, "2", "System Object"),
            });
        }

        return audit;
    }

    /// <summary>One resource as one line of NDJSON (the serializer writes no line breaks).</summary>
    public static string ToNdjsonLine(AuditEntry row) => FhirJsonSerializer.Default.SerializeToString(From(row));

    private static AuditEvent.AuditEventAction ActionOf(string action) => action.Split('.')[^1] switch
    {
        "viewed" or "listed" or "searched" or "read" or "delivered" or "downloaded" or "verified" => AuditEvent.AuditEventAction.R,
        "sent" or "started" or "registered" or "imported" or "attached" or "uploaded" => AuditEvent.AuditEventAction.C,
        "changed" or "archived" or "reopened" or "flags_changed" => AuditEvent.AuditEventAction.U,
        _ => AuditEvent.AuditEventAction.E,
    };
}
