using System.Text.Json.Nodes;
using ClinicChat.Patients;
using ClinicChat.Records;
using ClinicChat.Web.Integration;

namespace ClinicChat.Web.Tests;

/// <summary>FHIR R4 JSON in, ClinicChat records or FHIR issues out. Examples follow the FHIR specification's own.</summary>
public sealed class FhirRecordsTests
{
    private static readonly Guid PatientId = Guid.Parse("0f8fad5b-d9cb-469f-a165-70867728950e");
    private const string PatientUrn = "urn:uuid:3c1e7a52-9a6f-4f1e-8a35-2b4b3f8f7d10";
    private const string PractitionerUrn = "urn:uuid:9b2f4c61-0d1e-4a7b-b3c2-5e6f7a8b9c0d";
    private const string LocationUrn = "urn:uuid:5d4c3b2a-1f0e-4d9c-8b7a-6f5e4d3c2b1a";

    [Fact]
    public void AnAppointmentBecomesAnAppointmentCardForItsPatient()
    {
        var result = FhirRecords.Parse(FhirExamples.Appointment($"Patient/{PatientId}"));

        Assert.Empty(result.Issues);
        var record = Assert.Single(result.Records);
        Assert.Equal((RecordKind.Appointment, "example", PatientId), (record.Kind, record.ResourceId, record.PatientId));
        Assert.Equal(
            new AppointmentDetails(
                new DateTimeOffset(2013, 12, 10, 9, 0, 0, TimeSpan.Zero),
                new DateTimeOffset(2013, 12, 10, 11, 0, 0, TimeSpan.Zero),
                "Dr Adam Careful",
                "South Wing, second floor",
                "booked",
                "Discussion on the results of your recent MRI",
                RequestedFrom: new DateOnly(2016, 6, 2),
                RequestedTo: new DateOnly(2016, 6, 9)),
            record.Snapshot.Appointment);
    }

    [Fact]
    public void AnAppointmentWithoutDescriptionIsDescribedByItsServiceType()
    {
        var result = FhirRecords.Parse(FhirExamples.Without(FhirExamples.Appointment($"Patient/{PatientId}"), "description"));

        Assert.Equal("General Discussion", Assert.Single(result.Records).Snapshot.Appointment!.Description);
    }

    [Fact]
    public void AnInvoiceBecomesAnInvoiceCardWithItsGrossTotalStillToPay()
    {
        var result = FhirRecords.Parse(FhirExamples.Invoice($"Patient/{PatientId}"));

        var record = Assert.Single(result.Records);
        Assert.Equal((RecordKind.Invoice, "example", PatientId), (record.Kind, record.ResourceId, record.PatientId));
        Assert.Equal(
            new InvoiceDetails("654321", new DateTimeOffset(2017, 1, 25, 8, 0, 0, TimeSpan.FromHours(1)), 48m, "EUR", 48m, "issued", Net: 40m),
            record.Snapshot.Invoice);
    }

    [Fact]
    public void ABalancedInvoiceHasNothingLeftToPay()
    {
        var result = FhirRecords.Parse(FhirExamples.Invoice($"Patient/{PatientId}", status: "balanced"));

        var invoice = Assert.Single(result.Records).Snapshot.Invoice!;
        Assert.Equal((48m, 0m, "balanced"), (invoice.Amount, invoice.Balance, invoice.Status));
    }

    [Fact]
    public void AMedicationRequestBecomesAPrescriptionCard()
    {
        var result = FhirRecords.Parse(FhirExamples.MedicationRequest($"Patient/{PatientId}"));

        var record = Assert.Single(result.Records);
        Assert.Equal((RecordKind.Prescription, "medrx0311", PatientId), (record.Kind, record.ResourceId, record.PatientId));
        Assert.Equal(
            new PrescriptionDetails(
                "Clopidogrel 75 MG Oral Tablet",
                "75mg orally once daily",
                "Patrick Pump",
                new DateTimeOffset(2015, 1, 15, 0, 0, 0, TimeSpan.Zero),
                3,
                "active",
                Day: new DateOnly(2015, 1, 15)),
            record.Snapshot.Prescription);
    }

