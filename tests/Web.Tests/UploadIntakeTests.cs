using System.Diagnostics;
using System.IO.Compression;
using ImageMagick;
using MetadataExtractor;
using MetadataExtractor.Formats.Exif;
using MetadataExtractor.Formats.Iptc;
using MetadataExtractor.Formats.Xmp;
using static ClinicChat.Web.Tests.AttachmentsApiTests;

namespace ClinicChat.Web.Tests;

/// <summary>What an uploaded file may be and contain (issue 15): each test is an attack that used to get through.</summary>
[Collection(AppCollection.Name)]
public sealed class UploadIntakeTests(AppFixture fixture)
{
    private ClinicChatApp App => fixture.App;

    [Fact]
    public async Task AnUnsentUploadIsOnlyForItsUploaderUntilAMessageCarriesIt()
    {
        var (alice, patient, thread) = await ThreadAsync();
        var draft = await (await UploadAsync(alice, thread, "draft.png", SampleFiles.For("x.png"))).Content.ReadFromJsonAsync<AttachmentDto>();

        var patientBefore = await patient.Http.GetAsync($"/api/v1/attachments/{draft!.AttachmentId}");
        var previewBefore = await patient.Http.GetAsync($"/api/v1/attachments/{draft.AttachmentId}/preview");
        var uploaderBefore = await alice.Http.GetAsync($"/api/v1/attachments/{draft.AttachmentId}");
        await SendWithAsync(alice, thread, draft.AttachmentId);
        var patientAfter = await patient.Http.GetAsync($"/api/v1/attachments/{draft.AttachmentId}");

        Assert.Equal((HttpStatusCode.NotFound, "not_found"), (patientBefore.StatusCode, (await TestData.ProblemAsync(patientBefore)).Code));
        Assert.Equal(HttpStatusCode.NotFound, previewBefore.StatusCode);
        Assert.Equal(HttpStatusCode.OK, uploaderBefore.StatusCode);
        Assert.Equal(HttpStatusCode.OK, patientAfter.StatusCode);
    }

