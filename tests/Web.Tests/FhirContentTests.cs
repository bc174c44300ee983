using System.Text.Json.Nodes;
using ClinicChat.Records;
using ClinicChat.Web.Integration;

namespace ClinicChat.Web.Tests;

/// <summary>
/// FHIR content the way EHRs send it (issue 21): contained and bundled Medication, PractitionerRole, Organization and
/// Location; every practitioner; resources ClinicChat does not keep in batches and search results; invoice lines; a
/// proposed appointment's requested period; medicines the patient reported. Shapes follow the HL7 R4 examples.
/// </summary>
public sealed class FhirContentTests
{
    private static readonly Guid PatientId = Guid.Parse("0f8fad5b-d9cb-469f-a165-70867728950e");

    [Fact]
    public void AContainedMedicationNamesThePrescriptionAsInTheHl7Examples()
    {
        // As medicationrequest0302: "medicationReference": {"reference": "#med0310"} with the Medication contained.
        var request = JsonNode.Parse(FhirExamples.MedicationRequest($"Patient/{PatientId}"))!.AsObject();
        request.Remove("medicationCodeableConcept");
        request["contained"] = new JsonArray(new JsonObject
        {
            ["resourceType"] = "Medication",
            ["id"] = "med0310",
            ["code"] = new JsonObject { ["coding"] = new JsonArray(new JsonObject { ["system"] = "http://snomed.info/sct", ["code"] = "430127000", ["display"] = "Oral Form Oxycodone (product)" }) },
        });
        request["medicationReference"] = new JsonObject { ["reference"] = "#med0310" };

        var result = FhirRecords.Parse(request.ToJsonString());

        Assert.True(result.IsValid, string.Join("; ", result.Issues));
        Assert.Equal("Oral Form Oxycodone (product)", Assert.Single(result.Records).Snapshot.Prescription!.Medication);
    }

    [Fact]
    public void ABundledMedicationAndAPractitionerRoleNameThePrescriptionAndItsPrescriber()
    {
        var request = JsonNode.Parse(FhirExamples.MedicationRequest($"Patient/{PatientId}"))!.AsObject();
        request.Remove("medicationCodeableConcept");
        request["medicationReference"] = new JsonObject { ["reference"] = "Medication/clopidogrel" };
        request["requester"] = new JsonObject { ["reference"] = "PractitionerRole/cardiology" };
        var bundle = FhirExamples.TransactionBundle(
            (null, FhirExamples.Patient(PatientId)),
            (null, request.ToJsonString()),
            (null, """{ "resourceType": "Medication", "id": "clopidogrel", "code": { "text": "Clopidogrel 75 mg tablet" } }"""),
            (null, """{ "resourceType": "PractitionerRole", "id": "cardiology", "practitioner": { "reference": "Practitioner/example" }, "organization": { "reference": "Organization/1" } }"""),
            (null, FhirExamples.Practitioner()),
            (null, """{ "resourceType": "Organization", "id": "1", "name": "Northside Cardiology" }"""));

        var result = FhirRecords.Parse(bundle);

        Assert.True(result.IsValid, string.Join("; ", result.Issues));
        var prescription = Assert.Single(result.Records).Snapshot.Prescription!;
        Assert.Equal(("Clopidogrel 75 mg tablet", "Dr Adam Careful"), (prescription.Medication, prescription.Prescriber));
    }

    [Fact]
    public void AnAppointmentShowsEveryPractitionerAndAContainedLocationByName()
    {
        var appointment = JsonNode.Parse(FhirExamples.Appointment($"Patient/{PatientId}", practitioner: "#p1", location: "#room", withDisplays: false))!.AsObject();
        appointment["contained"] = new JsonArray(
            new JsonObject { ["resourceType"] = "Practitioner", ["id"] = "p1", ["name"] = new JsonArray(new JsonObject { ["text"] = "Dr Adam Careful" }) },
            new JsonObject { ["resourceType"] = "Location", ["id"] = "room", ["name"] = "South Wing, second floor" },
            new JsonObject { ["resourceType"] = "PractitionerRole", ["id"] = "nurse", ["organization"] = new JsonObject { ["display"] = "Night Nurses Ltd" } });
        appointment["participant"]!.AsArray().Add(new JsonObject { ["actor"] = new JsonObject { ["reference"] = "#nurse" }, ["status"] = "accepted" });

        var result = FhirRecords.Parse(appointment.ToJsonString());

        Assert.True(result.IsValid, string.Join("; ", result.Issues));
        var details = Assert.Single(result.Records).Snapshot.Appointment!;
        Assert.Equal(("Dr Adam Careful, Night Nurses Ltd", "South Wing, second floor"), (details.Provider, details.Location));
    }