    [Fact]
    public void TheVersionTheSystemSentIsKeptToRecogniseALateOlderOne()
    {
        var resource = JsonNode.Parse(FhirExamples.Appointment($"Patient/{PatientId}"))!.AsObject();
        resource["meta"] = new JsonObject { ["versionId"] = "7", ["lastUpdated"] = "2026-12-03T10:15:00+01:00" };

        var withMeta = Assert.Single(FhirRecords.Parse(resource.ToJsonString()).Records);
        var without = Assert.Single(FhirRecords.Parse(FhirExamples.Appointment($"Patient/{PatientId}")).Records);

        Assert.Equal(new SourceVersion("7", new DateTimeOffset(2026, 12, 3, 9, 15, 0, TimeSpan.Zero)), withMeta.Source);
        Assert.Null(without.Source);
    }

    [Fact]
    public void WhyARecordWasCancelledOrStoppedIsKeptWithItsStatus()
    {
        var appointment = JsonNode.Parse(FhirExamples.Appointment($"Patient/{PatientId}"))!.AsObject();
        appointment["status"] = "cancelled";
        appointment["cancelationReason"] = new JsonObject { ["coding"] = new JsonArray(new JsonObject { ["code"] = "pat", ["display"] = "Patient" }) };
        var invoice = JsonNode.Parse(FhirExamples.Invoice($"Patient/{PatientId}", status: "cancelled"))!.AsObject();
        invoice["cancelledReason"] = "Billed twice";
        var prescription = JsonNode.Parse(FhirExamples.MedicationRequest($"Patient/{PatientId}"))!.AsObject();
        prescription["status"] = "stopped";
        prescription["statusReason"] = new JsonObject { ["text"] = "Rash after the first dose" };

        var records = new[] { appointment, invoice, prescription }.Select(json => Assert.Single(FhirRecords.Parse(json.ToJsonString()).Records).Snapshot).ToList();

        Assert.Equal(("cancelled", "Patient"), (records[0].Appointment!.Status, records[0].Appointment!.StatusReason));
        Assert.Equal(("cancelled", "Billed twice", 0m), (records[1].Invoice!.Status, records[1].Invoice!.StatusReason, records[1].Invoice!.Balance));
        Assert.Equal(("stopped", "Rash after the first dose"), (records[2].Prescription!.Status, records[2].Prescription!.StatusReason));
    }

    [Fact]
    public void ADateSentWithoutATimeIsKeptAsThatCalendarDayAndADateWithATimeIsAnInstantOnly()
    {
        var dateOnly = FhirRecords.Parse(FhirExamples.Invoice($"Patient/{PatientId}", date: "2015-01-15"));
        var withTime = FhirRecords.Parse(FhirExamples.Invoice($"Patient/{PatientId}", date: "2015-01-15T22:30:00-05:00"));

        var day = Assert.Single(dateOnly.Records).Snapshot.Invoice!;
        var instant = Assert.Single(withTime.Records).Snapshot.Invoice!;
        Assert.Equal((new DateOnly(2015, 1, 15), new DateTimeOffset(2015, 1, 15, 0, 0, 0, TimeSpan.Zero)), (day.Day, day.Date));
        Assert.Equal(((DateOnly?)null, new DateTimeOffset(2015, 1, 16, 3, 30, 0, TimeSpan.Zero)), (instant.Day, instant.Date));
    }

    [Fact]
    public void ATaperingPrescriptionShowsEveryStepInItsSequence()
    {
        // As the HL7 tapering example: the steps arrive out of order; a step may have two dosages taken together.
        var result = FhirRecords.Parse(Prescription($$"""
            [
              { "sequence": 2, "text": "20 mg once daily for 3 days" },
              { "sequence": 1, "text": "40 mg once daily for 3 days" },
              { "sequence": 3, "text": "10 mg once daily for 3 days" },
              { "sequence": 3, "text": "then stop" }
            ]
            """));

        Assert.Equal(
            "40 mg once daily for 3 days, then 20 mg once daily for 3 days, then 10 mg once daily for 3 days and then stop",
            Assert.Single(result.Records).Snapshot.Prescription!.Instructions);
    }

