namespace ClinicChat.Browser.Tests;

/// <summary>Staff chat used from the keyboard alone: where focus goes, and how many Tab stops things take.</summary>
[Collection(BrowserCollection.Name)]
public sealed class KeyboardBrowserTests(BrowserFixture fixture, ITestOutputHelper output) : BrowserTest(fixture, output)
{
    /// <summary>The sign-in form goes with the button pressed: the focus lands on the new page's heading, not the body.</summary>
    [Fact]
    public Task AfterSigningInTheFocusIsOnThePagesHeadingAndTabGoesOnToItsFirstControl() => RunAsync(async () =>
    {
        var staff = await SignInAsync(Web.Seeding.DemoData.Alice);
        await Expect(staff.GetByRole(AriaRole.Heading, new() { Name = "Chat", Level = 1 })).ToBeFocusedAsync();
        await staff.Keyboard.PressAsync("Tab");
        await Expect(staff.GetByRole(AriaRole.Searchbox, new() { Name = "Search conversations" })).ToBeFocusedAsync();

        var admin = await SignInAsync(Web.Seeding.DemoData.Olga);
        await Expect(admin.GetByRole(AriaRole.Heading, new() { Name = "Audit log", Level = 1 })).ToBeFocusedAsync();

        // A patient signing in from the keyboard alone (Enter in the password field).
        var patient = await OpenAsync();
        await patient.GotoAsync("/");
        await patient.GetByRole(AriaRole.Textbox, new() { Name = "Email" }).FillAsync(Web.Seeding.DemoData.Pat);
        await patient.GetByRole(AriaRole.Textbox, new() { Name = "Password" }).FillAsync(Web.Seeding.DemoData.Password);
        await patient.Keyboard.PressAsync("Enter");
        await Expect(patient.GetByRole(AriaRole.Heading, new() { Name = "Inbox", Level = 1 })).ToBeFocusedAsync();
    });

    /// <summary>
    /// A row's menu is one Tab stop: Tab closes it and goes on from its "…" button, Shift+Tab back to the row (before, Tab
    /// walked through Pin and Mute and on to the page's body, leaving the menu open).
    /// </summary>
    [Fact]
    public Task TabClosesARowsMenuAndGoesOnFromItsButton() => RunAsync(async () =>
    {
        var (patient, _, staff) = await OpenFreshThreadAsync();
        await SendAsync(staff, "Your retainer is ready.");
        var more = ThreadItem(staff, patient.Name).GetByRole(AriaRole.Button, new() { Name = $"More actions for {patient.Name}" });
        var menu = staff.GetByRole(AriaRole.Menu);

        // Where Tab goes from the "…" button itself (the next row, or the thread when this row is the last).
        await more.FocusAsync();
        await staff.Keyboard.PressAsync("Tab");
        await staff.EvaluateAsync("() => document.activeElement.setAttribute('data-after-more', '')");

        await more.FocusAsync();
        await staff.Keyboard.PressAsync("Enter");
        await Expect(staff.GetByRole(AriaRole.Menuitem, new() { Name = "Pin" })).ToBeFocusedAsync();
        await staff.Keyboard.PressAsync("Tab");
        await Expect(menu).ToHaveCountAsync(0);
        await staff.WaitForFunctionAsync("() => document.activeElement.hasAttribute('data-after-more')");

        await more.FocusAsync();
        await staff.Keyboard.PressAsync("Enter");
        await Expect(staff.GetByRole(AriaRole.Menuitem, new() { Name = "Pin" })).ToBeFocusedAsync();
        await staff.Keyboard.PressAsync("Shift+Tab");
        await Expect(menu).ToHaveCountAsync(0);
        await Expect(ThreadItem(staff, patient.Name).GetByRole(AriaRole.Link, new() { Name = patient.Name, Exact = true })).ToBeFocusedAsync();
    });

