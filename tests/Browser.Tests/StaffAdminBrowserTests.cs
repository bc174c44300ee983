using System.Text.RegularExpressions;
using ClinicChat.Access;
using Deque.AxeCore.Commons;
using Deque.AxeCore.Playwright;

namespace ClinicChat.Browser.Tests;

/// <summary>An Admin invites a clinician from the Staff page on a phone; the clinician opens the emailed link, sets a password and chats.</summary>
[Collection(BrowserCollection.Name)]
public sealed partial class StaffAdminBrowserTests(BrowserFixture fixture, ITestOutputHelper output) : BrowserTest(fixture, output)
{
    private const string Password = "Northside-Clinician-2026";

    [Fact]
    public Task AnAdminInvitesAClinicianWhoOpensTheEmailedLinkSetsAPasswordLandsInChatAndMessagesAPatient() => RunAsync(async () =>
    {
        var email = $"casey-{Guid.NewGuid():N}@northside.test";
        var patient = StaffChatTests.Patient(60);
        var admin = await SignInAsync(DemoData.Olga, width: 375, height: 740);

        await admin.GetByRole(AriaRole.Navigation, new() { Name = "Main" }).GetByRole(AriaRole.Link, new() { Name = "Staff" }).ClickAsync();
        await Expect(admin.GetByRole(AriaRole.Heading, new() { Name = "Staff", Exact = true })).ToBeVisibleAsync();
        await admin.GetByRole(AriaRole.Button, new() { Name = "Invite staff" }).ClickAsync();
        var dialog = admin.GetByRole(AriaRole.Dialog, new() { Name = "Invite staff" });
        await dialog.GetByLabel("Email").FillAsync(email);
        await dialog.GetByLabel("Name").FillAsync("Casey Clinician");
        await dialog.GetByLabel("Role").SelectOptionAsync("Clinician");
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Send invitation" }).ClickAsync();
        await Expect(admin.GetByRole(AriaRole.Status)).ToContainTextAsync($"Invitation sent to {email}");
        // The dialog gave the keyboard back to the button that opened it, not to the page.
        await Expect(admin.GetByRole(AriaRole.Button, new() { Name = "Invite staff" })).ToBeFocusedAsync();
        await Expect(admin.GetByRole(AriaRole.Listitem, new() { Name = $"Invitation for {email}" })).ToContainTextAsync("Invited as Clinician");
        // Nothing on the page is wider than the phone.
        Assert.True(await admin.EvaluateAsync<bool>("document.documentElement.scrollWidth <= window.innerWidth"));

        var received = await Fixture.Smtp.WaitForAsync(m => m.EnvelopeRecipients.Contains(email, StringComparer.OrdinalIgnoreCase));
        var link = LinkPattern().Match(received.Message.TextBody ?? string.Empty).Value;
        Assert.StartsWith(Fixture.BaseUrl, link, StringComparison.Ordinal);

        var clinician = await OpenAsync();
        await clinician.GotoAsync(link);
        await Expect(clinician.GetByText("Join Northside Family Dental as Clinician")).ToBeVisibleAsync();
        await clinician.GetByLabel("New password").FillAsync(Password);
        await clinician.GetByLabel("Repeat the password").FillAsync(Password);
        await clinician.GetByRole(AriaRole.Button, new() { Name = "Set password and sign in" }).ClickAsync();

        await clinician.GetByRole(AriaRole.Button, new() { Name = "New conversation" }).ClickAsync();
        await clinician.GetByRole(AriaRole.Searchbox, new() { Name = "Search patients" }).FillAsync(patient.Name);
        await clinician.GetByRole(AriaRole.Option, new() { Name = patient.Name }).First.ClickAsync();
        await Expect(clinician.GetByRole(AriaRole.Heading, new() { Name = patient.Name })).ToBeVisibleAsync();
        await SendAsync(clinician, "Hello, this is Casey, your new clinician at Northside.");

        await admin.ReloadAsync();
        await Expect(admin.GetByRole(AriaRole.Listitem, new() { Name = "Casey Clinician" })).ToContainTextAsync("Active");
    });