    [Fact]
    public void AStructuredDosageWithoutTextIsWrittenOutRatherThanLeftBlank()
    {
        var result = FhirRecords.Parse(Prescription($$"""
            [
              {
                "sequence": 1,
                "timing": { "repeat": { "frequency": 3, "period": 1, "periodUnit": "d", "boundsDuration": { "value": 7, "unit": "days" } } },
                "asNeededBoolean": false,
                "route": { "coding": [ { "system": "http://snomed.info/sct", "code": "26643006", "display": "oral route" } ] },
                "doseAndRate": [ { "doseQuantity": { "value": 500, "unit": "mg" } } ]
              },
              {
                "sequence": 2,
                "timing": { "repeat": { "frequency": 1, "period": 6, "periodUnit": "h" } },
                "asNeededCodeableConcept": { "text": "pain" },
                "doseAndRate": [ { "doseRange": { "low": { "value": 1, "unit": "tablet" }, "high": { "value": 2, "unit": "tablets" } } } ]
              }
            ]
            """));

        Assert.Equal(
            "500 mg, 3 times a day, for 7 days, by oral route, then 1–2 tablets, every 6 hours, as needed for pain",
            Assert.Single(result.Records).Snapshot.Prescription!.Instructions);
    }

    private static string Prescription(string dosageInstruction) => $$"""
        {
          "resourceType": "MedicationRequest",
          "id": "dosage-steps",
          "status": "active",
          "intent": "order",
          "medicationCodeableConcept": { "text": "Prednisolone 10 mg tablet" },
          "subject": { "reference": "Patient/{{PatientId}}" },
          "dosageInstruction": {{dosageInstruction}}
        }
        """;

    [Fact]
    public void APartialDateIsTheFirstOfItsMonthAtMidnightUtc()
    {
        var result = FhirRecords.Parse(FhirExamples.Invoice($"Patient/{PatientId}", date: "2026-11"));

        var invoice = Assert.Single(result.Records).Snapshot.Invoice!;
        Assert.Equal((new DateTimeOffset(2026, 11, 1, 0, 0, 0, TimeSpan.Zero), new DateOnly(2026, 11, 1)), (invoice.Date, invoice.Day));
    }

    [Fact]
    public void ATransactionBundleResolvesItsPatientByUrnForAllThreeKinds()
    {
        var bundle = FhirExamples.TransactionBundle(
            (PatientUrn, FhirExamples.Patient(PatientId)),
            (null, FhirExamples.Appointment(PatientUrn)),
            (null, FhirExamples.Invoice(PatientUrn)),
            (null, FhirExamples.MedicationRequest(PatientUrn)));

        var result = FhirRecords.Parse(bundle);

        Assert.True(result.IsValid, string.Join("; ", result.Issues));
        Assert.Equal(
            [RecordKind.Appointment, RecordKind.Invoice, RecordKind.Prescription],
            result.Records.Select(r => r.Kind));
        Assert.All(result.Records, record => Assert.Equal(PatientId, record.PatientId));
    }

    [Fact]
    public void AProviderAndPlaceWithoutDisplayAreNamedFromTheBundle()
    {
        var appointment = FhirExamples.Appointment(PatientUrn, practitioner: PractitionerUrn, location: LocationUrn, withDisplays: false);
        var bundle = FhirExamples.TransactionBundle(
            (PatientUrn, FhirExamples.Patient(PatientId)),
            (PractitionerUrn, FhirExamples.Practitioner()),
            (LocationUrn, FhirExamples.Location()),
            (null, appointment));

        var details = Assert.Single(FhirRecords.Parse(bundle).Records).Snapshot.Appointment!;

        Assert.Equal(("Dr Adam Careful", "South Wing, second floor"), (details.Provider, details.Location));
    }

