using ClinicChat.Patients;

namespace ClinicChat.Web.Tests;

/// <summary>/appt, /invoice and /rx cards: FHIR R4 imports by a clinic's Admins, the palette, and cards that stay truthful.</summary>
[Collection(AppCollection.Name)]
public sealed class RecordsApiTests(AppFixture fixture)
{
    private static readonly DateTimeOffset Thursday = new(2026, 12, 3, 14, 0, 0, TimeSpan.Zero);

    private ClinicChatApp App => fixture.App;

    [Fact]
    public async Task ABundleFromTheClinicsSystemFillsThePaletteWithEachKind()
    {
        var (_, alice, patient, thread) = await ChatScenario.StartAsync(App);
        var olga = await App.SignInAsync(DemoData.Olga);

        var import = await FhirFeed.ImportAsync(olga, FhirFeed.Bundle(patient.Id,
            FhirFeed.Appointment("appt-95", patient.Id, Thursday),
            FhirFeed.Invoice("inv-95", patient.Id, 850.00m),
            FhirFeed.Prescription("rx-95", patient.Id)));

        Assert.Equal(HttpStatusCode.OK, import.StatusCode);
        Assert.Equal(new ImportSummaryDto(3, 0, 0, 0), await import.Content.ReadFromJsonAsync<ImportSummaryDto>());
        var appointment = Assert.Single(await FhirFeed.PaletteAsync(alice, thread, "appointment"));
        Assert.Equal((Thursday, "Dr Alice Carter", "Northside Family Dental, Room 2", "booked"),
            (appointment.Appointment!.Start, appointment.Appointment.Provider, appointment.Appointment.Location, appointment.Appointment.Status));
        var invoice = Assert.Single(await FhirFeed.PaletteAsync(alice, thread, "invoice"));
        Assert.Equal(("INV-inv-95", 850.00m, "USD", 850.00m, "issued"),
            (invoice.Invoice!.Number, invoice.Invoice.Amount, invoice.Invoice.Currency, invoice.Invoice.Balance, invoice.Invoice.Status));
        var prescription = Assert.Single(await FhirFeed.PaletteAsync(alice, thread, "prescription"));
        Assert.Equal(("Amoxicillin 500 mg capsules", "One capsule three times a day for 7 days", "Dr Alice Carter", 1),
            (prescription.Prescription!.Medication, prescription.Prescription.Instructions, prescription.Prescription.Prescriber, prescription.Prescription.Refills));
    }

    [Fact]
    public async Task ASingleResourceIsImportedAndReSendingItChangesNothing()
    {
        var patient = TestData.PortalPatient(96);
        var olga = await App.SignInAsync(DemoData.Olga);
        var appointment = FhirFeed.Appointment("appt-96", patient.Id, Thursday);

        var first = await (await FhirFeed.ImportAsync(olga, appointment)).Content.ReadFromJsonAsync<ImportSummaryDto>();
        var again = await (await FhirFeed.ImportAsync(olga, appointment)).Content.ReadFromJsonAsync<ImportSummaryDto>();

        Assert.Equal(new ImportSummaryDto(1, 0, 0, 0), first);
        Assert.Equal(new ImportSummaryDto(0, 0, 1, 0), again);
    }

    public static TheoryData<string, string> InvalidEntries => new()
    {
        { """{ "resourceType": "Observation", "id": "obs-1", "status": "final", "code": { "text": "BP" } }""", "not-supported" },
        { """{ "resourceType": "Appointment", "id": "appt-x", "participant": [ { "actor": { "reference": "Patient/PATIENT" }, "status": "accepted" } ] }""", "required" },
        { FhirFeed.Invoice("inv-x", Guid.Parse("00000000-0000-0000-0000-00000000beef"), 10m), "not-found" },
        { "LAKEVIEW_ONLY", "not-found" },
    };

    [Theory]
    [MemberData(nameof(InvalidEntries))]
    public async Task InvalidFhirIsRefusedWithAnOperationOutcomeAndNothingOfTheBundleIsApplied(string badEntry, string issueCode)
    {
        var (_, alice, patient, thread) = await ChatScenario.StartAsync(App);
        var olga = await App.SignInAsync(DemoData.Olga);
        if (badEntry == "LAKEVIEW_ONLY")
        {
            badEntry = FhirFeed.Prescription("rx-lake", await LakeviewOnlyPatientAsync());
        }

        var import = await FhirFeed.ImportAsync(olga, FhirFeed.Bundle(patient.Id,
            FhirFeed.Appointment($"appt-97-{Guid.NewGuid():N}", patient.Id, Thursday),
            badEntry.Replace("PATIENT", patient.Id.ToString(), StringComparison.Ordinal)));

        Assert.Equal(HttpStatusCode.BadRequest, import.StatusCode);
        Assert.Equal("application/fhir+json", import.Content.Headers.ContentType?.MediaType);
        using var outcome = JsonDocument.Parse(await import.Content.ReadAsStringAsync());
        Assert.Equal("OperationOutcome", outcome.RootElement.GetProperty("resourceType").GetString());
        Assert.Contains(outcome.RootElement.GetProperty("issue").EnumerateArray(), i => i.GetProperty("code").GetString() == issueCode);
        Assert.Empty(await FhirFeed.PaletteAsync(alice, thread, "appointment"));
    }