    /// <summary>The invitation's page names the role as the Staff page does ("Front desk"), not as the server spells it.</summary>
    [Fact]
    public Task AFrontDeskInviteeReadsTheirRoleAsPeopleSayIt() => RunAsync(async () =>
    {
        var email = $"jo-{Guid.NewGuid():N}@northside.test";
        using var olga = await Fixture.ApiAsync(DemoData.Olga);
        (await olga.PostAsJsonAsync($"/api/v1/clinics/{DemoData.Northside}/staff/invitations",
            new { email, displayName = "Jo Frontdesk", role = "FrontDesk" })).EnsureSuccessStatusCode();
        var received = await Fixture.Smtp.WaitForAsync(m => m.EnvelopeRecipients.Contains(email, StringComparer.OrdinalIgnoreCase));
        var link = LinkPattern().Match(received.Message.TextBody ?? string.Empty).Value;

        var invitee = await OpenAsync(width: 390, height: 844);
        await invitee.GotoAsync(link);
        await Expect(invitee.GetByText("Join Northside Family Dental as Front desk.")).ToBeVisibleAsync();
    });

    /// <summary>Revoking kills a link its holder may be about to open: the row asks first, and Cancel leaves the invitation as it was.</summary>
    [Fact]
    public Task RevokingAStaffInvitationAsksFirstAndCancelKeepsIt() => RunAsync(async () =>
    {
        var email = $"robin-{Guid.NewGuid():N}@northside.test";
        var admin = await SignInAsync(DemoData.Olga);
        await admin.GotoAsync("/#/staff");
        var row = await InviteAsync(admin, email, "Robin Frontdesk");
        await Expect(row).ToBeVisibleAsync();

        await row.GetByRole(AriaRole.Button, new() { Name = $"Revoke invitation to {email}" }).ClickAsync();
        var confirm = row.GetByRole(AriaRole.Group, new() { Name = $"Confirm: Revoke invitation to {email}" });
        await Expect(confirm).ToContainTextAsync("Its link stops working at once.");
        // The button that asked is gone: the keyboard is on Cancel, the safe choice, and back on the button once cancelled.
        await Expect(confirm.GetByRole(AriaRole.Button, new() { Name = "Cancel" })).ToBeFocusedAsync();
        await admin.Keyboard.PressAsync("Enter");
        await Expect(confirm).ToBeHiddenAsync();
        await Expect(row.GetByRole(AriaRole.Button, new() { Name = $"Revoke invitation to {email}" })).ToBeFocusedAsync();
        await admin.ReloadAsync();
        await Expect(row).ToBeVisibleAsync();

        await row.GetByRole(AriaRole.Button, new() { Name = $"Revoke invitation to {email}" }).ClickAsync();
        await row.GetByRole(AriaRole.Button, new() { Name = "Yes, revoke" }).ClickAsync();
        await Expect(admin.GetByRole(AriaRole.Status)).ToContainTextAsync($"The invitation to {email} was revoked.");
        await Expect(row).ToBeHiddenAsync();
    });

    /// <summary>
    /// Deactivate, Reactivate and Revoke each take away the button pressed (found on a walk: the keyboard fell to the page
    /// after each): it lands on the row's action that took its place, and on "Invite staff" once a revoked row is gone.
    /// </summary>
    [Fact]
    public Task TheKeyboardStaysOnTheRowAfterDeactivatingReactivatingAndRevoking() => RunAsync(async () =>
    {
        var name = $"Dana {Guid.NewGuid():N}"[..13];
        await Fixture.CreateStaffAsync(DemoData.Northside, StaffRole.Clinician, name);
        var email = $"kim-{Guid.NewGuid():N}@northside.test";
        var admin = await SignInAsync(DemoData.Olga);
        await admin.GotoAsync("/#/staff");
        var member = admin.GetByRole(AriaRole.Listitem, new() { Name = name, Exact = true });

        await member.GetByRole(AriaRole.Button, new() { Name = $"Deactivate {name}" }).ClickAsync();
        await member.GetByRole(AriaRole.Button, new() { Name = "Yes, deactivate" }).ClickAsync();
        await Expect(admin.GetByRole(AriaRole.Status)).ToContainTextAsync($"{name} was deactivated.");
        await Expect(member.GetByRole(AriaRole.Button, new() { Name = $"Reactivate {name}" })).ToBeFocusedAsync();

        await admin.Keyboard.PressAsync("Enter");
        await Expect(admin.GetByRole(AriaRole.Status)).ToContainTextAsync($"{name} was reactivated.");
        await Expect(member.GetByRole(AriaRole.Button, new() { Name = $"Deactivate {name}" })).ToBeFocusedAsync();

        var invitation = await InviteAsync(admin, email, "Kim Frontdesk");
        await invitation.GetByRole(AriaRole.Button, new() { Name = $"Revoke invitation to {email}" }).ClickAsync();
        await invitation.GetByRole(AriaRole.Button, new() { Name = "Yes, revoke" }).ClickAsync();
        await Expect(invitation).ToBeHiddenAsync();
        await Expect(admin.GetByRole(AriaRole.Button, new() { Name = "Invite staff" })).ToBeFocusedAsync();
    });