    [Theory]
    [InlineData("""{"resourceType": "Observation", "id": "example", "status": "final", "code": {"text": "Body Weight"}}""", "not-supported")]
    [InlineData("""{"resourceType": "Appointmnt", "id": "example", "status": "booked"}""", "value")]
    public void AResourceOtherThanTheThreeKindsIsAnIssue(string json, string code)
    {
        var result = FhirRecords.Parse(json);

        Assert.False(result.IsValid);
        Assert.Empty(result.Records);
        Assert.Equal(code, Assert.Single(result.Issues).Code);
    }

    [Fact]
    public void AnAppointmentWithoutStatusIsMissingARequiredElement()
    {
        var result = FhirRecords.Parse(FhirExamples.Without(FhirExamples.Appointment($"Patient/{PatientId}"), "status"));

        var issue = Assert.Single(result.Issues);
        Assert.Equal(("required", "Appointment.status"), (issue.Code, issue.Expression));
    }

    [Fact]
    public void AMedicationRequestWithoutSubjectIsMissingARequiredElementInsideABundle()
    {
        var request = FhirExamples.Without(FhirExamples.MedicationRequest($"Patient/{PatientId}"), "subject");

        var result = FhirRecords.Parse(FhirExamples.TransactionBundle((null, request)));

        var issue = Assert.Single(result.Issues);
        Assert.Equal(("required", "Bundle.entry[0].resource.subject"), (issue.Code, issue.Expression));
    }

    [Fact]
    public void AnInvoiceWithoutSubjectIsMissingARequiredElement()
    {
        var result = FhirRecords.Parse(FhirExamples.Without(FhirExamples.Invoice($"Patient/{PatientId}"), "subject"));

        var issue = Assert.Single(result.Issues);
        Assert.Equal(("required", "Invoice.subject"), (issue.Code, issue.Expression));
    }

    [Fact]
    public void AnAppointmentWithoutAPatientParticipantIsMissingARequiredElement()
    {
        var appointment = JsonNode.Parse(FhirExamples.Appointment($"Patient/{PatientId}"))!;
        appointment["participant"]!.AsArray().RemoveAt(0);

        var issue = Assert.Single(FhirRecords.Parse(appointment.ToJsonString()).Issues);

        Assert.Equal(("required", "Appointment.participant"), (issue.Code, issue.Expression));
    }

    [Fact]
    public void ARecordWithoutIdCannotBeUpdatedAndIsAnIssue()
    {
        var result = FhirRecords.Parse(FhirExamples.Without(FhirExamples.Invoice($"Patient/{PatientId}"), "id"));

        var issue = Assert.Single(result.Issues);
        Assert.Equal(("required", "Invoice.id"), (issue.Code, issue.Expression));
    }

    [Fact]
    public void APatientIdThatIsNotAGuidIsTheEhrsIdResolvedWhenTheImportIsApplied()
    {
        var result = FhirRecords.Parse(FhirExamples.Invoice("Patient/example"));

        Assert.True(result.IsValid);
        Assert.Equal(Guid.Empty, Assert.Single(result.Records).PatientId);
        Assert.Equal((new PatientKey(PatientKeyKind.Id, "example"), "Invoice.subject"), (Assert.Single(result.PatientKeys!), Assert.Single(result.PatientKeyPaths!)));
    }

    [Fact]
    public void AnUrnThatNoBundleEntryHasIsNotAPatientOfThisClinic()
    {
        var bundle = FhirExamples.TransactionBundle((null, FhirExamples.MedicationRequest(PatientUrn)));

        var issue = Assert.Single(FhirRecords.Parse(bundle).Issues);

        Assert.Equal(("not-found", "Bundle.entry[0].resource.subject"), (issue.Code, issue.Expression));
        Assert.Equal("The reference does not name a patient of this clinic.", issue.Diagnostics);
    }

