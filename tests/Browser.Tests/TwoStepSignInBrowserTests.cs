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

        await page.GetByRole(AriaRole.Navigation, new() { Name = "Main" }).GetByRole(AriaRole.Link, new() { Name = "Security" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Two-step sign-in" })).ToBeVisibleAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Set up an authenticator app" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Img, new() { Name = "QR code for your authenticator app" })).ToBeVisibleAsync();
        var key = (await page.GetByLabel("Setup key").InnerTextAsync()).Replace(" ", string.Empty, StringComparison.Ordinal);
        await Expect(page.GetByRole(AriaRole.Link, new() { Name = "Open in authenticator app" })).ToHaveAttributeAsync("href", new System.Text.RegularExpressions.Regex($"^otpauth://totp/.*secret={key}"));
        await page.GetByRole(AriaRole.Textbox, new() { Name = "Code from the app" }).FillAsync(Totp.Code(key));
        await page.GetByRole(AriaRole.Button, new() { Name = "Turn on two-step sign-in" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("Two-step sign-in is on");

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
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Sign out" })).ToBeVisibleAsync();
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

    private static async Task SignOutAndInWithPasswordAsync(IPage page, string email)
    {
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign out" }).ClickAsync();
        await page.GetByRole(AriaRole.Textbox, new() { Name = "Email" }).FillAsync(email);
        await page.GetByRole(AriaRole.Textbox, new() { Name = "Password" }).FillAsync(DemoData.Password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
    }
}