    [Fact]
    public async Task OnlyTheClinicsAdminsMayImport()
    {
        var patient = TestData.PortalPatient(98);
        var body = FhirFeed.Appointment("appt-98", patient.Id, Thursday);
        using var anonymous = App.CreateClient();

        var clinician = await FhirFeed.ImportAsync(await App.SignInAsync(DemoData.Alice), body);
        var otherClinic = await FhirFeed.ImportAsync(await App.SignInAsync(DemoData.Lara), body);
        var aPatient = await FhirFeed.ImportAsync(await App.SignInAsync(patient.Email!), body);
        var nobody = await anonymous.PostAsync($"/api/v1/clinics/{DemoData.Northside}/fhir", new StringContent(body, Encoding.UTF8, "application/fhir+json"));

        // Refusals are OperationOutcomes too (a FHIR client reads nothing else), with ClinicChat's code in issue.details.
        Assert.Equal((HttpStatusCode.Forbidden, ("forbidden", "forbidden")), (clinician.StatusCode, await FhirFeed.OutcomeAsync(clinician)));
        Assert.Equal((HttpStatusCode.NotFound, ("not-found", "not_found")), (otherClinic.StatusCode, await FhirFeed.OutcomeAsync(otherClinic)));
        Assert.Equal((HttpStatusCode.NotFound, ("not-found", "not_found")), (aPatient.StatusCode, await FhirFeed.OutcomeAsync(aPatient)));
        Assert.Equal(HttpStatusCode.Unauthorized, nobody.StatusCode);
        Assert.Empty(await FhirFeed.PaletteAsync(await App.SignInAsync(DemoData.Alice), (await TestData.StartAsync(await App.SignInAsync(DemoData.Alice), patient.Id)).Id, "appointment"));
    }

    [Fact]
    public async Task ThePaletteListsOnlyTheThreadPatientsRecords()
    {
        var (mine, theirs) = (TestData.PortalPatient(99), TestData.PortalPatient(100));
        var olga = await App.SignInAsync(DemoData.Olga);
        var alice = await App.SignInAsync(DemoData.Alice);
        (await FhirFeed.ImportAsync(olga, FhirFeed.Appointment("appt-99", mine.Id, Thursday))).EnsureSuccessStatusCode();
        (await FhirFeed.ImportAsync(olga, FhirFeed.Appointment("appt-100", theirs.Id, Thursday.AddDays(1)))).EnsureSuccessStatusCode();
        var myThread = await TestData.StartAsync(alice, mine.Id);

        var palette = await FhirFeed.PaletteAsync(alice, myThread.Id, "appointment");
        var otherPatientsLook = await (await App.SignInAsync(theirs.Email!)).Http.GetAsync($"/api/v1/conversations/{myThread.Id}/records?kind=appointment");
        var badKind = await alice.Http.GetAsync($"/api/v1/conversations/{myThread.Id}/records?kind=xray");

        Assert.Equal(Thursday, Assert.Single(palette).Appointment!.Start);
        Assert.Equal(HttpStatusCode.NotFound, otherPatientsLook.StatusCode);
        Assert.Equal((HttpStatusCode.BadRequest, "kind"), (badKind.StatusCode, (await TestData.ProblemAsync(badKind)).Field));
    }

