namespace ClinicChat.Browser.Tests;

[Collection(BrowserCollection.Name)]
public sealed class AttachmentBrowserTests(BrowserFixture fixture, ITestOutputHelper output) : BrowserTest(fixture, output)
{
    private static readonly byte[] Png = new ImageMagick.MagickImage(ImageMagick.MagickColors.SteelBlue, 8, 8) { Format = ImageMagick.MagickFormat.Png }.ToByteArray();
    private static readonly byte[] Pdf = "%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 200 260]>>endobj\nxref\n0 4\n0000000000 65535 f \n0000000009 00000 n \n0000000052 00000 n \n0000000101 00000 n \ntrailer<</Size 4/Root 1 0 R>>\nstartxref\n164\n%%EOF\n"u8.ToArray();

    [Fact]
    public Task StaffAttachAnImageAndAPdfWithThePaperclipAndThePatientSeesThem() => RunAsync(async () =>
    {
        var (patient, thread, staff) = await OpenNewThreadAsync(30);

        var chooser = await staff.RunAndWaitForFileChooserAsync(() => staff.GetByRole(AriaRole.Button, new() { Name = "Attach files" }).ClickAsync());
        await chooser.SetFilesAsync(new[]
        {
            new FilePayload { Name = "xray.png", MimeType = "image/png", Buffer = Png },
            new FilePayload { Name = "plan.pdf", MimeType = "application/pdf", Buffer = Pdf },
        });
        await Expect(staff.GetByRole(AriaRole.Progressbar, new() { Name = "Uploaded xray.png" })).ToBeVisibleAsync();
        await Expect(staff.GetByRole(AriaRole.Progressbar, new() { Name = "Uploaded plan.pdf" })).ToBeVisibleAsync();
        await SendAsync(staff, "Your X-ray and treatment plan");

        var portal = await SignInAsync(patient.Email!);
        await portal.GetByRole(AriaRole.Link, new() { Name = "Northside Family Dental" }).ClickAsync();
        var image = Log(portal).GetByRole(AriaRole.Img, new() { Name = "Image from Alice Carter" });
        await Expect(image).ToBeVisibleAsync();
        await Expect(image).ToHaveJSPropertyAsync("naturalWidth", 8);
        var openPdf = Log(portal).GetByRole(AriaRole.Link).Filter(new() { HasText = "plan.pdf" });
        await Expect(openPdf).ToContainTextAsync("PDF document");
        await Expect(openPdf).ToHaveAttributeAsync("target", "_blank");
        await Expect(openPdf).ToHaveAttributeAsync("rel", "noopener noreferrer");
        await Expect(Log(portal).GetByRole(AriaRole.Link, new() { Name = "Download plan.pdf" })).ToHaveAttributeAsync("download", "");
        // It opens in the browser's own PDF viewer, in a tab of its own.
        var opened = await portal.RunAndWaitForPopupAsync(() => openPdf.ClickAsync());
        // Chromium's PDF viewer does not always fire the tab's load event (a CI run waited 60 s for it): wait for what the
        // patient gets, the address and a PDF document in it.
        await opened.WaitForURLAsync("**/view", new() { WaitUntil = WaitUntilState.Commit });
        await opened.WaitForFunctionAsync("() => document.contentType === 'application/pdf'", null, new() { PollingInterval = 100 });
        var firstPage = Log(portal).GetByRole(AriaRole.Img, new() { Name = "First page of the PDF document from Alice Carter" });
        await Expect(firstPage).ToBeVisibleAsync();
        await Expect(firstPage).Not.ToHaveJSPropertyAsync("naturalWidth", 0);
    });

    /// <summary>
    /// A patient attaches a photo while the connection is down: it fails, and once the connection is back it uploads by
    /// itself and goes with the message (found on a walk: it stayed failed until Retry, though the page said that what
    /// waits goes out when the connection is back).
    /// </summary>
    [Fact]
    public Task AFileThatFailedToUploadOfflineUploadsByItselfWhenTheConnectionIsBack() => RunAsync(async () =>
    {
        var (patient, _, staff) = await OpenFreshThreadAsync();
        await SendAsync(staff, "Send us a photo of the rash");
        var portal = await SignInAsync(patient.Email, width: 390, height: 844);
        await portal.GetByRole(AriaRole.Link, new() { Name = "Northside Family Dental" }).ClickAsync();
        await Expect(Log(portal)).ToContainTextAsync("Send us a photo of the rash");

        AllowConsoleError("net::ERR_INTERNET_DISCONNECTED");
        await portal.Context.SetOfflineAsync(true);
        var chooser = await portal.RunAndWaitForFileChooserAsync(() => portal.GetByRole(AriaRole.Button, new() { Name = "Attach files" }).ClickAsync());
        await chooser.SetFilesAsync(new FilePayload { Name = "rash.png", MimeType = "image/png", Buffer = Png });
        await Expect(portal.GetByRole(AriaRole.Button, new() { Name = "Retry rash.png" })).ToBeVisibleAsync();

        await portal.Context.SetOfflineAsync(false);
        await Expect(portal.GetByRole(AriaRole.Progressbar, new() { Name = "Uploaded rash.png" })).ToBeVisibleAsync();
        await Expect(portal.GetByRole(AriaRole.Button, new() { Name = "Retry rash.png" })).ToHaveCountAsync(0);
        await SendAsync(portal, "Here it is");
        await Expect(Log(staff).GetByRole(AriaRole.Img, new() { Name = $"Image from {patient.Name}" })).ToBeVisibleAsync();
    });