    [Fact]
    public async Task APdfWhoseStreamReadsAnotherFileIsRefused()
    {
        var (_, patient, thread) = await ThreadAsync();
        var pdf = Pdfs.Plain("<</Type/Page/Parent 2 0 R/MediaBox[0 0 200 200]/Contents 4 0 R>>", "<</Length 0/F(/var/lib/clinicchat/clinicchat.db)>>stream\nendstream");

        var upload = await UploadAsync(patient, thread, "results.pdf", pdf);

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, upload.StatusCode);
        Assert.Equal(ApiErrors.AttachmentPdfUnsafe, (await TestData.ProblemAsync(upload)).Code);
    }

    [Fact]
    public async Task APdfWithALaunchActionIsRefused()
    {
        var (_, patient, thread) = await ThreadAsync();
        var pdf = Pdfs.Plain("<</Type/Page/Parent 2 0 R/MediaBox[0 0 200 200]/AA<</O 4 0 R>>>>", "<</S/Launch/F(calc.exe)>>");

        var upload = await UploadAsync(patient, thread, "results.pdf", pdf);

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, upload.StatusCode);
        Assert.Equal(ApiErrors.AttachmentPdfUnsafe, (await TestData.ProblemAsync(upload)).Code);
    }

    /// <summary>The script sits in a compressed object stream: the raw bytes never say JavaScript.</summary>
    [Fact]
    public async Task JavaScriptHiddenInACompressedObjectStreamIsRefused()
    {
        var (_, patient, thread) = await ThreadAsync();
        var pdf = Pdfs.WithObjectStream(["<</S/JavaScript/JS(app.alert(1))>>"]);
        Assert.Equal(-1, pdf.AsSpan().IndexOf("JavaScript"u8));
        Assert.Equal(-1, pdf.AsSpan().IndexOf("/JS"u8));

        var upload = await UploadAsync(patient, thread, "results.pdf", pdf);
        var problem = await upload.Content.ReadFromJsonAsync<Microsoft.AspNetCore.Mvc.ProblemDetails>();

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, upload.StatusCode);
        Assert.Equal(ApiErrors.AttachmentPdfUnsafe, problem!.Extensions["code"]?.ToString());
        Assert.Equal("This PDF cannot be accepted.", problem.Title);
    }

    [Fact]
    public async Task AHarmlessPdfWithACompressedObjectStreamIsAccepted()
    {
        var (_, patient, thread) = await ThreadAsync();

        var upload = await UploadAsync(patient, thread, "results.pdf", Pdfs.WithObjectStream(["<</Producer(Scanner)>>"]));

        Assert.Equal(HttpStatusCode.Created, upload.StatusCode);
    }

    [Fact]
    public async Task AFileThatOnlyStartsLikeAPdfIsRefusedAsUnreadable()
    {
        var (_, patient, thread) = await ThreadAsync();

        var upload = await UploadAsync(patient, thread, "results.pdf", "%PDF-1.7\nthis is not a pdf at all\n"u8.ToArray());
        var problem = await upload.Content.ReadFromJsonAsync<Microsoft.AspNetCore.Mvc.ProblemDetails>();

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, upload.StatusCode);
        Assert.Equal((ApiErrors.AttachmentTypeNotAllowed, "This PDF could not be read."), (problem!.Extensions["code"]?.ToString(), problem.Title));
    }

    /// <summary>
    /// 200,000 objects in under 2 MB. Refused from the declared counts before PdfPig builds anything;
    /// the time bound is generous for a shared machine (it answers in tens of milliseconds when idle).
    /// </summary>
    [Fact]
    public async Task APdfDeclaringAnAbsurdNumberOfObjectsIsRefusedQuickly()
    {
        var (_, patient, thread) = await ThreadAsync();
        var pdf = Pdfs.WithObjectStream([.. Enumerable.Range(0, 200_000).Select(i => $"<</N {i}>>")]);

        var watch = Stopwatch.StartNew();
        var upload = await UploadAsync(patient, thread, "results.pdf", pdf);
        watch.Stop();

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, upload.StatusCode);
        Assert.Equal(ApiErrors.AttachmentPdfUnsafe, (await TestData.ProblemAsync(upload)).Code);
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(5), $"Took {watch.Elapsed}.");
    }

    /// <summary>200 MB of spaces after the real type, in a file of about 200 KB: read whole, it took gigabytes.</summary>
    [Fact]
    public async Task AnOpenDocumentWhoseMimetypeInflatesToHundredsOfMegabytesIsRefused()
    {
        var (_, patient, thread) = await ThreadAsync();
        using var buffer = new MemoryStream();
        using (var zip = new ZipArchive(buffer, ZipArchiveMode.Create, leaveOpen: true))
        {
            using (var mimetype = zip.CreateEntry("mimetype", CompressionLevel.SmallestSize).Open())
            {
                mimetype.Write("application/vnd.oasis.opendocument.text"u8);
                var spaces = new byte[1024 * 1024];
                Array.Fill(spaces, (byte)' ');
                for (var i = 0; i < 200; i++)
                {
                    mimetype.Write(spaces);
                }
            }

            using var content = new StreamWriter(zip.CreateEntry("content.xml").Open());
            content.Write("<office:document-content/>");
        }

        var upload = await UploadAsync(patient, thread, "letter.odt", buffer.ToArray());

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, upload.StatusCode);
        Assert.Equal(ApiErrors.AttachmentArchiveUnsafe, (await TestData.ProblemAsync(upload)).Code);
    }

    [Fact]
    public async Task AWordDocumentWithTensOfThousandsOfEntriesIsRefused()
    {
        var (_, patient, thread) = await ThreadAsync();
        var docx = SampleFiles.Zip([("[Content_Types].xml", "<Types/>"), ("word/document.xml", "<w:document/>"), .. Enumerable.Range(0, 20_000).Select(i => ($"word/media/{i}.xml", ""))]);

        var upload = await UploadAsync(patient, thread, "form.docx", docx);

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, upload.StatusCode);
        Assert.Equal(ApiErrors.AttachmentArchiveUnsafe, (await TestData.ProblemAsync(upload)).Code);
    }

    /// <summary>Sizes in the central directory are the sender's word; a reader allocates what they say.</summary>
    [Fact]
    public async Task AnArchiveDeclaringMoreThanHalfAGigabyteUnpackedIsRefused()
    {
        var (_, patient, thread) = await ThreadAsync();
        var docx = SampleFiles.Zip([("[Content_Types].xml", "<Types/>"), ("word/document.xml", "<w:document/>"), .. Enumerable.Range(0, 6).Select(i => ($"word/media/{i}.bin", "x"))]);
        // Each central directory record (PK\x01\x02) has the uncompressed size at offset 24: claim 100 MB each.
        for (var at = docx.AsSpan().IndexOf("PK\u0001\u0002"u8); at >= 0; at = NextRecord(docx, at))
        {
            BitConverter.TryWriteBytes(docx.AsSpan(at + 24, 4), 100 * 1024 * 1024);
        }

        var upload = await UploadAsync(patient, thread, "form.docx", docx);

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, upload.StatusCode);
        Assert.Equal(ApiErrors.AttachmentArchiveUnsafe, (await TestData.ProblemAsync(upload)).Code);

        static int NextRecord(byte[] zip, int from)
        {
            var next = zip.AsSpan(from + 4).IndexOf("PK\u0001\u0002"u8);
            return next < 0 ? -1 : from + 4 + next;
        }
    }

    public static TheoryData<string> StoredImageFormats => new() { "png", "jpg", "webp" };

    /// <summary>
    /// GPS in EXIF (PNG keeps it in eXIf, which ImageMagick used to write back as tEXt exif:GPSLatitude),
    /// in XMP and in IPTC: none of it is in the stored bytes, read back through the API.
    /// </summary>
    [Theory]
    [MemberData(nameof(StoredImageFormats))]
    public async Task NoLocationSurvivesInAStoredImage(string extension)
    {
        var (alice, patient, thread) = await ThreadAsync();
        var photo = Photos.WithLocation(extension switch { "png" => MagickFormat.Png, "jpg" => MagickFormat.Jpeg, _ => MagickFormat.WebP });
        Assert.True(Photos.MentionsLocation(photo), "The sample must carry a location to begin with.");

        var stored = await (await UploadAsync(patient, thread, $"swelling.{extension}", photo)).Content.ReadFromJsonAsync<AttachmentDto>();
        await SendWithAsync(patient, thread, stored!.AttachmentId);
        var bytes = await (await alice.Http.GetAsync($"/api/v1/attachments/{stored.AttachmentId}")).Content.ReadAsByteArrayAsync();
        var directories = ImageMetadataReader.ReadMetadata(new MemoryStream(bytes));

        Assert.False(Photos.MentionsLocation(bytes), "The stored bytes still name a location.");
        Assert.Empty(directories.OfType<GpsDirectory>());
        Assert.Empty(directories.OfType<IptcDirectory>());
        Assert.DoesNotContain(directories.OfType<XmpDirectory>().SelectMany(x => x.XmpMeta?.Properties ?? []), p => p.Path?.Contains("GPS", StringComparison.OrdinalIgnoreCase) == true);
        if (extension == "jpg")
        {
            Assert.Equal(6, directories.OfType<ExifIfd0Directory>().Single().GetInt32(ExifDirectoryBase.TagOrientation));
        }
    }

    /// <summary>Text chunks may follow the image data, past where a header read stops: they are found and dropped too.</summary>
    [Fact]
    public async Task ALocationInTextChunksAfterThePixelsIsRemovedToo()
    {
        var (alice, patient, thread) = await ThreadAsync();
        var photo = TestPng.WithChunkAtTheEnd(SampleFiles.Image(MagickFormat.Png), "tEXt", Encoding.Latin1.GetBytes("exif:GPSLatitude\0" + "51/1, 30/1, 0/1"));
        photo = TestPng.WithChunkAtTheEnd(photo, "iTXt", Encoding.UTF8.GetBytes("XML:com.adobe.xmp\0\0\0\0\0" + "<x:xmpmeta xmlns:x='adobe:ns:meta/'><rdf:RDF xmlns:rdf='http://www.w3.org/1999/02/22-rdf-syntax-ns#'><rdf:Description xmlns:photoshop='http://ns.adobe.com/photoshop/1.0/' photoshop:City='London'/></rdf:RDF></x:xmpmeta>"));
        Assert.True(Photos.MentionsLocation(photo), "The sample must carry a location to begin with.");

        var stored = await (await UploadAsync(patient, thread, "bruise.png", photo)).Content.ReadFromJsonAsync<AttachmentDto>();
        await SendWithAsync(patient, thread, stored!.AttachmentId);
        var bytes = await (await alice.Http.GetAsync($"/api/v1/attachments/{stored.AttachmentId}")).Content.ReadAsByteArrayAsync();

        Assert.False(Photos.MentionsLocation(bytes), "The stored bytes still name a location.");
        Assert.Equal((8u, 8u), (new MagickImageInfo(bytes).Width, new MagickImageInfo(bytes).Height));
    }

    [Fact]
    public async Task AJpegWithNothingToRemoveIsStoredUntouched()
    {
        var (alice, patient, thread) = await ThreadAsync();
        var exif = new ExifProfile();
        exif.SetValue(ExifTag.Make, "PhoneMaker");
        exif.SetValue(ExifTag.Orientation, (ushort)6);
        var photo = SampleFiles.Image(MagickFormat.Jpeg, exif);

        var stored = await (await UploadAsync(patient, thread, "rash.jpg", photo)).Content.ReadFromJsonAsync<AttachmentDto>();
        await SendWithAsync(patient, thread, stored!.AttachmentId);
        var bytes = await (await alice.Http.GetAsync($"/api/v1/attachments/{stored.AttachmentId}")).Content.ReadAsByteArrayAsync();

        Assert.Equal(photo, bytes);
    }

    [Fact]
    public async Task InvisibleCharactersInAFileNameNeverReachTheCard()
    {
        var (alice, patient, thread) = await ThreadAsync();
        // Shown as "Lab resultstxt.pdf" by a browser: the override reverses what follows it.
        var stored = await (await UploadAsync(alice, thread, "Lab results\u202Efdp.txt", "Potassium 4.1 mmol/L\n"u8.ToArray())).Content.ReadFromJsonAsync<AttachmentDto>();
        await SendWithAsync(alice, thread, stored!.AttachmentId);

        var card = (await TestData.PageAsync(patient, thread)).Messages.SelectMany(m => m.Attachments ?? []).Single(a => a.AttachmentId == stored.AttachmentId);

        Assert.Equal("Lab resultsfdp.txt", card.Name);
    }

    [Theory]
    [InlineData("\u200B<html><script>alert(1)</script></html>")]
    [InlineData("\u2060 \u200D\n<svg onload=alert(1)>")]
    [InlineData("\uFEFF\u00AD<p>hi</p>")]
    public async Task MarkupBehindInvisibleCharactersIsRefused(string content)
    {
        var (alice, _, thread) = await ThreadAsync();

        var upload = await UploadAsync(alice, thread, "notes.txt", Encoding.UTF8.GetBytes(content));

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, upload.StatusCode);
        Assert.Equal(ApiErrors.AttachmentTypeNotAllowed, (await TestData.ProblemAsync(upload)).Code);
    }

    private async Task<(ApiSession Staff, ApiSession Patient, Guid Thread)> ThreadAsync()
    {
        var chat = await ChatScenario.StartAsync(App);
        return (chat.Staff, await chat.SignInPatientAsync(), chat.ThreadId);
    }
}

