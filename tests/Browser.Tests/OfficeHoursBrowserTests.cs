using System.Globalization;

namespace ClinicChat.Browser.Tests;

/// <summary>Office hours (issue 22): set by an Admin, shown to the patient by the message box, answered automatically while closed.</summary>
[Collection(BrowserCollection.Name)]
public sealed class OfficeHoursBrowserTests(BrowserFixture fixture, ITestOutputHelper output) : BrowserTest(fixture, output)
{
    /// <summary>
    /// Olga closes the clinic for a training (a closure around today, whatever the hour the test runs); the patient, at
    /// phone width, reads that it is closed and the emergency note, writes, and gets the clinic's automatic reply, marked
    /// so; Alice sees the reply marked too and the thread still waiting for her answer.
    /// </summary>
    [Fact]
    public Task AnAdminsClosureIsShownToThePatientWhoseMessageGetsTheAutomaticReplyAndStillNeedsAPerson() => RunAsync(async () =>
    {
        var (patient, thread, alice) = await OpenFreshThreadAsync();
        await SendAsync(alice, "Your crown is ready to fit.");
        // The server's today: other tests move its clock on (a year's archival), never back.
        var today = DateOnly.FromDateTime(Fixture.Clock.GetUtcNow().UtcDateTime);
        try
        {
            var olga = await SignInAsync(DemoData.Olga);
            await olga.GetByRole(AriaRole.Navigation, new() { Name = "Main" }).GetByRole(AriaRole.Link, new() { Name = "Clinic" }).ClickAsync();
            await Expect(olga.GetByRole(AriaRole.Heading, new() { Name = "Clinic", Exact = true, Level = 1 })).ToBeVisibleAsync();
            var form = olga.GetByRole(AriaRole.Form, new() { Name = "Office hours" });
            await form.GetByLabel("Time zone").FillAsync("Europe/Berlin");
            await form.GetByRole(AriaRole.Button, new() { Name = "Add opening on Monday" }).ClickAsync();
            var monday = form.GetByRole(AriaRole.Group, new() { Name = "Monday" });
            await monday.GetByLabel("Opens").FillAsync("08:00");
            await monday.GetByLabel("Closes").FillAsync("18:00");
            await form.GetByRole(AriaRole.Button, new() { Name = "Add closure" }).ClickAsync();
            var closure = form.GetByRole(AriaRole.Group, new() { Name = "Closure 1" });
            await closure.GetByLabel("From").FillAsync(Day(today.AddDays(-1)));
            await closure.GetByLabel("To").FillAsync(Day(today.AddDays(1)));
            await closure.GetByRole(AriaRole.Textbox, new() { Name = "Label" }).FillAsync("Staff training");
            await form.GetByRole(AriaRole.Textbox, new() { Name = "Automatic reply when closed" }).FillAsync("We are closed for training and answer on our next opening.");
            await form.GetByRole(AriaRole.Textbox, new() { Name = "Emergency note" }).FillAsync("Not for emergencies: call 112.");
            await form.GetByRole(AriaRole.Button, new() { Name = "Save office hours" }).ClickAsync();
            await Expect(olga.GetByRole(AriaRole.Status).Filter(new() { HasText = "Office hours saved." })).ToBeVisibleAsync();

            var portal = await SignInAsync(patient.Email, width: 390);
            await portal.GotoAsync($"/#/inbox/{thread}");
            await Expect(portal.GetByText("Northside Family Dental is closed now (Staff training).", new() { Exact = false })).ToBeVisibleAsync();
            await Expect(portal.GetByRole(AriaRole.Note).Filter(new() { HasText = "Not for emergencies: call 112." })).ToBeVisibleAsync();
            await SendAsync(portal, "My crown feels loose.");

            var automatic = Log(portal).GetByRole(AriaRole.Article).Filter(new() { HasText = "We are closed for training" });
            await Expect(automatic).ToContainTextAsync("Automatic reply");
            var staffSide = Log(alice).GetByRole(AriaRole.Article).Filter(new() { HasText = "We are closed for training" });
            await Expect(staffSide).ToContainTextAsync("Automatic reply");
            await Expect(staffSide.GetByRole(AriaRole.Button, new() { Name = "Withdraw" })).ToHaveCountAsync(0);
            await Expect(ThreadItem(alice, patient.Name).GetByText("Needs reply", new() { Exact = true })).ToBeVisibleAsync();
        }
        finally
        {
            // The browser tests share one clinic: without hours it never answers another test's patient.
            using var olgaApi = await Fixture.ApiAsync(DemoData.Olga);
            (await olgaApi.PutAsJsonAsync($"/api/v1/clinics/{DemoData.Northside}/office-hours", new { timeZone = "Europe/Berlin" })).EnsureSuccessStatusCode();
        }
    });

    private static string Day(DateOnly day) => day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}
