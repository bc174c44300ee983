using System.Text.RegularExpressions;

namespace ClinicChat.Browser.Tests;

[Collection(BrowserCollection.Name)]
public sealed partial class StaffChatTests(BrowserFixture fixture, ITestOutputHelper output) : BrowserTest(fixture, output)
{
    /// <summary>The index-th generated Northside patient with a portal account who is opted in.</summary>
    public static GeneratedPatient Patient(int index) => DemoData.Generated().Where(p => p.Email is not null && p.OptedIn).ElementAt(index);

    [Fact]
    public Task StaffAndPatientExchangeMessagesLiveBothWays() => RunAsync(async () =>
    {
        var patient = Patient(0);
        var staff = await SignInAsync(DemoData.Alice);
        await StartConversationAsync(staff, patient.Name);
        var portal = await SignInAsync(patient.Email!);

        // The thread reaches the portal with its first message, live.
        await SendAsync(staff, "Your filling is booked for Monday 9:00.");
        await portal.GetByRole(AriaRole.Link, new() { Name = "Northside Family Dental" }).ClickAsync();
        await Expect(Log(portal)).ToContainTextAsync("Your filling is booked for Monday 9:00.");
        await SendAsync(portal, "Thanks, see you then!");
        await Expect(Log(staff)).ToContainTextAsync("Thanks, see you then!");
    });

    [Fact]
    public Task EnterSendsAndShiftEnterStartsANewLine() => RunAsync(async () =>
    {
        var staff = await SignInAsync(DemoData.Frank);
        await StartConversationAsync(staff, Patient(1).Name);

        await Composer(staff).FillAsync("Line one");
        await Composer(staff).PressAsync("Shift+Enter");
        await Composer(staff).PressSequentiallyAsync("Line two");
        await Expect(Composer(staff)).ToHaveValueAsync("Line one\nLine two");
        await Composer(staff).PressAsync("Enter");

        var message = Log(staff).GetByRole(AriaRole.Article).Last;
        await Expect(message).ToContainTextAsync("Line one");
        // Waits (innerText is "" for a moment: a run of messages just added is laid out at the next frame, content-visibility).
        await Expect(message.Locator(".text")).ToHaveJSPropertyAsync("innerText", "Line one\nLine two");
        await Expect(Composer(staff)).ToHaveValueAsync(string.Empty);
    });

    [Fact]
    public Task ANewConversationStartsFromAKeyboardPatientSearch() => RunAsync(async () =>
    {
        var patient = Patient(2);
        var staff = await SignInAsync(DemoData.Alice);

        await staff.GetByRole(AriaRole.Button, new() { Name = "New conversation" }).ClickAsync();
        var search = staff.GetByRole(AriaRole.Searchbox, new() { Name = "Search patients" });
        await search.FillAsync(patient.Name);
        await Expect(staff.GetByRole(AriaRole.Option, new() { Name = patient.Name }).First).ToBeVisibleAsync();
        await search.PressAsync("Enter");

        await Expect(staff.GetByRole(AriaRole.Heading, new() { Name = patient.Name })).ToBeVisibleAsync();
        await Expect(staff.GetByRole(AriaRole.Link, new() { Name = patient.Name })).ToBeVisibleAsync();
        await SendAsync(staff, "Hello from the new thread");
    });

    [Fact]
    public Task APatientWithoutAPortalAccountIsOfferedSmsAndCannotBeStarted() => RunAsync(async () =>
    {
        var staff = await SignInAsync(DemoData.Alice);

        await staff.GetByRole(AriaRole.Button, new() { Name = "New conversation" }).ClickAsync();
        await staff.GetByRole(AriaRole.Searchbox, new() { Name = "Search patients" }).FillAsync("Nora");
        var nora = staff.GetByRole(AriaRole.Option, new() { Name = "Nora Noportal" });
        await Expect(nora).ToContainTextAsync("No portal account");
        // Choosing the patient offers SMS (a button inside the option would nest controls, which screen readers cannot reach).
        await nora.ClickAsync();

        // Her number as people read it back (stored as +13125550103).
        await Expect(staff.GetByRole(AriaRole.Status)).ToContainTextAsync("Mobile on file: +1 312-555-0103.");
        await Expect(staff.GetByRole(AriaRole.Status)).ToContainTextAsync("chat needs one");
        await nora.ClickAsync();
        await Expect(staff.GetByRole(AriaRole.Heading, new() { Name = "Nora Noportal" })).ToHaveCountAsync(0);
    });