    /// <summary>
    /// A row's menu keeps the keyboard on the item it was moved to when a push redraws the list: Frank arrows to Mute, the
    /// patient writes, and Enter mutes (before, the push put the focus back on Pin, and Enter pinned the thread).
    /// </summary>
    [Fact]
    public Task APushWhileARowsMenuIsOpenLeavesTheKeyboardOnTheChosenItem() => RunAsync(async () =>
    {
        var (patient, thread, staff) = await OpenFreshThreadAsync();
        await SendAsync(staff, "How is the tooth today?");
        var row = ThreadItem(staff, patient.Name);
        await row.GetByRole(AriaRole.Button, new() { Name = $"More actions for {patient.Name}" }).FocusAsync();
        await staff.Keyboard.PressAsync("Enter");
        await Expect(staff.GetByRole(AriaRole.Menuitem, new() { Name = "Pin" })).ToBeFocusedAsync();
        var mute = staff.GetByRole(AriaRole.Menuitem, new() { Name = "Mute" });
        await staff.Keyboard.PressAsync("ArrowDown");
        await Expect(mute).ToBeFocusedAsync();

        using var portal = await Fixture.ApiAsync(patient.Email);
        (await portal.PostAsJsonAsync($"/api/v1/conversations/{thread}/messages",
            new { clientMessageId = Guid.NewGuid().ToString("N"), text = "Much better, thanks" })).EnsureSuccessStatusCode();
        await Expect(row).ToContainTextAsync("Much better, thanks");
        await Expect(mute).ToBeFocusedAsync();

        await staff.Keyboard.PressAsync("Enter");
        await Expect(row.GetByRole(AriaRole.Img, new() { Name = "Muted" })).ToBeVisibleAsync();
        await Expect(row.GetByRole(AriaRole.Img, new() { Name = "Pinned" })).ToHaveCountAsync(0);
    });

    /// <summary>
    /// Escape in an internal note first closes the mention list, then goes back to the message with the keyboard on
    /// "Internal note", and Enter there finds the note as it was (before, Escape did nothing outside the mention list).
    /// </summary>
    [Fact]
    public Task EscapeLeavesAnInternalNoteForTheMessageAndTheNoteWaitsOnItsToggle() => RunAsync(async () =>
    {
        var (_, _, staff) = await OpenFreshThreadAsync();
        await staff.GetByRole(AriaRole.Button, new() { Name = "Internal note" }).ClickAsync();
        var noteBox = staff.GetByRole(AriaRole.Combobox, new() { Name = "Internal note" });
        await noteBox.PressSequentiallyAsync("Check with @fr");
        var mentions = staff.GetByRole(AriaRole.Listbox, new() { Name = "Mention a colleague" });
        await Expect(mentions).ToBeVisibleAsync();

        await staff.Keyboard.PressAsync("Escape");
        await Expect(mentions).ToBeHiddenAsync();
        await Expect(noteBox).ToBeFocusedAsync();

        await staff.Keyboard.PressAsync("Escape");
        await Expect(Composer(staff)).ToBeVisibleAsync();
        var toggle = staff.GetByRole(AriaRole.Button, new() { Name = "Internal note" });
        await Expect(toggle).ToBeFocusedAsync();

        await staff.Keyboard.PressAsync("Enter");
        await Expect(noteBox).ToBeFocusedAsync();
        await Expect(noteBox).ToHaveValueAsync("Check with @fr");
    });

    /// <summary>
    /// On a phone the thread replaces the list: opening it from the keyboard puts the focus on its heading, and Back on the
    /// thread's row again (found on a walk: both times the link or button pressed went away and the focus fell to the page).
    /// </summary>
    [Fact]
    public Task OnAPhoneOpeningAThreadAndGoingBackKeepTheKeyboardOnThePage() => RunAsync(async () =>
    {
        var (patient, _, staff) = await OpenFreshThreadAsync();
        await SendAsync(staff, "Your crown is ready.");
        var phone = await SignInAsync(patient.Email, width: 390, height: 844);
        var row = phone.GetByRole(AriaRole.Link, new() { Name = "Northside Family Dental" });

        await row.FocusAsync();
        await phone.Keyboard.PressAsync("Enter");
        await Expect(phone.GetByRole(AriaRole.Heading, new() { Name = "Northside Family Dental", Level = 2 })).ToBeFocusedAsync();

        await phone.GetByRole(AriaRole.Button, new() { Name = "Back to conversations" }).ClickAsync();
        await Expect(row).ToBeFocusedAsync();
    });