/// <summary>Small PDFs built by the rules of PDF 32000-1: real cross-reference tables and streams.</summary>
internal static class Pdfs
{
    /// <summary>Catalog, pages, the given page (object 3) and object 4, with a classic cross-reference table.</summary>
    public static byte[] Plain(string page, string object4)
    {
        var pdf = new StringBuilder("%PDF-1.7\n");
        string[] objects = ["<</Type/Catalog/Pages 2 0 R>>", "<</Type/Pages/Kids[3 0 R]/Count 1>>", page, object4];
        var offsets = new List<int>();
        for (var i = 0; i < objects.Length; i++)
        {
            offsets.Add(pdf.Length);
            pdf.Append($"{i + 1} 0 obj\n{objects[i]}\nendobj\n");
        }

        var xref = pdf.Length;
        pdf.Append($"xref\n0 {objects.Length + 1}\n0000000000 65535 f \n");
        foreach (var offset in offsets)
        {
            pdf.Append($"{offset:D10} 00000 n \n");
        }

        pdf.Append($"trailer\n<</Size {objects.Length + 1}/Root 1 0 R>>\nstartxref\n{xref}\n%%EOF\n");
        return Encoding.Latin1.GetBytes(pdf.ToString());
    }

    /// <summary>
    /// Catalog, pages and one page as plain objects; <paramref name="compressed"/> packed into a
    /// Flate-compressed object stream (objects 5 on), listed by a compressed cross-reference stream.
    /// </summary>
    public static byte[] WithObjectStream(IReadOnlyList<string> compressed)
    {
        using var pdf = new MemoryStream();
        var offsets = new List<long>();
        Write(pdf, "%PDF-1.7\n");
        foreach (var (number, body) in new[] { (1, "<</Type/Catalog/Pages 2 0 R>>"), (2, "<</Type/Pages/Kids[3 0 R]/Count 1>>"), (3, "<</Type/Page/Parent 2 0 R/MediaBox[0 0 200 200]>>") })
        {
            offsets.Add(pdf.Position);
            Write(pdf, $"{number} 0 obj\n{body}\nendobj\n");
        }

        var header = new StringBuilder();
        var bodies = new StringBuilder();
        for (var i = 0; i < compressed.Count; i++)
        {
            header.Append($"{5 + i} {bodies.Length} ");
            bodies.Append(compressed[i]).Append('\n');
        }

        var packed = Deflate(Encoding.Latin1.GetBytes(header.ToString() + bodies));
        offsets.Add(pdf.Position);
        Write(pdf, $"4 0 obj\n<</Type/ObjStm/N {compressed.Count}/First {header.Length}/Filter/FlateDecode/Length {packed.Length}>>stream\n");
        pdf.Write(packed);
        Write(pdf, "\nendstream\nendobj\n");

        // Entries of 1 + 4 + 2 bytes: type 1 (offset, generation) or type 2 (object stream, index).
        var xrefNumber = 5 + compressed.Count;
        var xref = pdf.Position;
        using var entries = new MemoryStream();
        Entry(entries, 0, 0, 65535);
        foreach (var offset in offsets)
        {
            Entry(entries, 1, offset, 0);
        }

        for (var i = 0; i < compressed.Count; i++)
        {
            Entry(entries, 2, 4, i);
        }

        Entry(entries, 1, xref, 0);
        var table = Deflate(entries.ToArray());
        Write(pdf, $"{xrefNumber} 0 obj\n<</Type/XRef/Size {xrefNumber + 1}/W[1 4 2]/Root 1 0 R/Filter/FlateDecode/Length {table.Length}>>stream\n");
        pdf.Write(table);
        Write(pdf, $"\nendstream\nendobj\nstartxref\n{xref}\n%%EOF\n");
        return pdf.ToArray();
    }

