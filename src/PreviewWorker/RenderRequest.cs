using System.Globalization;

namespace ClinicChat.PreviewWorker;

/// <summary>What to render, where to, and within which bounds; all of it from the parent's command line.</summary>
internal sealed record RenderRequest(string ContentType, string Input, string Output, int MaxEdge, long MaxPixels, TimeSpan Deadline)
{
    public static bool TryParse(string[] args, out RenderRequest request)
    {
        request = null!;
        if (args.Length != 6
            || !int.TryParse(args[3], NumberStyles.None, CultureInfo.InvariantCulture, out var maxEdge) || maxEdge is < 16 or > 4096
            || !long.TryParse(args[4], NumberStyles.None, CultureInfo.InvariantCulture, out var maxPixels) || maxPixels < 1
            || !int.TryParse(args[5], NumberStyles.None, CultureInfo.InvariantCulture, out var deadline) || deadline < 1
            || args[0] is not ("image/jpeg" or "image/png" or "image/gif" or "image/webp" or "application/pdf"))
        {
            return false;
        }

        request = new RenderRequest(args[0], args[1], args[2], maxEdge, maxPixels, TimeSpan.FromSeconds(deadline));
        return true;
    }
}

/// <summary>Exit codes shared with <c>ClinicChat.Attachments.PreviewRenderer</c>.</summary>
internal static class WorkerExitCodes
{
    public const int Rendered = 0;
    public const int Usage = 2;
    public const int NoPreview = 3;

    /// <summary>The program that renders this type is not on the worker's path: says nothing about the file.</summary>
    public const int NoRenderer = 4;
}
