using System.IO.Compression;
using ClinicChat.Attachments;
using ImageMagick;

namespace ClinicChat.Web.Tests;

/// <summary>
/// Previews of hostile files, rendered through the app's own blob store and renderer: the work
/// happens in the sandboxed worker process, whose memory the worker reports and these tests bound.
/// </summary>
[Collection(AppCollection.Name)]
public sealed class PreviewSandboxTests(AppFixture fixture)
{
    private ClinicChatApp App => fixture.App;

    private IBlobStore Blobs => App.Services.GetRequiredService<IBlobStore>();

    private PreviewRenderer Renderer => App.Services.GetRequiredService<PreviewRenderer>();

    /// <summary>
    /// The attack that recovered the Data Protection key: an image whose data is an external file, here
    /// the app's own SQLite database (under the system temp folder, as test data folders are). Rendered
    /// with the server's temp folder as Ghostscript's SAFER area, the picture is the database's bytes;
    /// in the worker's private folder the file cannot be opened and the page stays white.
    /// </summary>
    [Fact]
    public async Task APdfImageThatPointsAtTheServersDatabaseRendersWithoutItsBytes()
    {
        var database = Path.Combine(App.DataDirectory, "clinicchat.db");
        Assert.True(File.Exists(database));
        var pdf = TestPdf.Build(
            "<</Type/Catalog/Pages 2 0 R>>",
            "<</Type/Pages/Kids[3 0 R]/Count 1>>",
            "<</Type/Page/Parent 2 0 R/MediaBox[0 0 600 600]/Contents 4 0 R/Resources<</XObject<</Im1 5 0 R>>>>>>",
            TestPdf.Stream("q 500 0 0 500 50 50 cm /Im1 Do Q"),
            $"<</Type/XObject/Subtype/Image/Width 64/Height 64/ColorSpace/DeviceGray/BitsPerComponent 8/Length 0/F({database})>>\nstream\n\nendstream");

        using var preview = await PreviewAsync(pdf, "application/pdf");

        Assert.NotNull(preview);
        var brightness = preview.Statistics().GetChannel(PixelChannel.Red)!.Mean / Quantum.Max;
        Assert.True(brightness > 0.98, $"the preview shows bytes read from the server's disk (brightness {brightness:F2})");
    }

    [Fact]
    public async Task APageOfFiveMetresSquareRendersAtPreviewSizeInASmallWorker()
    {
        var pdf = TestPdf.Build(
            "<</Type/Catalog/Pages 2 0 R>>",
            "<</Type/Pages/Kids[3 0 R]/Count 1>>",
            "<</Type/Page/Parent 2 0 R/MediaBox[0 0 14400 14400]/Contents 4 0 R>>",
            TestPdf.Stream("0 0 1 rg 0 0 14400 7200 re f"));

        var (render, image) = await RenderAsync(pdf, "application/pdf");

        Assert.Equal(PreviewOutcome.Rendered, render.Outcome);
        Assert.Equal((480u, 480u), (image!.Width, image.Height));
        // Before the sandbox this page took 2.9 GB inside the server; at preview size it needs tens of MB.
        Assert.InRange(render.ChildPeakKilobytes, 1, 300_000);
        Assert.InRange(render.WorkerPeakKilobytes, 1, 300_000);
    }

    [Fact]
    public async Task AHundredMegapixelPngGetsNoPreviewWithoutBeingDecoded()
    {
        var png = TestPng.Blank(10_000, 10_000);

        var (render, _) = await RenderAsync(png, "image/png");

        Assert.Equal(PreviewOutcome.NoPreview, render.Outcome);
        Assert.InRange(render.WorkerPeakKilobytes, 1, 200_000);
    }

    [Fact]
    public async Task AFiftyMegapixelPhotoIsScaledWhileDecodingSoItsPixelsNeverExistAtFullSize()
    {
        byte[] jpeg;
        using (var photo = new MagickImage(MagickColors.Teal, 8_660, 5_774) { Format = MagickFormat.Jpeg, Quality = 50 })
        {
            jpeg = photo.ToByteArray();
        }

        var (render, image) = await RenderAsync(jpeg, "image/jpeg");

        Assert.Equal(PreviewOutcome.Rendered, render.Outcome);
        Assert.Equal(480u, Math.Max(image!.Width, image.Height));
        // 50 megapixels at full size would be 200 MB of pixels in the worker alone.
        Assert.InRange(render.WorkerPeakKilobytes, 1, 150_000);
    }

    [Fact]
    public async Task ConcurrentRequestsForOneFileShareOneRender()
    {
        var renders = 0;
        var release = new TaskCompletionSource<PreviewOutcome>(TaskCreationOptions.RunContinuationsAsynchronously);
        var key = Guid.NewGuid().ToString("N");

        var callers = Enumerable.Range(0, 6).Select(_ => Renderer.OnceAsync(key, () =>
        {
            Interlocked.Increment(ref renders);
            return release.Task;
        }, CancellationToken.None)).ToList();
        release.SetResult(PreviewOutcome.Rendered);
        var outcomes = await Task.WhenAll(callers);

        Assert.Equal(1, renders);
        Assert.All(outcomes, outcome => Assert.Equal(PreviewOutcome.Rendered, outcome));
    }

