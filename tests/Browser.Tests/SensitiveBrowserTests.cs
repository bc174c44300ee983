using System.Text.RegularExpressions;

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
        await Expect(Log(portal).GetByText("Sensitive message", new() { Exact = true })).ToBeVisibleAsync();
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
        // The keyboard is on the message it unlocked, not on the page (its "Verify it's you" button is gone).
        await Expect(Log(portal).GetByRole(AriaRole.Article).Filter(new() { HasText = "Your biopsy result is benign" })).ToBeFocusedAsync();
        await Expect(portal.GetByRole(AriaRole.Status).Filter(new() { HasTextRegex = new System.Text.RegularExpressions.Regex("Sensitive messages visible until") })).ToBeVisibleAsync();
        await Expect(staffMessage.Locator(".status")).ToHaveTextAsync("Read");

        await portal.GetByRole(AriaRole.Button, new() { Name = "Hide sensitive messages" }).ClickAsync();
        await Expect(Log(portal)).Not.ToContainTextAsync("biopsy");
    });

    [Fact]
    public Task StaffSeeOpenedLockedUntilThePatientVerifiesAndReadOnlyAfter() => RunAsync(async () =>
    {
        var (patient, _, staff) = await OpenNewThreadAsync(123);
        await staff.GetByRole(AriaRole.Button, new() { Name = "Mark sensitive" }).ClickAsync();
        await SendAsync(staff, "Your MRI shows no change");
        var staffMessage = Log(staff).GetByRole(AriaRole.Article).Filter(new() { HasText = "Your MRI shows no change" });

        var portal = await SignInAsync(patient.Email!);
        await portal.GetByRole(AriaRole.Link, new() { Name = "Northside Family Dental" }).ClickAsync();
        await Expect(Log(portal).GetByText("Sensitive message", new() { Exact = true })).ToBeVisibleAsync();

        await Expect(staffMessage.Locator(".status")).ToHaveTextAsync("Opened, locked");
        await staff.ReloadAsync();
        await Expect(staffMessage.Locator(".status")).ToHaveTextAsync("Opened, locked");
        await Expect(staffMessage.Locator(".status")).ToHaveAttributeAsync("title", new Regex("^Opened, locked by .+ at "));

        await Log(portal).GetByRole(AriaRole.Button, new() { Name = "Verify it's you" }).First.ClickAsync();
        var dialog = portal.GetByRole(AriaRole.Dialog, new() { Name = "Verify it's you" });
        await dialog.GetByLabel("Password").FillAsync(Web.Seeding.DemoData.Password);
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Verify" }).ClickAsync();
        await Expect(Log(portal)).ToContainTextAsync("Your MRI shows no change");

        await Expect(staffMessage.Locator(".status")).ToHaveTextAsync("Read");
        await staff.ReloadAsync();
        await Expect(staffMessage.Locator(".status")).ToHaveAttributeAsync("title", new Regex("^Read by .+ at "));
    });

    [Fact]
    public Task TheStaffSidebarPreviewOfASensitiveMessageIsThePlaceholderLiveAndAfterAReload() => RunAsync(async () =>
    {
        var (patient, _, staff) = await OpenNewThreadAsync(124);
        await staff.GetByRole(AriaRole.Button, new() { Name = "Mark sensitive" }).ClickAsync();
        await SendAsync(staff, "HbA1c came back at 9.1");
        var sidebar = staff.GetByRole(AriaRole.Complementary, new() { Name = "Conversations" });

        await Expect(ThreadItem(staff, patient.Name).Locator(".thread-preview")).ToHaveTextAsync("Sensitive message");
        await staff.ReloadAsync();
        await Expect(ThreadItem(staff, patient.Name).Locator(".thread-preview")).ToHaveTextAsync("Sensitive message");
        await Expect(sidebar).Not.ToContainTextAsync("HbA1c");
    });

    [Fact]
    public Task APatientsOwnSensitiveMessageStaysLockedForThemAfterSendingAsAfterAReloadAndTheLockSaysSo() => RunAsync(async () =>
    {
        var (patient, _, staff) = await OpenNewThreadAsync(125);
        await SendAsync(staff, "How are you feeling after the procedure?");
        var staffLock = staff.GetByRole(AriaRole.Button, new() { Name = "Mark sensitive" });
        await staffLock.ClickAsync();
        await Expect(staffLock).ToHaveAttributeAsync("title", "The next message will be sensitive: the patient must re-enter their password to read it");
        await staffLock.ClickAsync();

        var portal = await SignInAsync(patient.Email!);
        await portal.GetByRole(AriaRole.Link, new() { Name = "Northside Family Dental" }).ClickAsync();
        await Expect(Log(portal)).ToContainTextAsync("How are you feeling after the procedure?");
        var patientLock = portal.GetByRole(AriaRole.Button, new() { Name = "Mark sensitive" });
        await patientLock.ClickAsync();
        await Expect(patientLock).ToHaveAttributeAsync("title", "The next message will be sensitive: it stays hidden, on your devices too, until you re-enter your password");
        await Composer(portal).FillAsync("The rash has spread to my back");
        await Composer(portal).PressAsync("Enter");

        await Expect(Log(staff)).ToContainTextAsync("The rash has spread to my back");
        await Expect(Log(portal).GetByText("Sensitive message", new() { Exact = true })).ToBeVisibleAsync();
        await Expect(Log(portal)).Not.ToContainTextAsync("rash");
        await portal.ReloadAsync();
        await Expect(Log(portal).GetByText("Sensitive message", new() { Exact = true })).ToBeVisibleAsync();
        await Expect(Log(portal)).Not.ToContainTextAsync("rash");
    });

    [Fact]
    public Task VerifyingAfterTooManyWrongPasswordsSaysTheAccountIsLockedAndUntilWhen() => RunAsync(async () =>
    {
        var (patient, _, staff) = await OpenNewThreadAsync(126);
        // Wrong passwords are answered 401 and the lockout 403: the browser logs both as failed requests.
        AllowConsoleError("status of 401");
        AllowConsoleError("status of 403");
        await staff.GetByRole(AriaRole.Button, new() { Name = "Mark sensitive" }).ClickAsync();
        await SendAsync(staff, "Your test results are ready");

        var portal = await SignInAsync(patient.Email!);
        await portal.GetByRole(AriaRole.Link, new() { Name = "Northside Family Dental" }).ClickAsync();
        await Log(portal).GetByRole(AriaRole.Button, new() { Name = "Verify it's you" }).First.ClickAsync();
        var dialog = portal.GetByRole(AriaRole.Dialog, new() { Name = "Verify it's you" });
        var password = dialog.GetByLabel("Password");
        for (var attempt = 0; attempt < 4; attempt++)
        {
            await password.FillAsync("not my password");
            await dialog.GetByRole(AriaRole.Button, new() { Name = "Verify" }).ClickAsync();
            // A refused password empties the field: the answer has come.
            await Expect(password).ToHaveValueAsync("");
            await Expect(dialog.GetByRole(AriaRole.Alert)).ToHaveTextAsync("That password is not right.");
        }

        await password.FillAsync("not my password");
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Verify" }).ClickAsync();
        var locked = new Regex(@"^Too many wrong passwords: your account is locked for now\. Try again after \d{1,2}:\d{2}");
        await Expect(dialog.GetByRole(AriaRole.Alert)).ToHaveTextAsync(locked);
        await password.FillAsync(Web.Seeding.DemoData.Password);
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Verify" }).ClickAsync();
        await Expect(password).ToHaveValueAsync("");
        await Expect(dialog.GetByRole(AriaRole.Alert)).ToHaveTextAsync(locked);
        await Expect(Log(portal)).Not.ToContainTextAsync("test results");
    });
}
