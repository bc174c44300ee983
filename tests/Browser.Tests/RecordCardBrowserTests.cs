using System.Text;
using ClinicChat.Web.Seeding;
using Microsoft.Playwright;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

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
        var appointments = staff.GetByRole(AriaRole.Listbox, new() { Name = "Recent appointments" });
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
}
