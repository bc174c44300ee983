using Deque.AxeCore.Commons;
using Deque.AxeCore.Playwright;

namespace ClinicChat.Browser.Tests;

/// <summary>axe-core audits of the main screens: no serious or critical WCAG 2.1 A/AA violations.</summary>
[Collection(BrowserCollection.Name)]
public sealed class AccessibilityTests(BrowserFixture fixture, ITestOutputHelper output) : BrowserTest(fixture, output)
{
    private readonly ITestOutputHelper _output = output;

    [Fact]
    public Task TheSignInPageHasNoSeriousViolations() => RunAsync(async () =>
    {
        var page = await OpenAsync();
        await page.GotoAsync("/");
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Sign in" })).ToBeVisibleAsync();

        await AssertAccessibleAsync(page);
    });

    [Fact]
    public Task StaffChatWithAThreadOpenHasNoSeriousViolations() => RunAsync(async () =>
    {
        var (_, _, staff) = await OpenNewThreadAsync(40);
        await SendAsync(staff, "Checking the audit");

        await AssertAccessibleAsync(staff);
    });

    [Fact]
    public Task ThePatientPortalAndPreferencesHaveNoSeriousViolations() => RunAsync(async () =>
    {
        var portal = await SignInAsync(DemoData.Pat, width: 375, height: 740);
        await portal.GetByRole(AriaRole.Link, new() { Name = "Northside Family Dental" }).ClickAsync();
        await Expect(Log(portal)).ToContainTextAsync("Thursday");
        await AssertAccessibleAsync(portal);

        await portal.GetByRole(AriaRole.Link, new() { Name = "Communication preferences" }).ClickAsync();
        await Expect(portal.GetByRole(AriaRole.Switch, new() { Name = "Chat with all my clinics" })).ToBeVisibleAsync();
        // The notice settings load on their own: checked once they are there too.
        await Expect(portal.GetByRole(AriaRole.Switch, new() { Name = "Text me" }).First).ToBeVisibleAsync();
        await AssertAccessibleAsync(portal);
    });

    [Fact]
    public Task ThePhotoViewerAndTheNewConversationDialogHaveNoSeriousViolations() => RunAsync(async () =>
    {
        var (_, thread, staff) = await OpenNewThreadAsync(167);
        using var alice = await Fixture.ApiAsync(DemoData.Alice);
        await AttachmentBrowserTests.SendFileAsync(alice, thread, "xray.png", new ImageMagick.MagickImage(ImageMagick.MagickColors.SteelBlue, 8, 8) { Format = ImageMagick.MagickFormat.Png }.ToByteArray());
        await Log(staff).GetByRole(AriaRole.Button, new() { Name = "Image from Alice Carter" }).ClickAsync();
        await Expect(staff.GetByRole(AriaRole.Dialog, new() { Name = "xray.png" })).ToBeVisibleAsync();
        await AssertAccessibleAsync(staff);
        await staff.Keyboard.PressAsync("Escape");

        await staff.GetByRole(AriaRole.Button, new() { Name = "New conversation" }).ClickAsync();
        await staff.GetByRole(AriaRole.Searchbox, new() { Name = "Search patients" }).FillAsync("a");
        await Expect(staff.GetByText("Showing the first 20")).ToBeVisibleAsync();
        await AssertAccessibleAsync(staff);
    });

    [Fact]
    public Task TheAuditLogHasNoSeriousViolations() => RunAsync(async () =>
    {
        var olga = await SignInAsync(DemoData.Olga);
        await Expect(olga.GetByRole(AriaRole.Table, new() { Name = "Audit events, newest first" }).GetByRole(AriaRole.Row).Nth(1)).ToBeVisibleAsync();
        await olga.GetByRole(AriaRole.Button, new() { Name = "Verify chain" }).ClickAsync();
        await Expect(olga.GetByRole(AriaRole.Status)).ToContainTextAsync("Chain intact:");

        await AssertAccessibleAsync(olga);
    });

    [Fact]
    public Task TheSecurityPageWithTheAdminsClinicSettingHasNoSeriousViolations() => RunAsync(async () =>
    {
        var olga = await SignInAsync(DemoData.Olga);
        await olga.GetByRole(AriaRole.Link, new() { Name = "Security" }).ClickAsync();
        await Expect(olga.GetByRole(AriaRole.Switch, new() { Name = "Require two-step sign-in for staff" })).ToBeVisibleAsync();
        await olga.GetByRole(AriaRole.Button, new() { Name = "Set up an authenticator app" }).ClickAsync();
        await Expect(olga.GetByRole(AriaRole.Textbox, new() { Name = "Code from the app" })).ToBeVisibleAsync();

        await AssertAccessibleAsync(olga);
    });

    [Fact]
    public Task TheBillingLandingPageHasNoSeriousViolations() => RunAsync(async () =>
    {
        var bill = await SignInAsync(DemoData.Bill);
        await Expect(bill.GetByText("Select a conversation.")).ToBeVisibleAsync();

        await AssertAccessibleAsync(bill);
    });

    [Fact]
    public Task StaffChatForTwoClinicsHasNoSeriousViolations() => RunAsync(async () =>
    {
        var mo = await SignInAsync(DemoData.Mo);
        await mo.GetByRole(AriaRole.Searchbox, new() { Name = "Search conversations" }).FillAsync("Pat Portal");
        await mo.GetByRole(AriaRole.Link, new() { Name = "Pat Portal, Northside Family Dental" }).ClickAsync();
        await Expect(mo.Locator(".thread-header")).ToContainTextAsync("Northside Family Dental");

        await AssertAccessibleAsync(mo);
    });

    private async Task AssertAccessibleAsync(IPage page)
    {
        var results = await page.RunAxe(new AxeRunOptions { RunOnly = new RunOnlyOptions { Type = "tag", Values = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"] } });
        var serious = results.Violations.Where(v => v.Impact is "serious" or "critical").ToList();
        foreach (var violation in serious)
        {
            _output.WriteLine($"{violation.Id} ({violation.Impact}): {violation.Help} — {string.Join(", ", violation.Nodes.Select(n => string.Join(" ", n.Target)))}");
        }

        Assert.Empty(serious.Select(v => v.Id));
    }
}
