namespace ClinicChat.Web.Tests;

/// <summary>
/// Records as the clinic's system changes them (issue 21): a record entered in error is withdrawn everywhere, a late older
/// version never overwrites a newer one, a cancellation says why, and the palette lists what matters first and searches.
/// </summary>
[Collection(AppCollection.Name)]
public sealed class RecordStateApiTests(AppFixture fixture)
{
    private ClinicChatApp App => fixture.App;

    [Fact]
    public async Task ARecordEnteredInErrorLeavesThePaletteAndThePatientsViewAndCannotBeSentAgain()
    {
        var patient = await TestPatients.NewAsync(App);
        var (olga, alice, patientSession) = (await App.SignInAsync(DemoData.Olga), await App.SignInAsync(DemoData.Alice), await App.SignInAsync(patient.Email));
        (await FhirFeed.ImportAsync(olga, FhirFeed.Prescription("rx-185", patient.Id))).EnsureSuccessStatusCode();
        var thread = await TestData.StartAsync(alice, patient.Id);
        var record = Assert.Single(await FhirFeed.PaletteAsync(alice, thread.Id, "prescription"));
        (await alice.Http.PostAsJsonAsync($"/api/v1/conversations/{thread.Id}/messages",
            new { clientMessageId = "rx-185-card", text = "Your prescription", recordIds = new[] { record.Id } })).EnsureSuccessStatusCode();

        var withdrawal = await FhirFeed.ImportAsync(olga, FhirFeed.Prescription("rx-185", patient.Id).Replace("\"status\": \"active\"", "\"status\": \"entered-in-error\"", StringComparison.Ordinal));
        var againCard = await alice.Http.PostAsJsonAsync($"/api/v1/conversations/{thread.Id}/messages",
            new { clientMessageId = "rx-185-again", text = "Again", recordIds = new[] { record.Id } });
        var seenByPatient = await (await patientSession.Http.GetAsync($"/api/v1/records/{record.Id}")).Content.ReadFromJsonAsync<RecordDto>();
        var seenByStaff = await (await alice.Http.GetAsync($"/api/v1/records/{record.Id}")).Content.ReadFromJsonAsync<RecordDto>();
        var patientsCard = Assert.Single(Assert.Single((await TestData.PageAsync(patientSession, thread.Id)).Messages).Cards!);
        var staffCard = Assert.Single(Assert.Single((await TestData.PageAsync(alice, thread.Id)).Messages).Cards!);

        Assert.Equal(new ImportSummaryDto(0, 1, 0, 0), await withdrawal.Content.ReadFromJsonAsync<ImportSummaryDto>());
        Assert.Empty(await FhirFeed.PaletteAsync(alice, thread.Id, "prescription"));
        Assert.Equal((HttpStatusCode.Conflict, "record_withdrawn"), (againCard.StatusCode, (await TestData.ProblemAsync(againCard)).Code));
        Assert.Single((await TestData.PageAsync(alice, thread.Id)).Messages);
        Assert.Equal((true, 2), (seenByPatient!.Withdrawn, seenByPatient.Version));
        Assert.Null(seenByPatient.Prescription);
        Assert.Equal((true, null), (patientsCard.Withdrawn, patientsCard.Prescription));
        Assert.Equal((false, "Amoxicillin 500 mg capsules"), (staffCard.Withdrawn, staffCard.Prescription?.Medication));
        Assert.Equal((true, "Amoxicillin 500 mg capsules", "entered-in-error"), (seenByStaff!.Withdrawn, seenByStaff.Prescription!.Medication, seenByStaff.Prescription.Status));
        Assert.Equal(1, await TestData.AuditCountAsync(App, AuditActions.RecordImported, $"record={record.Id};kind=Prescription;version=2;withdrawn"));
    }

