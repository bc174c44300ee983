using System.Text.RegularExpressions;

namespace ClinicChat.Browser.Tests;

/// <summary>The top bar and the address bar say where the person is: the page shown, by the name it is headed with.</summary>
[Collection(BrowserCollection.Name)]
public sealed class NavigationBrowserTests(BrowserFixture fixture, ITestOutputHelper output) : BrowserTest(fixture, output)
{
    /// <summary>
    /// A thread's address followed the moment sign-in ends (before the page's effects have run) stays: the home address
    /// decided for the address shown before it no longer replaces it (a rare browser-test failure: Alice's thread, opened
    /// straight after signing in, became <c>#/chat</c> with no thread open). The script follows the link as soon as
    /// "Sign out" is in the page, which is what a fast test, or a person clicking a link, can do.
    /// </summary>
    [Fact]
    public Task AThreadOpenedTheMomentSignInEndsStaysOpen() => RunAsync(async () =>
    {
        var patient = await Fixture.CreatePatientAsync();
        Guid thread;
        using (var aliceApi = await Fixture.ApiAsync(DemoData.Alice))
        {
            thread = await Fixture.StartThreadAsync(aliceApi, patient.Id);
        }

        var followLinkOnSignIn = $$"""
            new MutationObserver((_, observer) => {
              if ([...document.querySelectorAll('button')].some((b) => b.textContent.trim() === 'Sign out')) {
                observer.disconnect();
                location.hash = '#/chat/{{thread}}';
              }
            }).observe(document, { childList: true, subtree: true });
            """;
        var alice = await SignInAsync(DemoData.Alice, initScript: followLinkOnSignIn);

        await Expect(alice.GetByRole(AriaRole.Log, new() { Name = $"Messages with {patient.Name}" })).ToBeVisibleAsync();
        await Expect(alice).ToHaveURLAsync(new Regex($"/#/chat/{thread}$"));
    });

    /// <summary>
    /// Sign-in sends all staff to <c>#/chat</c>, and an Admin without a chat role is shown the audit log there, their
    /// home: the address said Chat while the page was the audit log (found on a walk). The address is replaced, so a
    /// reload or a copied link opens the same page, and Back goes to the page before instead of to <c>#/chat</c>.
    /// </summary>
    [Fact]
    public Task AnAdminWithoutAChatRoleLandsOnTheAuditLogsAddressAndBackLeavesIt() => RunAsync(async () =>
    {
        var olga = await SignInAsync(DemoData.Olga);
        var nav = olga.GetByRole(AriaRole.Navigation, new() { Name = "Main" });
        var auditHeading = olga.GetByRole(AriaRole.Heading, new() { Name = "Audit log", Level = 1 });
        await Expect(auditHeading).ToBeVisibleAsync();
        await Expect(nav.GetByRole(AriaRole.Link, new() { Name = "Audit log" })).ToHaveAttributeAsync("aria-current", "page");
        await Expect(olga).ToHaveURLAsync(new Regex("/#/audit$"));

        await olga.ReloadAsync();
        await Expect(auditHeading).ToBeVisibleAsync();
        await Expect(olga).ToHaveURLAsync(new Regex("/#/audit$"));

        // A link to Chat opened after the Staff page: a pushed #/audit would leave #/chat behind it, where Back would
        // show the audit log again instead of Staff.
        await nav.GetByRole(AriaRole.Link, new() { Name = "Staff", Exact = true }).ClickAsync();
        await Expect(olga.GetByRole(AriaRole.Heading, new() { Name = "Staff", Level = 1 })).ToBeVisibleAsync();
        await olga.GotoAsync("/#/chat");
        await Expect(olga).ToHaveURLAsync(new Regex("/#/audit$"));
        await Expect(auditHeading).ToBeVisibleAsync();

        await olga.GoBackAsync();
        await Expect(olga).ToHaveURLAsync(new Regex("/#/staff$"));
        await Expect(olga.GetByRole(AriaRole.Heading, new() { Name = "Staff", Level = 1 })).ToBeVisibleAsync();
    });

    /// <summary>
    /// A clinician given a link to a page for Admins sees Chat, their home, and the address says so (it kept the link's
    /// #/audit beside the Chat page).
    /// </summary>
    [Fact]
    public Task AClinicianOpeningAnAdminsPageSeesChatUnderChatsAddress() => RunAsync(async () =>
    {
        var alice = await SignInAsync(DemoData.Alice);
        await alice.GotoAsync("/#/audit");

        await Expect(alice).ToHaveURLAsync(new Regex("/#/chat$"));
        await Expect(alice.GetByRole(AriaRole.Heading, new() { Name = "Chat", Level = 1, Exact = true })).ToBeAttachedAsync();
        await Expect(alice.GetByRole(AriaRole.Heading, new() { Name = "Audit log", Level = 1 })).ToHaveCountAsync(0);
    });

    /// <summary>
    /// The top bar said "Clinic" and the page's heading "Clinic settings" (found on a walk). Each link of an Admin's top
    /// bar opens a page headed with the link's own name, so the two places that say where the person is agree.
    /// </summary>
    [Fact]
    public Task EachTopBarLinkOfAnAdminOpensAPageHeadedWithTheLinksName() => RunAsync(async () =>
    {
        var olga = await SignInAsync(DemoData.Olga);
        var nav = olga.GetByRole(AriaRole.Navigation, new() { Name = "Main" });
        foreach (var name in new[] { "Quick replies", "Staff", "Clinic", "Security", "Audit log" })
        {
            var link = nav.GetByRole(AriaRole.Link, new() { Name = name, Exact = true });
            await link.ClickAsync();
            await Expect(link).ToHaveAttributeAsync("aria-current", "page");
            await Expect(olga.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync(name);
        }
    });
}
