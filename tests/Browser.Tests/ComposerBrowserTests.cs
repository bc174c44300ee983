namespace ClinicChat.Browser.Tests;

/// <summary>The composer never drops what the writer gave it: failed files and text over the limit stop Send and say why.</summary>
[Collection(BrowserCollection.Name)]
public sealed class ComposerBrowserTests(BrowserFixture fixture, ITestOutputHelper output) : BrowserTest(fixture, output)
{
    [Fact]
    public Task AFailedFileStopsSendUntilItIsRetriedOrRemoved() => RunAsync(async () =>
    {
        var (_, thread, staff) = await OpenNewThreadAsync(116);
        // The first upload is lost on the way (as on a flaky connection); every later one goes through.
        var uploads = 0;
        await staff.RouteAsync($"**/api/v1/conversations/{thread}/attachments", route =>
            Interlocked.Increment(ref uploads) == 1 ? route.AbortAsync("failed") : route.ContinueAsync());
        AllowConsoleError("net::ERR_FAILED");

        await AttachAsync(staff, "plan.txt", "text/plain", "Treatment plan: two fillings."u8.ToArray());
        await Expect(Tray(staff)).ToContainTextAsync("Upload failed. Check your connection and try again.");
        await staff.GetByRole(AriaRole.Button, new() { Name = "Send", Exact = true }).ClickAsync();
        var refusal = staff.Locator("form.composer").GetByRole(AriaRole.Alert).Filter(new() { HasText = "Remove or retry" });
        await Expect(refusal).ToHaveTextAsync("“plan.txt” did not upload: Upload failed. Check your connection and try again. Remove or retry the failed file to send.");

        await AttachAsync(staff, "aftercare.txt", "text/plain", "Rinse twice a day."u8.ToArray());
        await Expect(staff.GetByRole(AriaRole.Progressbar, new() { Name = "Uploaded aftercare.txt" })).ToBeVisibleAsync();
        await Composer(staff).FillAsync("Your plan and aftercare");
        await Composer(staff).PressAsync("Enter");
        await Expect(refusal).ToBeVisibleAsync();
        await Expect(Log(staff).GetByRole(AriaRole.Article)).ToHaveCountAsync(0);

        await staff.GetByRole(AriaRole.Button, new() { Name = "Retry plan.txt" }).ClickAsync();
        await Expect(staff.GetByRole(AriaRole.Progressbar, new() { Name = "Uploaded plan.txt" })).ToBeVisibleAsync();
        await Expect(refusal).ToHaveCountAsync(0);
        await Composer(staff).PressAsync("Enter");

        var sent = Log(staff).GetByRole(AriaRole.Article).Filter(new() { HasText = "Your plan and aftercare" });
        await Expect(sent.GetByRole(AriaRole.Link).Filter(new() { HasText = "plan.txt" })).ToBeVisibleAsync();
        await Expect(sent.GetByRole(AriaRole.Link).Filter(new() { HasText = "aftercare.txt" })).ToBeVisibleAsync();
    });

    /// <summary>A program dressed as a photo is refused for what it is: trying it again cannot help, so only Remove is offered.</summary>
    [Fact]
    public Task AFileTheServerRefusesForWhatItIsOffersRemoveNotRetry() => RunAsync(async () =>
    {
        var (_, _, staff) = await OpenFreshThreadAsync();
        AllowConsoleError("status of 415");

        await AttachAsync(staff, "setup.png", "image/png", [(byte)'M', (byte)'Z', 0x90, 0, 3, 0, 0, 0, 4, 0, 0, 0, 0xFF, 0xFF, 0, 0]);

        // What is wrong, and what could be sent instead.
        await Expect(Tray(staff)).ToContainTextAsync("This file is named like an image but its content is not one.");
        await Expect(staff.GetByRole(AriaRole.Button, new() { Name = "Remove setup.png" })).ToBeVisibleAsync();
        await Expect(staff.GetByRole(AriaRole.Button, new() { Name = "Retry setup.png" })).ToHaveCountAsync(0);
    });

    /// <summary>Removing a file from the tray gives the keyboard back to the message box: the pressed ✕ went with its row (found on a walk: the focus fell to the page).</summary>
    [Fact]
    public Task RemovingAFileFromTheTrayLeavesTheKeyboardInTheMessageBox() => RunAsync(async () =>
    {
        var (_, _, staff) = await OpenFreshThreadAsync();
        await AttachAsync(staff, "plan.txt", "text/plain", "Treatment plan: two fillings."u8.ToArray());
        await AttachAsync(staff, "aftercare.txt", "text/plain", "Rinse twice a day."u8.ToArray());
        await Expect(staff.GetByRole(AriaRole.Progressbar, new() { Name = "Uploaded aftercare.txt" })).ToBeVisibleAsync();

        await staff.GetByRole(AriaRole.Button, new() { Name = "Remove plan.txt" }).ClickAsync();
        await Expect(Composer(staff)).ToBeFocusedAsync();
        await staff.GetByRole(AriaRole.Button, new() { Name = "Remove aftercare.txt" }).ClickAsync();

        await Expect(Tray(staff)).ToHaveCountAsync(0);
        await Expect(Composer(staff)).ToBeFocusedAsync();
    });

