using Hl7.Fhir.FhirPath;
using Hl7.Fhir.Model;

namespace ClinicChat.Web.Integration;

/// <summary>
/// The FHIR R4 rules (invariants) a resource must keep that strict parsing does not check, evaluated with Firely's
/// FHIRPath engine on the specification's own expressions, plus ClinicChat's rules for what it stores. What is
/// validated in all: structure, JSON types, cardinality, codes and primitive formats (Firely's strict deserializer, see
/// <see cref="FhirRecords"/>); the invariants below; references that must resolve; the limits of what a card keeps.
/// Full profile validation (Firely.Fhir.Validation against the StructureDefinitions) is not run: it loads the
/// specification package on first use and checks far more than ClinicChat reads (narratives, terminology bindings of
/// elements it ignores), at a cost per resource an integration's bulk import would pay on every entry.
/// </summary>
public static class FhirInvariants
{
    /// <summary>One rule: its key (FHIR's id, or <c>clinicchat-…</c> for ours), where it applies, and what it says.</summary>
    private sealed record Rule(string Key, string Expression, string Says);

    private static readonly Rule[] AppointmentRules =
    [
        new("app-1", "participant.all(type.exists() or actor.exists())", "Either the type or actor on a participant SHALL be specified."),
        new("app-2", "start.exists() = end.exists()", "Either start and end are specified, or neither."),
        new("app-3", "(start.exists() and end.exists()) or (status in ('proposed' | 'cancelled' | 'waitlist'))",
            "Only proposed, cancelled or waitlisted appointments can be missing start and end."),
        new("app-4", "cancelationReason.exists() implies (status = 'noshow' or status = 'cancelled')",
            "A cancellation reason is only used for appointments that were cancelled or not attended."),
        new("clinicchat-app-end", "(start.exists() and end.exists()) implies end >= start", "An appointment cannot end before it starts."),
    ];

    private static readonly Rule[] BundleRules =
    [
        new("bdl-3", "(type = 'batch' or type = 'transaction' or type = 'history') implies entry.all(request.exists())",
            "Each entry of a batch, transaction or history needs a request."),
        new("bdl-3", "(type = 'batch' or type = 'transaction' or type = 'history') or entry.all(request.empty())",
            "Only a batch, transaction or history has entries with a request."),
        new("bdl-4", "(type = 'batch-response' or type = 'transaction-response' or type = 'history') or entry.all(response.empty())",
            "Only a batch-response, transaction-response or history has entries with a response."),
        new("bdl-7", "type = 'history' or entry.where(fullUrl.exists()).select(fullUrl & iif(resource.meta.versionId.exists(), resource.meta.versionId, '')).isDistinct()",
            "A fullUrl appears once in a bundle (unless its entries are different versions)."),
        new("bdl-11", "type = 'document' implies entry.first().resource.is(Composition)", "A document must have a Composition as its first resource."),
        new("bdl-12", "type = 'message' implies entry.first().resource.is(MessageHeader)", "A message must have a MessageHeader as its first resource."),
    ];

    /// <summary>
    /// Bundles ClinicChat accepts as an import: what a system sends (transaction, batch), gathers (collection) or found
    /// (searchset). A document, message or a server's response is not an import.
    /// </summary>
    private static readonly HashSet<Bundle.BundleType> ImportableBundles =
        [Bundle.BundleType.Transaction, Bundle.BundleType.Batch, Bundle.BundleType.Collection, Bundle.BundleType.Searchset];

    /// <summary>The rules <paramref name="resource"/> (at <paramref name="path"/>) breaks, as issues naming each.</summary>
    public static IEnumerable<FhirIssue> Check(Resource resource, string path)
    {
        var rules = resource switch
        {
            Appointment => AppointmentRules,
            Bundle => BundleRules,
            _ => [],
        };
        foreach (var rule in rules)
        {
            if (!Holds(resource, rule.Expression))
            {
                yield return new FhirIssue("invariant", $"Rule {rule.Key}: {rule.Says}", path);
            }
        }

        if (resource is Bundle bundle)
        {
            foreach (var issue in CheckBundle(bundle))
            {
                yield return issue;
            }
        }
    }

    private static IEnumerable<FhirIssue> CheckBundle(Bundle bundle)
    {
        if (bundle.Type is { } type && !ImportableBundles.Contains(type))
        {
            yield return new FhirIssue("not-supported", "Send a transaction, batch, collection or searchset Bundle.", "Bundle.type");
        }

        for (var i = 0; i < bundle.Entry.Count; i++)
        {
            // A PUT names what it updates: a different type or id in the URL than in the resource is a contradiction.
            if (bundle.Entry[i] is { Request: { Method: Bundle.HTTPVerb.PUT, Url: { } url }, Resource: { } resource }
                && url.Split('?')[0].Split('/') is [.., var urlType, var urlId]
                && (urlType != resource.TypeName || urlId != FhirIds.Readable(resource)))
            {
                yield return new FhirIssue("invalid", "The request URL names a different resource type or id than the entry's resource.", $"Bundle.entry[{i}].request.url");
            }
        }
    }

    private static bool Holds(Resource resource, string expression)
    {
        try
        {
            return resource.Predicate(expression);
        }
        catch (Exception e) when (e is InvalidOperationException or FormatException or InvalidCastException)
        {
            // A value the typed model cannot read (reported by the deserializer already) leaves the rule undecided: not a second issue.
            return true;
        }
    }
}