    private static void Write(Stream stream, string text) => stream.Write(Encoding.Latin1.GetBytes(text));

    private static void Entry(Stream stream, byte type, long field2, int field3) =>
        stream.Write([type, (byte)(field2 >> 24), (byte)(field2 >> 16), (byte)(field2 >> 8), (byte)field2, (byte)(field3 >> 8), (byte)field3]);

    private static byte[] Deflate(byte[] data)
    {
        using var packed = new MemoryStream();
        using (var zlib = new ZLibStream(packed, CompressionLevel.Optimal, leaveOpen: true))
        {
            zlib.Write(data);
        }

        return packed.ToArray();
    }
}

/// <summary>Photos that say where they were taken in every way phones and editors write it.</summary>
internal static class Photos
{
    private const string Xmp =
        """
        <?xpacket begin="" id="W5M0MpCehiHzreSzNTczkc9d"?>
        <x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
        <rdf:Description rdf:about="" xmlns:exif="http://ns.adobe.com/exif/1.0/" xmlns:photoshop="http://ns.adobe.com/photoshop/1.0/"
          exif:GPSLatitude="51,30.0N" exif:GPSLongitude="0,7.5W" photoshop:City="London"/>
        </rdf:RDF></x:xmpmeta>
        <?xpacket end="w"?>
        """;