    [Fact]
    public Task DeactivatingOnesOwnAccountIsAskedInTheSecondPerson() => RunAsync(async () =>
    {
        var admin = await SignInAsync(DemoData.Olga);
        await admin.GotoAsync("/#/staff");
        var own = admin.GetByRole(AriaRole.Listitem, new() { Name = "Olga Ortiz" });

        await own.GetByRole(AriaRole.Button, new() { Name = "Deactivate Olga Ortiz" }).ClickAsync();

        var confirm = own.GetByRole(AriaRole.Group, new() { Name = "Confirm: Deactivate Olga Ortiz" });
        await Expect(confirm).ToContainTextAsync("Deactivate your own account? You are signed out everywhere at once");
        await confirm.GetByRole(AriaRole.Button, new() { Name = "Cancel" }).ClickAsync();
        await Expect(confirm).ToBeHiddenAsync();
    });

    [Fact]
    public Task TheStaffPageAndItsInviteDialogHaveNoSeriousAccessibilityViolationsOnAPhone() => RunAsync(async () =>
    {
        var admin = await SignInAsync(DemoData.Olga, width: 375, height: 740);
        await admin.GotoAsync("/#/staff");
        await Expect(admin.GetByRole(AriaRole.Listitem, new() { Name = "Olga Ortiz" })).ToContainTextAsync("Active");
        await AssertAccessibleAsync(admin);

        await admin.GetByRole(AriaRole.Button, new() { Name = "Invite staff" }).ClickAsync();
        var dialog = admin.GetByRole(AriaRole.Dialog, new() { Name = "Invite staff" });
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Send invitation" }).ClickAsync();
        // The browser's own check refuses the empty form before anything is sent.
        await Expect(dialog).ToBeVisibleAsync();
        await AssertAccessibleAsync(admin);

        // The only Admin cannot demote herself: the server's refusal is shown in words.
        await admin.GetByRole(AriaRole.Button, new() { Name = "Cancel" }).ClickAsync();
        AllowConsoleError("409");
        // A role chosen waits for a Yes (a change signs the member out): Cancel leaves it as it was.
        var role = admin.GetByRole(AriaRole.Combobox, new() { Name = "Role of Olga Ortiz" });
        await role.SelectOptionAsync("Billing");
        await admin.GetByRole(AriaRole.Group, new() { Name = "Confirm: make Olga Ortiz Billing" }).GetByRole(AriaRole.Button, new() { Name = "Cancel" }).ClickAsync();
        await Expect(role).ToHaveValueAsync("Admin");
        // Cancel went with its question: the keyboard is back on the select, not on the page.
        await Expect(role).ToBeFocusedAsync();
        await role.SelectOptionAsync("Billing");
        await admin.GetByRole(AriaRole.Button, new() { Name = "Yes, change the role" }).ClickAsync();
        await Expect(admin.GetByRole(AriaRole.Alert)).ToContainTextAsync("A clinic needs an Admin");
        await Expect(admin.GetByRole(AriaRole.Combobox, new() { Name = "Role of Olga Ortiz" })).ToHaveValueAsync("Admin");
    });

    /// <summary>Invites someone with the dialog's default role; their invitation's row on the Staff page.</summary>
    private static async Task<ILocator> InviteAsync(IPage admin, string email, string name)
    {
        await admin.GetByRole(AriaRole.Button, new() { Name = "Invite staff" }).ClickAsync();
        var dialog = admin.GetByRole(AriaRole.Dialog, new() { Name = "Invite staff" });
        await dialog.GetByLabel("Email").FillAsync(email);
        await dialog.GetByLabel("Name").FillAsync(name);
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Send invitation" }).ClickAsync();
        return admin.GetByRole(AriaRole.Listitem, new() { Name = $"Invitation for {email}" });
    }

    private async Task AssertAccessibleAsync(IPage page)
    {
        var results = await page.RunAxe(new AxeRunOptions { RunOnly = new RunOnlyOptions { Type = "tag", Values = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"] } });
        var serious = results.Violations.Where(v => v.Impact is "serious" or "critical").Select(v => v.Id);
        Assert.Empty(serious);
    }

    [GeneratedRegex(@"http\S+/#/set-password/\S+")]
    private static partial Regex LinkPattern();
}
