using ClinicChat.Access;
using ClinicChat.Tests.Shared;

namespace ClinicChat.Browser.Tests;

[Collection(BrowserCollection.Name)]
public sealed class TwoStepSignInBrowserTests(BrowserFixture fixture, ITestOutputHelper output) : BrowserTest(fixture, output)
{
    [Fact]
    public Task AStaffMemberSetsUpAnAuthenticatorAndThenSignsInWithACode() => RunAsync(async () =>
    {
        var email = await Fixture.CreateStaffAsync(DemoData.Northside, StaffRole.Clinician);
        var page = await SignInAsync(email);

        var key = await TurnOnTwoStepSignInAsync(page);

        // Recovery codes come next, shown once, for a lost phone.
        var codes = page.GetByRole(AriaRole.List, new() { Name = "Recovery codes" }).GetByRole(AriaRole.Listitem);
        await Expect(codes).ToHaveCountAsync(10);
        var recoveryCode = (await codes.First.InnerTextAsync()).Trim();
        await page.GetByRole(AriaRole.Button, new() { Name = "I have saved my recovery codes" }).ClickAsync();
        await Expect(page.GetByText("Recovery codes left: 10.")).ToBeVisibleAsync();

        await SignOutAndInWithPasswordAsync(page, email);
        var code = page.GetByRole(AriaRole.Textbox, new() { Name = "Authentication code" });
        await Expect(code).ToBeFocusedAsync();
        await code.FillAsync(Totp.Code(key));
        await page.GetByRole(AriaRole.Button, new() { Name = "Verify" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Sign out", Exact = true })).ToBeVisibleAsync();
        await Expect(page.GetByRole(AriaRole.Link, new() { Name = "Chat" })).ToBeVisibleAsync();

        // The phone is lost: the password and a recovery code.
        await SignOutAndInWithPasswordAsync(page, email);
        await page.GetByRole(AriaRole.Button, new() { Name = "Lost your phone? Use a recovery code" }).ClickAsync();
        await page.GetByRole(AriaRole.Textbox, new() { Name = "Recovery code" }).FillAsync(recoveryCode);
        await page.GetByRole(AriaRole.Button, new() { Name = "Verify" }).ClickAsync();

        await Expect(page.GetByRole(AriaRole.Link, new() { Name = "Chat" })).ToBeVisibleAsync();
        await page.GetByRole(AriaRole.Navigation, new() { Name = "Main" }).GetByRole(AriaRole.Link, new() { Name = "Security" }).ClickAsync();
        await Expect(page.GetByText("Recovery codes left: 9.")).ToBeVisibleAsync();
    });

    /// <summary>Security → set up an authenticator from its QR code's key → on; returns the key. Recovery codes are shown next.</summary>
    private static async Task<string> TurnOnTwoStepSignInAsync(IPage page)
    {
        await page.GetByRole(AriaRole.Navigation, new() { Name = "Main" }).GetByRole(AriaRole.Link, new() { Name = "Security" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Two-step sign-in" })).ToBeVisibleAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Set up an authenticator app" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Img, new() { Name = "QR code for your authenticator app" })).ToBeVisibleAsync();
        var key = (await page.GetByLabel("Setup key").InnerTextAsync()).Replace(" ", string.Empty, StringComparison.Ordinal);
        await Expect(page.GetByRole(AriaRole.Link, new() { Name = "Open in authenticator app" })).ToHaveAttributeAsync("href", new System.Text.RegularExpressions.Regex($"^otpauth://totp/.*secret={key}"));
        await page.GetByRole(AriaRole.Textbox, new() { Name = "Code from the app" }).FillAsync(Totp.Code(key));
        await page.GetByRole(AriaRole.Button, new() { Name = "Turn on two-step sign-in" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Status).Filter(new() { HasText = "Two-step sign-in is on" })).ToBeVisibleAsync();
        return key;
    }

    /// <summary>A member lost their phone and their recovery codes: the clinic's Admin turns two-step sign-in off for them.</summary>
    [Fact]
    public Task AnAdminResetsTheTwoStepSignInOfAMemberWhoLostTheirPhone() => RunAsync(async () =>
    {
        var email = await Fixture.CreateStaffAsync(DemoData.Northside, StaffRole.Clinician);
        var member = await SignInAsync(email);
        await TurnOnTwoStepSignInAsync(member);

        // On a phone: the member's row is far down the list, and the outcome must still be in view after the confirmation.
        var olga = await SignInAsync(DemoData.Olga, width: 390, height: 740);
        await olga.GetByRole(AriaRole.Navigation, new() { Name = "Main" }).GetByRole(AriaRole.Link, new() { Name = "Staff" }).ClickAsync();
        var row = olga.GetByRole(AriaRole.Listitem).Filter(new() { HasText = email });
        await row.GetByRole(AriaRole.Button, new() { Name = "Reset two-step sign-in of Tess Staff" }).ClickAsync();
        await row.GetByRole(AriaRole.Button, new() { Name = "Yes, reset it" }).ClickAsync();
        await Expect(olga.GetByRole(AriaRole.Status)).ToContainTextAsync("Tess Staff's two-step sign-in is off");
        await Expect(olga.GetByRole(AriaRole.Status)).ToBeInViewportAsync();
        // Offered only while it is on.
        await Expect(row.GetByRole(AriaRole.Button, new() { Name = "Reset two-step sign-in of Tess Staff" })).ToHaveCountAsync(0);

        // Signed out everywhere; the password alone signs them in again.
        await member.ReloadAsync();
        await member.GetByRole(AriaRole.Textbox, new() { Name = "Email" }).FillAsync(email);
        await member.GetByRole(AriaRole.Textbox, new() { Name = "Password" }).FillAsync(DemoData.Password);
        await member.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await Expect(member.GetByRole(AriaRole.Link, new() { Name = "Chat" })).ToBeVisibleAsync();
        await Expect(member.GetByRole(AriaRole.Textbox, new() { Name = "Authentication code" })).ToHaveCountAsync(0);
    });

    private static async Task SignOutAndInWithPasswordAsync(IPage page, string email)
    {
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign out", Exact = true }).ClickAsync();
        await page.GetByRole(AriaRole.Textbox, new() { Name = "Email" }).FillAsync(email);
        await page.GetByRole(AriaRole.Textbox, new() { Name = "Password" }).FillAsync(DemoData.Password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
    }
}
