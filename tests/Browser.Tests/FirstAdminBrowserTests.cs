using System.Text.RegularExpressions;
using ClinicChat.Web.Onboarding;

namespace ClinicChat.Browser.Tests;

/// <summary>
/// From nothing to a clinic's first Admin: on an empty database, the operator command creates a clinic
/// and prints a link; the Admin opens it, sets a password and is signed in. No demo data, no default password.
/// </summary>
public sealed partial class FirstAdminBrowserTests(EmptyBrowserFixture fixture, ITestOutputHelper output)
    : BrowserTest(fixture, output), IClassFixture<EmptyBrowserFixture>
{
    private const string Password = "Harbour-Dental-2026";

    [Fact]
    public Task TheFirstAdminOpensThePrintedLinkSetsAPasswordAndIsSignedInAndTheLinkThenNoLongerWorks() => RunAsync(async () =>
    {
        var link = await CreateClinicAsync("Harbour Dental", "hana.admin@harbour.test", "Hana Admin");
        var page = await OpenAsync();

        await page.GotoAsync(link);
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Set your password" })).ToBeVisibleAsync();
        await Expect(page.GetByText("Join Harbour Dental as Admin")).ToBeVisibleAsync();
        await Expect(page.GetByText("hana.admin@harbour.test")).ToBeVisibleAsync();
        await page.GetByLabel("New password").FillAsync(Password);
        await page.GetByLabel("Repeat the password").FillAsync(Password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Set password and sign in" }).ClickAsync();

        // An Admin without a chat role lands on the clinic's audit log, signed in under their own name.
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Audit log" })).ToBeVisibleAsync();
        await Expect(page.GetByRole(AriaRole.Banner).GetByText("Hana Admin")).ToBeVisibleAsync();
        Assert.DoesNotContain("set-password", page.Url, StringComparison.Ordinal);

        AllowConsoleError("410");
        var again = await OpenAsync();
        await again.GotoAsync(link);
        await Expect(again.GetByRole(AriaRole.Heading, new() { Name = "This link does not work" })).ToBeVisibleAsync();
        await Expect(again.GetByRole(AriaRole.Alert)).ToContainTextAsync("used already");
    });

    /// <summary>
    /// The new clinic's first Admin is shown, on the page they land on, what the clinic still needs (opening hours, its
    /// phone, a team), each step a link to where it is done; a step done is ticked when they come back, and the list goes
    /// once nothing is left (found on a walk: they landed on an Audit log of four rows with nothing to say what comes first).
    /// </summary>
    [Fact]
    public Task TheFirstAdminSeesWhatTheNewClinicStillNeedsAndEachStepIsTickedOnceDone() => RunAsync(async () =>
    {
        var link = await CreateClinicAsync("Bayside Physio", "bea.admin@bayside.test", "Bea Admin");
        var page = await OpenAsync();
        await page.GotoAsync(link);
        await page.GetByLabel("New password").FillAsync(Password);
        await page.GetByLabel("Repeat the password").FillAsync(Password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Set password and sign in" }).ClickAsync();

        var checklist = page.GetByRole(AriaRole.Region, new() { Name = "Finish setting up Bayside Physio" });
        await Expect(checklist).ToContainTextAsync("3 steps before patients and your team are well served.");
        await checklist.GetByRole(AriaRole.Link, new() { Name = "Add the clinic’s phone" }).ClickAsync();
        // A London clinic on a deployment that reads numbers as US ones: its country first, then its phone as it is dialled
        // there (found on a walk: 020 7946 0000 was refused).
        var country = page.GetByRole(AriaRole.Combobox, new() { Name = "Country" });
        await Expect(country).ToHaveAccessibleDescriptionAsync(new Regex("read as United States \\(\\+1\\) numbers"));
        await country.SelectOptionAsync("GB");
        await page.GetByRole(AriaRole.Button, new() { Name = "Save country" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Status).Filter(new() { HasText = "Country saved" })).ToContainTextAsync("United Kingdom (+44)");
        await page.GetByRole(AriaRole.Textbox, new() { Name = "Clinic phone" }).FillAsync("020 7946 0000");
        await page.GetByRole(AriaRole.Button, new() { Name = "Save phone" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Status).Filter(new() { HasText = "Clinic phone saved" })).ToBeVisibleAsync();

        var main = page.GetByRole(AriaRole.Navigation, new() { Name = "Main" });
        await main.GetByRole(AriaRole.Link, new() { Name = "Audit log" }).ClickAsync();
        await Expect(checklist).ToContainTextAsync("2 of 3 steps are left");
        await Expect(checklist.GetByRole(AriaRole.Listitem).Filter(new() { HasText = "Add the clinic’s phone" })).ToContainTextAsync("(done)");
        await Expect(checklist.GetByRole(AriaRole.Link, new() { Name = "Add the clinic’s phone" })).ToHaveCountAsync(0);

        await checklist.GetByRole(AriaRole.Link, new() { Name = "Invite your team" }).ClickAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Invite staff" }).ClickAsync();
        var dialog = page.GetByRole(AriaRole.Dialog, new() { Name = "Invite staff" });
        await dialog.GetByLabel("Email").FillAsync("cal.clinician@bayside.test");
        await dialog.GetByLabel("Name").FillAsync("Cal Clinician");
        await dialog.GetByLabel("Role").SelectOptionAsync("Clinician");
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Send invitation" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("Invitation sent to cal.clinician@bayside.test");

        await main.GetByRole(AriaRole.Link, new() { Name = "Audit log" }).ClickAsync();
        await Expect(checklist).ToContainTextAsync("One step is left");
        await checklist.GetByRole(AriaRole.Link, new() { Name = "Set your opening hours" }).ClickAsync();
        var form = page.GetByRole(AriaRole.Form, new() { Name = "Office hours" });
        await form.GetByRole(AriaRole.Button, new() { Name = "Add opening on Monday" }).ClickAsync();
        var monday = form.GetByRole(AriaRole.Group, new() { Name = "Monday" });
        await monday.GetByLabel("Opens").FillAsync("08:00");
        await monday.GetByLabel("Closes").FillAsync("18:00");
        await form.GetByRole(AriaRole.Button, new() { Name = "Save office hours" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Status).Filter(new() { HasText = "Office hours saved." })).ToBeVisibleAsync();

        // Nothing is left: once the page has read the three answers the list is drawn from, no list.
        var answers = new[] { "/office-hours", "/profile", "/staff" }.Select(path => page.WaitForResponseAsync(r => r.Url.EndsWith(path, StringComparison.Ordinal))).ToArray();
        await main.GetByRole(AriaRole.Link, new() { Name = "Audit log" }).ClickAsync();
        await Task.WhenAll(answers);
        await page.EvaluateAsync("() => new Promise(done => requestAnimationFrame(() => requestAnimationFrame(done)))");
        await Expect(checklist).ToHaveCountAsync(0);
    });

    /// <summary>The operator command as an operator runs it beside the server (here: against this test's app).</summary>
    private async Task<string> CreateClinicAsync(string name, string email, string adminName)
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var exitCode = await OperatorCommand.RunAsync(
        [
            "create-clinic", "--name", name, "--time-zone", "Europe/London", "--admin-email", email, "--admin-name", adminName, "--base-url", Fixture.BaseUrl,
            $"--ClinicChat:Storage:DataDirectory={Fixture.DataDirectory}", $"--ClinicChat:Orleans:GatewayPort={Fixture.GatewayPort}", "--environment=Development",
        ], stdout, stderr);
        Assert.True(exitCode == 0, stderr.ToString());
        return LinkPattern().Match(stdout.ToString()).Value;
    }

    [GeneratedRegex(@"http\S+/#/set-password/\S+")]
    private static partial Regex LinkPattern();
}
