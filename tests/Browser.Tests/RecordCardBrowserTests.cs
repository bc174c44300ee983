namespace ClinicChat.Browser.Tests;

[Collection(BrowserCollection.Name)]
public sealed class RecordCardBrowserTests(BrowserFixture fixture, ITestOutputHelper output) : BrowserTest(fixture, output)
{
    private static readonly DateTimeOffset Thursday = new(2026, 12, 3, 14, 0, 0, TimeSpan.Zero);

    [Fact]
    public Task StaffAttachAnAppointmentWithSlashApptAndARescheduleShowsOnBothSidesMarkedChanged() => RunAsync(async () =>
    {
        var patient = StaffChatTests.Patient(45);
        using var olga = await Fixture.ApiAsync(DemoData.Olga);
        await ImportAsync(olga, patient.Id, Thursday);
        var (_, _, staff) = await OpenNewThreadAsync(45);

        await Composer(staff).PressSequentiallyAsync("/ap");
        var shortcuts = staff.GetByRole(AriaRole.Listbox, new() { Name = "Shortcuts" });
        await Expect(shortcuts.GetByRole(AriaRole.Option)).ToHaveCountAsync(1);
        await Composer(staff).PressAsync("Enter");
        var appointments = staff.GetByRole(AriaRole.Listbox, new() { Name = "Appointments" });
        await Expect(appointments.GetByRole(AriaRole.Option)).ToHaveCountAsync(1);
        await Expect(appointments.GetByRole(AriaRole.Option)).ToContainTextAsync("14:00");
        await Composer(staff).PressAsync("Enter");
        await Expect(staff.GetByRole(AriaRole.List, new() { Name = "Cards to send" }).GetByRole(AriaRole.Listitem)).ToHaveCountAsync(1);
        await Expect(Composer(staff)).ToHaveValueAsync(string.Empty);
        await SendAsync(staff, "Your fitting is booked");

        var staffCard = Log(staff).GetByRole(AriaRole.Article, new() { Name = "Appointment card" });
        await Expect(staffCard).ToContainTextAsync("14:00");
        await Expect(staffCard).ToContainTextAsync("Dr Alice Carter");
        var portal = await SignInAsync(patient.Email!);
        await portal.GetByRole(AriaRole.Link, new() { Name = "Northside Family Dental" }).ClickAsync();
        var patientCard = Log(portal).GetByRole(AriaRole.Article, new() { Name = "Appointment card" });
        await Expect(patientCard).ToContainTextAsync("14:00");
        await Expect(patientCard).Not.ToContainTextAsync("Changed since sent");

        await ImportAsync(olga, patient.Id, Thursday.AddHours(2));

        foreach (var card in new[] { staffCard, patientCard })
        {
            await Expect(card).ToContainTextAsync("16:00");
            await Expect(card).ToContainTextAsync("Changed since sent");
        }
    });

    [Fact]
    public Task APrescriptionDatedWithoutATimeShowsThatDayInNewYorkAndInBerlin() => RunAsync(async () =>
    {
        // Authored "2015-01-15" (a date, no time): as an instant that is midnight UTC, the evening before in New York.
        var patient = StaffChatTests.Patient(47);
        var medication = "Amoxicillin " + Guid.NewGuid().ToString("N")[..6];
        using var olga = await Fixture.ApiAsync(DemoData.Olga);
        await ImportAsync(olga, Prescription($"browser-{medication[12..]}", patient.Id, medication, "active", "2015-01-15", "500 mg three times a day"));
        using var alice = await Fixture.ApiAsync(DemoData.Alice);
        var thread = await Fixture.StartThreadAsync(alice, patient.Id);

        var staff = await SignInAsync(DemoData.Alice, timezoneId: "America/New_York");
        await staff.GotoAsync($"/#/chat/{thread}");
        await Composer(staff).PressSequentiallyAsync("/rx");
        await Composer(staff).PressAsync("Enter");
        var option = staff.GetByRole(AriaRole.Listbox, new() { Name = "Prescriptions" }).GetByRole(AriaRole.Option).Filter(new() { HasText = medication });
        await Expect(option).ToContainTextAsync("15 Jan 2015");
        await option.ClickAsync();
        await SendAsync(staff, "Your prescription");
        await Expect(Log(staff).GetByRole(AriaRole.Article, new() { Name = "Prescription card" })).ToContainTextAsync("15 Jan 2015");

        var portal = await SignInAsync(patient.Email!, timezoneId: "Europe/Berlin");
        await portal.GetByRole(AriaRole.Link, new() { Name = "Northside Family Dental" }).ClickAsync();
        await Expect(Log(portal).GetByRole(AriaRole.Article, new() { Name = "Prescription card" })).ToContainTextAsync("15 Jan 2015");
    });