    /// <summary>An 8-pixel image is drawn at its own size, but in a box at least a fingertip wide: it can be seen and tapped.</summary>
    [Fact]
    public Task ATinyImageStillGetsABoxAFingerCanTap() => RunAsync(async () =>
    {
        var (patient, thread, _) = await OpenNewThreadAsync(179);
        using var alice = await Fixture.ApiAsync(Web.Seeding.DemoData.Alice);
        await SendFileAsync(alice, thread, "icon.png", Png);

        var portal = await SignInAsync(patient.Email!, width: 390, height: 844);
        await portal.GetByRole(AriaRole.Link, new() { Name = "Northside Family Dental" }).ClickAsync();
        var photo = Log(portal).GetByRole(AriaRole.Button, new() { Name = "Image from Alice Carter" });
        await Expect(photo.GetByRole(AriaRole.Img)).ToHaveJSPropertyAsync("naturalWidth", 8);

        var box = (await photo.BoundingBoxAsync())!;
        Assert.True(box.Width >= 44 && box.Height >= 44, $"The image is a {box.Width} x {box.Height} px target.");
        await photo.ClickAsync();
        await Expect(portal.GetByRole(AriaRole.Dialog, new() { Name = "icon.png" })).ToBeVisibleAsync();
    });

    [Fact]
    public Task AnImageWhosePreviewCannotBeMadeShowsTheFileItselfAndAFileNoBrowserShowsIsACard() => RunAsync(async () =>
    {
        // The server answers 404 "This file has no preview." for an image its decoder refuses (a browser may still show it).
        AllowConsoleError("status of 404");
        var (_, thread, staff) = await OpenFreshThreadAsync();
        await staff.RouteAsync("**/api/v1/attachments/*/preview", route => route.FulfillAsync(new() { Status = 404 }));
        using var alice = await Fixture.ApiAsync(Web.Seeding.DemoData.Alice);

        await SendFileAsync(alice, thread, "scan.png", Png);

        await Expect(Log(staff).GetByRole(AriaRole.Button, new() { Name = "Image from Alice Carter" }).GetByRole(AriaRole.Img)).ToHaveJSPropertyAsync("naturalWidth", 8);

        // Neither the preview nor the file will show: a download card, not a broken picture.
        await staff.RouteAsync("**/api/v1/attachments/*", route => route.FulfillAsync(new() { Status = 404 }));
        await SendFileAsync(alice, thread, "broken.png", Png);
        await Expect(Log(staff).GetByRole(AriaRole.Link).Filter(new() { HasText = "broken.png" })).ToContainTextAsync("Download");
        await Expect(Log(staff).GetByRole(AriaRole.Img)).ToHaveCountAsync(1);
    });

    [Fact]
    public Task TappingAPhotoShowsItInAViewerThatEscapeClosesBackToThePhoto() => RunAsync(async () =>
    {
        var (patient, thread, staff) = await OpenNewThreadAsync(143);
        using var alice = await Fixture.ApiAsync(Web.Seeding.DemoData.Alice);
        await SendFileAsync(alice, thread, "xray.png", Png);

        var photo = Log(staff).GetByRole(AriaRole.Button, new() { Name = "Image from Alice Carter" });
        await photo.ClickAsync();
        var viewer = staff.GetByRole(AriaRole.Dialog, new() { Name = "xray.png" });
        await Expect(viewer).ToBeVisibleAsync();
        await Expect(viewer.GetByRole(AriaRole.Img, new() { Name = "xray.png, from Alice Carter, at full size" })).ToHaveJSPropertyAsync("naturalWidth", 8);
        await Expect(viewer.GetByRole(AriaRole.Link, new() { Name = "Download" })).ToHaveAttributeAsync("download", "xray.png");
        await Expect(viewer.GetByRole(AriaRole.Button, new() { Name = "Close" })).ToBeFocusedAsync();

        await staff.Keyboard.PressAsync("Escape");

        await Expect(viewer).ToBeHiddenAsync();
        await Expect(photo).ToBeFocusedAsync();
        // The focus ring is dark (with a white inner ring), so it shows on the blue bubble as well as the grey one, and surrounds the picture.
        await Expect(photo).ToHaveCSSAsync("outline-color", "rgb(28, 36, 48)");
        await Expect(photo).ToHaveCSSAsync("outline-style", "solid");
    });

