using ClinicChat.Access;
using System.Text.RegularExpressions;

namespace ClinicChat.Browser.Tests;

/// <summary>The session's edges as a user meets them: signing out with requests on their way, a list that cannot be read.</summary>
[Collection(BrowserCollection.Name)]
public sealed partial class SessionBrowserTests(BrowserFixture fixture, ITestOutputHelper output) : BrowserTest(fixture, output)
{
    [Fact]
    public Task SigningOutWaitsForTheRequestsOnTheirWaySoThatNoneIsRefused() => RunAsync(async () =>
    {
        var email = await Fixture.CreateStaffAsync(DemoData.Northside, StaffRole.Clinician);
        var page = await SignInAsync(email);
        await Expect(Rows(page).First).ToBeVisibleAsync();

        // A search's request is held at the network, as a slow answer would be, while the user signs out.
        var held = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await page.RouteAsync(ThreadListRequest(), async route =>
        {
            held.TrySetResult();
            await release.Task;
            await route.ContinueAsync();
        });
        var signOutSent = false;
        page.Request += (_, request) => signOutSent |= request.Url.EndsWith("/api/v1/auth/logout", StringComparison.Ordinal);

        await page.GetByRole(AriaRole.Searchbox, new() { Name = "Search conversations" }).FillAsync("Smith");
        await held.Task.WaitAsync(TimeSpan.FromSeconds(10));
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign out", Exact = true }).ClickAsync();

        // The chat is gone at once; the session ends only once the search is answered (with the session it was sent with).
        await Expect(page.GetByText("Signing out…")).ToBeVisibleAsync();
        Assert.False(signOutSent);
        release.SetResult();
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Sign in" })).ToBeVisibleAsync();
        Assert.True(signOutSent);

        // Signed out for real: the server no longer knows the session.
        var session = await page.APIRequest.GetAsync("/api/v1/auth/session");
        Assert.Contains("\"me\":null", await session.TextAsync(), StringComparison.Ordinal);
    });

    [Fact]
    public Task APhoneSignedOutFromAnotherDeviceGoesBackToSignInAndNoLongerShowsTheConversation() => RunAsync(async () =>
    {
        // The phone's push connection is refused once its session has ended, and asking /me is refused too: both are the point.
        AllowConsoleError("WebSocket");
        AllowConsoleError("status of 401");
        AllowConsoleError("Failed to start the connection");
        var (patient, thread, staff) = await OpenFreshThreadAsync();
        await SendAsync(staff, "Your results are in.");
        var phone = await SignInAsync(patient.Email, width: 390, height: 844);
        await phone.GotoAsync($"/#/inbox/{thread}");
        await Expect(Log(phone)).ToContainTextAsync("Your results are in.");

        // On a laptop, the patient signs out everywhere.
        var laptop = await SignInAsync(patient.Email);
        var everywhere = await laptop.APIRequest.PostAsync("/api/v1/auth/logout/everywhere", new() { Headers = new Dictionary<string, string> { ["X-ClinicChat-Request"] = "1" } });
        Assert.Equal(204, everywhere.Status);

        // The phone, untouched, goes back to sign-in by itself; the conversation is no longer on its screen.
        await Expect(phone.GetByRole(AriaRole.Button, new() { Name = "Sign in" })).ToBeVisibleAsync();
        await Expect(phone.GetByText("Your results are in.")).ToHaveCountAsync(0);
    });

    [Fact]
    public Task AListThatCannotBeReadSaysSoAndCanBeTriedAgain() => RunAsync(async () =>
    {
        // The first reading of the list fails (a server restarting); the page must say so, not show an empty inbox.
        AllowConsoleError("503");
        var email = await Fixture.CreateStaffAsync(DemoData.Northside, StaffRole.Clinician);
        var page = await OpenAsync();
        // Every reading fails until the server is back (the live connection's own re-reading included).
        var serverBack = false;
        await page.RouteAsync(ThreadListRequest(), async route =>
        {
            if (!Volatile.Read(ref serverBack))
            {
                await route.FulfillAsync(new() { Status = 503, ContentType = "application/problem+json", Body = "{\"title\":\"Service unavailable\",\"code\":\"unavailable\"}" });
                return;
            }

            await route.ContinueAsync();
        });
        await page.GotoAsync("/");
        await page.GetByRole(AriaRole.Textbox, new() { Name = "Email" }).FillAsync(email);
        await page.GetByRole(AriaRole.Textbox, new() { Name = "Password" }).FillAsync(DemoData.Password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();

        var problem = page.GetByRole(AriaRole.Alert).Filter(new() { HasText = "Could not load conversations." });
        await Expect(problem).ToBeVisibleAsync();
        await Expect(Rows(page)).ToHaveCountAsync(0);
        await Expect(page.GetByText("No open conversations.")).ToBeHiddenAsync();

        Volatile.Write(ref serverBack, true);
        await problem.GetByRole(AriaRole.Button, new() { Name = "Try again" }).ClickAsync();
        await Expect(problem).ToBeHiddenAsync();
        await Expect(Rows(page).First).ToBeVisibleAsync();
    });

    [Fact]
    public Task APatientsPreferencesThatCannotBeReadSaySoAndCanBeTriedAgain() => RunAsync(async () =>
    {
        AllowConsoleError("503");
        var page = await OpenAsync(width: 390, height: 844);
        var serverBack = false;
        await page.RouteAsync("**/api/v1/me/preferences", async route =>
        {
            if (route.Request.Method == "GET" && !Volatile.Read(ref serverBack))
            {
                await route.FulfillAsync(new() { Status = 503, ContentType = "application/problem+json", Body = "{\"title\":\"Service unavailable\",\"code\":\"unavailable\"}" });
                return;
            }

            await route.ContinueAsync();
        });
        await page.GotoAsync("/#/preferences");
        await page.GetByRole(AriaRole.Textbox, new() { Name = "Email" }).FillAsync(DemoData.Pat);
        await page.GetByRole(AriaRole.Textbox, new() { Name = "Password" }).FillAsync(DemoData.Password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();

        // Not a switch shown "off" for good: the page says it could not read them.
        var problem = page.GetByRole(AriaRole.Alert).Filter(new() { HasText = "Could not load your preferences." });
        await Expect(problem).ToBeVisibleAsync();
        var chatSwitch = page.GetByRole(AriaRole.Switch).First;
        await Expect(chatSwitch).ToBeDisabledAsync();

        Volatile.Write(ref serverBack, true);
        await problem.GetByRole(AriaRole.Button, new() { Name = "Try again" }).ClickAsync();
        await Expect(problem).ToBeHiddenAsync();
        await Expect(chatSwitch).ToBeEnabledAsync();
    });

    /// <summary>The sidebar's thread rows (the demo clinic has threads the new member sees).</summary>
    private static ILocator Rows(IPage page) => page.Locator(".thread-list").First.GetByRole(AriaRole.Listitem);

    /// <summary>The thread list's reads (<c>GET /api/v1/conversations?…</c>), not a thread's own requests.</summary>
    private static Regex ThreadListRequest() => ThreadListPattern();

    [GeneratedRegex(@"/api/v1/conversations\?")]
    private static partial Regex ThreadListPattern();
}
