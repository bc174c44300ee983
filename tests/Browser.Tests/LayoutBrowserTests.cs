namespace ClinicChat.Browser.Tests;

/// <summary>The portal on a small phone: what the chrome leaves for the conversation. Bounds are layout, not timing.</summary>
[Collection(BrowserCollection.Name)]
public sealed class LayoutBrowserTests(BrowserFixture fixture, ITestOutputHelper output) : BrowserTest(fixture, output)
{
    [Fact]
    public Task OnA375PixelPhoneThePatientsThreadHasAOneRowHeaderACompactSensitiveBannerAndNoSidewaysScroll() => RunAsync(async () =>
    {
        var patient = StaffChatTests.Patient(166);
        using var alice = await Fixture.ApiAsync(Web.Seeding.DemoData.Alice);
        var thread = await Fixture.StartThreadAsync(alice, patient.Id);
        (await alice.PostAsJsonAsync($"/api/v1/conversations/{thread}/messages",
            new { clientMessageId = Guid.NewGuid().ToString("N"), text = "Your results are in", sensitive = true })).EnsureSuccessStatusCode();

        var portal = await SignInAsync(patient.Email!, width: 375, height: 740);
        await portal.GetByRole(AriaRole.Link, new() { Name = "Northside Family Dental" }).ClickAsync();
        await Log(portal).GetByRole(AriaRole.Button, new() { Name = "Verify it's you" }).ClickAsync();
        var dialog = portal.GetByRole(AriaRole.Dialog, new() { Name = "Verify it's you" });
        await dialog.GetByLabel("Password").FillAsync(Web.Seeding.DemoData.Password);
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Verify" }).ClickAsync();
        await Expect(Log(portal)).ToContainTextAsync("Your results are in");
        var banner = portal.Locator(".sensitive-window");
        await Expect(banner).ToBeVisibleAsync();

        var topbar = await portal.GetByRole(AriaRole.Banner).BoundingBoxAsync();
        var sensitive = await banner.BoundingBoxAsync();
        var log = await Log(portal).BoundingBoxAsync();
        var overflow = await portal.EvaluateAsync<int>("() => document.documentElement.scrollWidth - document.documentElement.clientWidth");

        var wide = await portal.EvaluateAsync<string>(
            "() => [...document.querySelectorAll('body *')].filter(e => e.getBoundingClientRect().right > document.documentElement.clientWidth).slice(0, 5).map(e => e.tagName + '.' + e.className).join(', ')");
        Assert.True(overflow <= 0, $"The page scrolls sideways by {overflow} px ({wide}).");
        Assert.True(topbar!.Height <= 64, $"The top bar is {topbar.Height} px high.");
        Assert.True(sensitive!.Height <= 56, $"The sensitive banner is {sensitive.Height} px high.");
        Assert.True(log!.Y <= 180, $"The messages start {log.Y} px down a 740 px screen.");
    });

