using ClinicChat.Access;

namespace ClinicChat.Browser.Tests;

/// <summary>Changing one's own password from the app, as staff do on their Security page.</summary>
[Collection(BrowserCollection.Name)]
public sealed class PasswordChangeBrowserTests(BrowserFixture fixture, ITestOutputHelper output) : BrowserTest(fixture, output)
{
    private const string NewPassword = "Another!2345";

    [Fact]
    public Task AStaffMemberChangesTheirPasswordOnTheSecurityPageAndTheirOtherDeviceIsSignedOut() => RunAsync(async () =>
    {
        // The wrong current password is answered 401 (that is the point), and the tablet's connection is refused once its session ended.
        AllowConsoleError("status of 401");
        AllowConsoleError("WebSocket");
        AllowConsoleError("Failed to start the connection");
        var email = await Fixture.CreateStaffAsync(DemoData.Northside, StaffRole.FrontDesk);
        var desk = await SignInAsync(email);
        var tablet = await SignInAsync(email, width: 820, height: 1180);
        await desk.GetByRole(AriaRole.Navigation, new() { Name = "Main" }).GetByRole(AriaRole.Link, new() { Name = "Security" }).ClickAsync();
        var form = desk.GetByRole(AriaRole.Form, new() { Name = "Change password" });

        // A mistyped current password is said, and the desk stays signed in with its password unchanged.
        await form.GetByLabel("Current password").FillAsync("not-my-password");
        await form.GetByLabel("New password", new() { Exact = true }).FillAsync(NewPassword);
        await form.GetByLabel("Repeat the new password").FillAsync(NewPassword);
        await form.GetByRole(AriaRole.Button, new() { Name = "Change password" }).ClickAsync();
        await Expect(desk.GetByRole(AriaRole.Alert)).ToContainTextAsync("The current password is not right.");
        // Seen where it appears, under the long form, and the keyboard is still on the button, not thrown back to the page.
        await Expect(desk.GetByRole(AriaRole.Alert)).ToBeInViewportAsync();
        await Expect(form.GetByRole(AriaRole.Button, new() { Name = "Change password" })).ToBeFocusedAsync();
        await Expect(desk.GetByRole(AriaRole.Button, new() { Name = "Sign out", Exact = true })).ToBeVisibleAsync();

        await form.GetByLabel("Current password").FillAsync(DemoData.Password);
        await form.GetByRole(AriaRole.Button, new() { Name = "Change password" }).ClickAsync();
        await Expect(desk.GetByRole(AriaRole.Status).Filter(new() { HasText = "Your password has been changed." })).ToBeInViewportAsync();

        // The tablet, untouched, goes back to sign-in by itself and says why; the desk carries on.
        await Expect(tablet.GetByRole(AriaRole.Button, new() { Name = "Sign in" })).ToBeVisibleAsync();
        await Expect(tablet.GetByRole(AriaRole.Status)).ToContainTextAsync("You have been signed out: you signed out on another device, your password was changed");
        await desk.GetByRole(AriaRole.Navigation, new() { Name = "Main" }).GetByRole(AriaRole.Link, new() { Name = "Chat" }).ClickAsync();
        await Expect(desk.GetByRole(AriaRole.Button, new() { Name = "Sign out", Exact = true })).ToBeVisibleAsync();

        // The old password no longer signs in; the new one does.
        await SignInWithAsync(tablet, email, DemoData.Password);
        await Expect(tablet.GetByRole(AriaRole.Alert)).ToBeVisibleAsync();
        await SignInWithAsync(tablet, email, NewPassword);
        await Expect(tablet.GetByRole(AriaRole.Button, new() { Name = "Sign out", Exact = true })).ToBeVisibleAsync();
    });

    private static async Task SignInWithAsync(IPage page, string email, string password)
    {
        await page.GetByRole(AriaRole.Textbox, new() { Name = "Email" }).FillAsync(email);
        await page.GetByRole(AriaRole.Textbox, new() { Name = "Password" }).FillAsync(password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
    }
}