    [Fact]
    public Task AnOptedOutPatientCannotBeStartedAndTheirThreadBlocksTheComposer() => RunAsync(async () =>
    {
        var patient = Patient(3);
        using var alice = await Fixture.ApiAsync(DemoData.Alice);
        var thread = await Fixture.StartThreadAsync(alice, patient.Id);
        using var patientApi = await Fixture.ApiAsync(patient.Email!);
        (await patientApi.PutAsJsonAsync("/api/v1/me/preferences", new { chatOptIn = false })).EnsureSuccessStatusCode();
        var staff = await SignInAsync(DemoData.Alice);

        await staff.GetByRole(AriaRole.Button, new() { Name = "New conversation" }).ClickAsync();
        await staff.GetByRole(AriaRole.Searchbox, new() { Name = "Search patients" }).FillAsync("Oscar");
        await Expect(staff.GetByRole(AriaRole.Option, new() { Name = "Oscar Optout" })).ToContainTextAsync("Opted out of chat");
        await staff.GetByRole(AriaRole.Button, new() { Name = "Close" }).ClickAsync();
        await staff.GotoAsync($"/#/chat/{thread}");

        await Expect(Composer(staff)).ToBeDisabledAsync();
        await Expect(staff.GetByRole(AriaRole.Button, new() { Name = "Send" })).ToBeDisabledAsync();
        await Expect(staff.GetByText($"{patient.Name} has opted out of chat")).ToBeVisibleAsync();
    });

    [Fact]
    public Task ChoosingAnOptedOutPatientSaysWhyAndANewSearchClearsTheNoteAboutTheLastPatient() => RunAsync(async () =>
    {
        var staff = await SignInAsync(DemoData.Alice);
        await staff.GetByRole(AriaRole.Button, new() { Name = "New conversation" }).ClickAsync();
        var search = staff.GetByRole(AriaRole.Searchbox, new() { Name = "Search patients" });

        await search.FillAsync("Nora");
        await staff.GetByRole(AriaRole.Option, new() { Name = "Nora Noportal" }).ClickAsync();
        await Expect(staff.GetByText("chat needs one")).ToBeVisibleAsync();

        await search.FillAsync("Oscar");
        await Expect(staff.GetByRole(AriaRole.Option, new() { Name = "Oscar Optout" })).ToBeVisibleAsync();
        await Expect(staff.GetByText("chat needs one")).ToHaveCountAsync(0);
        await search.PressAsync("Enter");

        await Expect(staff.GetByText("Oscar Optout has turned chat off")).ToContainTextAsync("phone");
    });

    [Fact]
    public Task SearchResultsSayWhenMoreMatchAndWhichPatientsAlreadyHaveAThread() => RunAsync(async () =>
    {
        var patient = Patient(146);
        using var alice = await Fixture.ApiAsync(DemoData.Alice);
        var thread = await Fixture.StartThreadAsync(alice, patient.Id);
        var staff = await SignInAsync(DemoData.Alice);
        await staff.GetByRole(AriaRole.Button, new() { Name = "New conversation" }).ClickAsync();
        var search = staff.GetByRole(AriaRole.Searchbox, new() { Name = "Search patients" });

        await search.FillAsync("a");
        await Expect(staff.GetByRole(AriaRole.Option)).ToHaveCountAsync(20);
        await Expect(staff.GetByText("Showing the first 20 patients who match — type more of the name to find others.")).ToBeVisibleAsync();

        await search.FillAsync(patient.Name);
        var option = staff.GetByRole(AriaRole.Option, new() { Name = patient.Name });
        await Expect(option).ToContainTextAsync($"mobile ending {patient.Mobile[^4..]}");
        await Expect(option).ToContainTextAsync("Has a conversation — open it");
        await Expect(staff.GetByText("Showing the first 20")).ToHaveCountAsync(0);
        await option.ClickAsync();

        await Expect(staff).ToHaveURLAsync(new Regex($"#/chat/{thread}$"));
    });

