using System.Text.RegularExpressions;

namespace ClinicChat.Browser.Tests;

/// <summary>With SMS on (<see cref="SmsBrowserFixture"/>): the invitation goes through the Twilio SDK to a local endpoint, read there as the phone would.</summary>
public sealed partial class PortalActivationBrowserTests(SmsBrowserFixture fixture, ITestOutputHelper output)
    : BrowserTest(fixture, output), IClassFixture<SmsBrowserFixture>
{
    private readonly SmsBrowserFixture _fixture = fixture;

    private const string Password = "Activated-Patient-2026";

    /// <summary>
    /// The thread of an invited patient opens with its message box disabled until the pending invitation is known; the box
    /// still takes the keyboard once it can (found on a walk: the focus stayed on + New conversation).
    /// </summary>
    [Fact]
    public Task StartingAnInvitedPatientsConversationLeavesTheKeyboardInTheMessageBox() => RunAsync(async () =>
    {
        var familyName = "Yew" + Guid.NewGuid().ToString("N")[..6];
        var local = Random.Shared.Next(1000, 9999).ToString(System.Globalization.CultureInfo.InvariantCulture);
        var staff = await SignInAsync(DemoData.Frank);
        await AddPatientWithTextConsentAsync(staff, $"Ida {familyName}", "1979-06-02", local);
        await staff.GetByRole(AriaRole.Button, new() { Name = "Invite by SMS" }).ClickAsync();
        await Expect(staff.GetByRole(AriaRole.Status)).ToContainTextAsync("The link expires");

        await staff.GetByRole(AriaRole.Button, new() { Name = "Start conversation" }).ClickAsync();

        await Expect(Composer(staff)).ToBeEnabledAsync();
        await Expect(Composer(staff)).ToBeFocusedAsync();
    });

    [Fact]
    public Task FrontDeskAddsAPatientInvitesBySmsAndThePatientActivatesOnAPhoneAndFindsTheWaitingMessage() => RunAsync(async () =>
    {
        // The first date of birth is wrong on purpose: the browser logs the 400 it answers.
        AllowConsoleError("status of 400");
        var familyName = "Zed" + Guid.NewGuid().ToString("N")[..6];
        var local = Random.Shared.Next(1000, 9999).ToString(System.Globalization.CultureInfo.InvariantCulture);
        var mobile = "+1201555" + local;

        // The front desk adds the patient (with their consent to texts), invites them by SMS and prepares the thread.
        var staff = await SignInAsync(DemoData.Frank);
        await AddPatientWithTextConsentAsync(staff, $"Ines {familyName}", "1984-03-21", local);
        await staff.GetByRole(AriaRole.Button, new() { Name = "Invite by SMS" }).ClickAsync();
        await Expect(staff.GetByRole(AriaRole.Status)).ToContainTextAsync($"Invited by SMS to ***{mobile[^4..]}");
        await Expect(staff.GetByRole(AriaRole.Status)).ToContainTextAsync("The link expires");
        await staff.GetByRole(AriaRole.Button, new() { Name = "Start conversation" }).ClickAsync();
        await SendAsync(staff, "Welcome! Your first appointment is on Monday at 9:00.");
        var thread = new Uri(staff.Url).Fragment;

        // The SMS as the patient's phone receives it: the local Twilio endpoint, in E.164, with the link and nothing about health.
        var sms = await _fixture.Twilio.WaitForAsync(r => r.To == mobile);
        Assert.True(sms.Authenticated);
        Assert.Contains("Northside Family Dental", sms.Body, StringComparison.Ordinal);
        var link = LinkPattern().Match(sms.Body!).Value;
        Assert.StartsWith(Fixture.BaseUrl + "/#/activate/", link, StringComparison.Ordinal);

        // On a phone: the link, the date of birth, an email and a password, and the Inbox with the waiting message.
        var phone = await OpenAsync(width: 375, height: 812);
        await phone.GotoAsync(link);
        await Expect(phone.GetByRole(AriaRole.Heading, new() { Name = "Activate your patient portal" })).ToBeVisibleAsync();
        await Expect(phone.GetByText("Northside Family Dental")).ToBeVisibleAsync();
        await phone.GetByLabel("Date of birth").FillAsync("1984-03-12");
        await phone.GetByRole(AriaRole.Button, new() { Name = "Continue" }).ClickAsync();
        await Expect(phone.GetByRole(AriaRole.Alert)).ToContainTextAsync("2 attempts left");
        await phone.GetByLabel("Date of birth").FillAsync("1984-03-21");
        await phone.GetByRole(AriaRole.Button, new() { Name = "Continue" }).ClickAsync();
        await phone.GetByRole(AriaRole.Textbox, new() { Name = "Email address (you sign in with it)" }).FillAsync($"ines.{familyName}@patients.test");
        await phone.GetByLabel("New password").FillAsync(Password);
        await phone.GetByLabel("Repeat the password").FillAsync(Password);
        await Expect(phone.GetByRole(AriaRole.Checkbox, new() { Name = "Chat with Northside Family Dental through the portal" })).ToBeCheckedAsync();
        await phone.GetByRole(AriaRole.Button, new() { Name = "Activate and sign in" }).ClickAsync();

        await Expect(phone.GetByRole(AriaRole.Button, new() { Name = "Sign out", Exact = true })).ToBeVisibleAsync();
        Assert.EndsWith("/#/inbox", phone.Url, StringComparison.Ordinal);
        await phone.GetByRole(AriaRole.Link, new() { Name = "Northside Family Dental" }).ClickAsync();
        await Expect(Log(phone)).ToContainTextAsync("Welcome! Your first appointment is on Monday at 9:00.");

        // The front desk, without reloading, goes back to the list and opens the thread again: the patient has a portal
        // account now, and the composer is open (it said "no portal account" until a reload).
        await staff.EvaluateAsync("() => { window.location.hash = '#/chat'; }");
        await Expect(Composer(staff)).ToBeHiddenAsync();
        await staff.EvaluateAsync("hash => { window.location.hash = hash; }", thread);
        await Expect(staff.GetByText("has no portal account")).ToBeHiddenAsync();
        await SendAsync(staff, "See you on Monday.");
        await Expect(Log(phone)).ToContainTextAsync("See you on Monday.");
    });

    [GeneratedRegex(@"https?://\S+/#/activate/[0-9a-f]{32}\.[A-Za-z0-9_-]+")]
    private static partial Regex LinkPattern();

    /// <summary>From + New conversation: the patient added with a mobile (201) 555-<paramref name="local"/> and their consent to texts, then chosen.</summary>
    private static async Task AddPatientWithTextConsentAsync(IPage staff, string name, string dateOfBirth, string local)
    {
        await staff.GetByRole(AriaRole.Button, new() { Name = "New conversation" }).ClickAsync();
        await staff.GetByRole(AriaRole.Searchbox, new() { Name = "Search patients" }).FillAsync(name);
        await Expect(staff.GetByText("No patient of this clinic matches")).ToBeVisibleAsync();
        await staff.GetByRole(AriaRole.Button, new() { Name = "Add patient" }).ClickAsync();
        var editor = staff.GetByRole(AriaRole.Dialog, new() { Name = "Add patient" });
        await editor.GetByLabel("Date of birth").FillAsync(dateOfBirth);
        await editor.GetByRole(AriaRole.Textbox, new() { Name = "Mobile number" }).FillAsync($"(201) 555-{local}");
        await editor.GetByRole(AriaRole.Checkbox, new() { Name = "The patient agrees to text messages at this mobile number" }).CheckAsync();
        await editor.GetByRole(AriaRole.Button, new() { Name = "Add patient" }).ClickAsync();
        await Expect(editor).ToBeHiddenAsync();
        await staff.GetByRole(AriaRole.Option, new() { Name = name }).ClickAsync();
    }
}