    [Fact]
    public Task EscapeFromTheThreadMenuReturnsFocusToItsButton() => RunAsync(async () =>
    {
        var (patient, _, staff) = await OpenNewThreadAsync(147);
        var more = staff.GetByRole(AriaRole.Button, new() { Name = $"More actions for {patient.Name}" });

        await more.FocusAsync();
        await staff.Keyboard.PressAsync("Enter");
        await Expect(staff.GetByRole(AriaRole.Menuitem, new() { Name = "Pin" })).ToBeFocusedAsync();
        await staff.Keyboard.PressAsync("Escape");

        await Expect(staff.GetByRole(AriaRole.Menu)).ToHaveCountAsync(0);
        await Expect(more).ToBeFocusedAsync();
    });

    [Fact]
    public Task StartingAConversationOrOpeningOneFromTheSidebarPutsTheCaretInTheMessageBox() => RunAsync(async () =>
    {
        var (other, _, staff) = await OpenNewThreadAsync(148);
        var patient = StaffChatTests.Patient(149);

        await staff.GetByRole(AriaRole.Button, new() { Name = "New conversation" }).ClickAsync();
        var search = staff.GetByRole(AriaRole.Searchbox, new() { Name = "Search patients" });
        await search.FillAsync(patient.Name);
        await Expect(staff.GetByRole(AriaRole.Option, new() { Name = patient.Name })).ToBeVisibleAsync();
        await search.PressAsync("Enter");
        await Expect(staff.GetByRole(AriaRole.Heading, new() { Name = patient.Name })).ToBeVisibleAsync();
        await Expect(Composer(staff)).ToBeFocusedAsync();

        await staff.GetByRole(AriaRole.Link, new() { Name = other.Name, Exact = true }).FocusAsync();
        await staff.Keyboard.PressAsync("Enter");
        await Expect(staff.GetByRole(AriaRole.Heading, new() { Name = other.Name })).ToBeVisibleAsync();
        await Expect(Composer(staff)).ToBeFocusedAsync();
    });

    /// <summary>
    /// "Verify it's you" refused (no password, then a wrong one) empties the field: the keyboard goes back to it, marked
    /// wrong and described by the one alert (found on a walk: it stayed on Verify, away from the field to type in again).
    /// </summary>
    [Fact]
    public Task ARefusedPasswordInVerifyItsYouPutsTheKeyboardBackInTheFieldMarkedWrong() => RunAsync(async () =>
    {
        // The wrong password is answered 401, which the browser logs as a failed request.
        AllowConsoleError("status of 401");
        var (portal, dialog) = await VerifyingForSensitiveMessageAsync("Your scan shows no change");
        var password = dialog.GetByLabel("Password");
        var verify = dialog.GetByRole(AriaRole.Button, new() { Name = "Verify" });

        await verify.FocusAsync();
        await portal.Keyboard.PressAsync("Enter");
        await Expect(dialog.GetByRole(AriaRole.Alert)).ToHaveTextAsync("Enter your password.");
        await Expect(password).ToBeFocusedAsync();

        await password.FillAsync("not my password");
        await verify.FocusAsync();
        await portal.Keyboard.PressAsync("Enter");
        await Expect(password).ToHaveValueAsync("");
        await Expect(dialog.GetByRole(AriaRole.Alert)).ToHaveTextAsync("That password is not right.");
        await Expect(password).ToBeFocusedAsync();
        await Expect(password).ToHaveAttributeAsync("aria-invalid", "true");
        await Expect(password).ToHaveAccessibleDescriptionAsync("That password is not right.");

        // From there the patient just types the right one.
        await portal.Keyboard.TypeAsync(Web.Seeding.DemoData.Password);
        await portal.Keyboard.PressAsync("Enter");
        await Expect(Log(portal)).ToContainTextAsync("Your scan shows no change");
    });