    /// <summary>Staff on a phone: the team's three choices share one row, so the thread keeps most of the screen.</summary>
    [Fact]
    public Task OnA390PixelPhoneTheStaffThreadsTeamControlsTakeTwoShortRows() => RunAsync(async () =>
    {
        using var alice = await Fixture.ApiAsync(Web.Seeding.DemoData.Alice);
        var patient = await Fixture.CreatePatientAsync();
        var thread = await Fixture.StartThreadAsync(alice, patient.Id);
        var staff = await SignInAsync(Web.Seeding.DemoData.Alice, width: 390, height: 844);
        await staff.GotoAsync($"/#/chat/{thread}");
        var assigned = staff.GetByRole(AriaRole.Combobox, new() { Name = "Assigned to" });
        await Expect(assigned).ToBeVisibleAsync();

        var controls = await staff.Locator(".team-controls").BoundingBoxAsync();
        var status = await staff.GetByRole(AriaRole.Combobox, new() { Name = "Status" }).BoundingBoxAsync();
        var topic = await staff.GetByRole(AriaRole.Combobox, new() { Name = "Topic" }).BoundingBoxAsync();
        var first = await assigned.BoundingBoxAsync();

        Assert.True(controls!.Height <= 90, $"The team controls are {controls.Height} px high.");
        Assert.Equal(first!.Y, status!.Y);
        Assert.Equal(first.Y, topic!.Y);
    });
    /// <summary>
    /// An Admin on a tablet: each section's name stays on one line (a two-line "Quick replies" read as two sections) and
    /// clear of "Sign out"; where the row is too short, whole links move to a second row.
    /// </summary>
    [Theory]
    [InlineData(820)]
    [InlineData(700)]
    [InlineData(560)]
    public Task OnATabletAnAdminsTopBarKeepsEachSectionsNameOnOneLine(int width) => RunAsync(async () =>
    {
        var admin = await SignInAsync(Web.Seeding.DemoData.Olga, width: width, height: 900);
        var nav = admin.GetByRole(AriaRole.Navigation, new() { Name = "Main" });
        await Expect(nav.GetByRole(AriaRole.Link, new() { Name = "Quick replies" })).ToBeVisibleAsync();

        var links = await nav.GetByRole(AriaRole.Link).AllAsync();
        var boxes = new List<(string Name, LocatorBoundingBoxResult Box)>();
        foreach (var link in links)
        {
            boxes.Add(((await link.TextContentAsync())!.Trim(), (await link.BoundingBoxAsync())!));
        }

        var signOut = (await admin.GetByRole(AriaRole.Button, new() { Name = "Sign out", Exact = true }).BoundingBoxAsync())!;
        Assert.All(boxes, b => Assert.True(b.Box.X + b.Box.Width <= signOut.X || b.Box.Y >= signOut.Y + signOut.Height,
            $"\"{b.Name}\" runs under \"Sign out\"."));
        var lineHeight = boxes.Single(b => b.Name == "Staff").Box.Height;
        Assert.All(boxes, b => Assert.True(b.Box.Height <= lineHeight + 1, $"\"{b.Name}\" is {b.Box.Height} px high; one line is {lineHeight} px."));
        Assert.True(links.Count >= 5, $"An Admin sees {links.Count} sections.");
    });

    [Fact]
    public Task AThreadOpensOnItsNewestMessageWhenItsLastRunIsTallerThanTheSizeKeptForIt() => RunAsync(async () =>
    {
        // Runs of 20 messages off screen are not laid out and stand in at 1,200 px until seen (styles.css). The last run here,
        // seq 20 to 39, is long letters, far taller than that: it lays out only once the list is scrolled to it.
        var (_, thread, staff) = await OpenFreshThreadAsync();
        var letter = string.Join(' ', Enumerable.Repeat("Please bring the signed consent form and your insurance card to the visit.", 8));
        using (var alice = await Fixture.ApiAsync(Web.Seeding.DemoData.Alice))
        {
            for (var seq = 1; seq <= 39; seq++)
            {
                await BrowserFixture.SendAsync(alice, thread, seq < 20 ? $"Note {seq}." : $"Letter {seq}: {letter}");
            }
        }

        await staff.ReloadAsync();

        var newest = Log(staff).Locator("article.message").Last;
        await Expect(newest).ToContainTextAsync("Letter 39:");
        await Expect(newest).ToBeInViewportAsync(new() { Ratio = 1 });

        // And when the list gets shorter without a new message (a smaller window, a phone's keyboard), the newest stays in view.
        await staff.SetViewportSizeAsync(1280, 560);
        await Expect(newest).ToBeInViewportAsync(new() { Ratio = 1 });
    });