    [Fact]
    public async Task AFileWithNoPreviewIsRememberedAndAnsweredWithoutRenderingAgain()
    {
        var png = TestPng.Blank(10_000, 10_000);
        var sha256 = await PutAsync(png);

        var first = await Blobs.OpenPreviewAsync(sha256, "image/png", CancellationToken.None);
        var storedAnswer = File.ReadAllBytes(Path.Combine(App.DataDirectory, "attachments", sha256[..2], sha256 + ".preview.jpg"));
        var second = await Blobs.OpenPreviewAsync(sha256, "image/png", CancellationToken.None);

        Assert.Null(first);
        Assert.Empty(storedAnswer);
        Assert.Null(second);
    }

    private async Task<MagickImage?> PreviewAsync(byte[] content, string contentType)
    {
        var sha256 = await PutAsync(content);
        await using var preview = await Blobs.OpenPreviewAsync(sha256, contentType, CancellationToken.None);
        if (preview is null)
        {
            return null;
        }

        using var buffer = new MemoryStream();
        await preview.CopyToAsync(buffer);
        return new MagickImage(buffer.ToArray());
    }

    private async Task<(PreviewRender Render, MagickImage? Image)> RenderAsync(byte[] content, string contentType)
    {
        var target = Path.Combine(App.DataDirectory, "preview-" + Guid.NewGuid().ToString("N"));
        try
        {
            var render = await Renderer.RenderAsync((input, token) => File.WriteAllBytesAsync(input, content, token), contentType, target, CancellationToken.None);
            return (render, render.Outcome == PreviewOutcome.Rendered ? new MagickImage(target) : null);
        }
        finally
        {
            File.Delete(target);
        }
    }

    private async Task<string> PutAsync(byte[] content)
    {
        var upload = Blobs.NewUploadPath();
        await File.WriteAllBytesAsync(upload, content);
        return await Blobs.PutAsync(upload, CancellationToken.None);
    }
}

/// <summary>Well-formed PDFs (a real cross-reference table) from object bodies, numbered from 1.</summary>
internal static class TestPdf
{
    public static byte[] Build(params string[] objects)
    {
        var pdf = new StringBuilder("%PDF-1.4\n");
        var offsets = new List<int>();
        for (var i = 0; i < objects.Length; i++)
        {
            offsets.Add(Encoding.Latin1.GetByteCount(pdf.ToString()));
            pdf.Append($"{i + 1} 0 obj\n{objects[i]}\nendobj\n");
        }

        var xref = Encoding.Latin1.GetByteCount(pdf.ToString());
        pdf.Append($"xref\n0 {objects.Length + 1}\n0000000000 65535 f \n");
        foreach (var offset in offsets)
        {
            pdf.Append($"{offset:D10} 00000 n \n");
        }

        pdf.Append($"trailer\n<</Size {objects.Length + 1}/Root 1 0 R>>\nstartxref\n{xref}\n%%EOF\n");
        return Encoding.Latin1.GetBytes(pdf.ToString());
    }

    public static string Stream(string content) => $"<</Length {Encoding.Latin1.GetByteCount(content)}>>\nstream\n{content}\nendstream";
}

/// <summary>PNGs written chunk by chunk, so a huge image costs the test only its compressed size.</summary>
internal static class TestPng
{
    /// <summary>A black 16-bit RGBA image of the given size: tiny on disk, gigabytes once decoded.</summary>
    public static byte[] Blank(int width, int height)
    {
        using var png = new MemoryStream();
        png.Write([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]);
        var header = new byte[13];
        System.Buffers.Binary.BinaryPrimitives.WriteInt32BigEndian(header, width);
        System.Buffers.Binary.BinaryPrimitives.WriteInt32BigEndian(header.AsSpan(4), height);
        header[8] = 16; // bit depth
        header[9] = 6; // RGBA
        Chunk(png, "IHDR", header);

        using var pixels = new MemoryStream();
        using (var deflate = new ZLibStream(pixels, CompressionLevel.SmallestSize, leaveOpen: true))
        {
            var row = new byte[1 + (width * 8)]; // filter byte + 8 bytes a pixel
            for (var y = 0; y < height; y++)
            {
                deflate.Write(row);
            }
        }

        Chunk(png, "IDAT", pixels.ToArray());
        Chunk(png, "IEND", []);
        return png.ToArray();
    }

    /// <summary>The PNG with one more chunk just before IEND, that is after the image data.</summary>
    public static byte[] WithChunkAtTheEnd(byte[] png, string type, byte[] data)
    {
        const int iendLength = 12;
        using var result = new MemoryStream();
        result.Write(png.AsSpan(0, png.Length - iendLength));
        Chunk(result, type, data);
        result.Write(png.AsSpan(png.Length - iendLength));
        return result.ToArray();
    }

    private static void Chunk(Stream png, string type, byte[] data)
    {
        Span<byte> length = stackalloc byte[4];
        System.Buffers.Binary.BinaryPrimitives.WriteInt32BigEndian(length, data.Length);
        png.Write(length);
        var typeAndData = Encoding.ASCII.GetBytes(type).Concat(data).ToArray();
        png.Write(typeAndData);
        Span<byte> crc = stackalloc byte[4];
        System.Buffers.Binary.BinaryPrimitives.WriteUInt32BigEndian(crc, System.IO.Hashing.Crc32.HashToUInt32(typeAndData));
        png.Write(crc);
    }
}