    [Fact]
    public Task PinningMovesAThreadToTheTopAndSurvivesAReload() => RunAsync(async () =>
    {
        var older = Patient(4);
        var newer = Patient(5);
        using var frank = await Fixture.ApiAsync(DemoData.Frank);
        var olderThread = await Fixture.StartThreadAsync(frank, older.Id);
        await BrowserFixture.SendAsync(frank, olderThread, "older");
        var newerThread = await Fixture.StartThreadAsync(frank, newer.Id);
        await BrowserFixture.SendAsync(frank, newerThread, "newer");
        var staff = await SignInAsync(DemoData.Frank);
        var threadLinks = staff.GetByRole(AriaRole.Complementary, new() { Name = "Conversations" }).GetByRole(AriaRole.Link);
        await Expect(threadLinks.First).ToHaveAccessibleNameAsync(newer.Name);

        await staff.GetByRole(AriaRole.Link, new() { Name = older.Name }).ClickAsync(new() { Button = MouseButton.Right });
        await staff.GetByRole(AriaRole.Menuitem, new() { Name = "Pin" }).ClickAsync();
        await Expect(threadLinks.First).ToHaveAccessibleNameAsync(older.Name);
        await staff.ReloadAsync();

        await Expect(threadLinks.First).ToHaveAccessibleNameAsync(older.Name);
        await staff.GetByRole(AriaRole.Button, new() { Name = $"More actions for {older.Name}" }).ClickAsync();
        await Expect(staff.GetByRole(AriaRole.Menuitem, new() { Name = "Unpin" })).ToBeVisibleAsync();
        await staff.GetByRole(AriaRole.Menuitem, new() { Name = "Unpin" }).ClickAsync();
        await Expect(threadLinks.First).ToHaveAccessibleNameAsync(newer.Name);
    });

    [Fact]
    public Task AMutedThreadRaisesNoNotification() => RunAsync(async () =>
    {
        var muted = Patient(6);
        var loud = Patient(7);
        using var alice = await Fixture.ApiAsync(DemoData.Alice);
        var mutedThread = await Fixture.StartThreadAsync(alice, muted.Id);
        var loudThread = await Fixture.StartThreadAsync(alice, loud.Id);
        var staff = await SignInAsync(DemoData.Alice, initScript: HiddenTabWithRecordedNotifications);
        await staff.GetByRole(AriaRole.Link, new() { Name = muted.Name }).ClickAsync(new() { Button = MouseButton.Right });
        await staff.GetByRole(AriaRole.Menuitem, new() { Name = "Mute" }).ClickAsync();
        await Expect(ThreadItem(staff, muted.Name).GetByRole(AriaRole.Img, new() { Name = "Muted" })).ToBeVisibleAsync();
        await staff.GotoAsync("/#/chat");

        using var mutedPatient = await Fixture.ApiAsync(muted.Email!);
        await BrowserFixture.SendAsync(mutedPatient, mutedThread, "From the muted thread");
        await Expect(ThreadItem(staff, muted.Name)).ToContainTextAsync("From the muted thread");
        using var loudPatient = await Fixture.ApiAsync(loud.Email!);
        await BrowserFixture.SendAsync(loudPatient, loudThread, "From the loud thread");
        await Expect(ThreadItem(staff, loud.Name)).ToContainTextAsync("From the loud thread");

        var notifications = await staff.EvaluateAsync<string[]>("() => window.__notifications");
        var notification = Assert.Single(notifications);
        Assert.Contains(loud.Name, notification, StringComparison.Ordinal);
        Assert.DoesNotContain("From the loud thread", notification, StringComparison.Ordinal);
        await Expect(staff).ToHaveTitleAsync(new Regex(@"^\(\d+\) ClinicChat$"));
    });