    /// <summary>A reload keeps what was being written in each thread; signing out forgets it (a draft may hold patient data).</summary>
    [Fact]
    public Task ADraftSurvivesAReloadButNotASignOut() => RunAsync(async () =>
    {
        var (_, thread, staff) = await OpenFreshThreadAsync();

        await Composer(staff).FillAsync("Your X-ray looks");
        await staff.ReloadAsync();
        await Expect(Composer(staff)).ToHaveValueAsync("Your X-ray looks");

        await staff.GetByRole(AriaRole.Button, new() { Name = "Sign out", Exact = true }).ClickAsync();
        await staff.GetByRole(AriaRole.Textbox, new() { Name = "Email" }).FillAsync(DemoData.Alice);
        await staff.GetByRole(AriaRole.Textbox, new() { Name = "Password" }).FillAsync(DemoData.Password);
        await staff.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await Expect(staff.GetByRole(AriaRole.Button, new() { Name = "Sign out", Exact = true })).ToBeVisibleAsync();
        await staff.GotoAsync($"/#/chat/{thread}");
        await Expect(Composer(staff)).ToHaveValueAsync(string.Empty);
    });

    [Fact]
    public Task TextPastedOverTheLimitIsKeptCountedAndNotSentUntilShortened() => RunAsync(async () =>
    {
        var (_, _, staff) = await OpenNewThreadAsync(117);
        var pasted = string.Concat(Enumerable.Repeat("Long clinical note. ", 210)); // 4,200 characters

        await Composer(staff).FocusAsync();
        await staff.Keyboard.InsertTextAsync(pasted);

        await Expect(Composer(staff)).ToHaveValueAsync(pasted);
        await Expect(staff.GetByText("4,200 / 4,000")).ToBeVisibleAsync();
        await Expect(staff.GetByRole(AriaRole.Status).Filter(new() { HasText = "Over the 4,000-character limit" })).ToBeVisibleAsync();
        await Composer(staff).PressAsync("Enter");
        await Expect(staff.Locator("form.composer").GetByRole(AriaRole.Alert))
            .ToHaveTextAsync("The message is 200 characters over the 4,000-character limit. Shorten it or split it to send.");
        // One message about the length: the refusal above replaces the warning.
        await Expect(staff.GetByRole(AriaRole.Status).Filter(new() { HasText = "Over the 4,000-character limit" })).ToHaveCountAsync(0);
        await Expect(Log(staff).GetByRole(AriaRole.Article)).ToHaveCountAsync(0);

        var shortened = pasted[..3990];
        await Composer(staff).FillAsync(shortened);
        await Expect(staff.GetByText("3,990 / 4,000")).ToBeVisibleAsync();
        await Expect(staff.GetByRole(AriaRole.Status).Filter(new() { HasText = "Over the 4,000-character limit" })).ToHaveCountAsync(0);
        await Composer(staff).PressAsync("Enter");

        await Expect(Log(staff).GetByRole(AriaRole.Article).Locator("p.text")).ToHaveTextAsync(shortened.TrimEnd());
    });

    [Fact]
    public Task ARefusalSaysWhatIsWrongWithTheDraftAsItIsNow() => RunAsync(async () =>
    {
        var (_, _, staff) = await OpenFreshThreadAsync();
        var refusal = staff.Locator("form.composer").GetByRole(AriaRole.Alert);

        await Composer(staff).PressAsync("Enter");
        await Expect(refusal).ToHaveTextAsync("Type a message first.");

        // Too much pasted after that: the reason is the length now, not the empty box.
        await Composer(staff).FocusAsync();
        await staff.Keyboard.InsertTextAsync(string.Concat(Enumerable.Repeat("Long clinical note. ", 210)));
        await Expect(refusal).ToHaveTextAsync("The message is 200 characters over the 4,000-character limit. Shorten it or split it to send.");

        // Emptied: nothing is refused until the writer tries to send again.
        await Composer(staff).FillAsync(string.Empty);
        await Expect(refusal).ToHaveCountAsync(0);
    });

    /// <summary>Web addresses in a message open in a new tab that cannot reach back into the chat; nothing else becomes a link.</summary>
    [Fact]
    public Task WebAddressesInAMessageAreSafeLinksForBothSides() => RunAsync(async () =>
    {
        var (patient, _, staff) = await OpenNewThreadAsync(174);
        await SendAsync(staff, "Forms: https://northside.example/forms?visit=3. Not a link: javascript:alert(1)");

        var portal = await SignInAsync(patient.Email!, width: 390, height: 844);
        await portal.GetByRole(AriaRole.Link, new() { Name = "Northside Family Dental" }).ClickAsync();
        foreach (var page in new[] { staff, portal })
        {
            var message = Log(page).GetByRole(AriaRole.Article).Filter(new() { HasText = "Forms:" });
            var link = message.GetByRole(AriaRole.Link, new() { Name = "https://northside.example/forms?visit=3", Exact = true });
            await Expect(link).ToHaveAttributeAsync("href", "https://northside.example/forms?visit=3");
            await Expect(link).ToHaveAttributeAsync("target", "_blank");
            await Expect(link).ToHaveAttributeAsync("rel", "noopener noreferrer");
            await Expect(message.GetByRole(AriaRole.Link)).ToHaveCountAsync(1);
            await Expect(message.Locator("p.text")).ToHaveTextAsync("Forms: https://northside.example/forms?visit=3. Not a link: javascript:alert(1)");
        }
    });

    private static ILocator Tray(IPage page) => page.GetByRole(AriaRole.List, new() { Name = "Attachments to send" });

    private static async Task AttachAsync(IPage page, string name, string type, byte[] content)
    {
        var chooser = await page.RunAndWaitForFileChooserAsync(() => page.GetByRole(AriaRole.Button, new() { Name = "Attach files" }).ClickAsync());
        await chooser.SetFilesAsync(new FilePayload { Name = name, MimeType = type, Buffer = content });
    }
}
