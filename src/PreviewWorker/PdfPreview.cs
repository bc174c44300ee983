using System.Diagnostics;
using UglyToad.PdfPig;

namespace ClinicChat.PreviewWorker;

/// <summary>
/// A PDF's first page rendered by Ghostscript (Debian package <c>ghostscript</c>) at a fixed output
/// size: the raster is at most <see cref="RenderRequest.MaxEdge"/> square whatever the page claims,
/// so a page of 5 × 5 metres costs what a letter page costs. Ghostscript runs with <c>-dSAFER</c>,
/// inside this worker's private temp folder (the only place besides its own resources that SAFER
/// lets it read, and the only file there is the input) and under kernel limits on memory, CPU time
/// and file size set by <c>prlimit</c>.
/// </summary>
internal static class PdfPreview
{
    /// <summary>Address space for Ghostscript: a letter page at preview size needs a few tens of MB.</summary>
    private const long GhostscriptAddressSpaceBytes = 768L * 1024 * 1024;

    public static bool Render(RenderRequest request)
    {
        if (Executables.Find("gs") is not { } gs)
        {
            return false;
        }

        // The page's size only shapes the preview; the fixed raster is what bounds the cost. A file
        // whose structure PdfPig cannot follow (Ghostscript repairs more) is shown on a letter page.
        if (!TryFirstPageSize(request.Input, out var width, out var height))
        {
            (width, height) = (612, 792);
        }

        var (pixelsWide, pixelsHigh) = Fit(width, height, request.MaxEdge);
        string[] arguments =
        [
            "-q", "-dSAFER", "-dBATCH", "-dNOPAUSE", "-dNOPROMPT", "-dNOINTERPOLATE",
            "-sDEVICE=jpeg", "-dJPEGQ=80", "-dFirstPage=1", "-dLastPage=1",
            $"-g{pixelsWide}x{pixelsHigh}", "-dFIXEDMEDIA", "-dPDFFitPage",
            "-dTextAlphaBits=4", "-dGraphicsAlphaBits=4",
            $"-sOutputFile={request.Output}", "-f", request.Input,
        ];

        var start = new ProcessStartInfo
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = Path.GetDirectoryName(request.Output)!,
        };

        var cpuSeconds = (int)Math.Max(1, request.Deadline.TotalSeconds - 1);
        if (Executables.Find("prlimit") is { } prlimit)
        {
            start.FileName = prlimit;
            foreach (var limit in new[] { $"--as={GhostscriptAddressSpaceBytes}", $"--cpu={cpuSeconds}", "--fsize=67108864", "--core=0", "--" })
            {
                start.ArgumentList.Add(limit);
            }

            start.ArgumentList.Add(gs);
        }
        else
        {
            start.FileName = gs;
        }

        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        // Ghostscript's messages may quote the document: drained, never repeated.
        _ = process.StandardOutput.ReadToEndAsync();
        _ = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(request.Deadline))
        {
            process.Kill(entireProcessTree: true);
            process.WaitForExit();
            return false;
        }

        return process.ExitCode == 0 && File.Exists(request.Output) && new FileInfo(request.Output).Length > 0;
    }

    /// <summary>The first page's size in points, as shown (its /Rotate applied).</summary>
    private static bool TryFirstPageSize(string path, out double width, out double height)
    {
        width = height = 0;
        try
        {
            return TryReadFirstPageSize(path, out width, out height);
        }
        catch (Exception exception) when (exception is not OutOfMemoryException)
        {
            // Any parser failure on a hostile file: fall back to the default page.
            return false;
        }
    }

    private static bool TryReadFirstPageSize(string path, out double width, out double height)
    {
        width = height = 0;
        using var document = PdfDocument.Open(path, new ParsingOptions { UseLenientParsing = true, SkipMissingFonts = true });
        if (document.NumberOfPages < 1)
        {
            return false;
        }

        var page = document.GetPage(1);
        var box = page.MediaBox.Bounds;
        (width, height) = page.Rotation.Value is 90 or 270 ? (box.Height, box.Width) : (box.Width, box.Height);
        return double.IsFinite(width) && double.IsFinite(height) && width >= 1 && height >= 1;
    }

    /// <summary>The output raster: the page's shape, its longer edge <paramref name="maxEdge"/> pixels.</summary>
    internal static (int Width, int Height) Fit(double width, double height, int maxEdge)
    {
        var scale = maxEdge / Math.Max(width, height);
        return (Math.Clamp((int)Math.Round(width * scale), 1, maxEdge), Math.Clamp((int)Math.Round(height * scale), 1, maxEdge));
    }
}

/// <summary>Programs the worker starts, looked up on a fixed system path (the worker's PATH is set by its parent).</summary>
internal static class Executables
{
    public static string? Find(string name) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "/usr/bin:/bin")
            .Split(':', StringSplitOptions.RemoveEmptyEntries)
            .Select(folder => Path.Combine(folder, name))
            .FirstOrDefault(File.Exists);
}