    [Fact]
    public void AnAppointmentWhosePatientUrnNoBundleEntryHasIsAnIssueAtThatParticipant()
    {
        var bundle = FhirExamples.TransactionBundle((null, FhirExamples.Appointment(PatientUrn)));

        var issues = FhirRecords.Parse(bundle).Issues;

        Assert.Contains(issues, issue => (issue.Code, issue.Expression) == ("not-found", "Bundle.entry[0].resource.participant[0].actor"));
    }

    [Fact]
    public void ABundleWithAnInvalidEntryYieldsNoRecordsAndListsEveryIssue()
    {
        var bundle = FhirExamples.TransactionBundle(
            (null, FhirExamples.Appointment($"Patient/{PatientId}")),
            (null, FhirExamples.Invoice("Patient?name=Chalmers")),
            (null, FhirExamples.Without(FhirExamples.MedicationRequest($"Patient/{PatientId}"), "status")));

        var result = FhirRecords.Parse(bundle);

        Assert.False(result.IsValid);
        Assert.Empty(result.Records);
        Assert.Equal(
            [("not-supported", "Bundle.entry[1].resource.subject"), ("required", "Bundle.entry[2].resource.status")],
            result.Issues.Select(i => (i.Code, i.Expression)).Order());
    }

    [Fact]
    public void DeletingARecordThroughABundleIsNotSupported()
    {
        const string bundle = """
            {
              "resourceType": "Bundle",
              "type": "transaction",
              "entry": [{"request": {"method": "DELETE", "url": "Appointment/example"}}]
            }
            """;

        var issue = Assert.Single(FhirRecords.Parse(bundle).Issues);

        Assert.Equal(("not-supported", "Bundle.entry[0].request.method"), (issue.Code, issue.Expression));
    }

    [Fact]
    public void TheSameRecordTwiceInABundleIsAnIssue()
    {
        var invoice = FhirExamples.Invoice($"Patient/{PatientId}");

        var issue = Assert.Single(FhirRecords.Parse(FhirExamples.TransactionBundle((null, invoice), (null, invoice))).Issues);

        Assert.Equal(("invalid", "Bundle.entry[1].resource.id"), (issue.Code, issue.Expression));
    }

    [Fact]
    public void AnUnknownElementIsAnIssueInStrictParsing()
    {
        var invoice = JsonNode.Parse(FhirExamples.Invoice($"Patient/{PatientId}"))!;
        invoice["balance"] = 12;

        var issue = Assert.Single(FhirRecords.Parse(invoice.ToJsonString()).Issues);

        Assert.Equal("Invoice.balance", issue.Expression);
    }

    [Theory]
    [InlineData("2026-02-30")]
    [InlineData("2026-11-02T10:00:00")] // FHIR requires a time zone once there is a time.
    public void ADateThatCannotBeReadIsAValueIssue(string date)
    {
        var issue = Assert.Single(FhirRecords.Parse(FhirExamples.Invoice($"Patient/{PatientId}", date: date)).Issues);

        Assert.Equal(("value", "Invoice.date"), (issue.Code, issue.Expression));
    }

    [Fact]
    public void AnUnknownStatusCodeIsAnIssueNotAnException()
    {
        var result = FhirRecords.Parse(FhirExamples.Invoice($"Patient/{PatientId}", status: "paid"));

        var issue = Assert.Single(result.Issues);
        Assert.Equal("Invoice.status", issue.Expression);
    }

    [Theory]
    [InlineData("")]
    [InlineData("{\"resourceType\": \"Appointment\", ")]
    [InlineData("[1, 2]")]
    [InlineData("not json")]
    public void MalformedJsonIsAStructureIssueNotAnException(string json)
    {
        var result = FhirRecords.Parse(json);

        Assert.Equal("structure", Assert.Single(result.Issues).Code);
        Assert.Empty(result.Records);
    }