    [Fact]
    public Task AnArchivedThreadAppearsUnderArchivedAndANewMessageReopensIt() => RunAsync(async () =>
    {
        var patient = Patient(8);
        using var alice = await Fixture.ApiAsync(DemoData.Alice);
        var thread = await Fixture.StartThreadAsync(alice, patient.Id);
        await BrowserFixture.SendAsync(alice, thread, "Last message before a quiet year");
        Fixture.Clock.Offset += TimeSpan.FromDays(400);
        await Fixture.TickArchivalAsync(thread);
        var staff = await SignInAsync(DemoData.Alice);
        var sidebar = staff.GetByRole(AriaRole.Complementary, new() { Name = "Conversations" });

        await Expect(sidebar.GetByRole(AriaRole.Link, new() { Name = patient.Name })).ToHaveCountAsync(0);
        await staff.GetByRole(AriaRole.Tab, new() { Name = "Archived" }).ClickAsync();
        await Expect(sidebar.GetByRole(AriaRole.Link, new() { Name = patient.Name })).ToBeVisibleAsync();
        await sidebar.GetByRole(AriaRole.Searchbox, new() { Name = "Search conversations" }).FillAsync(patient.Name.Split(' ')[1]);
        await Expect(sidebar.GetByRole(AriaRole.Link, new() { Name = patient.Name })).ToBeVisibleAsync();
        await sidebar.GetByRole(AriaRole.Link, new() { Name = patient.Name }).ClickAsync();
        await SendAsync(staff, "Checking in after a year");
        await staff.GetByRole(AriaRole.Tab, new() { Name = "Inbox" }).ClickAsync();

        await Expect(sidebar.GetByRole(AriaRole.Link, new() { Name = patient.Name })).ToBeVisibleAsync();
    });

    /// <summary>
    /// Archived holds only threads quiet for a year: searching it for a patient whose thread is in Inbox says the thread
    /// may be in another list, not that there is no conversation with them (found on a walk).
    /// </summary>
    [Fact]
    public Task SearchingArchivedForAPatientWhoseThreadIsOpenPointsToTheOtherLists() => RunAsync(async () =>
    {
        var (patient, _, staff) = await OpenFreshThreadAsync();
        var sidebar = staff.GetByRole(AriaRole.Complementary, new() { Name = "Conversations" });
        await Expect(sidebar.GetByRole(AriaRole.Link, new() { Name = patient.Name })).ToBeVisibleAsync();

        await staff.GetByRole(AriaRole.Tab, new() { Name = "Archived" }).ClickAsync();
        await sidebar.GetByRole(AriaRole.Searchbox, new() { Name = "Search conversations" }).FillAsync(patient.Name);

        await Expect(sidebar).ToContainTextAsync("None in this list with a patient of that name. Their conversation may be in another list, such as Inbox or Closed.");
        await Expect(sidebar).Not.ToContainTextAsync("No conversation with a patient of that name");
    });

    [Fact]
    public Task APatientsOptOutReachesTheStaffSideWithoutAReload() => RunAsync(async () =>
    {
        var patient = Patient(9);
        using var alice = await Fixture.ApiAsync(DemoData.Alice);
        var thread = await Fixture.StartThreadAsync(alice, patient.Id);
        var staff = await SignInAsync(DemoData.Alice);
        await staff.GotoAsync($"/#/chat/{thread}");
        await Expect(Composer(staff)).ToBeEnabledAsync();
        var portal = await SignInAsync(patient.Email!);

        await portal.GetByRole(AriaRole.Link, new() { Name = "Communication preferences" }).ClickAsync();
        var chatSwitch = portal.GetByRole(AriaRole.Switch, new() { Name = "Chat with my clinic" });
        await Expect(chatSwitch).ToBeCheckedAsync();
        await chatSwitch.ClickAsync();
        await Expect(chatSwitch).Not.ToBeCheckedAsync();

        await Expect(Composer(staff)).ToBeDisabledAsync();
        await Expect(staff.GetByText($"{patient.Name} has opted out of chat")).ToBeVisibleAsync();
        // Saved, and the keyboard is still on the switch: Space turns it back on.
        await Expect(chatSwitch).ToBeFocusedAsync();
        await Expect(chatSwitch).ToBeEnabledAsync();
        await portal.Keyboard.PressAsync(" ");
        await Expect(chatSwitch).ToBeCheckedAsync();
        await Expect(Composer(staff)).ToBeEnabledAsync();
    });

