namespace ClinicChat.Browser.Tests;

[Collection(BrowserCollection.Name)]
public sealed class AuditLogBrowserTests(BrowserFixture fixture, ITestOutputHelper output) : BrowserTest(fixture, output)
{
    [Fact]
    public Task AnAdminOnlyUserLandsOnTheAuditLogFiltersItAndVerifiesTheChain() => RunAsync(async () =>
    {
        var olga = await SignInAsync(DemoData.Olga);

        await Expect(olga.GetByRole(AriaRole.Heading, new() { Name = "Audit log" })).ToBeVisibleAsync();
        await Expect(olga.GetByRole(AriaRole.Navigation, new() { Name = "Main" }).GetByRole(AriaRole.Link, new() { Name = "Chat" })).ToHaveCountAsync(0);
        var table = olga.GetByRole(AriaRole.Table, new() { Name = "Audit events, newest first" });
        await Expect(table.GetByRole(AriaRole.Columnheader, new() { Name = "Action" })).ToBeVisibleAsync();

        await olga.GetByRole(AriaRole.Combobox, new() { Name = "Action" }).SelectOptionAsync("signin");
        await olga.GetByRole(AriaRole.Button, new() { Name = "Apply filters" }).ClickAsync();
        await Expect(table.GetByRole(AriaRole.Cell, new() { Name = "signin", Exact = true }).First).ToBeVisibleAsync();
        await Expect(olga.GetByRole(AriaRole.Link, new() { Name = "Export CSV" })).ToHaveAttributeAsync("href", new System.Text.RegularExpressions.Regex("/audit/export\\?format=csv"));
        await Expect(olga.GetByRole(AriaRole.Link, new() { Name = "Export FHIR NDJSON" })).ToHaveAttributeAsync("href", new System.Text.RegularExpressions.Regex("format=ndjson"));

        await olga.GetByRole(AriaRole.Button, new() { Name = "Verify chain" }).ClickAsync();
        await Expect(olga.GetByRole(AriaRole.Status)).ToContainTextAsync("Chain intact:");
    });

    [Fact]
    public Task TheLogShowsPeopleByNameAndFiltersByAPatientPickedByName() => RunAsync(async () =>
    {
        var olga = await SignInAsync(DemoData.Olga);
        var table = olga.GetByRole(AriaRole.Table, new() { Name = "Audit events, newest first" });

        // Other tests add events about Pat: narrow to one that happens once, so it is on the first page.
        await olga.GetByRole(AriaRole.Combobox, new() { Name = "Action" }).SelectOptionAsync("patient.registered");
        await olga.GetByRole(AriaRole.Searchbox, new() { Name = "Patient" }).FillAsync("pat port");
        // Chosen from the keyboard: the keyboard moves on to "Clear patient", which takes the search's place.
        await olga.GetByRole(AriaRole.List, new() { Name = "Matching patients" }).GetByRole(AriaRole.Button, new() { Name = "Pat Portal" }).FocusAsync();
        await olga.Keyboard.PressAsync("Enter");

        await Expect(olga.GetByText("Patient: Pat Portal")).ToBeVisibleAsync();
        await Expect(olga.GetByRole(AriaRole.Button, new() { Name = "Clear patient" })).ToBeFocusedAsync();
        await Expect(table.GetByRole(AriaRole.Cell, new() { Name = "patient.registered", Exact = true })).ToBeVisibleAsync();
        var registered = table.GetByRole(AriaRole.Row).Filter(new() { HasText = "patient.registered" });
        await Expect(registered.GetByRole(AriaRole.Cell, new() { Name = "System", Exact = true })).ToBeVisibleAsync();
        await Expect(registered.GetByRole(AriaRole.Cell, new() { Name = "Pat Portal", Exact = true })).ToBeVisibleAsync();
        await Expect(table.GetByText(DemoData.PatPortal.ToString())).ToHaveCountAsync(0);

        await olga.Keyboard.PressAsync("Enter");
        await Expect(olga.GetByRole(AriaRole.Searchbox, new() { Name = "Patient" })).ToBeFocusedAsync();
    });

