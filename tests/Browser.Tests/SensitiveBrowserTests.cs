using Microsoft.Playwright;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace ClinicChat.Browser.Tests;

[Collection(BrowserCollection.Name)]
public sealed class SensitiveBrowserTests(BrowserFixture fixture, ITestOutputHelper output) : BrowserTest(fixture, output)
{
    [Fact]
    public Task StaffSendASensitiveMessageWithTheLockAndThePatientReadsItAfterVerifying() => RunAsync(async () =>
    {
        var (patient, _, staff) = await OpenNewThreadAsync(46);
        // The wrong password below is answered 401, which the browser logs as a failed request.
        AllowConsoleError("status of 401");

        var lockToggle = staff.GetByRole(AriaRole.Button, new() { Name = "Mark sensitive" });
        await lockToggle.ClickAsync();
        await Expect(lockToggle).ToHaveAttributeAsync("aria-pressed", "true");
        await SendAsync(staff, "Your biopsy result is benign");
        await Expect(lockToggle).ToHaveAttributeAsync("aria-pressed", "false");
        var staffMessage = Log(staff).GetByRole(AriaRole.Article).Filter(new() { HasText = "Your biopsy result is benign" });
        await Expect(staffMessage.GetByRole(AriaRole.Img, new() { Name = "Sensitive" })).ToBeVisibleAsync();

        var portal = await SignInAsync(patient.Email!);
        await portal.GetByRole(AriaRole.Link, new() { Name = "Northside Family Dental" }).ClickAsync();
        await Expect(Log(portal).GetByText("Sensitive message — verify it's you to view", new() { Exact = true })).ToBeVisibleAsync();
        await Expect(Log(portal)).Not.ToContainTextAsync("biopsy");
        await Expect(portal.GetByRole(AriaRole.Navigation)).Not.ToContainTextAsync("biopsy");

        await Log(portal).GetByRole(AriaRole.Button, new() { Name = "Verify it's you" }).First.ClickAsync();
        var dialog = portal.GetByRole(AriaRole.Dialog, new() { Name = "Verify it's you" });
        await dialog.GetByLabel("Password").FillAsync("not my password");
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Verify" }).ClickAsync();
        await Expect(dialog.GetByRole(AriaRole.Alert)).ToHaveTextAsync("That password is not right.");
        await dialog.GetByLabel("Password").FillAsync(Web.Seeding.DemoData.Password);
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Verify" }).ClickAsync();

        await Expect(Log(portal)).ToContainTextAsync("Your biopsy result is benign");
        await Expect(portal.GetByRole(AriaRole.Status).Filter(new() { HasTextRegex = new System.Text.RegularExpressions.Regex("Sensitive messages visible until") })).ToBeVisibleAsync();
        await Expect(staffMessage.Locator(".status")).ToHaveTextAsync("Read");

        await portal.GetByRole(AriaRole.Button, new() { Name = "Hide sensitive messages" }).ClickAsync();
        await Expect(Log(portal)).Not.ToContainTextAsync("biopsy");
    });
}
