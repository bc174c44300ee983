namespace ClinicChat.Web.Tests;

/// <summary>
/// Patients as the clinic's EHR knows them (issue 21): FHIR Patient resources create and update clinic patients, keep
/// the EHR's id, and records find their patient by ClinicChat id, by the EHR's id, or by MRN (conditional reference).
/// </summary>
[Collection(AppCollection.Name)]
public sealed class EhrPatientsApiTests(AppFixture fixture)
{
    private static readonly DateTimeOffset Friday = new(2027, 1, 8, 15, 0, 0, TimeSpan.Zero);
    private static readonly string Mrn = DemoData.MrnSystemOf(DemoData.Northside);

    private ClinicChatApp App => fixture.App;

    [Fact]
    public async Task AnEhrPatientIsCreatedWithItsDetailsAndLaterRecordsFindItByTheEhrsIdAndByMrn()
    {
        var tag = Guid.NewGuid().ToString("N")[..8];
        var (olga, alice) = (await App.SignInAsync(DemoData.Olga), await App.SignInAsync(DemoData.Alice));
        var patient = EhrPatient($"ehr-{tag}", $"MRN-{tag}", "Quinn", $"Ehrtest{tag}", email: $"quinn.{tag}@example.com");

        var first = await FhirFeed.ImportAsync(olga, Transaction(patient, Appointment($"appt-{tag}-1", $"Patient/ehr-{tag}", Friday)));
        var byEhrId = await FhirFeed.ImportAsync(olga, Appointment($"appt-{tag}-2", $"Patient/ehr-{tag}", Friday.AddDays(7)));
        var byMrn = await FhirFeed.ImportAsync(olga, Appointment($"appt-{tag}-3", $"Patient?identifier={Mrn}|MRN-{tag}", Friday.AddDays(14)));

        Assert.Equal(new ImportSummaryDto(1, 0, 0, 0, null, PatientsCreated: 1), await first.Content.ReadFromJsonAsync<ImportSummaryDto>());
        Assert.True(byEhrId.IsSuccessStatusCode, await byEhrId.Content.ReadAsStringAsync());
        Assert.True(byMrn.IsSuccessStatusCode, await byMrn.Content.ReadAsStringAsync());
        var found = Assert.Single(await SearchAsync(alice, $"Ehrtest{tag}"));
        var file = await (await alice.Http.GetAsync($"/api/v1/clinics/{DemoData.Northside}/patients/{found}")).Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(("Quinn", "1988-02-29", $"MRN-{tag}", $"quinn.{tag}@example.com", "+12015550142", "es-MX"), (
            file.GetProperty("givenName").GetString(), file.GetProperty("birthDate").GetString(), file.GetProperty("mrn").GetString(),
            file.GetProperty("email").GetString(), file.GetProperty("mobile").GetString(), file.GetProperty("preferredLanguage").GetString()));
        Assert.Equal(3, await StoredAppointmentsAsync(found));
        Assert.Equal(1, await TestData.AuditCountAsync(App, AuditActions.PatientCreated, "source=fhir", patientId: found));
    }

    [Fact]
    public async Task AnEhrUpdateReplacesWhatItSendsAndKeepsWhatItLeavesOut()
    {
        var tag = Guid.NewGuid().ToString("N")[..8];
        var (olga, alice) = (await App.SignInAsync(DemoData.Olga), await App.SignInAsync(DemoData.Alice));
        var created = await FhirFeed.ImportAsync(olga, EhrPatient($"ehr-{tag}", $"MRN-{tag}", "Rowan", $"Before{tag}", email: $"rowan.{tag}@example.com"));
        Assert.True(created.IsSuccessStatusCode, await created.Content.ReadAsStringAsync());

        var update = await FhirFeed.ImportAsync(olga, EhrPatient($"ehr-{tag}", null, "Rowan", $"After{tag}", email: null));
        Assert.True(update.IsSuccessStatusCode, await update.Content.ReadAsStringAsync());

        Assert.Equal(new ImportSummaryDto(0, 0, 0, 0, null, PatientsUpdated: 1), await update.Content.ReadFromJsonAsync<ImportSummaryDto>());
        var id = Assert.Single(await SearchAsync(alice, $"After{tag}"));
        Assert.Empty(await SearchAsync(alice, $"Before{tag}"));
        var file = await (await alice.Http.GetAsync($"/api/v1/clinics/{DemoData.Northside}/patients/{id}")).Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(($"rowan.{tag}@example.com", $"MRN-{tag}"), (file.GetProperty("email").GetString(), file.GetProperty("mrn").GetString()));
    }