    [Fact]
    public Task AnAdminSeesOnePersonsEventsByChoosingTheirName() => RunAsync(async () =>
    {
        // Two colleagues sign in, so the log has events of someone else for the filter to leave out.
        await SignInAsync(DemoData.Frank);
        await SignInAsync(DemoData.Alice);
        var olga = await SignInAsync(DemoData.Olga);
        var table = olga.GetByRole(AriaRole.Table, new() { Name = "Audit events, newest first" });
        await olga.GetByRole(AriaRole.Combobox, new() { Name = "Action" }).SelectOptionAsync("signin");
        await olga.GetByRole(AriaRole.Button, new() { Name = "Apply filters" }).ClickAsync();
        await Expect(table.GetByRole(AriaRole.Button, new() { Name = "Frank Foster", Exact = true }).First).ToBeVisibleAsync();

        await table.GetByRole(AriaRole.Button, new() { Name = "Alice Carter", Exact = true }).First.ClickAsync();

        await Expect(olga.GetByText("Done by: Alice Carter")).ToBeVisibleAsync();
        await Expect(table.GetByRole(AriaRole.Cell, new() { Name = "Alice Carter", Exact = true }).First).ToBeVisibleAsync();
        await Expect(table.GetByText("Frank Foster")).ToHaveCountAsync(0);
        await Expect(table.GetByRole(AriaRole.Cell, new() { Name = "signin", Exact = true }).First).ToBeVisibleAsync();

        await olga.GetByRole(AriaRole.Button, new() { Name = "Clear person" }).ClickAsync();
        await Expect(olga.GetByText("Done by: anyone (choose a name in the table)")).ToBeVisibleAsync();
        await Expect(table.GetByRole(AriaRole.Button, new() { Name = "Frank Foster", Exact = true }).First).ToBeVisibleAsync();
    });

    /// <summary>
    /// A name chosen in the table becomes text, and "Clear person" goes once pressed: the keyboard goes on to what took
    /// their place ("Clear person", then the Action filter) instead of falling to the page (found on a walk).
    /// </summary>
    [Fact]
    public Task ChoosingAndClearingAPersonFromTheKeyboardKeepsTheFocusInTheFilters() => RunAsync(async () =>
    {
        var olga = await SignInAsync(DemoData.Olga);
        var table = olga.GetByRole(AriaRole.Table, new() { Name = "Audit events, newest first" });
        var name = table.GetByRole(AriaRole.Button, new() { Name = "Olga Ortiz", Exact = true }).First;

        await name.FocusAsync();
        await olga.Keyboard.PressAsync("Enter");
        await Expect(olga.GetByText("Done by: Olga Ortiz")).ToBeVisibleAsync();
        await Expect(olga.GetByRole(AriaRole.Button, new() { Name = "Clear person" })).ToBeFocusedAsync();

        await olga.Keyboard.PressAsync("Enter");
        await Expect(olga.GetByText("Done by: anyone (choose a name in the table)")).ToBeVisibleAsync();
        await Expect(olga.GetByRole(AriaRole.Combobox, new() { Name = "Action" })).ToBeFocusedAsync();
    });

    /// <summary>
    /// The date typed is the day sent, whatever its year: the year 0001 once went as 1901. In Berlin that day's midnight
    /// is before the first instant the API can read, which is sent instead (no event is earlier).
    /// </summary>
    [Fact]
    public Task AFromDateInTheYearOneIsSentAsTheYearOne() => RunAsync(async () =>
    {
        var olga = await SignInAsync(DemoData.Olga, timezoneId: "Europe/Berlin");
        var table = olga.GetByRole(AriaRole.Table, new() { Name = "Audit events, newest first" });
        await olga.GetByLabel("From").FillAsync("0001-01-01");

        var request = await olga.RunAndWaitForRequestAsync(
            () => olga.GetByRole(AriaRole.Button, new() { Name = "Apply filters" }).ClickAsync(),
            sent => sent.Url.Contains("/audit?", StringComparison.Ordinal) && sent.Url.Contains("from=", StringComparison.Ordinal));

        Assert.Equal("0001-01-01T00:00:00.000Z", System.Web.HttpUtility.ParseQueryString(new Uri(request.Url).Query)["from"]);
        await Expect(table.GetByRole(AriaRole.Cell, new() { Name = "signin", Exact = true }).First).ToBeVisibleAsync();
        await Expect(olga.GetByRole(AriaRole.Link, new() { Name = "Export CSV" })).ToHaveAttributeAsync("href", new System.Text.RegularExpressions.Regex("from=0001-01-01T00%3A00%3A00.000Z"));
    });

    [Fact]
    public Task ACliniciansAppShowsNoAuditLog() => RunAsync(async () =>
    {
        var alice = await SignInAsync(DemoData.Alice);

        await Expect(alice.GetByRole(AriaRole.Link, new() { Name = "Chat" })).ToBeVisibleAsync();
        await Expect(alice.GetByRole(AriaRole.Link, new() { Name = "Audit log" })).ToHaveCountAsync(0);
    });
}