    /// <summary>"Hide sensitive messages" goes with the window it ends: the keyboard lands on the thread's heading, not the page.</summary>
    [Fact]
    public Task HidingSensitiveMessagesFromTheKeyboardLeavesTheFocusOnTheThreadsHeading() => RunAsync(async () =>
    {
        var (portal, dialog) = await VerifyingForSensitiveMessageAsync("Your blood test is normal");
        await dialog.GetByLabel("Password").FillAsync(Web.Seeding.DemoData.Password);
        await dialog.GetByLabel("Password").PressAsync("Enter");
        await Expect(Log(portal)).ToContainTextAsync("Your blood test is normal");

        await portal.GetByRole(AriaRole.Button, new() { Name = "Hide sensitive messages" }).FocusAsync();
        await portal.Keyboard.PressAsync("Enter");
        await Expect(Log(portal)).Not.ToContainTextAsync("blood test");
        await Expect(portal.GetByRole(AriaRole.Heading, new() { Name = "Northside Family Dental", Level = 2 })).ToBeFocusedAsync();
    });

    /// <summary>A staff member's sensitive message in a fresh thread; its patient has opened it and pressed "Verify it's you".</summary>
    private async Task<(IPage Portal, ILocator Dialog)> VerifyingForSensitiveMessageAsync(string text)
    {
        var (patient, _, staff) = await OpenFreshThreadAsync();
        await staff.GetByRole(AriaRole.Button, new() { Name = "Mark sensitive" }).ClickAsync();
        await SendAsync(staff, text);
        var portal = await SignInAsync(patient.Email);
        await portal.GetByRole(AriaRole.Link, new() { Name = "Northside Family Dental" }).ClickAsync();
        await Log(portal).GetByRole(AriaRole.Button, new() { Name = "Verify it's you" }).ClickAsync();
        return (portal, portal.GetByRole(AriaRole.Dialog, new() { Name = "Verify it's you" }));
    }

    /// <summary>
    /// Choosing a patient who cannot be chatted with left the focus on the dialog itself (the option clicked is not a
    /// control): it goes to the first thing the invite panel offers, or, for a patient who turned chat off, to the
    /// explanation, so that a screen reader reads why.
    /// </summary>
    [Fact]
    public Task ChoosingAPatientWhoCannotChatPutsTheKeyboardOnWhatCanBeDoneOrOnWhy() => RunAsync(async () =>
    {
        var staff = await SignInAsync(Web.Seeding.DemoData.Alice);
        await staff.GetByRole(AriaRole.Button, new() { Name = "New conversation" }).ClickAsync();
        var dialog = staff.GetByRole(AriaRole.Dialog, new() { Name = "New conversation" });
        var search = dialog.GetByRole(AriaRole.Searchbox, new() { Name = "Search patients" });

        await search.FillAsync("Nora");
        var nora = dialog.GetByRole(AriaRole.Option, new() { Name = "Nora Noportal" });
        await nora.ClickAsync();
        await Expect(dialog.GetByText("chat needs one")).ToBeVisibleAsync();
        var firstOffer = dialog.GetByRole(AriaRole.Status).GetByRole(AriaRole.Button).First;
        await Expect(firstOffer).ToBeFocusedAsync();
        // Chosen again, the same patient's panel stays, and so must the keyboard's place in it.
        await nora.ClickAsync();
        await Expect(firstOffer).ToBeFocusedAsync();

        // The opted-out option is aria-disabled, so not clickable: chosen with Enter, from the search.
        await search.FillAsync("Oscar");
        await Expect(dialog.GetByRole(AriaRole.Option, new() { Name = "Oscar Optout" })).ToBeVisibleAsync();
        await search.PressAsync("Enter");
        await Expect(dialog.GetByText("has turned chat off")).ToBeFocusedAsync();
    });