    public static byte[] WithLocation(MagickFormat format)
    {
        var exif = new ExifProfile();
        exif.SetValue(ExifTag.GPSLatitudeRef, "N");
        exif.SetValue(ExifTag.GPSLatitude, [new ImageMagick.Rational(51, 1), new ImageMagick.Rational(30, 1), new ImageMagick.Rational(0, 1)]);
        exif.SetValue(ExifTag.Make, "PhoneMaker");
        exif.SetValue(ExifTag.Orientation, (ushort)6);
        // ImageMagick writes the EXIF orientation from the image's own, so both say "rotated".
        using var image = new MagickImage(MagickColors.SteelBlue, 8, 8) { Format = format, Orientation = ImageMagick.Orientation.RightTop };
        image.SetProfile(exif);
        image.SetProfile(new XmpProfile(Encoding.UTF8.GetBytes(Xmp)));
        if (format == MagickFormat.Jpeg)
        {
            var iptc = new IptcProfile();
            iptc.SetValue(IptcTag.City, "London");
            iptc.SetValue(IptcTag.SubLocation, "Baker Street");
            image.SetProfile(iptc);
        }

        return image.ToByteArray();
    }

    public static bool MentionsLocation(byte[] image) =>
        image.AsSpan().IndexOf("GPSLatitude"u8) >= 0 || image.AsSpan().IndexOf("photoshop:City"u8) >= 0 || image.AsSpan().IndexOf("Baker Street"u8) >= 0
        || ImageMetadataReader.ReadMetadata(new MemoryStream(image)).OfType<GpsDirectory>().Any();
}