    public static TheoryData<string, string, string> OverLongTexts => new()
    {
        { "instructions", FhirExamples.MedicationRequest($"Patient/{PatientId}").Replace("75mg orally once daily", new string('x', RecordLimits.MaxTextLength + 1), StringComparison.Ordinal), "MedicationRequest.dosageInstruction" },
        { "medication's name", WithMedicationText(new string('m', RecordLimits.MaxNameLength + 1)), "MedicationRequest.medication" },
        { "description", FhirExamples.Appointment($"Patient/{PatientId}").Replace("Discussion on the results of your recent MRI", new string('d', RecordLimits.MaxTextLength + 1), StringComparison.Ordinal), "Appointment.description" },
    };

    /// <summary>A card's texts are copied into every message that carries it: a text over its limit is refused, never clipped.</summary>
    [Theory]
    [MemberData(nameof(OverLongTexts))]
    public void AnOverLongTextIsRefusedNamingTheFieldAndNothingIsShortened(string field, string json, string expression)
    {
        var result = FhirRecords.Parse(json);

        Assert.Empty(result.Records);
        var issue = Assert.Single(result.Issues);
        Assert.Equal(("too-long", expression), (issue.Code, issue.Expression));
        Assert.Contains($"The {field} is longer than", issue.Diagnostics, StringComparison.Ordinal);
        Assert.True(issue.Diagnostics.Length < 200);
    }

    [Fact]
    public void TextsAtTheirLimitAreKeptWhole()
    {
        var instructions = new string('x', RecordLimits.MaxTextLength);
        var json = FhirExamples.MedicationRequest($"Patient/{PatientId}").Replace("75mg orally once daily", instructions, StringComparison.Ordinal);

        var record = Assert.Single(FhirRecords.Parse(json).Records);

        Assert.Equal(instructions, record.Snapshot.Prescription!.Instructions);
    }

    /// <summary>A refusal says where and what in general terms; it never sends back what was sent nor the parser's own words.</summary>
    [Theory]
    [InlineData("status")]
    [InlineData("date")]
    [InlineData("subject")]
    [InlineData("json")]
    [InlineData("unknown")]
    public void ARefusalNamesThePlaceButNeverEchoesTheValueOrTheParsersText(string where)
    {
        const string Submitted = "SUBMITTED-VALUE-4242";
        var invoice = JsonNode.Parse(FhirExamples.Invoice($"Patient/{PatientId}"))!;
        switch (where)
        {
            case "status": invoice["status"] = Submitted; break;
            case "date": invoice["date"] = Submitted; break;
            case "subject": invoice["subject"] = new JsonObject { ["reference"] = $"Patient?name={Submitted}" }; break;
            case "unknown": invoice[Submitted] = Submitted; break;
        }

        var json = where == "json" ? invoice.ToJsonString().Replace("\"issued\"", Submitted, StringComparison.Ordinal) : invoice.ToJsonString();
        var issues = FhirRecords.Parse(json).Issues;

        Assert.NotEmpty(issues);
        Assert.All(issues, issue =>
        {
            Assert.DoesNotContain(Submitted, issue.Diagnostics, StringComparison.Ordinal);
            Assert.DoesNotContain("LineNumber", issue.Diagnostics, StringComparison.Ordinal);
            Assert.DoesNotContain("'", issue.Diagnostics, StringComparison.Ordinal);
        });
        Assert.All(issues.Where(issue => where != "unknown"), issue => Assert.DoesNotContain(Submitted, issue.Expression ?? string.Empty, StringComparison.Ordinal));
    }

    [Fact]
    public void TheOperationOutcomeCarriesEveryIssue()
    {
        FhirIssue[] issues =
        [
            new("required", "Element 'Appointment.status' with minimum cardinality 1 must be present.", "Appointment.status"),
            new("not-found", "Patient/example is not a patient of this clinic.", "Bundle.entry[1].resource.subject"),
            new("structure", "The body is not valid JSON.", null),
        ];

        using var outcome = JsonDocument.Parse(FhirRecords.ToOperationOutcomeJson(issues));

        Assert.Equal("OperationOutcome", outcome.RootElement.GetProperty("resourceType").GetString());
        var written = outcome.RootElement.GetProperty("issue").EnumerateArray().ToList();
        Assert.All(written, issue => Assert.Equal("error", issue.GetProperty("severity").GetString()));
        Assert.Equal(issues, written.Select(issue => new FhirIssue(
            issue.GetProperty("code").GetString()!,
            issue.GetProperty("diagnostics").GetString()!,
            issue.TryGetProperty("expression", out var expression) ? expression[0].GetString() : null)));
    }