    /// <summary>
    /// Inviting a patient replaces the invite buttons with the pending invitation's actions, and cancelling it brings them
    /// back: the button pressed goes each time, and the panel's first action takes the keyboard instead of the page.
    /// </summary>
    [Fact]
    public Task InvitingAPatientAndCancellingTheInvitationKeepTheKeyboardInTheInvitePanel() => RunAsync(async () =>
    {
        var family = "Vale" + Guid.NewGuid().ToString("N")[..6];
        using (var frank = await Fixture.ApiAsync(Web.Seeding.DemoData.Frank))
        {
            var added = await frank.PostAsJsonAsync($"/api/v1/clinics/{Web.Seeding.DemoData.Northside}/patients",
                new { givenName = "Ivo", familyName = family, birthDate = "1988-04-05", email = $"ivo.{family}@tests.example" });
            Assert.Equal(HttpStatusCode.Created, added.StatusCode);
        }

        var staff = await SignInAsync(Web.Seeding.DemoData.Frank);
        await staff.GetByRole(AriaRole.Button, new() { Name = "New conversation" }).ClickAsync();
        var search = staff.GetByRole(AriaRole.Searchbox, new() { Name = "Search patients" });
        await search.FillAsync($"Ivo {family}");
        await Expect(staff.GetByRole(AriaRole.Option, new() { Name = $"Ivo {family}" })).ToBeVisibleAsync();
        await search.PressAsync("Enter");
        var invite = staff.GetByRole(AriaRole.Button, new() { Name = "Invite by email" });

        await invite.FocusAsync();
        await staff.Keyboard.PressAsync("Enter");
        await Expect(staff.GetByRole(AriaRole.Status)).ToContainTextAsync("The link expires");
        await Expect(staff.GetByRole(AriaRole.Button, new() { Name = "Start conversation" })).ToBeFocusedAsync();

        await staff.GetByRole(AriaRole.Button, new() { Name = "Cancel invitation" }).FocusAsync();
        await staff.Keyboard.PressAsync("Enter");
        await Expect(staff.GetByRole(AriaRole.Status)).ToContainTextAsync("was cancelled");
        await Expect(invite).ToBeFocusedAsync();
    });

    [Fact]
    public Task TheSidebarsListsAreOneTabStopThatArrowKeysMoveAlong() => RunAsync(async () =>
    {
        var staff = await SignInAsync(Web.Seeding.DemoData.Alice);
        var inbox = staff.GetByRole(AriaRole.Tab, new() { Name = "Inbox" });
        var mine = staff.GetByRole(AriaRole.Tab, new() { Name = "Mine" });
        var unassigned = staff.GetByRole(AriaRole.Tab, new() { Name = "Unassigned" });
        var archived = staff.GetByRole(AriaRole.Tab, new() { Name = "Archived" });

        await staff.GetByRole(AriaRole.Button, new() { Name = "New conversation" }).FocusAsync();
        await staff.Keyboard.PressAsync("Tab");
        await Expect(inbox).ToBeFocusedAsync();
        await staff.Keyboard.PressAsync("ArrowRight");
        await Expect(mine).ToBeFocusedAsync();
        await Expect(mine).ToHaveAttributeAsync("aria-selected", "true");
        await staff.Keyboard.PressAsync("ArrowRight");
        await Expect(unassigned).ToBeFocusedAsync();
        await Expect(unassigned).ToHaveAttributeAsync("aria-selected", "true");
        await staff.Keyboard.PressAsync("End");
        await Expect(archived).ToBeFocusedAsync();
        await staff.Keyboard.PressAsync("ArrowRight");
        await Expect(inbox).ToBeFocusedAsync();
        await staff.Keyboard.PressAsync("ArrowLeft");
        await Expect(archived).ToBeFocusedAsync();
        await staff.Keyboard.PressAsync("Home");
        await Expect(inbox).ToBeFocusedAsync();
        await Expect(inbox).ToHaveAttributeAsync("aria-selected", "true");
        await staff.Keyboard.PressAsync("End");
        await Expect(archived).ToBeFocusedAsync();
        await staff.Keyboard.PressAsync("Shift+Tab");

        await Expect(staff.GetByRole(AriaRole.Button, new() { Name = "New conversation" })).ToBeFocusedAsync();
    });
}