    [Fact]
    public Task ThePortalWorksOnA375PixelPhone() => RunAsync(async () =>
    {
        var patient = Patient(10);
        using var alice = await Fixture.ApiAsync(DemoData.Alice);
        var thread = await Fixture.StartThreadAsync(alice, patient.Id);
        await BrowserFixture.SendAsync(alice, thread, "Please confirm your address.");
        var phone = await SignInAsync(patient.Email!, width: 375, height: 740);

        await phone.GetByRole(AriaRole.Link, new() { Name = "Northside Family Dental" }).ClickAsync();
        await Expect(Log(phone)).ToContainTextAsync("Please confirm your address.");
        await Expect(phone.GetByRole(AriaRole.Complementary, new() { Name = "Your clinics" })).ToBeHiddenAsync();
        await SendAsync(phone, "12 Harbour Road");
        var overflow = await phone.EvaluateAsync<bool>("() => document.documentElement.scrollWidth > window.innerWidth");
        await phone.GetByRole(AriaRole.Button, new() { Name = "Back to conversations" }).ClickAsync();

        Assert.False(overflow);
        await Expect(phone.GetByRole(AriaRole.Link, new() { Name = "Northside Family Dental" })).ToBeVisibleAsync();
    });

    [Fact]
    public Task StaffOfTwoClinicsChooseTheClinicForANewConversation() => RunAsync(async () =>
    {
        var staff = await SignInAsync(DemoData.Mo);

        await staff.GetByRole(AriaRole.Button, new() { Name = "New conversation" }).ClickAsync();
        await staff.GetByRole(AriaRole.Combobox, new() { Name = "Clinic" }).SelectOptionAsync(new SelectOptionValue { Label = "Lakeview Pediatrics" });
        await staff.GetByRole(AriaRole.Searchbox, new() { Name = "Search patients" }).FillAsync("Pat Portal");
        await staff.GetByRole(AriaRole.Option, new() { Name = "Pat Portal" }).ClickAsync();

        await Expect(staff.GetByRole(AriaRole.Heading, new() { Name = "Pat Portal" })).ToBeVisibleAsync();
        var lakeviewThread = ClinicChat.Conversations.ConversationId.For(DemoData.Lakeview, DemoData.PatPortal);
        await Expect(staff).ToHaveURLAsync(new Regex($"#/chat/{lakeviewThread}$"));
    });

    /// <summary>Makes the tab look hidden and records notifications instead of showing them.</summary>
    private const string HiddenTabWithRecordedNotifications =
        """
        Object.defineProperty(document, 'hidden', { get: () => true });
        Object.defineProperty(document, 'visibilityState', { get: () => 'hidden' });
        window.__notifications = [];
        window.Notification = class {
          static permission = 'granted';
          static requestPermission() { return Promise.resolve('granted'); }
          constructor(title, options) { window.__notifications.push(title + ' | ' + ((options && options.body) || '')); }
        };
        """;

    private static async Task StartConversationAsync(IPage staff, string patientName)
    {
        await staff.GetByRole(AriaRole.Button, new() { Name = "New conversation" }).ClickAsync();
        await staff.GetByRole(AriaRole.Searchbox, new() { Name = "Search patients" }).FillAsync(patientName);
        await staff.GetByRole(AriaRole.Option, new() { Name = patientName }).First.ClickAsync();
        await Expect(staff.GetByRole(AriaRole.Heading, new() { Name = patientName })).ToBeVisibleAsync();
    }
}
