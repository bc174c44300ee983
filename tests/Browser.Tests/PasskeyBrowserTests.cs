using System.Text.Json;
using System.Text.RegularExpressions;
using ClinicChat.Access;

namespace ClinicChat.Browser.Tests;

/// <summary>
/// Whole passkey ceremonies against Chromium's virtual authenticator (DevTools' WebAuthn domain): a platform
/// authenticator that holds discoverable credentials and verifies its user, as Face ID or a fingerprint reader does.
/// WebAuthn refuses an IP address as the relying party's id, so these pages use <c>localhost</c>, not 127.0.0.1.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed partial class PasskeyBrowserTests(BrowserFixture fixture, ITestOutputHelper output) : BrowserTest(fixture, output)
{
    private string Origin => Fixture.BaseUrl.Replace("127.0.0.1", "localhost", StringComparison.Ordinal);

    [Fact]
    public Task AStaffMemberAddsAPasskeySignsOutAndSignsInWithItWithoutTypingAnything() => RunAsync(async () =>
    {
        var email = await Fixture.CreateStaffAsync(DemoData.Northside, StaffRole.Clinician);
        var page = await SignInOnLocalhostAsync(email);
        await AddVirtualAuthenticatorAsync(page);

        await page.GetByRole(AriaRole.Navigation, new() { Name = "Main" }).GetByRole(AriaRole.Link, new() { Name = "Security" }).ClickAsync();
        await AddPasskeyAsync(page, "Work laptop");
        var passkeys = page.GetByRole(AriaRole.List, new() { Name = "Your passkeys" });
        await Expect(passkeys.GetByRole(AriaRole.Listitem)).ToHaveCountAsync(1);
        await Expect(passkeys).ToContainTextAsync("Work laptop");

        await page.GetByRole(AriaRole.Button, new() { Name = "Sign out", Exact = true }).ClickAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Use a passkey" }).ClickAsync();

        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Sign out", Exact = true })).ToBeVisibleAsync();
        await Expect(page.GetByRole(AriaRole.Link, new() { Name = "Chat" })).ToBeVisibleAsync();
    });

    [Fact]
    public Task APatientOpensASensitiveMessageWithTheirPasskeyInsteadOfThePassword() => RunAsync(async () =>
    {
        var patient = StaffChatTests.Patient(131);
        using var alice = await Fixture.ApiAsync(DemoData.Alice);
        var thread = await Fixture.StartThreadAsync(alice, patient.Id);
        var staff = await SignInAsync(DemoData.Alice);
        await staff.GotoAsync($"/#/chat/{thread}");
        await staff.GetByRole(AriaRole.Button, new() { Name = "Mark sensitive" }).ClickAsync();
        await SendAsync(staff, "Your thyroid panel is normal");

        var portal = await SignInOnLocalhostAsync(patient.Email!);
        var authenticator = await AddVirtualAuthenticatorAsync(portal);
        await portal.GetByRole(AriaRole.Link, new() { Name = "Communication preferences" }).ClickAsync();
        await AddPasskeyAsync(portal, "My phone");
        // Adding it needed the password, which opened the window too: close it, so that only the passkey can open it again.
        await portal.GetByRole(AriaRole.Button, new() { Name = "Hide sensitive messages" }).ClickAsync();

        await portal.GetByRole(AriaRole.Link, new() { Name = "Inbox" }).ClickAsync();
        await portal.GetByRole(AriaRole.Link, new() { Name = "Northside Family Dental" }).ClickAsync();
        await Expect(Log(portal).GetByText("Sensitive message", new() { Exact = true })).ToBeVisibleAsync();
        await Log(portal).GetByRole(AriaRole.Button, new() { Name = "Verify it's you" }).First.ClickAsync();
        var dialog = portal.GetByRole(AriaRole.Dialog, new() { Name = "Verify it's you" });
        // Face ID says no first: the dialog says so, and the password field (nothing typed in it) is not marked wrong.
        await authenticator.VerifiesItsUserAsync(false);
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Use passkey (Face ID / fingerprint)" }).ClickAsync();
        await Expect(dialog.GetByRole(AriaRole.Alert)).ToContainTextAsync("Try again, or enter your password.");
        await Expect(dialog.GetByLabel("Password")).Not.ToHaveAttributeAsync("aria-invalid", "true");
        await authenticator.VerifiesItsUserAsync(true);
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Use passkey (Face ID / fingerprint)" }).ClickAsync();

        await Expect(Log(portal)).ToContainTextAsync("Your thyroid panel is normal");
        await Expect(dialog).ToBeHiddenAsync();
    });

    [Fact]
    public Task AnInvitedPatientActivatesOnAPhoneWithAPasskeyAndNoPassword() => RunAsync(async () =>
    {
        // The front desk adds the patient with an email and invites them (the API here; the screens are PortalActivationBrowserTests').
        var email = $"pia.{Guid.NewGuid():N}@patients.test";
        using var frank = await Fixture.ApiAsync(DemoData.Frank);
        var added = await frank.PostAsJsonAsync($"/api/v1/clinics/{DemoData.Northside}/patients",
            new { givenName = "Pia", familyName = "Passkey" + Guid.NewGuid().ToString("N")[..6], birthDate = "1993-11-05", email });
        var patientId = (await added.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
        (await frank.PostAsJsonAsync($"/api/v1/clinics/{DemoData.Northside}/patients/{patientId}/invitations", new { channel = "email" })).EnsureSuccessStatusCode();
        var mail = await Fixture.Smtp.WaitForAsync(m => m.EnvelopeRecipients.Contains(email));
        var link = ActivationLink().Match(mail.Message.TextBody!).Value.Replace("127.0.0.1", "localhost", StringComparison.Ordinal);

        var phone = await OpenAsync(width: 375, height: 812);
        await AddVirtualAuthenticatorAsync(phone);
        await phone.GotoAsync(link);
        await phone.GetByLabel("Date of birth").FillAsync("1993-11-05");
        await phone.GetByRole(AriaRole.Button, new() { Name = "Continue" }).ClickAsync();
        await phone.GetByRole(AriaRole.Button, new() { Name = "Activate with a passkey" }).ClickAsync();

        await Expect(phone.GetByRole(AriaRole.Button, new() { Name = "Sign out", Exact = true })).ToBeVisibleAsync();
        Assert.EndsWith("/#/inbox", phone.Url, StringComparison.Ordinal);
        await phone.GetByRole(AriaRole.Link, new() { Name = "Communication preferences" }).ClickAsync();
        await Expect(phone.GetByRole(AriaRole.List, new() { Name = "Your passkeys" })).ToContainTextAsync("Added when you activated");

        // Signed out, the same phone signs in with the passkey alone.
        await phone.GetByRole(AriaRole.Button, new() { Name = "Sign out", Exact = true }).ClickAsync();
        await phone.GetByRole(AriaRole.Button, new() { Name = "Use a passkey" }).ClickAsync();
        await Expect(phone.GetByRole(AriaRole.Link, new() { Name = "Inbox" })).ToBeVisibleAsync();
    });

    [GeneratedRegex(@"https?://\S+/#/activate/\S+")]
    private static partial Regex ActivationLink();

    /// <summary>Signs in with the password on <c>localhost</c> (the relying party's id).</summary>
    private async Task<IPage> SignInOnLocalhostAsync(string email)
    {
        var page = await OpenAsync();
        await page.GotoAsync($"{Origin}/");
        await page.GetByRole(AriaRole.Textbox, new() { Name = "Email" }).FillAsync(email);
        await page.GetByRole(AriaRole.Textbox, new() { Name = "Password" }).FillAsync(DemoData.Password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in", Exact = true }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Sign out", Exact = true })).ToBeVisibleAsync();
        return page;
    }

    /// <summary>Names a new passkey and adds it: "Verify it's you" with the password first, then the authenticator makes it.</summary>
    private static async Task AddPasskeyAsync(IPage page, string name)
    {
        await page.GetByRole(AriaRole.Textbox, new() { Name = "Passkey name" }).FillAsync(name);
        await page.GetByRole(AriaRole.Button, new() { Name = "Add a passkey" }).ClickAsync();
        var dialog = page.GetByRole(AriaRole.Dialog, new() { Name = "Verify it's you" });
        await dialog.GetByLabel("Password").FillAsync(DemoData.Password);
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Verify", Exact = true }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Status).Filter(new() { HasText = $"Passkey \"{name}\" added." })).ToBeVisibleAsync();
    }

    /// <summary>A platform authenticator that keeps discoverable credentials and always verifies its user (Face ID says yes).</summary>
    private static async Task<VirtualAuthenticator> AddVirtualAuthenticatorAsync(IPage page)
    {
        var devTools = await page.Context.NewCDPSessionAsync(page);
        await devTools.SendAsync("WebAuthn.enable", new Dictionary<string, object> { ["enableUI"] = false });
        var added = await devTools.SendAsync("WebAuthn.addVirtualAuthenticator", new Dictionary<string, object>
        {
            ["options"] = new Dictionary<string, object>
            {
                ["protocol"] = "ctap2",
                ["transport"] = "internal",
                ["hasResidentKey"] = true,
                ["hasUserVerification"] = true,
                ["isUserVerified"] = true,
                ["automaticPresenceSimulation"] = true,
            },
        });
        return new VirtualAuthenticator(devTools, added!.Value.GetProperty("authenticatorId").GetString()!);
    }

    private sealed record VirtualAuthenticator(ICDPSession DevTools, string Id)
    {
        /// <summary>Whether Face ID says yes: when not, the browser refuses the ceremony (NotAllowedError).</summary>
        public Task VerifiesItsUserAsync(bool verifies) => DevTools.SendAsync("WebAuthn.setUserVerified",
            new Dictionary<string, object> { ["authenticatorId"] = Id, ["isUserVerified"] = verifies });
    }
}