    [Fact]
    public async Task ACardKeepsWhatWasSentAndTheRecordShowsTheRescheduledTimeLive()
    {
        var patient = TestData.PortalPatient(101);
        var olga = await App.SignInAsync(DemoData.Olga);
        var alice = await App.SignInAsync(DemoData.Alice);
        var patientSession = await App.SignInAsync(patient.Email!);
        (await FhirFeed.ImportAsync(olga, FhirFeed.Appointment("appt-101", patient.Id, Thursday))).EnsureSuccessStatusCode();
        var thread = await TestData.StartAsync(alice, patient.Id);
        var record = Assert.Single(await FhirFeed.PaletteAsync(alice, thread.Id, "appointment"));
        await using var hub = App.CreateHubConnection(patientSession.Cookie);
        var subscribed = new TaskCompletionSource();
        var updated = new TaskCompletionSource<RecordUpdatedDto>(TaskCreationOptions.RunContinuationsAsynchronously);
        hub.On(nameof(IChatClient.Subscribed), () => { subscribed.TrySetResult(); });
        hub.On<RecordUpdatedDto>(nameof(IChatClient.RecordUpdated), update => { updated.TrySetResult(update); });
        await ClinicChatApp.ConnectAsync(hub);
        await subscribed.Task.WaitAsync(TimeSpan.FromSeconds(30));

        var sent = await alice.Http.PostAsJsonAsync($"/api/v1/conversations/{thread.Id}/messages",
            new { clientMessageId = "card-101", text = "", recordIds = new[] { record.Id } });
        (await FhirFeed.ImportAsync(olga, FhirFeed.Appointment("appt-101", patient.Id, Thursday.AddHours(2)))).EnsureSuccessStatusCode();
        var push = await updated.Task.WaitAsync(TimeSpan.FromSeconds(30));
        var current = await (await patientSession.Http.GetAsync($"/api/v1/records/{record.Id}")).Content.ReadFromJsonAsync<RecordDto>();
        var card = Assert.Single(Assert.Single((await TestData.PageAsync(patientSession, thread.Id)).Messages).Cards!);

        Assert.Equal(HttpStatusCode.Created, sent.StatusCode);
        Assert.Equal((record.Id, 1, Thursday), (card.Id, card.Version, card.Appointment!.Start));
        Assert.Equal((2, Thursday.AddHours(2)), (current!.Version, current.Appointment!.Start));
        Assert.Equal(new RecordUpdatedDto(record.Id, thread.Id, 2), push);
        Assert.Equal(1, await TestData.AuditCountAsync(App, AuditActions.CardAttached, $"record={record.Id}"));
        Assert.Equal(1, await TestData.AuditCountAsync(App, AuditActions.CardViewed, $"record={record.Id}"));
    }

