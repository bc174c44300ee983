namespace ClinicChat.Browser.Tests;

/// <summary>Every view tells the truth: history the patient keeps, which clinic a thread is with, what each role can do, what search finds.</summary>
[Collection(BrowserCollection.Name)]
public sealed class TruthfulViewsBrowserTests(BrowserFixture fixture, ITestOutputHelper output) : BrowserTest(fixture, output)
{
    [Fact]
    public Task APatientKeepsAnArchivedThreadUnderOlderConversationsAndTheirMessageReopensIt() => RunAsync(async () =>
    {
        var patient = StaffChatTests.Patient(133);
        using var alice = await Fixture.ApiAsync(DemoData.Alice);
        var thread = await Fixture.StartThreadAsync(alice, patient.Id);
        await BrowserFixture.SendAsync(alice, thread, "Your aligners are ready");
        Fixture.Clock.Offset += TimeSpan.FromDays(400);
        await Fixture.TickArchivalAsync(thread);
        var portal = await SignInAsync(patient.Email!);
        var older = portal.GetByRole(AriaRole.Region, new() { Name = "Older conversations" });

        await older.GetByRole(AriaRole.Link, new() { Name = "Northside Family Dental" }).ClickAsync();
        await Expect(Log(portal)).ToContainTextAsync("Your aligners are ready");
        await SendAsync(portal, "Are they still there?");

        await Expect(older).ToHaveCountAsync(0);
        await Expect(portal.GetByRole(AriaRole.Complementary, new() { Name = "Your clinics" }).GetByRole(AriaRole.Link, new() { Name = "Northside Family Dental" }))
            .ToBeVisibleAsync();
    });

    [Fact]
    public Task AThreadReachesThePortalWithItsFirstMessageNotBefore() => RunAsync(async () =>
    {
        var patient = StaffChatTests.Patient(138);
        using var alice = await Fixture.ApiAsync(DemoData.Alice);
        var thread = await Fixture.StartThreadAsync(alice, patient.Id);
        var portal = await SignInAsync(patient.Email!);
        var sidebar = portal.GetByRole(AriaRole.Complementary, new() { Name = "Your clinics" });
        await Expect(sidebar).ToContainTextAsync("No messages from your clinics yet.");

        await BrowserFixture.SendAsync(alice, thread, "Welcome to Northside");

        await Expect(ThreadItem(portal, "Northside Family Dental")).ToContainTextAsync("Welcome to Northside");
        await Expect(sidebar.GetByText("No messages yet")).ToHaveCountAsync(0);
    });

    [Fact]
    public Task StaffOfTwoClinicsSeeTheClinicInRowsHeaderAndComposer() => RunAsync(async () =>
    {
        var mo = await SignInAsync(DemoData.Mo);
        var sidebar = mo.GetByRole(AriaRole.Complementary, new() { Name = "Conversations" });
        // Other tests fill Northside's list; the search brings both of Pat's threads to the top.
        await sidebar.GetByRole(AriaRole.Searchbox, new() { Name = "Search conversations" }).FillAsync("Pat Portal");

        await Expect(sidebar.GetByRole(AriaRole.Link, new() { Name = "Pat Portal, Northside Family Dental", Exact = true })).ToBeVisibleAsync();
        await sidebar.GetByRole(AriaRole.Link, new() { Name = "Pat Portal, Lakeview Pediatrics", Exact = true }).ClickAsync();
        var thread = mo.GetByRole(AriaRole.Region, new() { Name = "Pat Portal" });
        await Expect(thread.GetByRole(AriaRole.Heading, new() { Name = "Pat Portal" })).ToBeVisibleAsync();
        await Expect(thread.Locator(".thread-header")).ToContainTextAsync("Lakeview Pediatrics");
        await Expect(Composer(mo)).ToHaveAttributeAsync("placeholder", "Message Pat Portal as Lakeview Pediatrics (/ for shortcuts)");

        // One-clinic staff keep a clean list: the row is the patient's name alone.
        var alice = await SignInAsync(DemoData.Alice);
        var aliceSidebar = alice.GetByRole(AriaRole.Complementary, new() { Name = "Conversations" });
        await aliceSidebar.GetByRole(AriaRole.Searchbox, new() { Name = "Search conversations" }).FillAsync("Pat Portal");
        await aliceSidebar.GetByRole(AriaRole.Link, new() { Name = "Pat Portal", Exact = true }).ClickAsync();
        await Expect(Composer(alice)).ToHaveAttributeAsync("placeholder", "Write a message… (/ for shortcuts)");
        await Expect(alice.Locator(".thread-header")).Not.ToContainTextAsync("Northside Family Dental");

        // A patient with threads at two clinics sees each row named by its clinic.
        var pat = await SignInAsync(DemoData.Pat);
        var patSidebar = pat.GetByRole(AriaRole.Complementary, new() { Name = "Your clinics" });
        await Expect(patSidebar.GetByRole(AriaRole.Link, new() { Name = "Northside Family Dental" })).ToBeVisibleAsync();
        await Expect(patSidebar.GetByRole(AriaRole.Link, new() { Name = "Lakeview Pediatrics" })).ToBeVisibleAsync();
    });