    [Fact]
    public async Task ALateOlderVersionNeverOverwritesTheNewerOne()
    {
        var patient = await TestPatients.NewAsync(App);
        var (olga, alice) = (await App.SignInAsync(DemoData.Olga), await App.SignInAsync(DemoData.Alice));
        var thread = await TestData.StartAsync(alice, patient.Id);
        var monday = new DateTimeOffset(2027, 1, 4, 9, 0, 0, TimeSpan.Zero);
        string Version(int versionId, string lastUpdated, DateTimeOffset start) => WithMeta(FhirFeed.Appointment("appt-186", patient.Id, start), versionId, lastUpdated);

        var third = await FhirFeed.ImportAsync(olga, Version(3, "2026-12-03T10:00:00Z", monday.AddHours(3)));
        var second = await FhirFeed.ImportAsync(olga, Version(2, "2026-12-03T09:00:00Z", monday.AddHours(2)));
        var sameContentNewer = await FhirFeed.ImportAsync(olga, Version(4, "2026-12-03T11:00:00Z", monday.AddHours(3)));
        var lateThird = await FhirFeed.ImportAsync(olga, Version(3, "2026-12-03T10:00:00Z", monday.AddHours(1)));
        var fifth = await FhirFeed.ImportAsync(olga, Version(5, "2026-12-03T12:00:00Z", monday.AddHours(5)));

        Assert.Equal(new ImportSummaryDto(1, 0, 0, 0), await third.Content.ReadFromJsonAsync<ImportSummaryDto>());
        Assert.Equal(new ImportSummaryDto(0, 0, 0, 1), await second.Content.ReadFromJsonAsync<ImportSummaryDto>());
        Assert.Equal(new ImportSummaryDto(0, 0, 1, 0), await sameContentNewer.Content.ReadFromJsonAsync<ImportSummaryDto>());
        Assert.Equal(new ImportSummaryDto(0, 0, 0, 1), await lateThird.Content.ReadFromJsonAsync<ImportSummaryDto>());
        Assert.Equal(new ImportSummaryDto(0, 1, 0, 0), await fifth.Content.ReadFromJsonAsync<ImportSummaryDto>());
        var stored = Assert.Single(await FhirFeed.PaletteAsync(alice, thread.Id, "appointment"));
        Assert.Equal((2, monday.AddHours(5)), (stored.Version, stored.Appointment!.Start));
    }

    [Fact]
    public async Task ACancelledAppointmentSaysWhy()
    {
        var patient = await TestPatients.NewAsync(App);
        var (olga, alice) = (await App.SignInAsync(DemoData.Olga), await App.SignInAsync(DemoData.Alice));
        var thread = await TestData.StartAsync(alice, patient.Id);
        var cancelled = FhirFeed.Appointment("appt-187", patient.Id, DateTimeOffset.UtcNow.AddDays(3), status: "cancelled").Replace(
            "\"description\":", "\"cancelationReason\": { \"coding\": [ { \"code\": \"prov\", \"display\": \"Provider\" } ], \"text\": \"Dr Carter is ill\" },\n  \"description\":",
            StringComparison.Ordinal);

        (await FhirFeed.ImportAsync(olga, cancelled)).EnsureSuccessStatusCode();

        var appointment = Assert.Single(await FhirFeed.PaletteAsync(alice, thread.Id, "appointment")).Appointment!;
        Assert.Equal(("cancelled", "Dr Carter is ill"), (appointment.Status, appointment.StatusReason));
    }

