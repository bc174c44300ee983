using System.IO.Compression;
using System.Net.Http.Headers;
using ImageMagick;

namespace ClinicChat.Web.Tests;

[Collection(AppCollection.Name)]
public sealed class AttachmentsApiTests(AppFixture fixture)
{
    private ClinicChatApp App => fixture.App;

    public static TheoryData<string, string> AcceptedFiles => new()
    {
        { "xray.png", "image/png" },
        { "photo.jpg", "image/jpeg" },
        { "anim.gif", "image/gif" },
        { "pic.webp", "image/webp" },
        { "plan.pdf", "application/pdf" },
        { "form.docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document" },
        { "costs.xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" },
        { "letter.odt", "application/vnd.oasis.opendocument.text" },
        { "notes.txt", "text/plain" },
        { "readings.csv", "text/csv" },
    };

    [Theory]
    [MemberData(nameof(AcceptedFiles))]
    public async Task EachAcceptedTypeIsStoredAndTheThreadsPatientCanFetchItBack(string name, string contentType)
    {
        var (alice, patient, thread) = await ThreadAsync();
        var bytes = SampleFiles.For(name);

        var upload = await UploadAsync(alice, thread, name, bytes);
        var stored = await upload.Content.ReadFromJsonAsync<AttachmentDto>();
        await SendWithAsync(alice, thread, stored!.AttachmentId);
        var download = await patient.Http.GetAsync($"/api/v1/attachments/{stored.AttachmentId}");

        Assert.Equal(HttpStatusCode.Created, upload.StatusCode);
        Assert.Equal((contentType, (long)bytes.Length), (stored.ContentType, stored.Size));
        Assert.Equal(HttpStatusCode.OK, download.StatusCode);
        Assert.Equal(bytes, await download.Content.ReadAsByteArrayAsync());
        Assert.Equal(contentType, download.Content.Headers.ContentType?.MediaType);
        Assert.Equal("nosniff", download.Headers.GetValues("X-Content-Type-Options").Single());
        Assert.StartsWith("sandbox", download.Headers.GetValues("Content-Security-Policy").Single(), StringComparison.Ordinal);
        Assert.Equal("attachment", download.Content.Headers.ContentDisposition?.DispositionType);
        Assert.Equal(name, download.Content.Headers.ContentDisposition?.FileName?.Trim('"'));
    }

    [Fact]
    public async Task DownloadsKeepTheSentNameWithCharactersFileSystemsRefuseReplaced()
    {
        var (alice, patient, thread) = await ThreadAsync();

        var upload = await UploadAsync(alice, thread, "Résumé: x|ray?.png", SampleFiles.For("xray.png"));
        var stored = await upload.Content.ReadFromJsonAsync<AttachmentDto>();
        await SendWithAsync(alice, thread, stored!.AttachmentId);
        var download = await patient.Http.GetAsync($"/api/v1/attachments/{stored.AttachmentId}");

        Assert.Equal(HttpStatusCode.OK, download.StatusCode);
        Assert.Equal("attachment", download.Content.Headers.ContentDisposition?.DispositionType);
        Assert.Equal("Résumé_ x_ray_.png", download.Content.Headers.ContentDisposition?.FileNameStar);
    }