    [Fact]
    public void TheOperationOutcomeOfAFailedParseIsValidFhir()
    {
        var result = FhirRecords.Parse(FhirExamples.Without(FhirExamples.Appointment("Patient/example"), "status"));

        var outcome = FhirRecords.ToOperationOutcomeJson(result.Issues);

        var reparsed = FhirRecords.Parse(outcome);
        Assert.Equal([("not-supported", "OperationOutcome")], reparsed.Issues.Select(i => (i.Code, i.Expression)));
    }

    private static string WithMedicationText(string name) =>
        FhirExamples.MedicationRequest($"Patient/{PatientId}").Replace("Clopidogrel 75 MG Oral Tablet", name, StringComparison.Ordinal);
}

/// <summary>FHIR R4 resources shaped like the specification's examples (appointment-example, invoice-example, medicationrequest examples), with GUID patient ids.</summary>
internal static class FhirExamples
{
    public static string Appointment(string patient, string practitioner = "Practitioner/example", string location = "Location/1", bool withDisplays = true) => $$"""
        {
          "resourceType": "Appointment",
          "id": "example",
          "text": {
            "status": "generated",
            "div": "<div xmlns=\"http://www.w3.org/1999/xhtml\">Brian MRI results discussion</div>"
          },
          "status": "booked",
          "serviceCategory": [{"coding": [{"system": "http://example.org/service-category", "code": "gp", "display": "General Practice"}]}],
          "serviceType": [{"coding": [{"code": "52", "display": "General Discussion"}]}],
          "specialty": [{"coding": [{"system": "http://snomed.info/sct", "code": "394814009", "display": "General practice"}]}],
          "appointmentType": {"coding": [{"system": "http://terminology.hl7.org/CodeSystem/v2-0276", "code": "FOLLOWUP", "display": "A follow up visit from a previous appointment"}]},
          "priority": 5,
          "description": "Discussion on the results of your recent MRI",
          "start": "2013-12-10T09:00:00Z",
          "end": "2013-12-10T11:00:00Z",
          "created": "2013-10-10",
          "comment": "Further expand on the results of the MRI and determine the next actions that may be appropriate.",
          "participant": [
            {
              "actor": {"reference": "{{patient}}"{{(withDisplays ? ", \"display\": \"Peter James Chalmers\"" : "")}}},
              "required": "required",
              "status": "accepted"
            },
            {
              "type": [{"coding": [{"system": "http://terminology.hl7.org/CodeSystem/v3-ParticipationType", "code": "ATND"}]}],
              "actor": {"reference": "{{practitioner}}"{{(withDisplays ? ", \"display\": \"Dr Adam Careful\"" : "")}}},
              "required": "required",
              "status": "accepted"
            },
            {
              "actor": {"reference": "{{location}}"{{(withDisplays ? ", \"display\": \"South Wing, second floor\"" : "")}}},
              "required": "required",
              "status": "accepted"
            }
          ],
          "requestedPeriod": [{"start": "2016-06-02", "end": "2016-06-09"}]
        }
        """;

    public static string Invoice(string patient, string status = "issued", string date = "2017-01-25T08:00:00+01:00") => $$"""
        {
          "resourceType": "Invoice",
          "id": "example",
          "text": {
            "status": "generated",
            "div": "<div xmlns=\"http://www.w3.org/1999/xhtml\">Example of Invoice</div>"
          },
          "identifier": [{"system": "http://myHospital.org/Invoices", "value": "654321"}],
          "status": "{{status}}",
          "subject": {"reference": "{{patient}}"},
          "date": "{{date}}",
          "participant": [
            {
              "role": {"coding": [{"system": "http://snomed.info/sct", "code": "17561000", "display": "Cardiologist"}]},
              "actor": {"reference": "Practitioner/example"}
            }
          ],
          "issuer": {
            "identifier": {"system": "http://myhospital/NamingSystem/departments", "value": "CARD_INTERMEDIATE_CARE"}
          },
          "account": {"reference": "Account/example"},
          "totalNet": {"value": 40, "currency": "EUR"},
          "totalGross": {"value": 48, "currency": "EUR"}
        }
        """;

