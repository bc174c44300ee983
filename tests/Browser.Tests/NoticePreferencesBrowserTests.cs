using System.Text.RegularExpressions;
using ClinicChat.Access;
using ClinicChat.Notices;

namespace ClinicChat.Browser.Tests;

/// <summary>Notice preferences on a 375-pixel phone: a mobile number verified with its code, then text notices and a test.</summary>
[Collection(BrowserCollection.Name)]
public sealed partial class NoticePreferencesBrowserTests(BrowserFixture fixture, ITestOutputHelper output) : BrowserTest(fixture, output)
{
    [Fact]
    public Task OnAPhoneAPatientVerifiesAMobileNumberWithTheTextedCodeAndTurnsOnTextNotices() => RunAsync(async () =>
    {
        var patient = StaffChatTests.Patient(170);
        var portal = await SignInAsync(patient.Email!, width: 375, height: 740);
        await portal.GetByRole(AriaRole.Link, new() { Name = "Communication preferences" }).ClickAsync();

        await portal.GetByRole(AriaRole.Button, new() { Name = "Add mobile number" }).ClickAsync();
        // Each step's field takes the keyboard, as the button or form before it goes.
        await Expect(portal.GetByRole(AriaRole.Textbox, new() { Name = "New mobile number" })).ToBeFocusedAsync();
        await portal.GetByRole(AriaRole.Textbox, new() { Name = "New mobile number" }).FillAsync("(201) 555-0170");
        await portal.GetByRole(AriaRole.Button, new() { Name = "Send code" }).ClickAsync();

        // Where notices (and, for email, sign-in) go moves only after the password is entered again.
        var verify = portal.GetByRole(AriaRole.Dialog, new() { Name = "Verify it's you" });
        await Expect(verify).ToContainTextAsync("Enter your password to change your mobile number.");
        await verify.GetByLabel("Password").FillAsync(Web.Seeding.DemoData.Password);
        await verify.GetByRole(AriaRole.Button, new() { Name = "Verify" }).ClickAsync();
        await Expect(verify).ToBeHiddenAsync();
        await Expect(portal.GetByText("We sent a 6-digit code to +1 201-555-0170")).ToBeVisibleAsync();
        await Expect(portal.GetByRole(AriaRole.Textbox, new() { Name = "Verification code" })).ToBeFocusedAsync();
        await portal.GetByRole(AriaRole.Textbox, new() { Name = "Verification code" }).FillAsync(await CodeTextedToAsync("***0170"));
        await portal.GetByRole(AriaRole.Button, new() { Name = "Verify" }).ClickAsync();
        await Expect(portal.GetByText("Your mobile number is verified.")).ToBeVisibleAsync();
        await Expect(portal.GetByRole(AriaRole.Button, new() { Name = "Change mobile number" })).ToBeFocusedAsync();

        var northside = portal.GetByRole(AriaRole.Region, new() { Name = "Northside Family Dental" });
        var textMe = northside.GetByRole(AriaRole.Switch, new() { Name = "Text me" });
        await Expect(northside).ToContainTextAsync("I agree to receive text messages from Northside Family Dental about new secure messages.");
        // A test while texts are off for the clinic still goes (the patient asked for it), and says that none will follow.
        await northside.GetByRole(AriaRole.Button, new() { Name = "Send me a test text" }).ClickAsync();
        await Expect(northside.GetByRole(AriaRole.Status)).ToHaveTextAsync(
            "Test text sent to ***0170. Texts about new messages from Northside Family Dental are off: turn on “Text me” to get them.");
        await textMe.ClickAsync();
        await Expect(textMe).ToBeCheckedAsync();
        // Pressed from the keyboard, the button keeps the focus while it sends and after (a disabled one dropped it to the page).
        var testText = northside.GetByRole(AriaRole.Button, new() { Name = "Send me a test text" });
        await testText.FocusAsync();
        await portal.Keyboard.PressAsync("Enter");
        await Expect(northside.GetByRole(AriaRole.Status)).ToHaveTextAsync("Test text sent to ***0170.");
        await Expect(testText).ToBeFocusedAsync();

        var overflow = await portal.EvaluateAsync<int>("() => document.documentElement.scrollWidth - document.documentElement.clientWidth");
        Assert.True(overflow <= 0, $"The page scrolls sideways by {overflow} px.");

        // The number replies STOP (what Twilio's inbound webhook hands the number's grain): the page says how to undo it,
        // by replying START to a text from us (it said "Reply START to +12015550170", the patient's own number).
        await Fixture.Grains.GetGrain<ISmsNumberGrain>("+12015550170").ReceiveAsync("STOP");
        await portal.ReloadAsync();
        await Expect(portal.GetByRole(AriaRole.Note)).ToHaveTextAsync(
            "Your number replied STOP, so no texts are sent to it. To get them again, reply START to one of our texts.");
    });

    /// <summary>With no SMS provider (Development) the code waits in the development outbox of the patient's clinic.</summary>
    private async Task<string> CodeTextedToAsync(string maskedNumber)
    {
        foreach (var clinicId in new[] { Web.Seeding.DemoData.Northside, Web.Seeding.DemoData.Lakeview })
        {
            var admin = new Actor("browser-test-admin", ActorKind.Staff, "Admin", null, [new ClinicMembership(clinicId, StaffRole.Admin)]);
            var entries = (await Fixture.Grains.GetGrain<IDevelopmentOutboxGrain>(clinicId).ListAsync(admin)).Value!;
            if (entries.FirstOrDefault(e => e.Template == NoticeTemplates.VerifyContact && e.MaskedAddress == maskedNumber) is { Text: { } text })
            {
                return CodePattern().Match(text).Groups[1].Value;
            }
        }

        throw new InvalidOperationException($"No verification code for {maskedNumber} in the development outbox.");
    }

    [GeneratedRegex(@"verification code is (\d{6})")]
    private static partial Regex CodePattern();
}
