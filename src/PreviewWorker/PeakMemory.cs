using System.Runtime.InteropServices;

namespace ClinicChat.PreviewWorker;

/// <summary>
/// The worker's and its children's (Ghostscript's) peak resident memory, printed for the parent:
/// it is how the sandbox's cost is measured and what the tests bound.
/// </summary>
internal static partial class PeakMemory
{
    private const int RusageChildren = -1;

    public static string Report() => $"peak_rss_kb={OwnPeakKilobytes()} child_peak_rss_kb={ChildrenPeakKilobytes()}";

    private static long OwnPeakKilobytes()
    {
        foreach (var line in File.ReadLines("/proc/self/status"))
        {
            if (line.StartsWith("VmHWM:", StringComparison.Ordinal))
            {
                return long.Parse(line["VmHWM:".Length..].Trim().Split(' ')[0], System.Globalization.CultureInfo.InvariantCulture);
            }
        }

        return 0;
    }

    /// <summary>ru_maxrss of waited-for children (kilobytes on Linux); the largest of them.</summary>
    private static unsafe long ChildrenPeakKilobytes()
    {
        // struct rusage on 64-bit Linux: two timevals (4 longs), then ru_maxrss, then 13 more longs.
        var usage = stackalloc long[18];
        return GetResourceUsage(RusageChildren, usage) == 0 ? usage[4] : 0;
    }

    [LibraryImport("libc", EntryPoint = "getrusage", SetLastError = true)]
    private static unsafe partial int GetResourceUsage(int who, long* usage);
}