    /// <summary>A search result with _include carries Encounters and Observations: skipped, said so, and the rest imports.</summary>
    [Fact]
    public void ResourcesClinicChatDoesNotKeepAreSkippedInASearchResultButRefusedInATransaction()
    {
        string Bundle(string type) => $$"""
            {
              "resourceType": "Bundle",
              "type": "{{type}}",
              "entry": [
                { "fullUrl": "http://ehr.example/fhir/MedicationRequest/medrx0311", "resource": {{FhirExamples.MedicationRequest($"Patient/{PatientId}")}}{{(type == "transaction" ? ", \"request\": { \"method\": \"PUT\", \"url\": \"MedicationRequest/medrx0311\" }" : ", \"search\": { \"mode\": \"match\" }")}} },
                { "fullUrl": "http://ehr.example/fhir/Encounter/e1", "resource": { "resourceType": "Encounter", "id": "e1", "status": "finished", "class": { "code": "AMB" } }{{(type == "transaction" ? ", \"request\": { \"method\": \"PUT\", \"url\": \"Encounter/e1\" }" : ", \"search\": { \"mode\": \"include\" }")}} }
              ]
            }
            """;

        var search = FhirRecords.Parse(Bundle("searchset"));
        var transaction = FhirRecords.Parse(Bundle("transaction"));

        Assert.True(search.IsValid, string.Join("; ", search.Issues));
        Assert.Single(search.Records);
        var skipped = Assert.Single(search.Information!);
        Assert.Equal(("information", "informational", "Bundle.entry[1].resource"), (skipped.Severity, skipped.Code, skipped.Expression));
        Assert.False(transaction.IsValid);
        Assert.Equal("not-supported", Assert.Single(transaction.Issues).Code);
    }

    [Fact]
    public void AnInvoiceListsItsChargesWithTheirBasePrices()
    {
        var invoice = JsonNode.Parse(FhirExamples.Invoice($"Patient/{PatientId}"))!.AsObject();
        invoice["lineItem"] = new JsonArray(
            new JsonObject
            {
                ["sequence"] = 1,
                ["chargeItemCodeableConcept"] = new JsonObject { ["coding"] = new JsonArray(new JsonObject { ["code"] = "300", ["display"] = "Consultation" }) },
                ["priceComponent"] = new JsonArray(
                    new JsonObject { ["type"] = "base", ["amount"] = new JsonObject { ["value"] = 40, ["currency"] = "EUR" } },
                    new JsonObject { ["type"] = "tax", ["amount"] = new JsonObject { ["value"] = 8, ["currency"] = "EUR" } }),
            },
            new JsonObject { ["sequence"] = 2, ["chargeItemReference"] = new JsonObject { ["reference"] = "ChargeItem/x", ["display"] = "Dressing" } });

        var details = Assert.Single(FhirRecords.Parse(invoice.ToJsonString()).Records).Snapshot.Invoice!;

        Assert.Equal([new InvoiceLine("Consultation", 40m), new InvoiceLine("Dressing", null)], details.Lines!);
        Assert.Equal((48m, 40m), (details.Amount, details.Net));
    }

    [Fact]
    public void SendingTheSameItemisedInvoiceAgainIsNotAChange()
    {
        var invoice = JsonNode.Parse(FhirExamples.Invoice($"Patient/{PatientId}"))!.AsObject();
        invoice["lineItem"] = new JsonArray(new JsonObject { ["sequence"] = 1, ["chargeItemCodeableConcept"] = new JsonObject { ["text"] = "Consultation" } });
        var first = Assert.Single(FhirRecords.Parse(invoice.ToJsonString()).Records);
        var again = Assert.Single(FhirRecords.Parse(invoice.ToJsonString()).Records);
        var stored = new RecordView(Guid.NewGuid(), Guid.NewGuid(), first.PatientId, first.ResourceId, 1, first.Snapshot, DateTimeOffset.UnixEpoch);

        Assert.Equal(RecordChange.Unchanged, RecordRules.Compare(stored, again));
    }

    [Fact]
    public void AMedicineThePatientReportedIsMarkedSoAndHasNoPrescriber()
    {
        // As medicationrequest0306-shaped reports: reportedBoolean, the patient as requester ("self-prescribed").
        var request = JsonNode.Parse(FhirExamples.MedicationRequest($"Patient/{PatientId}"))!.AsObject();
        request["reportedBoolean"] = true;
        request["requester"] = new JsonObject { ["reference"] = $"Patient/{PatientId}", ["display"] = "self-prescribed" };

        var prescription = Assert.Single(FhirRecords.Parse(request.ToJsonString()).Records).Snapshot.Prescription!;

        Assert.Equal((true, (string?)null), (prescription.Reported, prescription.Prescriber));
    }

    [Fact]
    public void AnInvoiceWithMoreLinesThanACardListsIsRefusedRatherThanShownInPart()
    {
        var invoice = JsonNode.Parse(FhirExamples.Invoice($"Patient/{PatientId}"))!.AsObject();
        invoice["lineItem"] = new JsonArray([.. Enumerable.Range(1, RecordLimits.MaxInvoiceLines + 1).Select(i => (JsonNode)new JsonObject
        {
            ["sequence"] = i,
            ["chargeItemCodeableConcept"] = new JsonObject { ["text"] = $"Item {i}" },
        })]);

        var result = FhirRecords.Parse(invoice.ToJsonString());

        Assert.Equal(("too-costly", "Invoice.lineItem"), (Assert.Single(result.Issues).Code, result.Issues[0].Expression));
    }
}