    /// <summary>Billing staff take part in billing conversations only: Chat, without starting one or the quick replies they may not use.</summary>
    [Fact]
    public Task ABillingUserHasChatForBillingConversationsButStartsNone() => RunAsync(async () =>
    {
        var bill = await SignInAsync(DemoData.Bill);
        var nav = bill.GetByRole(AriaRole.Navigation, new() { Name = "Main" });

        await Expect(nav.GetByRole(AriaRole.Link, new() { Name = "Chat" })).ToBeVisibleAsync();
        await Expect(bill.GetByRole(AriaRole.Complementary, new() { Name = "Conversations" })).ToBeVisibleAsync();
        await Expect(bill.GetByText("Select a conversation.")).ToBeVisibleAsync();
        await Expect(bill.GetByRole(AriaRole.Button, new() { Name = "+ New conversation" })).ToHaveCountAsync(0);
        await Expect(nav.GetByRole(AriaRole.Link, new() { Name = "Quick replies" })).ToHaveCountAsync(0);
    });

    [Fact]
    public Task TheSidebarSearchSaysItFindsNamesNotWhatWasSaid() => RunAsync(async () =>
    {
        var (_, _, staff) = await OpenNewThreadAsync(139);
        await SendAsync(staff, "Your quartz whitening kit shipped");
        var search = staff.GetByRole(AriaRole.Searchbox, new() { Name = "Search conversations" });

        await Expect(search).ToHaveAttributeAsync("placeholder", "Search patients by name");
        await search.FillAsync("quartz whitening");

        await Expect(staff.GetByRole(AriaRole.Complementary, new() { Name = "Conversations" }))
            .ToContainTextAsync("Search finds conversations by the patient’s name, not by what was said; to write to a patient you have no conversation with yet, use + New conversation.");
    });

    [Fact]
    public Task AnOptedOutPatientsInboxSaysChatIsOffAndLinksToThePreference() => RunAsync(async () =>
    {
        var patient = StaffChatTests.Patient(140);
        using (var patientApi = await Fixture.ApiAsync(patient.Email!))
        {
            (await patientApi.PutAsJsonAsync("/api/v1/me/preferences", new { chatOptIn = false })).EnsureSuccessStatusCode();
        }

        var portal = await SignInAsync(patient.Email!);
        var sidebar = portal.GetByRole(AriaRole.Complementary, new() { Name = "Your clinics" });

        await Expect(sidebar).ToContainTextAsync("Chat is off, so your clinics cannot send you messages.");
        await sidebar.GetByRole(AriaRole.Link, new() { Name = "Communication preferences" }).ClickAsync();
        var chatSwitch = portal.GetByRole(AriaRole.Switch, new() { Name = "Chat with my clinic" });
        await Expect(chatSwitch).Not.ToBeCheckedAsync();
        await chatSwitch.ClickAsync();
        await Expect(chatSwitch).ToBeCheckedAsync();
        await portal.GetByRole(AriaRole.Navigation, new() { Name = "Main" }).GetByRole(AriaRole.Link, new() { Name = "Inbox" }).ClickAsync();
        await Expect(portal.GetByRole(AriaRole.Complementary, new() { Name = "Your clinics" })).Not.ToContainTextAsync("Chat is off");
    });
}