    /// <summary>
    /// Staff find a prescription by typing after /rx; once the clinic's system says it was entered in error, both sides
    /// say it was withdrawn, and the patient's card no longer shows what it said.
    /// </summary>
    [Fact]
    public Task APrescriptionFoundBySearchAndLaterEnteredInErrorShowsAsWithdrawnOnBothSides() => RunAsync(async () =>
    {
        var patient = StaffChatTests.Patient(48);
        var tag = Guid.NewGuid().ToString("N")[..6];
        using var olga = await Fixture.ApiAsync(DemoData.Olga);
        foreach (var (id, medication) in new[] { ("warfarin", $"Warfarin 5 mg {tag}"), ("ibuprofen", $"Ibuprofen 400 mg {tag}") })
        {
            await ImportAsync(olga, Prescription($"{id}-{tag}", patient.Id, medication, "active", "2026-11-20", "One tablet daily"));
        }

        var (_, _, staff) = await OpenNewThreadAsync(48);
        await Composer(staff).PressSequentiallyAsync("/rx");
        await Composer(staff).PressAsync("Enter");
        await Composer(staff).PressSequentiallyAsync($" warf {tag}");
        var found = staff.GetByRole(AriaRole.Listbox, new() { Name = $"Prescriptions matching “warf {tag}”" }).GetByRole(AriaRole.Option);
        await Expect(found).ToHaveCountAsync(1);
        await Expect(found).ToContainTextAsync("Warfarin 5 mg");
        await Composer(staff).PressAsync("Enter");
        await Expect(Composer(staff)).ToHaveValueAsync(string.Empty);
        await SendAsync(staff, "Your new prescription");
        var staffCard = Log(staff).GetByRole(AriaRole.Article, new() { Name = "Prescription card" });
        await Expect(staffCard).ToContainTextAsync("Warfarin 5 mg");

        var portal = await SignInAsync(patient.Email!);
        await portal.SetViewportSizeAsync(375, 740);
        await portal.GetByRole(AriaRole.Link, new() { Name = "Northside Family Dental" }).ClickAsync();
        var patientCard = Log(portal).GetByRole(AriaRole.Article, new() { Name = "Prescription card" });
        await Expect(patientCard).ToContainTextAsync("Warfarin 5 mg");

        await ImportAsync(olga, Prescription($"warfarin-{tag}", patient.Id, $"Warfarin 5 mg {tag}", "entered-in-error", "2026-11-20", "One tablet daily"));

        foreach (var card in new[] { staffCard, patientCard })
        {
            await Expect(card).ToContainTextAsync("This record was withdrawn");
        }

        await Expect(patientCard).Not.ToContainTextAsync("Warfarin");
        await portal.ReloadAsync();
        await Expect(Log(portal).GetByRole(AriaRole.Article, new() { Name = "Prescription card" })).ToContainTextAsync("This record was withdrawn");
        await Expect(Log(portal)).Not.ToContainTextAsync("Warfarin");
        await Composer(staff).PressSequentiallyAsync("/rx");
        await Composer(staff).PressAsync("Enter");
        await Composer(staff).PressSequentiallyAsync($" {tag}");
        var left = staff.GetByRole(AriaRole.Listbox, new() { Name = $"Prescriptions matching “{tag}”" }).GetByRole(AriaRole.Option);
        await Expect(left).ToHaveCountAsync(1);
        await Expect(left).ToContainTextAsync("Ibuprofen");
    });

    /// <summary>The clinic's system sends the appointment (FHIR R4, as in the specification's Appointment example).</summary>
    private static async Task ImportAsync(HttpClient admin, Guid patientId, DateTimeOffset start)
    {
        var appointment = $$"""
            {
              "resourceType": "Appointment",
              "id": "browser-fitting",
              "status": "booked",
              "description": "Crown fitting",
              "start": "{{start.UtcDateTime:O}}",
              "end": "{{start.AddMinutes(30).UtcDateTime:O}}",
              "participant": [
                { "actor": { "reference": "Patient/{{patientId}}" }, "status": "accepted" },
                { "actor": { "reference": "Practitioner/example", "display": "Dr Alice Carter" }, "status": "accepted" },
                { "actor": { "reference": "Location/1", "display": "Northside Family Dental, Room 2" }, "status": "accepted" }
              ]
            }
            """;
        var response = await admin.PostAsync($"/api/v1/clinics/{DemoData.Northside}/fhir", new StringContent(appointment, Encoding.UTF8, "application/fhir+json"));
        response.EnsureSuccessStatusCode();
    }

    /// <summary>A MedicationRequest as the clinic's system sends it, with a text name and dosage.</summary>
    private static string Prescription(string id, Guid patientId, string medication, string status, string authoredOn, string dosage) => $$"""
        {
          "resourceType": "MedicationRequest",
          "id": "{{id}}",
          "status": "{{status}}",
          "intent": "order",
          "medicationCodeableConcept": { "text": "{{medication}}" },
          "subject": { "reference": "Patient/{{patientId}}" },
          "authoredOn": "{{authoredOn}}",
          "dosageInstruction": [ { "text": "{{dosage}}" } ]
        }
        """;

    private static async Task ImportAsync(HttpClient admin, string fhirJson) =>
        (await admin.PostAsync($"/api/v1/clinics/{DemoData.Northside}/fhir", new StringContent(fhirJson, Encoding.UTF8, "application/fhir+json"))).EnsureSuccessStatusCode();
}