    [Fact]
    public async Task NobodyButTheClinicsChatStaffItsBillingForInvoicesAndThePatientCanFetchARecord()
    {
        var (patient, other) = (TestData.PortalPatient(102), TestData.PortalPatient(103));
        var olga = await App.SignInAsync(DemoData.Olga);
        (await FhirFeed.ImportAsync(olga, FhirFeed.Invoice("inv-102", patient.Id, 120m))).EnsureSuccessStatusCode();
        var alice = await App.SignInAsync(DemoData.Alice);
        var record = Assert.Single(await FhirFeed.PaletteAsync(alice, (await TestData.StartAsync(alice, patient.Id)).Id, "invoice"));

        var statuses = new List<HttpStatusCode>();
        foreach (var who in new[] { patient.Email!, DemoData.Alice, other.Email!, DemoData.Lara, DemoData.Bill })
        {
            statuses.Add((await (await App.SignInAsync(who)).Http.GetAsync($"/api/v1/records/{record.Id}")).StatusCode);
        }

        var unknown = await alice.Http.GetAsync($"/api/v1/records/{Guid.NewGuid()}");
        // Billing staff take part in billing threads, where invoices are sent: they open the clinic's invoices (no other kind).
        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.NotFound, HttpStatusCode.NotFound, HttpStatusCode.OK], statuses);
        Assert.Equal((HttpStatusCode.NotFound, "not_found"), (unknown.StatusCode, (await TestData.ProblemAsync(unknown)).Code));
    }

    [Fact]
    public async Task ACardCanOnlyBeAttachedByStaffToThatPatientsThread()
    {
        var (patient, other) = (TestData.PortalPatient(104), TestData.PortalPatient(105));
        var olga = await App.SignInAsync(DemoData.Olga);
        var alice = await App.SignInAsync(DemoData.Alice);
        (await FhirFeed.ImportAsync(olga, FhirFeed.Prescription("rx-104", patient.Id))).EnsureSuccessStatusCode();
        var thread = await TestData.StartAsync(alice, patient.Id);
        var otherThread = await TestData.StartAsync(alice, other.Id);
        var record = Assert.Single(await FhirFeed.PaletteAsync(alice, thread.Id, "prescription"));

        var wrongThread = await alice.Http.PostAsJsonAsync($"/api/v1/conversations/{otherThread.Id}/messages",
            new { clientMessageId = "wrong", text = "see", recordIds = new[] { record.Id } });
        var byPatient = await (await App.SignInAsync(patient.Email!)).Http.PostAsJsonAsync($"/api/v1/conversations/{thread.Id}/messages",
            new { clientMessageId = "mine", text = "see", recordIds = new[] { record.Id } });

        Assert.All([wrongThread, byPatient], r => Assert.Equal(HttpStatusCode.BadRequest, r.StatusCode));
        Assert.Equal("recordIds", (await TestData.ProblemAsync(wrongThread)).Field);
        Assert.Empty((await TestData.PageAsync(alice, otherThread.Id)).Messages);
        Assert.Empty((await TestData.PageAsync(alice, thread.Id)).Messages);
    }

    [Fact]
    public async Task ARecordCannotMoveToAnotherPatient()
    {
        var (patient, other) = (TestData.PortalPatient(106), TestData.PortalPatient(107));
        var olga = await App.SignInAsync(DemoData.Olga);
        (await FhirFeed.ImportAsync(olga, FhirFeed.Appointment("appt-106", patient.Id, Thursday))).EnsureSuccessStatusCode();

        var moved = await FhirFeed.ImportAsync(olga, FhirFeed.Appointment("appt-106", other.Id, Thursday));

        Assert.Equal(HttpStatusCode.BadRequest, moved.StatusCode);
        Assert.Contains("cannot move between patients", await moved.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    /// <summary>A card's texts travel in every message that carries it: a megabyte of instructions is refused, and the refusal is small.</summary>
    [Fact]
    public async Task AnImportWithAMegabyteOfInstructionsIsRefusedNamingTheFieldWithoutEchoingIt()
    {
        var (_, alice, patient, thread) = await ChatScenario.StartAsync(App);
        var olga = await App.SignInAsync(DemoData.Olga);
        var huge = FhirFeed.Prescription("rx-184", patient.Id).Replace("One capsule three times a day for 7 days", new string('x', 1024 * 1024), StringComparison.Ordinal);

        var import = await FhirFeed.ImportAsync(olga, huge);
        var body = await import.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.BadRequest, import.StatusCode);
        using var outcome = JsonDocument.Parse(body);
        var issue = Assert.Single(outcome.RootElement.GetProperty("issue").EnumerateArray());
        Assert.Equal(("too-long", "MedicationRequest.dosageInstruction"), (issue.GetProperty("code").GetString(), issue.GetProperty("expression")[0].GetString()));
        Assert.InRange(body.Length, 1, 1024);
        Assert.Empty(await FhirFeed.PaletteAsync(alice, thread, "prescription"));
    }

    /// <summary>FHIR's older media type is accepted; a wrong one and an over-size body are answered in FHIR's error format, with ClinicChat's code.</summary>
    [Fact]
    public async Task MediaTypeAndSizeErrorsAreOperationOutcomesAndTheOlderFhirMediaTypeIsAccepted()
    {
        var patient = await TestPatients.NewAsync(App);
        var olga = await App.SignInAsync(DemoData.Olga);
        var appointment = FhirFeed.Appointment("appt-media", patient.Id, Thursday);

        var older = await olga.Http.PostAsync($"/api/v1/clinics/{DemoData.Northside}/fhir", new StringContent(appointment, Encoding.UTF8, "application/json+fhir"));
        var wrongType = await olga.Http.PostAsync($"/api/v1/clinics/{DemoData.Northside}/fhir", new StringContent(appointment, Encoding.UTF8, "text/plain"));
        var tooLarge = await olga.Http.PostAsync($"/api/v1/clinics/{DemoData.Northside}/fhir",
            new StringContent(appointment.Replace("Crown fitting", new string('x', 9 * 1024 * 1024), StringComparison.Ordinal), Encoding.UTF8, "application/fhir+json"));

        Assert.Equal(new ImportSummaryDto(1, 0, 0, 0), await older.Content.ReadFromJsonAsync<ImportSummaryDto>());
        foreach (var (response, status, issue, code) in new[] { (wrongType, HttpStatusCode.UnsupportedMediaType, "not-supported", "unsupported_media_type"), (tooLarge, HttpStatusCode.RequestEntityTooLarge, "too-costly", "fhir_import_too_large") })
        {
            Assert.Equal((status, "application/fhir+json"), (response.StatusCode, response.Content.Headers.ContentType?.MediaType));
            using var outcome = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
            var first = outcome.RootElement.GetProperty("issue")[0];
            Assert.Equal(("OperationOutcome", issue, code),
                (outcome.RootElement.GetProperty("resourceType").GetString(), first.GetProperty("code").GetString(), first.GetProperty("details").GetProperty("coding")[0].GetProperty("code").GetString()));
        }
    }

    private async Task<Guid> LakeviewOnlyPatientAsync()
    {
        var id = Guid.NewGuid();
        var grains = App.Services.GetRequiredService<IGrainFactory>();
        await grains.GetGrain<IPatientProfileGrain>(id).RegisterAsync(new PatientRegistration(id, "Lake Only", "+15559990000", null, null, true, [DemoData.Lakeview]));
        return id;
    }
}
