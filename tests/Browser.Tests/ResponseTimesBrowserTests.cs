using System.Text.RegularExpressions;

namespace ClinicChat.Browser.Tests;

/// <summary>Response times (issue 22): how long a patient has waited, in the staff's sidebar, and the Admin's weekly report.</summary>
[Collection(BrowserCollection.Name)]
public sealed partial class ResponseTimesBrowserTests(BrowserFixture fixture, ITestOutputHelper output) : BrowserTest(fixture, output)
{
    /// <summary>
    /// A patient wrote five days ago and nobody answered: Alice's sidebar says how long and that it is overdue; her answer
    /// ends the wait, and Olga's report counts it over the target in the newest week.
    /// </summary>
    [Fact]
    public Task AnUnansweredPatientShowsAsOverdueUntilAnsweredAndTheAnswerCountsInTheAdminsReport() => RunAsync(async () =>
    {
        var patient = await Fixture.CreatePatientAsync();
        using (var aliceApi = await Fixture.ApiAsync(DemoData.Alice))
        {
            var thread = await Fixture.StartThreadAsync(aliceApi, patient.Id);
            var now = Fixture.Clock.Offset;
            try
            {
                // The patient's message is five days old for the browser, whose clock is the real one.
                Fixture.Clock.Offset = TimeSpan.FromDays(-5);
                using var portal = await Fixture.ApiAsync(patient.Email);
                await BrowserFixture.SendAsync(portal, thread, "My tooth still hurts.");
            }
            finally
            {
                Fixture.Clock.Offset = now;
            }
        }

        var alice = await SignInAsync(DemoData.Alice);
        var row = ThreadItem(alice, patient.Name);
        await Expect(row).ToContainTextAsync(WaitingDays());
        await Expect(row.GetByText("Overdue", new() { Exact = true })).ToBeVisibleAsync();
        await row.GetByRole(AriaRole.Link).ClickAsync();
        await SendAsync(alice, "Sorry for the wait: can you come in today at 4?");
        await Expect(row.GetByText("Overdue", new() { Exact = true })).ToHaveCountAsync(0);
        await Expect(row).Not.ToContainTextAsync(WaitingDays());

        var olga = await SignInAsync(DemoData.Olga);
        await olga.GetByRole(AriaRole.Navigation, new() { Name = "Main" }).GetByRole(AriaRole.Link, new() { Name = "Clinic" }).ClickAsync();
        await Expect(olga.GetByRole(AriaRole.Heading, new() { Name = "Response times", Level = 2 })).ToBeVisibleAsync();
        var table = olga.GetByRole(AriaRole.Table, new() { Name = "Response times by week, in office hours" });
        var newestWeek = table.GetByRole(AriaRole.Row).Filter(new() { Has = olga.GetByRole(AriaRole.Rowheader) }).First;
        // Cells after the week: first answers, their median, 90th percentile, how many over the target.
        await Expect(newestWeek.GetByRole(AriaRole.Cell).Nth(3)).Not.ToHaveTextAsync("0");
    });

    [GeneratedRegex(@"Waiting [45] d")]
    private static partial Regex WaitingDays();
}
