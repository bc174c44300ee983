namespace ClinicChat.Browser.Tests;

/// <summary>Quick replies (issue 22): kept on their page, inserted with "/" in the composer, filled in for the thread's patient.</summary>
[Collection(BrowserCollection.Name)]
public sealed class QuickRepliesBrowserTests(BrowserFixture fixture, ITestOutputHelper output) : BrowserTest(fixture, output)
{
    /// <summary>
    /// Alice saves a personal reply on the Quick replies page, types its shortcut in a thread, and the composer holds it
    /// filled in with the patient's first name and the clinic's name, editable, until she sends it.
    /// </summary>
    [Fact]
    public Task AReplySavedOnItsPageIsInsertedWithSlashFilledInForThePatientAndEditableBeforeSending() => RunAsync(async () =>
    {
        // Replies are the clinic's shared data: a shortcut no other test's "/word" begins with.
        var shortcut = "qr" + Guid.NewGuid().ToString("N")[..8];
        // The refused shortcut below answers 400, which the browser logs.
        AllowConsoleError("status of 400");
        var (patient, thread, alice) = await OpenFreshThreadAsync();

        await alice.GetByRole(AriaRole.Link, new() { Name = "Quick replies" }).ClickAsync();
        await Expect(alice.GetByRole(AriaRole.Heading, new() { Name = "Quick replies", Level = 1 })).ToBeVisibleAsync();
        await alice.GetByRole(AriaRole.Button, new() { Name = "Add my reply" }).ClickAsync();
        var form = alice.GetByRole(AriaRole.Form, new() { Name = "New personal reply" });
        await form.GetByRole(AriaRole.Textbox, new() { Name = "Shortcut" }).FillAsync("rx");
        await form.GetByRole(AriaRole.Textbox, new() { Name = "Text" }).FillAsync("Hi {patient.firstName}, {clinic.name} here: your results are ready.");
        await form.GetByRole(AriaRole.Button, new() { Name = "Add reply" }).ClickAsync();
        // The server's refusal stands next to the field; nothing is saved.
        await Expect(form).ToContainTextAsync("one of the composer's own commands");
        await form.GetByRole(AriaRole.Textbox, new() { Name = "Shortcut" }).FillAsync(shortcut);
        await form.GetByRole(AriaRole.Button, new() { Name = "Add reply" }).ClickAsync();
        await Expect(alice.GetByRole(AriaRole.Status).Filter(new() { HasText = $"Added /{shortcut}." })).ToBeVisibleAsync();

        await alice.GotoAsync($"/#/chat/{thread}");
        await Composer(alice).PressSequentiallyAsync("/" + shortcut[..5]);
        var option = alice.GetByRole(AriaRole.Listbox, new() { Name = "Shortcuts" }).GetByRole(AriaRole.Option, new() { Name = $"/{shortcut}" });
        await Expect(option).ToContainTextAsync("Mine");
        await Composer(alice).PressAsync("Enter");

        var filled = $"Hi {patient.GivenName}, Northside Family Dental here: your results are ready.";
        await Expect(Composer(alice)).ToHaveValueAsync(filled);
        await Expect(Log(alice)).Not.ToContainTextAsync("your results are ready");
        await Composer(alice).PressSequentiallyAsync(" Call us today.");
        await Composer(alice).PressAsync("Enter");
        await Expect(Log(alice)).ToContainTextAsync(filled + " Call us today.");
    });

    /// <summary>
    /// The clinic has no phone on file, so a reply naming it keeps "{clinic.phone}" as written: Enter does not send it to the
    /// patient, but selects the placeholder so that what Alice types next replaces it.
    /// </summary>
    [Fact]
    public Task AReplyWithAPlaceholderTheClinicCannotFillIsNotSentUntilItIsFilledIn() => RunAsync(async () =>
    {
        var shortcut = "qr" + Guid.NewGuid().ToString("N")[..8];
        var (_, _, alice) = await OpenFreshThreadAsync();
        using (var api = await Fixture.ApiAsync(Web.Seeding.DemoData.Alice))
        {
            var added = await api.PostAsJsonAsync($"/api/v1/clinics/{Web.Seeding.DemoData.Northside}/quick-replies",
                new { shortcut, text = "Call {clinic.name} on {clinic.phone} if anything changes.", personal = true });
            Assert.Equal(HttpStatusCode.Created, added.StatusCode);
        }

        await Composer(alice).PressSequentiallyAsync("/" + shortcut);
        await Expect(alice.GetByRole(AriaRole.Listbox, new() { Name = "Shortcuts" }).GetByRole(AriaRole.Option, new() { Name = $"/{shortcut}" })).ToBeVisibleAsync();
        await Composer(alice).PressAsync("Enter");
        await Expect(Composer(alice)).ToHaveValueAsync("Call Northside Family Dental on {clinic.phone} if anything changes.");
        await Composer(alice).PressAsync("Enter");

        await Expect(alice.GetByRole(AriaRole.Status).Filter(new() { HasText = "Not sent: fill in {clinic.phone} first" })).ToBeVisibleAsync();
        await Composer(alice).PressSequentiallyAsync("555-0100");
        await Expect(Composer(alice)).ToHaveValueAsync("Call Northside Family Dental on 555-0100 if anything changes.");
        await Composer(alice).PressAsync("Enter");
        await Expect(Log(alice)).ToContainTextAsync("Call Northside Family Dental on 555-0100 if anything changes.");
        await Expect(Log(alice)).Not.ToContainTextAsync("{clinic.phone}");
        await Expect(alice.GetByRole(AriaRole.Status).Filter(new() { HasText = "fill in" })).ToHaveCountAsync(0);
    });
}
