using System.Text.Json.Nodes;
using ClinicChat.Web.Integration;

namespace ClinicChat.Web.Tests;

/// <summary>FHIR R4 invariants and Bundle rules an import must keep (issue 21): each broken rule is an issue naming it and the place.</summary>
public sealed class FhirValidationTests
{
    private static readonly Guid PatientId = Guid.Parse("0f8fad5b-d9cb-469f-a165-70867728950e");

    public static TheoryData<string, string> BrokenAppointments => new()
    {
        { """{ "participant": [ { "status": "accepted" } ] }""", "app-1" },
        { """{ "end": null, "status": "proposed" }""", "app-2" },
        { """{ "start": null, "end": null }""", "app-3" },
        { """{ "cancelationReason": { "text": "Clinic closed" } }""", "app-4" },
        { """{ "start": "2013-12-10T11:00:00Z", "end": "2013-12-10T09:00:00Z" }""", "clinicchat-app-end" },
    };

    [Theory]
    [MemberData(nameof(BrokenAppointments))]
    public void AnAppointmentBreakingAnInvariantIsRefusedNamingTheRule(string change, string rule)
    {
        var appointment = JsonNode.Parse(FhirExamples.Appointment($"Patient/{PatientId}"))!.AsObject();
        foreach (var (name, value) in JsonNode.Parse(change)!.AsObject())
        {
            if (name == "participant")
            {
                appointment["participant"]!.AsArray().Add(value!.AsArray()[0]!.DeepClone());
            }
            else if (value is null)
            {
                appointment.Remove(name);
            }
            else
            {
                appointment[name] = value.DeepClone();
            }
        }

        var result = FhirRecords.Parse(appointment.ToJsonString());

        Assert.Empty(result.Records);
        var issue = Assert.Single(result.Issues, i => i.Code == "invariant");
        Assert.StartsWith($"Rule {rule}:", issue.Diagnostics, StringComparison.Ordinal);
        Assert.Equal("Appointment", issue.Expression);
    }

    [Fact]
    public void AProposedAppointmentMayHaveNoTimeYetAndACancelledOneAReason()
    {
        var proposed = JsonNode.Parse(FhirExamples.Appointment($"Patient/{PatientId}"))!.AsObject();
        proposed.Remove("start");
        proposed.Remove("end");
        proposed["status"] = "proposed";
        var cancelled = JsonNode.Parse(FhirExamples.Appointment($"Patient/{PatientId}"))!.AsObject();
        cancelled["status"] = "cancelled";
        cancelled["cancelationReason"] = new JsonObject { ["text"] = "Clinic closed" };

        Assert.True(FhirRecords.Parse(proposed.ToJsonString()).IsValid);
        Assert.True(FhirRecords.Parse(cancelled.ToJsonString()).IsValid);
    }

    public static TheoryData<string, string, string> BrokenBundles => new()
    {
        // bdl-3: a transaction entry without a request; a collection entry with one.
        { """{ "resourceType": "Bundle", "type": "transaction", "entry": [ { "resource": PATIENT } ] }""", "Rule bdl-3", "Bundle" },
        { """{ "resourceType": "Bundle", "type": "collection", "entry": [ { "resource": PATIENT, "request": { "method": "PUT", "url": "Patient/ID" } } ] }""", "Rule bdl-3", "Bundle" },
        // bdl-4: a response in a transaction.
        { """{ "resourceType": "Bundle", "type": "transaction", "entry": [ { "resource": PATIENT, "request": { "method": "PUT", "url": "Patient/ID" }, "response": { "status": "200" } } ] }""", "Rule bdl-4", "Bundle" },
        // bdl-7: the same fullUrl twice.
        { """{ "resourceType": "Bundle", "type": "collection", "entry": [ { "fullUrl": "urn:uuid:1e2a3b4c-0000-4000-8000-000000000001", "resource": PATIENT }, { "fullUrl": "urn:uuid:1e2a3b4c-0000-4000-8000-000000000001", "resource": PATIENT } ] }""", "Rule bdl-7", "Bundle" },
        // bdl-11 and bdl-12: a document and a message without their first resource (and not an import anyway).
        { """{ "resourceType": "Bundle", "type": "document", "entry": [ { "resource": PATIENT } ] }""", "Rule bdl-11", "Bundle" },
        { """{ "resourceType": "Bundle", "type": "message", "entry": [ { "resource": PATIENT } ] }""", "Rule bdl-12", "Bundle" },
        // A PUT whose URL names another id than its resource.
        { """{ "resourceType": "Bundle", "type": "transaction", "entry": [ { "resource": PATIENT, "request": { "method": "PUT", "url": "Patient/someone-else" } } ] }""", "The request URL names a different", "Bundle.entry[0].request.url" },
    };

    [Theory]
    [MemberData(nameof(BrokenBundles))]
    public void ABundleBreakingARuleIsRefusedNamingItAndWhere(string bundle, string says, string where)
    {
        var json = bundle.Replace("PATIENT", FhirExamples.Patient(PatientId), StringComparison.Ordinal).Replace("Patient/ID", $"Patient/{PatientId}", StringComparison.Ordinal);

        var result = FhirRecords.Parse(json);

        Assert.False(result.IsValid);
        Assert.Contains(result.Issues, issue => issue.Diagnostics.StartsWith(says, StringComparison.Ordinal) && issue.Expression == where);
    }

    [Fact]
    public void TheOperationOutcomeOfABrokenRuleIsValidFhirWithTheInvariantCode()
    {
        var appointment = JsonNode.Parse(FhirExamples.Appointment($"Patient/{PatientId}"))!.AsObject();
        appointment.Remove("end");

        var outcome = JsonNode.Parse(FhirRecords.ToOperationOutcomeJson(FhirRecords.Parse(appointment.ToJsonString()).Issues))!;

        Assert.Equal(("OperationOutcome", "error", "invariant"), ((string?)outcome["resourceType"], (string?)outcome["issue"]![0]!["severity"], (string?)outcome["issue"]![0]!["code"]));
    }
}