    /// <summary>
    /// A patient scrolled up to read earlier messages is told of the clinic's new one below, and the button takes them to
    /// it (found on a walk: nothing said it had come).
    /// </summary>
    [Fact]
    public Task AMessageThatArrivesWhileTheReaderIsScrolledUpIsAnnouncedByAButtonThatGoesToIt() => RunAsync(async () =>
    {
        var (patient, thread, _) = await OpenFreshThreadAsync();
        using var alice = await Fixture.ApiAsync(Web.Seeding.DemoData.Alice);
        for (var step = 1; step <= 12; step++)
        {
            await BrowserFixture.SendAsync(alice, thread, $"Aftercare step {step}: rinse gently with warm salt water after meals.");
        }
        var portal = await SignInAsync(patient.Email, width: 390, height: 844);
        await portal.GetByRole(AriaRole.Link, new() { Name = "Northside Family Dental" }).ClickAsync();
        await Expect(Log(portal)).ToContainTextAsync("Aftercare step 12:");
        await Log(portal).GetByText("Aftercare step 1:").ScrollIntoViewIfNeededAsync();
        // The list hears its scroll at the next frame: two frames on, it knows the reader left the bottom.
        await portal.EvaluateAsync("() => new Promise(done => requestAnimationFrame(() => requestAnimationFrame(done)))");

        await BrowserFixture.SendAsync(alice, thread, "Call us if the swelling grows.");

        var newBelow = portal.GetByRole(AriaRole.Button, new() { Name = "New message below" });
        var newest = Log(portal).GetByText("Call us if the swelling grows.");
        await Expect(newBelow).ToBeVisibleAsync();
        await Expect(newest).Not.ToBeInViewportAsync();
        await newBelow.ClickAsync();
        await Expect(newest).ToBeInViewportAsync();
        await Expect(newBelow).ToHaveCountAsync(0);
        await Expect(Log(portal)).ToBeFocusedAsync();
    });

    /// <summary>
    /// A message that arrives while the patient is scrolled up reaches their device (Delivered) but is not Read until they
    /// go down to it: the clinic's "Read" says the patient could see it (found on a walk: it said Read at once).
    /// </summary>
    [Fact]
    public Task AMessageThatArrivesWhileThePatientIsScrolledUpIsDeliveredAndReadOnlyOnceTheyGoDownToIt() => RunAsync(async () =>
    {
        var (patient, thread, staff) = await OpenFreshThreadAsync();
        using var alice = await Fixture.ApiAsync(Web.Seeding.DemoData.Alice);
        for (var step = 1; step <= 12; step++)
        {
            await BrowserFixture.SendAsync(alice, thread, $"Aftercare step {step}: rinse gently with warm salt water after meals.");
        }
        var portal = await SignInAsync(patient.Email, width: 390, height: 844);
        await portal.GetByRole(AriaRole.Link, new() { Name = "Northside Family Dental" }).ClickAsync();
        await Expect(Log(portal)).ToContainTextAsync("Aftercare step 12:");
        await Expect(Article(staff, "Aftercare step 12:").Locator(".status")).ToHaveTextAsync("Read");
        await Log(portal).GetByText("Aftercare step 1:").ScrollIntoViewIfNeededAsync();
        await portal.EvaluateAsync("() => new Promise(done => requestAnimationFrame(() => requestAnimationFrame(done)))");

        await SendAsync(staff, "Call us if the swelling grows.");

        // The device acknowledges receipt and reading in one request: "Delivered" alone means it did not say Read.
        var status = Article(staff, "Call us if the swelling grows.").Locator(".status");
        await Expect(portal.GetByRole(AriaRole.Button, new() { Name = "New message below" })).ToBeVisibleAsync();
        await Expect(status).ToHaveTextAsync("Delivered");

        await Log(portal).GetByText("Aftercare step 12:").ScrollIntoViewIfNeededAsync();
        await Log(portal).GetByText("Call us if the swelling grows.").ScrollIntoViewIfNeededAsync();
        await Expect(status).ToHaveTextAsync("Read");
    });
}