    [Theory]
    [InlineData("innocent.png", "<html><script>alert(1)</script></html>", ApiErrors.AttachmentTypeNotAllowed)]
    [InlineData("image.jpg", "MZ\u0090\u0000\u0003 executable", ApiErrors.AttachmentTypeNotAllowed)]
    [InlineData("drawing.svg", "<svg xmlns='http://www.w3.org/2000/svg'><script>alert(1)</script></svg>", ApiErrors.AttachmentTypeNotAllowed)]
    public async Task ActiveOrUnknownContentIsRefusedWhateverItsName(string name, string content, string code)
    {
        var (alice, _, thread) = await ThreadAsync();

        var upload = await UploadAsync(alice, thread, name, Encoding.UTF8.GetBytes(content));

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, upload.StatusCode);
        Assert.Equal(code, (await TestData.ProblemAsync(upload)).Code);
    }

    /// <summary>A program named like a PDF is refused for what it is: "send PDF" would contradict the sender's PDF (found on a walk).</summary>
    [Theory]
    [InlineData("invoice.pdf", "This file is named like a PDF but its content is not one.")]
    [InlineData("photo.jpg", "This file is named like an image but its content is not one.")]
    [InlineData("setup.exe", "This kind of file cannot be sent.")]
    public async Task UnknownContentUnderAnAcceptedNameIsRefusedForNotBeingWhatItsNameSays(string name, string title)
    {
        var (alice, _, thread) = await ThreadAsync();

        var upload = await UploadAsync(alice, thread, name, [(byte)'M', (byte)'Z', 0x90, 0, 3, 0, 0, 0, 4, 0, 0, 0, 0xFF, 0xFF, 0, 0]);

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, upload.StatusCode);
        var problem = await upload.Content.ReadFromJsonAsync<Microsoft.AspNetCore.Mvc.ProblemDetails>();
        Assert.Equal(ApiErrors.AttachmentTypeNotAllowed, (await TestData.ProblemAsync(upload)).Code);
        Assert.Equal(title, problem!.Title);
    }

    [Fact]
    public async Task AnImageThatCannotBeDecodedIsRefused()
    {
        var (alice, _, thread) = await ThreadAsync();
        // A HEIC signature with nothing behind it.
        byte[] brokenHeic = [0x00, 0x00, 0x00, 0x18, .. "ftypheic"u8, 0x00, 0x00, 0x00, 0x00, .. "mif1heic"u8];

        var upload = await UploadAsync(alice, thread, "phone.heic", brokenHeic);

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, upload.StatusCode);
        Assert.Equal(ApiErrors.AttachmentTypeNotAllowed, (await TestData.ProblemAsync(upload)).Code);
    }

    [Fact]
    public async Task AFileWhoseNameContradictsItsContentIsRefused()
    {
        var (alice, _, thread) = await ThreadAsync();

        var upload = await UploadAsync(alice, thread, "report.pdf", SampleFiles.For("x.png"));

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, upload.StatusCode);
        Assert.Equal(ApiErrors.AttachmentTypeMismatch, (await TestData.ProblemAsync(upload)).Code);
    }

    [Fact]
    public async Task AFileOneByteOverTheLimitIsRefusedWith413AndNothingIsKept()
    {
        var (alice, _, thread) = await ThreadAsync();
        var uploads = Path.Combine(App.DataDirectory, "attachments", "uploads");
        var tooLarge = new byte[(25 * 1024 * 1024) + 1];
        SampleFiles.For("x.pdf").CopyTo(tooLarge, 0);

        var upload = await UploadAsync(alice, thread, "scan.pdf", tooLarge);
        var problem = await upload.Content.ReadFromJsonAsync<Microsoft.AspNetCore.Mvc.ProblemDetails>();

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, upload.StatusCode);
        Assert.Equal(ApiErrors.AttachmentTooLarge, problem!.Extensions["code"]?.ToString());
        Assert.Equal("File over 25 MB — compress and retry", problem.Title);
        Assert.Empty(Directory.GetFiles(uploads));
    }

    [Fact]
    public async Task OutsidersCanNeitherUploadNorFetch()
    {
        var (alice, _, thread) = await ThreadAsync();
        var lara = await App.SignInAsync(DemoData.Lara);
        var otherPatient = await App.SignInAsync(TestData.PortalPatient(85).Email!);
        var stored = await (await UploadAsync(alice, thread, "x.png", SampleFiles.For("x.png"))).Content.ReadFromJsonAsync<AttachmentDto>();

        var laraUpload = await UploadAsync(lara, thread, "x.png", SampleFiles.For("x.png"));
        var laraFetch = await lara.Http.GetAsync($"/api/v1/attachments/{stored!.AttachmentId}");
        var otherFetch = await otherPatient.Http.GetAsync($"/api/v1/attachments/{stored.AttachmentId}");
        var unknown = await alice.Http.GetAsync($"/api/v1/attachments/{Guid.NewGuid()}");

        Assert.All([laraUpload, laraFetch, otherFetch, unknown], r => Assert.Equal(HttpStatusCode.NotFound, r.StatusCode));
    }

    [Fact]
    public async Task AMessageCarriesItsAttachmentsToThePatient()
    {
        var (alice, patient, thread) = await ThreadAsync();
        var xray = await (await UploadAsync(alice, thread, "xray.png", SampleFiles.For("x.png"))).Content.ReadFromJsonAsync<AttachmentDto>();
        var plan = await (await UploadAsync(alice, thread, "plan.pdf", SampleFiles.For("x.pdf"))).Content.ReadFromJsonAsync<AttachmentDto>();

        var sent = await alice.Http.PostAsJsonAsync($"/api/v1/conversations/{thread}/messages",
            new { clientMessageId = "with-files", text = "", attachmentIds = new[] { xray!.AttachmentId, plan!.AttachmentId } });
        var page = await TestData.PageAsync(patient, thread);

        Assert.Equal(HttpStatusCode.Created, sent.StatusCode);
        var attachments = page.Messages.Single(m => m.ClientMessageId == "with-files").Attachments!;
        Assert.Equal([("image/png", xray.AttachmentId, "xray.png"), ("application/pdf", plan.AttachmentId, "plan.pdf")], attachments.Select(a => (a.ContentType, a.AttachmentId, a.Name)));
        Assert.Equal(HttpStatusCode.OK, (await patient.Http.GetAsync(attachments[0].Url)).StatusCode);
    }

    [Fact]
    public async Task AMessageOfFilesAloneIsPreviewedByTheirCountAndKindNeverTheirNames()
    {
        var (alice, patient, thread) = await ThreadAsync();
        var photo = await (await UploadAsync(patient, thread, "rash-on-arm.jpg", SampleFiles.For("x.jpg"))).Content.ReadFromJsonAsync<AttachmentDto>();
        await SendWithAsync(patient, thread, photo!.AttachmentId);
        var onePhoto = await alice.Http.GetFromJsonAsync<ThreadDto>($"/api/v1/conversations/{thread}");

        var xray = await (await UploadAsync(alice, thread, "xray.png", SampleFiles.For("x.png"))).Content.ReadFromJsonAsync<AttachmentDto>();
        var plan = await (await UploadAsync(alice, thread, "plan.pdf", SampleFiles.For("x.pdf"))).Content.ReadFromJsonAsync<AttachmentDto>();
        await alice.Http.PostAsJsonAsync($"/api/v1/conversations/{thread}/messages",
            new { clientMessageId = "two-files", text = "", attachmentIds = new[] { xray!.AttachmentId, plan!.AttachmentId } });
        var twoFiles = await patient.Http.GetFromJsonAsync<ThreadDto>($"/api/v1/conversations/{thread}");

        Assert.Equal(("📎 Photo", "📎 2 files"), (onePhoto!.LastMessagePreview, twoFiles!.LastMessagePreview));
    }

    [Fact]
    public async Task NobodyAttachesAFileTheyDidNotUploadToThisThread()
    {
        var (alice, patient, thread) = await ThreadAsync();
        var (_, _, otherThread) = await ThreadAsync();
        var patientsFile = await (await UploadAsync(patient, thread, "photo.jpg", SampleFiles.For("x.jpg"))).Content.ReadFromJsonAsync<AttachmentDto>();
        var otherThreadsFile = await (await UploadAsync(alice, otherThread, "x.png", SampleFiles.For("x.png"))).Content.ReadFromJsonAsync<AttachmentDto>();

        var borrowed = await alice.Http.PostAsJsonAsync($"/api/v1/conversations/{thread}/messages",
            new { clientMessageId = "borrowed", text = "see", attachmentIds = new[] { patientsFile!.AttachmentId } });
        var moved = await alice.Http.PostAsJsonAsync($"/api/v1/conversations/{thread}/messages",
            new { clientMessageId = "moved", text = "see", attachmentIds = new[] { otherThreadsFile!.AttachmentId } });

        Assert.All([borrowed, moved], r => Assert.Equal(HttpStatusCode.BadRequest, r.StatusCode));
        Assert.Equal("attachmentIds", (await TestData.ProblemAsync(borrowed)).Field);
        Assert.Empty((await TestData.PageAsync(alice, thread)).Messages);
    }

    [Fact]
    public async Task APhotosLocationIsGoneAfterUpload()
    {
        var (alice, patient, thread) = await ThreadAsync();
        var exif = new ExifProfile();
        exif.SetValue(ExifTag.GPSLatitudeRef, "N");
        exif.SetValue(ExifTag.GPSLatitude, [new Rational(51, 1), new Rational(30, 1), new Rational(0, 1)]);
        exif.SetValue(ExifTag.Make, "PhoneMaker");
        var photo = SampleFiles.Image(MagickFormat.Jpeg, exif);
        Assert.Contains(new MagickImage(photo).GetExifProfile()!.Values, v => v.Tag == ExifTag.GPSLatitude);

        var stored = await (await UploadAsync(patient, thread, "swelling.jpg", photo)).Content.ReadFromJsonAsync<AttachmentDto>();
        await SendWithAsync(patient, thread, stored!.AttachmentId);
        var downloaded = await (await alice.Http.GetAsync($"/api/v1/attachments/{stored.AttachmentId}")).Content.ReadAsByteArrayAsync();

        var kept = new MagickImage(downloaded).GetExifProfile();
        Assert.DoesNotContain(kept?.Values ?? [], v => v.Tag.ToString().StartsWith("GPS", StringComparison.Ordinal));
        Assert.Contains(kept!.Values, v => v.Tag == ExifTag.Make);
        Assert.DoesNotContain(Directory.EnumerateFiles(Path.Combine(App.DataDirectory, "attachments"), "*", SearchOption.AllDirectories),
            path => new FileInfo(path).Length == photo.Length && File.ReadAllBytes(path).SequenceEqual(photo));
    }

    /// <summary>A real phone HEIC (see Samples/README.md): browsers cannot show HEIC, so it is kept as a JPEG, without its location.</summary>
    [Fact]
    public async Task APhonesHeicPhotoIsKeptAsAJpegWithoutItsLocation()
    {
        var (alice, patient, thread) = await ThreadAsync();
        var heic = await File.ReadAllBytesAsync(Path.Combine(AppContext.BaseDirectory, "Samples", "phone.heic"));
        Assert.Contains(new MagickImage(heic).GetExifProfile()!.Values, v => v.Tag == ExifTag.GPSLatitude);

        var upload = await UploadAsync(patient, thread, "IMG_0042.HEIC", heic);
        var stored = await upload.Content.ReadFromJsonAsync<AttachmentDto>();
        await SendWithAsync(patient, thread, stored!.AttachmentId);
        var download = await alice.Http.GetAsync($"/api/v1/attachments/{stored.AttachmentId}");
        var image = new MagickImage(await download.Content.ReadAsByteArrayAsync());

        Assert.Equal(HttpStatusCode.Created, upload.StatusCode);
        Assert.Equal("image/jpeg", stored.ContentType);
        Assert.Equal("image/jpeg", download.Content.Headers.ContentType?.MediaType);
        Assert.Equal((MagickFormat.Jpeg, 320u, 240u), (image.Format, image.Width, image.Height));
        Assert.DoesNotContain(image.GetExifProfile()?.Values ?? [], v => v.Tag.ToString().StartsWith("GPS", StringComparison.Ordinal));
        Assert.EndsWith(".jpg", download.Content.Headers.ContentDisposition?.FileName?.Trim('"'), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("plan.pdf")]
    [InlineData("xray.png")]
    public async Task ImagesAndPdfsHaveASmallJpegPreviewForParticipants(string name)
    {
        var (alice, patient, thread) = await ThreadAsync();
        var stored = await (await UploadAsync(alice, thread, name, SampleFiles.For(name))).Content.ReadFromJsonAsync<AttachmentDto>();
        await SendWithAsync(alice, thread, stored!.AttachmentId);

        var preview = await patient.Http.GetAsync($"/api/v1/attachments/{stored.AttachmentId}/preview");
        var bytes = await preview.Content.ReadAsByteArrayAsync();

        Assert.Equal(HttpStatusCode.OK, preview.StatusCode);
        Assert.Equal("image/jpeg", preview.Content.Headers.ContentType?.MediaType);
        Assert.Equal([0xFF, 0xD8, 0xFF], bytes[..3]);
    }

    /// <summary>A PDF opens in the browser's viewer: inline, under its name, loading nothing else; documents stay downloads.</summary>
    [Fact]
    public async Task APdfOpensInlineInTheBrowserForParticipantsAndOtherDocumentsDoNot()
    {
        var (alice, patient, thread) = await ThreadAsync();
        var lara = await App.SignInAsync(DemoData.Lara);
        var pdf = await (await UploadAsync(alice, thread, "care plan.pdf", SampleFiles.For("plan.pdf"))).Content.ReadFromJsonAsync<AttachmentDto>();
        var docx = await (await UploadAsync(alice, thread, "form.docx", SampleFiles.For("form.docx"))).Content.ReadFromJsonAsync<AttachmentDto>();
        await SendWithAsync(alice, thread, pdf!.AttachmentId);
        await SendWithAsync(alice, thread, docx!.AttachmentId);

        var view = await patient.Http.GetAsync($"/api/v1/attachments/{pdf.AttachmentId}/view");
        var document = await patient.Http.GetAsync($"/api/v1/attachments/{docx.AttachmentId}/view");
        var outsider = await lara.Http.GetAsync($"/api/v1/attachments/{pdf.AttachmentId}/view");

        Assert.Equal(HttpStatusCode.OK, view.StatusCode);
        Assert.Equal("application/pdf", view.Content.Headers.ContentType?.MediaType);
        Assert.Equal(("inline", "care plan.pdf"), (view.Content.Headers.ContentDisposition?.DispositionType, view.Content.Headers.ContentDisposition?.FileNameStar));
        Assert.Equal("default-src 'none'; object-src 'self'", string.Join(";", view.Headers.GetValues("Content-Security-Policy")));
        Assert.Equal("nosniff", string.Join(",", view.Headers.GetValues("X-Content-Type-Options")));
        Assert.True(view.Headers.CacheControl?.NoStore);
        Assert.Equal(SampleFiles.For("plan.pdf"), await view.Content.ReadAsByteArrayAsync());
        Assert.Equal((HttpStatusCode.NotFound, "not_viewable"), (document.StatusCode, (await TestData.ProblemAsync(document)).Code));
        Assert.Equal((HttpStatusCode.NotFound, "not_found"), (outsider.StatusCode, (await TestData.ProblemAsync(outsider)).Code));
    }

    [Fact]
    public async Task DocumentsHaveNoPreviewAndOutsidersGetNothing()
    {
        var (alice, _, thread) = await ThreadAsync();
        var lara = await App.SignInAsync(DemoData.Lara);
        var docx = await (await UploadAsync(alice, thread, "form.docx", SampleFiles.For("form.docx"))).Content.ReadFromJsonAsync<AttachmentDto>();
        var png = await (await UploadAsync(alice, thread, "x.png", SampleFiles.For("x.png"))).Content.ReadFromJsonAsync<AttachmentDto>();

        var none = await alice.Http.GetAsync($"/api/v1/attachments/{docx!.AttachmentId}/preview");
        var outsider = await lara.Http.GetAsync($"/api/v1/attachments/{png!.AttachmentId}/preview");

        Assert.Equal((HttpStatusCode.NotFound, "no_preview"), (none.StatusCode, (await TestData.ProblemAsync(none)).Code));
        Assert.Equal((HttpStatusCode.NotFound, "not_found"), (outsider.StatusCode, (await TestData.ProblemAsync(outsider)).Code));
    }

    /// <summary>Over real Kestrel and sockets (the in-memory test server would buffer the whole body): a 200 MB upload is cut off early.</summary>
    [Fact]
    public async Task TheServerStopsReadingSoonAfterTheLimit()
    {
        var port = ClinicChatApp.FreePort();
        await using var kestrel = new ClinicChatApp();
        kestrel.UseKestrel(options => options.Listen(IPAddress.Loopback, port));
        kestrel.StartServer();
        var patient = TestData.PortalPatient(93);
        using var alice = new HttpClient(new HttpClientHandler { CookieContainer = new CookieContainer() }) { BaseAddress = new Uri($"http://127.0.0.1:{port}") }.WithRequestHeader();
        (await alice.PostAsJsonAsync("/api/v1/auth/login", new { email = DemoData.Alice, password = DemoData.Password })).EnsureSuccessStatusCode();
        var thread = (await (await alice.PostAsJsonAsync("/api/v1/conversations", new { patientId = patient.Id })).Content.ReadFromJsonAsync<ConversationDto>())!.Id;
        var body = new CountingStream(totalBytes: 200L * 1024 * 1024);
        var content = new MultipartFormDataContent();
        var file = new StreamContent(body);
        file.Headers.ContentType = new MediaTypeHeaderValue("application/pdf");
        content.Add(file, "file", "huge.pdf");

        HttpResponseMessage? response = null;
        try
        {
            response = await alice.PostAsync($"/api/v1/conversations/{thread}/attachments", content);
        }
        catch (HttpRequestException)
        {
            // The server may end the request before the client finished sending: that is the point.
        }

        kestrel.DeleteData();
        Assert.True(response is null || response.StatusCode == HttpStatusCode.RequestEntityTooLarge, $"Answered {response?.StatusCode}.");
        // The 25 MB read plus what socket and Kestrel buffers hold in flight: measured 29–36 MB sent of
        // 200 MB, more under load. The point is that the server stops, not how full the buffers are.
        Assert.True(body.BytesRead < 64L * 1024 * 1024, $"The client was made to send {body.BytesRead} of 200 MB.");
    }

    /// <summary>A large body produced on demand, counting how much of it was read.</summary>
    private sealed class CountingStream(long totalBytes) : Stream
    {
        private long _position;

        public long BytesRead => Interlocked.Read(ref _position);

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => _position; set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count)
        {
            var n = (int)Math.Min(count, totalBytes - _position);
            if (n <= 0)
            {
                return 0;
            }

            if (_position == 0)
            {
                "%PDF-"u8.CopyTo(buffer.AsSpan(offset));
            }

            Interlocked.Add(ref _position, n);
            return n;
        }

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }

    [Theory]
    [InlineData("../../etc/passwd.png", "passwd.png")]
    [InlineData("C:\\Users\\pat\\scan.PDF", "scan.pdf")]
    [InlineData("report\u0000\u0007.pdf", "report.pdf")]
    [InlineData(".pdf", "attachment.pdf")]
    [InlineData("Lab results\u202Efdp.pdf", "Lab resultsfdp.pdf")]
    [InlineData("\u2066scan\u200B\u2069\u200D.pdf", "scan.pdf")]
    [InlineData("\uFEFF\u00ADinvoice\U000E0001.pdf", "invoice.pdf")]
    public void DisplayNamesAreJustAFileNameWithTheRealExtension(string claimed, string shown)
    {
        var type = shown.EndsWith(".png", StringComparison.Ordinal) ? ClinicChat.Attachments.AttachmentTypes.Png : ClinicChat.Attachments.AttachmentTypes.Pdf;

        Assert.Equal(shown, ClinicChat.Attachments.AttachmentIntake.DisplayName(claimed, type));
    }

    private async Task<(ApiSession Staff, ApiSession Patient, Guid Thread)> ThreadAsync()
    {
        var chat = await ChatScenario.StartAsync(App);
        return (chat.Staff, await chat.SignInPatientAsync(), chat.ThreadId);
    }

    /// <summary>Sends a message carrying the file: until then only its uploader may open it.</summary>
    internal static async Task SendWithAsync(ApiSession sender, Guid thread, Guid attachmentId)
    {
        var sent = await sender.Http.PostAsJsonAsync($"/api/v1/conversations/{thread}/messages",
            new { clientMessageId = Guid.NewGuid().ToString("N"), text = "", attachmentIds = new[] { attachmentId } });
        Assert.Equal(HttpStatusCode.Created, sent.StatusCode);
    }

    internal static Task<HttpResponseMessage> UploadAsync(ApiSession session, Guid thread, string name, byte[] bytes)
    {
        var content = new MultipartFormDataContent();
        var file = new ByteArrayContent(bytes);
        file.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        content.Add(file, "file", name);
        return session.Http.PostAsync($"/api/v1/conversations/{thread}/attachments", content);
    }
}