    public static string MedicationRequest(string patient) => $$"""
        {
          "resourceType": "MedicationRequest",
          "id": "medrx0311",
          "status": "active",
          "intent": "order",
          "medicationCodeableConcept": {
            "coding": [{"system": "http://www.nlm.nih.gov/research/umls/rxnorm", "code": "309362", "display": "Clopidogrel 75 MG Oral Tablet"}]
          },
          "subject": {"reference": "{{patient}}", "display": "Donald Duck"},
          "authoredOn": "2015-01-15",
          "requester": {"reference": "Practitioner/f007", "display": "Patrick Pump"},
          "dosageInstruction": [
            {
              "sequence": 1,
              "text": "75mg orally once daily",
              "timing": {
                "repeat": {"frequency": 1, "period": 1, "periodUnit": "d"}
              },
              "route": {"coding": [{"system": "http://snomed.info/sct", "code": "26643006", "display": "Oral Route (qualifier value)"}]},
              "doseAndRate": [
                {
                  "doseQuantity": {"value": 75, "unit": "mg", "system": "http://unitsofmeasure.org", "code": "mg"}
                }
              ]
            }
          ],
          "dispenseRequest": {
            "validityPeriod": {"start": "2015-01-15", "end": "2016-01-15"},
            "numberOfRepeatsAllowed": 3,
            "quantity": {"value": 90, "unit": "Tab", "system": "http://terminology.hl7.org/CodeSystem/v3-orderableDrugForm", "code": "TAB"},
            "expectedSupplyDuration": {"value": 30, "unit": "days", "system": "http://unitsofmeasure.org", "code": "d"}
          }
        }
        """;

    public static string Patient(Guid id) => $$"""
        {
          "resourceType": "Patient",
          "id": "{{id}}",
          "active": true,
          "name": [{"use": "official", "family": "Chalmers", "given": ["Peter", "James"]}],
          "gender": "male",
          "birthDate": "1974-12-25"
        }
        """;

    public static string Practitioner() => """
        {
          "resourceType": "Practitioner",
          "id": "example",
          "active": true,
          "name": [{"family": "Careful", "given": ["Adam"], "prefix": ["Dr"]}]
        }
        """;

    public static string Location() => """
        {
          "resourceType": "Location",
          "id": "1",
          "status": "active",
          "name": "South Wing, second floor",
          "mode": "instance"
        }
        """;

    /// <summary>A transaction bundle of the given resources, each PUT by its id (or POSTed when it has a fullUrl and no id).</summary>
    public static string TransactionBundle(params (string? FullUrl, string Resource)[] entries)
    {
        var bundle = new JsonObject { ["resourceType"] = "Bundle", ["type"] = "transaction", ["entry"] = new JsonArray() };
        foreach (var (fullUrl, json) in entries)
        {
            var resource = JsonNode.Parse(json)!.AsObject();
            var type = (string)resource["resourceType"]!;
            var entry = new JsonObject();
            if (fullUrl is not null)
            {
                entry["fullUrl"] = fullUrl;
            }

            entry["resource"] = resource;
            entry["request"] = resource["id"] is { } id
                ? new JsonObject { ["method"] = "PUT", ["url"] = $"{type}/{(string)id!}" }
                : new JsonObject { ["method"] = "POST", ["url"] = type };
            bundle["entry"]!.AsArray().Add(entry);
        }

        return bundle.ToJsonString();
    }

    public static string Without(string json, string element)
    {
        var resource = JsonNode.Parse(json)!.AsObject();
        resource.Remove(element);
        return resource.ToJsonString();
    }
}