    /// <summary>
    /// After a feed of far-future appointments the next one is still first; past ones follow, latest first. Active
    /// prescriptions and unpaid invoices come before the rest.
    /// </summary>
    [Fact]
    public async Task ThePaletteListsWhatMattersFirst()
    {
        var patient = await TestPatients.NewAsync(App);
        var (olga, alice) = (await App.SignInAsync(DemoData.Olga), await App.SignInAsync(DemoData.Alice));
        var thread = await TestData.StartAsync(alice, patient.Id);
        var now = DateTimeOffset.UtcNow;
        var farFuture = Enumerable.Range(0, 25).Select(i => FhirFeed.Appointment($"appt-188-far-{i}", patient.Id, now.AddYears(1).AddDays(i)));
        (await FhirFeed.ImportAsync(olga, FhirFeed.Bundle(patient.Id, [
            .. farFuture,
            FhirFeed.Appointment("appt-188-next", patient.Id, now.AddDays(2)),
            FhirFeed.Appointment("appt-188-last-week", patient.Id, now.AddDays(-7)),
            FhirFeed.Appointment("appt-188-last-year", patient.Id, now.AddYears(-1)),
            FhirFeed.Prescription("rx-188-new-stopped", patient.Id).Replace("\"status\": \"active\"", "\"status\": \"stopped\"", StringComparison.Ordinal).Replace("2026-11-03", "2026-12-01", StringComparison.Ordinal),
            FhirFeed.Prescription("rx-188-old-active", patient.Id).Replace("2026-11-03", "2025-01-10", StringComparison.Ordinal),
            FhirFeed.Invoice("inv-188-paid", patient.Id, 50m, status: "balanced"),
            FhirFeed.Invoice("inv-188-owed", patient.Id, 70m).Replace("2026-11-02", "2026-01-02", StringComparison.Ordinal),
        ]))).EnsureSuccessStatusCode();

        var appointments = await FhirFeed.PaletteAsync(alice, thread.Id, "appointment");
        var prescriptions = await FhirFeed.PaletteAsync(alice, thread.Id, "prescription");
        var invoices = await FhirFeed.PaletteAsync(alice, thread.Id, "invoice");

        Assert.Equal(20, appointments.Count);
        Assert.Equal(now.AddDays(2).ToUnixTimeSeconds(), appointments[0].Appointment!.Start!.Value.ToUnixTimeSeconds());
        Assert.Equal(now.AddYears(1).ToUnixTimeSeconds(), appointments[1].Appointment!.Start!.Value.ToUnixTimeSeconds());
        Assert.Equal(["active", "stopped"], prescriptions.Select(p => p.Prescription!.Status));
        Assert.Equal(["issued", "balanced"], invoices.Select(i => i.Invoice!.Status));
    }

    [Fact]
    public async Task ThePaletteSearchesByTheWordsACardShows()
    {
        var patient = await TestPatients.NewAsync(App);
        var (olga, alice) = (await App.SignInAsync(DemoData.Olga), await App.SignInAsync(DemoData.Alice));
        var thread = await TestData.StartAsync(alice, patient.Id);
        var ibuprofen = FhirFeed.Prescription("rx-189-ibu", patient.Id).Replace("Amoxicillin 500 mg capsules", "Ibuprofen 400 mg tablets", StringComparison.Ordinal);
        (await FhirFeed.ImportAsync(olga, FhirFeed.Bundle(patient.Id, FhirFeed.Prescription("rx-189-amox", patient.Id), ibuprofen))).EnsureSuccessStatusCode();

        var byName = await FhirFeed.PaletteAsync(alice, thread.Id, "prescription", "IBU 400");
        var byPrescriber = await FhirFeed.PaletteAsync(alice, thread.Id, "prescription", "carter");
        var none = await FhirFeed.PaletteAsync(alice, thread.Id, "prescription", "insulin");
        var tooLong = await alice.Http.GetAsync($"/api/v1/conversations/{thread.Id}/records?kind=prescription&q={new string('a', 101)}");

        Assert.Equal(["Ibuprofen 400 mg tablets"], byName.Select(p => p.Prescription!.Medication));
        Assert.Equal(2, byPrescriber.Count);
        Assert.Empty(none);
        Assert.Equal((HttpStatusCode.BadRequest, "q"), (tooLong.StatusCode, (await TestData.ProblemAsync(tooLong)).Field));
    }

    private static string WithMeta(string resource, int versionId, string lastUpdated) => resource.Replace(
        "\"resourceType\": \"Appointment\",", $"\"resourceType\": \"Appointment\",\n  \"meta\": {{ \"versionId\": \"{versionId}\", \"lastUpdated\": \"{lastUpdated}\" }},", StringComparison.Ordinal);
}