/// <summary>Small but real files of each accepted type, built the way their formats define them.</summary>
internal static class SampleFiles
{
    public static byte[] For(string name) => Path.GetExtension(name) switch
    {
        ".png" => Image(MagickFormat.Png),
        ".jpg" => Image(MagickFormat.Jpeg),
        ".gif" => Image(MagickFormat.Gif),
        ".webp" => Image(MagickFormat.WebP),
        ".pdf" => "%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 200 260]>>endobj\nxref\n0 4\n0000000000 65535 f \n0000000009 00000 n \n0000000052 00000 n \n0000000101 00000 n \ntrailer<</Size 4/Root 1 0 R>>\nstartxref\n164\n%%EOF\n"u8.ToArray(),
        ".docx" => Zip(("[Content_Types].xml", "<Types/>"), ("word/document.xml", "<w:document/>")),
        ".xlsx" => Zip(("[Content_Types].xml", "<Types/>"), ("xl/workbook.xml", "<workbook/>")),
        ".odt" => Zip(("mimetype", "application/vnd.oasis.opendocument.text"), ("content.xml", "<office:document-content/>")),
        ".csv" => "date,systolic,diastolic\n2026-11-20,121,79\n"u8.ToArray(),
        _ => "Blood pressure this week: fine.\nNo dizziness.\n"u8.ToArray(),
    };

    /// <summary>A real 8×8 image in the given format, encoded by ImageMagick.</summary>
    public static byte[] Image(MagickFormat format, IExifProfile? exif = null)
    {
        using var image = new MagickImage(MagickColors.SteelBlue, 8, 8) { Format = format };
        if (exif is not null)
        {
            image.SetProfile(exif);
        }

        return image.ToByteArray();
    }

    internal static byte[] Zip(params (string Name, string Content)[] entries)
    {
        using var buffer = new MemoryStream();
        using (var zip = new ZipArchive(buffer, ZipArchiveMode.Create, leaveOpen: true))
        {
            foreach (var (entryName, content) in entries)
            {
                using var writer = new StreamWriter(zip.CreateEntry(entryName).Open());
                writer.Write(content);
            }
        }

        return buffer.ToArray();
    }
}