    [Fact]
    public Task TheNewestPhotoIsScrolledFullyIntoViewOnceItHasLoaded() => RunAsync(async () =>
    {
        var patient = StaffChatTests.Patient(144);
        using var alice = await Fixture.ApiAsync(Web.Seeding.DemoData.Alice);
        var thread = await Fixture.StartThreadAsync(alice, patient.Id);
        for (var i = 1; i <= 20; i++)
        {
            await BrowserFixture.SendAsync(alice, thread, $"Note {i}");
        }
        await SendFileAsync(alice, thread, "wound.png", new ImageMagick.MagickImage(ImageMagick.MagickColors.Tan, 320, 240) { Format = ImageMagick.MagickFormat.Png }.ToByteArray());

        var staff = await SignInAsync(Web.Seeding.DemoData.Alice);
        await staff.GotoAsync($"/#/chat/{thread}");

        var photo = Log(staff).GetByRole(AriaRole.Img, new() { Name = "Image from Alice Carter" });
        await Expect(photo).Not.ToHaveJSPropertyAsync("naturalHeight", 0);
        // Waits for the condition (no fixed delay): the photo's bottom edge inside the log's visible area.
        await staff.WaitForFunctionAsync(
            "() => { const log = document.querySelector('[role=log]'); const img = log.querySelector('.attachment-image img'); return img.complete && img.getBoundingClientRect().bottom <= log.getBoundingClientRect().bottom + 1; }",
            null, new() { Timeout = 10_000 });
    });

    [Fact]
    public Task DroppingAFileOnTheThreadAttachesIt() => RunAsync(async () =>
    {
        var (patient, thread, staff) = await OpenNewThreadAsync(31);

        var dataTransfer = await staff.EvaluateHandleAsync(
            "() => { const dt = new DataTransfer(); dt.items.add(new File(['Aftercare: rinse twice a day.'], 'aftercare.txt', { type: 'text/plain' })); return dt; }");
        await staff.GetByRole(AriaRole.Region, new() { Name = patient.Name }).DispatchEventAsync("drop", new Dictionary<string, object> { ["dataTransfer"] = dataTransfer });
        await Expect(staff.GetByRole(AriaRole.Progressbar, new() { Name = "Uploaded aftercare.txt" })).ToBeVisibleAsync();
        await Composer(staff).PressAsync("Enter");

        await Expect(Log(staff).GetByRole(AriaRole.Link).Filter(new() { HasText = "aftercare.txt" })).ToContainTextAsync("Text file");
    });

    [Fact]
    public Task PastingAFileIntoTheComposerAttachesIt() => RunAsync(async () =>
    {
        var (patient, thread, staff) = await OpenNewThreadAsync(33);

        await Composer(staff).EvaluateAsync(
            "(box) => { const dt = new DataTransfer(); dt.items.add(new File(['Pasted notes'], 'pasted.txt', { type: 'text/plain' })); box.dispatchEvent(new ClipboardEvent('paste', { clipboardData: dt, bubbles: true, cancelable: true })); }");
        await Expect(staff.GetByRole(AriaRole.Progressbar, new() { Name = "Uploaded pasted.txt" })).ToBeVisibleAsync();
        await Composer(staff).PressAsync("Enter");

        await Expect(Log(staff).GetByRole(AriaRole.Link).Filter(new() { HasText = "pasted.txt" })).ToBeVisibleAsync();
    });

    [Fact]
    public Task AnOversizeFileIsRefusedBeforeUploading() => RunAsync(async () =>
    {
        var (patient, thread, staff) = await OpenNewThreadAsync(32);

        // A file on disk, not a buffer: Playwright hands a local browser the path, where a 25 MB buffer
        // crosses the driver pipe as base64 and took over 30 s on a busy 2-core CI machine.
        var folder = Directory.CreateTempSubdirectory("clinicchat-oversize-");
        try
        {
            var path = Path.Combine(folder.FullName, "scan.pdf");
            await using (var file = File.Create(path))
            {
                file.SetLength((25 * 1024 * 1024) + 1);
            }

            var chooser = await staff.RunAndWaitForFileChooserAsync(() => staff.GetByRole(AriaRole.Button, new() { Name = "Attach files" }).ClickAsync());
            await chooser.SetFilesAsync(path);

            await Expect(staff.GetByText("File over 25 MB — compress and retry")).ToBeVisibleAsync();
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    });

    internal static async Task SendFileAsync(HttpClient sender, Guid thread, string name, byte[] bytes)
    {
        using var form = new MultipartFormDataContent { { new ByteArrayContent(bytes), "file", name } };
        var upload = await sender.PostAsync($"/api/v1/conversations/{thread}/attachments", form);
        upload.EnsureSuccessStatusCode();
        var stored = await upload.Content.ReadFromJsonAsync<Web.Attachments.AttachmentDto>();
        var sent = await sender.PostAsJsonAsync($"/api/v1/conversations/{thread}/messages",
            new { clientMessageId = Guid.NewGuid().ToString("N"), text = "", attachmentIds = new[] { stored!.AttachmentId } });
        sent.EnsureSuccessStatusCode();
    }
}
