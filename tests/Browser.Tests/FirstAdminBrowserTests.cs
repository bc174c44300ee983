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
