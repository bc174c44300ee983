using System.Text.RegularExpressions;

namespace ClinicChat.Browser.Tests;

/// <summary>A forgotten password, as a person meets it: the sign-in page, an email at a real SMTP server, its link, a new password.</summary>
[Collection(BrowserCollection.Name)]
public sealed partial class PasswordResetBrowserTests(BrowserFixture fixture, ITestOutputHelper output) : BrowserTest(fixture, output)
{
    [Fact]
    public Task AForgottenPasswordIsResetFromTheEmailedLinkAndThePatientSignsInWithTheNewOne() => RunAsync(async () =>
    {
        var patient = StaffChatTests.Patient(160);
        const string NewPassword = "Fresh!Start-2026";
        var page = await OpenAsync(width: 375, height: 740);
        await page.GotoAsync("/");

        await page.GetByRole(AriaRole.Button, new() { Name = "Forgot password?" }).ClickAsync();
        await page.GetByRole(AriaRole.Textbox, new() { Name = "Email" }).FillAsync(patient.Email!);
        await page.GetByRole(AriaRole.Button, new() { Name = "Send reset link" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("If an account uses this address, we have sent it a link");

        var mail = await Fixture.Smtp.WaitForAsync(m => m.EnvelopeRecipients.Contains(patient.Email!) && m.Message.Subject == "Reset your ClinicChat password");
        var link = ResetLink().Match(mail.Message.TextBody ?? string.Empty).Value;
        Assert.StartsWith(Fixture.BaseUrl + "/#/reset-password/", link, StringComparison.Ordinal);
        await page.GotoAsync(link);
        await page.GetByLabel("New password", new() { Exact = true }).FillAsync(NewPassword);
        await page.GetByLabel("Repeat the new password").FillAsync(NewPassword);
        await page.GetByRole(AriaRole.Button, new() { Name = "Set new password" }).ClickAsync();

        await Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("Your password has been changed");
        Assert.DoesNotContain("reset-password", page.Url, StringComparison.Ordinal);
        await page.GetByRole(AriaRole.Textbox, new() { Name = "Email" }).FillAsync(patient.Email!);
        await page.GetByLabel("Password").FillAsync(NewPassword);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in", Exact = true }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Sign out", Exact = true })).ToBeVisibleAsync();

        // The link worked once: opened again it says so at once, without asking for a password first (the browser logs
        // the refused check).
        AllowConsoleError("status of 400");
        var again = await OpenAsync(width: 375, height: 740);
        await again.GotoAsync(link);
        await Expect(again.GetByRole(AriaRole.Heading, new() { Name = "This link does not work" })).ToBeVisibleAsync();
        await Expect(again.GetByRole(AriaRole.Alert)).ToContainTextAsync("has been used already");
        await Expect(again.GetByLabel("New password", new() { Exact = true })).ToHaveCountAsync(0);
        await again.GetByRole(AriaRole.Link, new() { Name = "Go to sign-in" }).ClickAsync();
        await Expect(again.GetByRole(AriaRole.Button, new() { Name = "Forgot password?" })).ToBeVisibleAsync();
    });

    [Fact]
    public Task APatientTurnsChatOffWithOneClinicAndTheInboxSaysSoForThatClinicOnly() => RunAsync(async () =>
    {
        // A patient of both clinics that no other test uses (they take the first 171 of the list).
        var patient = Web.Seeding.DemoData.Generated().Where(p => p.Email is not null && p.OptedIn).Skip(175).First(p => p.AlsoLakeview);
        using var alice = await Fixture.ApiAsync(Web.Seeding.DemoData.Alice);
        using var lara = await Fixture.ApiAsync(Web.Seeding.DemoData.Lara);
        await BrowserFixture.SendAsync(alice, await Fixture.StartThreadAsync(alice, patient.Id), "Your crown is ready.");
        await BrowserFixture.SendAsync(lara, await Fixture.StartThreadAsync(lara, patient.Id), "Time for a check-up.");
        var portal = await SignInAsync(patient.Email!);

        await portal.GetByRole(AriaRole.Link, new() { Name = "Communication preferences" }).ClickAsync();
        var lakeview = portal.GetByRole(AriaRole.Switch, new() { Name = "Chat with Lakeview Pediatrics" });
        await Expect(lakeview).ToBeCheckedAsync();
        await lakeview.ClickAsync();
        await Expect(lakeview).Not.ToBeCheckedAsync();
        await Expect(portal.GetByRole(AriaRole.Switch, new() { Name = "Chat with Northside Family Dental" })).ToBeCheckedAsync();
        // "All my clinics" is off now, and says that does not mean none.
        await Expect(portal.GetByRole(AriaRole.Switch, new() { Name = "Chat with all my clinics" })).Not.ToBeCheckedAsync();
        await Expect(portal.GetByText("Off for some: Northside Family Dental can still chat with you (below).", new() { Exact = false })).ToBeVisibleAsync();

        await portal.GetByRole(AriaRole.Navigation, new() { Name = "Main" }).GetByRole(AriaRole.Link, new() { Name = "Inbox" }).ClickAsync();
        var sidebar = portal.GetByRole(AriaRole.Complementary, new() { Name = "Your clinics" });
        await Expect(sidebar).ToContainTextAsync("Chat with Lakeview Pediatrics is off, so that clinic cannot send you messages.");
        await Expect(sidebar.GetByRole(AriaRole.Link, new() { Name = "Communication preferences" })).ToBeVisibleAsync();
        await portal.GetByRole(AriaRole.Link, new() { Name = "Lakeview Pediatrics", Exact = true }).ClickAsync();
        await Expect(Composer(portal)).ToBeDisabledAsync();
        await Expect(portal.GetByText("You have turned chat with Lakeview Pediatrics off in Communication preferences.")).ToBeVisibleAsync();
        await portal.GetByRole(AriaRole.Link, new() { Name = "Northside Family Dental", Exact = true }).ClickAsync();
        await Expect(Composer(portal)).ToBeEnabledAsync();
    });

    [GeneratedRegex(@"https?://\S+/#/reset-password/[A-Za-z0-9_\-]+")]
    private static partial Regex ResetLink();
}
