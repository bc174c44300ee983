namespace ClinicChat.Web.Tests;

/// <summary>
/// What a clinic's system sends in the API tests: FHIR R4 resources in the shape of the specification's own examples (Appointment "example",
/// Invoice "example", MedicationRequest "medrx0311"), about ClinicChat patients: the integration
/// contract is that a FHIR Patient's logical id is the ClinicChat patient id.
/// </summary>
public static class FhirFeed
{
    public static string Appointment(string id, Guid patientId, DateTimeOffset start, string status = "booked") => $$"""
        {
          "resourceType": "Appointment",
          "id": "{{id}}",
          "text": { "status": "generated", "div": "<div xmlns=\"http://www.w3.org/1999/xhtml\">Crown fitting</div>" },
          "status": "{{status}}",
          "serviceType": [ { "coding": [ { "code": "52", "display": "General Discussion" } ] } ],
          "description": "Crown fitting",
          "start": "{{start.UtcDateTime:O}}",
          "end": "{{start.AddMinutes(30).UtcDateTime:O}}",
          "participant": [
            { "actor": { "reference": "Patient/{{patientId}}", "display": "The patient" }, "required": "required", "status": "accepted" },
            { "type": [ { "coding": [ { "system": "http://terminology.hl7.org/CodeSystem/v3-ParticipationType", "code": "ATND" } ] } ],
              "actor": { "reference": "Practitioner/example", "display": "Dr Alice Carter" }, "required": "required", "status": "accepted" },
            { "actor": { "reference": "Location/1", "display": "Northside Family Dental, Room 2" }, "required": "required", "status": "accepted" }
          ]
        }
        """;

    public static string Invoice(string id, Guid patientId, decimal amount, string status = "issued") => $$"""
        {
          "resourceType": "Invoice",
          "id": "{{id}}",
          "identifier": [ { "system": "http://myHospital.org/Invoices", "value": "INV-{{id}}" } ],
          "status": "{{status}}",
          "subject": { "reference": "Patient/{{patientId}}" },
          "date": "2026-11-02T10:00:00Z",
          "totalNet": { "value": {{amount}}, "currency": "USD" },
          "totalGross": { "value": {{amount}}, "currency": "USD" }
        }
        """;

    public static string Prescription(string id, Guid patientId) => $$"""
        {
          "resourceType": "MedicationRequest",
          "id": "{{id}}",
          "status": "active",
          "intent": "order",
          "medicationCodeableConcept": {
            "coding": [ { "system": "http://www.nlm.nih.gov/research/umls/rxnorm", "code": "308182", "display": "Amoxicillin 500 MG Oral Capsule" } ],
            "text": "Amoxicillin 500 mg capsules"
          },
          "subject": { "reference": "Patient/{{patientId}}" },
          "authoredOn": "2026-11-03",
          "requester": { "reference": "Practitioner/example", "display": "Dr Alice Carter" },
          "dosageInstruction": [ { "sequence": 1, "text": "One capsule three times a day for 7 days" } ],
          "dispenseRequest": { "numberOfRepeatsAllowed": 1 }
        }
        """;

    /// <summary>A transaction Bundle: the Patient, then each resource, as a PMS would send a day's changes.</summary>
    public static string Bundle(Guid patientId, params string[] resources)
    {
        var entries = resources.Select(r =>
        {
            var type = System.Text.Json.JsonDocument.Parse(r).RootElement;
            var path = $"{type.GetProperty("resourceType").GetString()}/{type.GetProperty("id").GetString()}";
            return $$"""{ "fullUrl": "http://pms.example/fhir/{{path}}", "resource": {{r}}, "request": { "method": "PUT", "url": "{{path}}" } }""";
        });
        return $$"""
            {
              "resourceType": "Bundle",
              "type": "transaction",
              "entry": [
                { "fullUrl": "http://pms.example/fhir/Patient/{{patientId}}",
                  "resource": { "resourceType": "Patient", "id": "{{patientId}}", "active": true },
                  "request": { "method": "PUT", "url": "Patient/{{patientId}}" } },
                {{string.Join(",\n", entries)}}
              ]
            }
            """;
    }

    /// <summary>Sends FHIR JSON to Northside's import as <paramref name="admin"/>.</summary>
    public static Task<HttpResponseMessage> ImportAsync(ApiSession admin, string fhirJson) =>
        admin.Http.PostAsync($"/api/v1/clinics/{DemoData.Northside}/fhir", new StringContent(fhirJson, Encoding.UTF8, "application/fhir+json"));

    /// <summary>An OperationOutcome answer's first issue: its FHIR issue code and ClinicChat's error code (<c>issue.details</c>), if any.</summary>
    public static async Task<(string? IssueCode, string? ErrorCode)> OutcomeAsync(HttpResponseMessage response)
    {
        using var outcome = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal("OperationOutcome", outcome.RootElement.GetProperty("resourceType").GetString());
        var first = outcome.RootElement.GetProperty("issue")[0];
        return (first.GetProperty("code").GetString(),
            first.TryGetProperty("details", out var details) ? details.GetProperty("coding")[0].GetProperty("code").GetString() : null);
    }

    /// <summary>The composer palette's list for the thread, optionally searched.</summary>
    public static async Task<IReadOnlyList<RecordDto>> PaletteAsync(ApiSession staff, Guid conversationId, string kind, string? q = null)
    {
        var response = await staff.Http.GetAsync($"/api/v1/conversations/{conversationId}/records?kind={kind}{(q is null ? "" : $"&q={Uri.EscapeDataString(q)}")}");
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<RecordListDto>())!.Items;
    }
}