    /// <summary>The EHR sends a patient the front desk added already: matched by MRN and linked, never duplicated.</summary>
    [Fact]
    public async Task AKnownPatientIsMatchedByMrnAndTheEhrsIdThenNamesThem()
    {
        var tag = Guid.NewGuid().ToString("N")[..8];
        var (olga, alice) = (await App.SignInAsync(DemoData.Olga), await App.SignInAsync(DemoData.Alice));
        var added = await alice.Http.PostAsJsonAsync($"/api/v1/clinics/{DemoData.Northside}/patients", new
        {
            givenName = "Morgan", familyName = $"Known{tag}", birthDate = "1988-02-29", mobile = "(201) 555-0142", mrn = $"MRN-K-{tag}", preferredLanguage = "es-MX",
        });
        var id = (await added.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();

        var linked = await FhirFeed.ImportAsync(olga, EhrPatient($"ehr-k-{tag}", $"MRN-K-{tag}", "Morgan", $"Known{tag}"));
        var byEhrId = await FhirFeed.ImportAsync(olga, Appointment($"appt-k-{tag}", $"Patient/ehr-k-{tag}", Friday));

        Assert.Equal(HttpStatusCode.Created, added.StatusCode);
        Assert.Equal(new ImportSummaryDto(0, 0, 0, 0, null), await linked.Content.ReadFromJsonAsync<ImportSummaryDto>());
        Assert.True(byEhrId.IsSuccessStatusCode, await byEhrId.Content.ReadAsStringAsync());
        Assert.Equal([id], await SearchAsync(alice, $"Known{tag}"));
        Assert.Equal(1, await StoredAppointmentsAsync(id));
        Assert.Equal(1, await TestData.AuditCountAsync(App, AuditActions.PatientExternalIdLinked, patientId: id));
    }

    public static TheoryData<string, string, string> UnresolvedReferences => new()
    {
        { "Patient/ehr-nobody", "not-found", "Appointment.participant[0].actor" },
        { "Patient?identifier=https://elsewhere.example/mrn|NS-1001", "not-found", "Appointment.participant[0].actor" },
        { $"Patient?identifier={Mrn}|NO-SUCH-MRN", "not-found", "Appointment.participant[0].actor" },
        { "Patient?name=Pat", "not-supported", "Appointment.participant[0].actor" },
    };

    [Theory]
    [MemberData(nameof(UnresolvedReferences))]
    public async Task AReferenceThatMatchesNoPatientIsAnOperationOutcomeNamingItAndNothingIsApplied(string reference, string code, string where)
    {
        var olga = await App.SignInAsync(DemoData.Olga);
        var tag = Guid.NewGuid().ToString("N")[..8];

        var import = await FhirFeed.ImportAsync(olga, Appointment($"appt-none-{tag}", reference, Friday));

        Assert.Equal(HttpStatusCode.BadRequest, import.StatusCode);
        using var outcome = JsonDocument.Parse(await import.Content.ReadAsStringAsync());
        var issue = Assert.Single(outcome.RootElement.GetProperty("issue").EnumerateArray());
        Assert.Equal((code, where), (issue.GetProperty("code").GetString(), issue.GetProperty("expression")[0].GetString()));
    }

    [Fact]
    public async Task APatientTheClinicWouldRefuseIsRefusedWithItsPlaceAndNoPatientIsWritten()
    {
        var tag = Guid.NewGuid().ToString("N")[..8];
        var (olga, alice) = (await App.SignInAsync(DemoData.Olga), await App.SignInAsync(DemoData.Alice));
        var good = EhrPatient($"ehr-a-{tag}", $"MRN-A-{tag}", "Sasha", $"Valid{tag}");
        var yearOnly = EhrPatient($"ehr-b-{tag}", $"MRN-B-{tag}", "Sasha", $"Yearonly{tag}", email: "sasha at home", birthDate: "1974");

        var import = await FhirFeed.ImportAsync(olga, Transaction(good, yearOnly));

        Assert.Equal(HttpStatusCode.BadRequest, import.StatusCode);
        // Every refused element of the entry, one issue each: the EHR's team fixes the record in one round.
        using var outcome = JsonDocument.Parse(await import.Content.ReadAsStringAsync());
        Assert.Equal(["Bundle.entry[1].resource.birthDate", "Bundle.entry[1].resource.telecom"],
            outcome.RootElement.GetProperty("issue").EnumerateArray().Select(i => i.GetProperty("expression")[0].GetString()!).Order().ToArray());
        Assert.Empty(await SearchAsync(alice, $"Valid{tag}"));
    }

    [Fact]
    public async Task OnlyTheClinicsAdminsSetItsMrnSystem()
    {
        var (olga, alice) = (await App.SignInAsync(DemoData.Olga), await App.SignInAsync(DemoData.Alice));
        var path = $"/api/v1/clinics/{DemoData.Northside}/fhir/mrn-system";

        var read = await olga.Http.GetFromJsonAsync<MrnSystemDto>(path);
        var notAnAdmin = await alice.Http.PutAsJsonAsync(path, new MrnSystemDto("https://other.example/mrn"));
        var notAUri = await olga.Http.PutAsJsonAsync(path, new MrnSystemDto("not a uri"));
        var otherClinic = await olga.Http.GetAsync($"/api/v1/clinics/{DemoData.Lakeview}/fhir/mrn-system");
        var same = await olga.Http.PutAsJsonAsync(path, new MrnSystemDto(Mrn));

        Assert.Equal(Mrn, read!.MrnSystem);
        Assert.Equal(HttpStatusCode.Forbidden, notAnAdmin.StatusCode);
        Assert.Equal((HttpStatusCode.BadRequest, "mrnSystem"), (notAUri.StatusCode, (await TestData.ProblemAsync(notAUri)).Field));
        Assert.Equal(HttpStatusCode.NotFound, otherClinic.StatusCode);
        Assert.Equal(Mrn, (await same.Content.ReadFromJsonAsync<MrnSystemDto>())!.MrnSystem);
    }

    private static string EhrPatient(string id, string? mrn, string given, string family, string? email = null, string birthDate = "1988-02-29") => $$"""
        {
          "resourceType": "Patient",
          "id": "{{id}}",
          {{(mrn is null ? "" : $$"""
          "identifier": [ { "type": { "coding": [ { "system": "http://terminology.hl7.org/CodeSystem/v2-0203", "code": "MR" } ] }, "system": "{{Mrn}}", "value": "{{mrn}}" } ],
          """)}}
          "active": true,
          "name": [ { "use": "official", "family": "{{family}}", "given": [ "{{given}}" ] } ],
          "telecom": [ {{(email is null ? "" : $$"""{ "system": "email", "value": "{{email}}" },""")}} { "system": "phone", "value": "(201) 555-0142", "use": "mobile" } ],
          "birthDate": "{{birthDate}}",
          "communication": [ { "language": { "coding": [ { "system": "urn:ietf:bcp:47", "code": "es-MX" } ] }, "preferred": true } ]
        }
        """;

    private static string Appointment(string id, string patientReference, DateTimeOffset start) => $$"""
        {
          "resourceType": "Appointment",
          "id": "{{id}}",
          "status": "booked",
          "description": "Check-up",
          "start": "{{start.UtcDateTime:O}}",
          "end": "{{start.AddMinutes(30).UtcDateTime:O}}",
          "participant": [ { "actor": { "reference": "{{patientReference}}" }, "status": "accepted" } ]
        }
        """;

    private static string Transaction(params string[] resources) => FhirExamples.TransactionBundle([.. resources.Select(r => ((string?)null, r))]);

    /// <summary>
    /// The patient's appointments as stored. (The palette needs a thread, and a patient without a portal account has
    /// none until invited; what is asserted is whom the records were stored for.)
    /// </summary>
    private async Task<long> StoredAppointmentsAsync(Guid patientId)
    {
        var database = (Storage.ChatDatabase)App.Services.GetService(typeof(Storage.ChatDatabase))!;
        await using var connection = await database.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT COUNT(*) FROM artifacts WHERE clinic_id = $clinic AND patient_id = $patient AND kind = 0";
        command.Parameters.Add(new Microsoft.Data.Sqlite.SqliteParameter("$clinic", DemoData.Northside.ToString()));
        command.Parameters.Add(new Microsoft.Data.Sqlite.SqliteParameter("$patient", patientId.ToString()));
        return (long)(await command.ExecuteScalarAsync())!;
    }

    private static async Task<IReadOnlyList<Guid>> SearchAsync(ApiSession staff, string query)
    {
        var found = await staff.Http.GetFromJsonAsync<JsonElement>($"/api/v1/patients?query={Uri.EscapeDataString(query)}&clinicId={DemoData.Northside}");
        return [.. found.EnumerateArray().Select(p => p.GetProperty("id").GetGuid())];
    }
}
