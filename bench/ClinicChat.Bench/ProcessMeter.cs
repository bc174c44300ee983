using System.Globalization;

namespace ClinicChat.Bench;

/// <summary>
/// CPU time and resident memory of a process, read from /proc the way `top` does, so that the
/// server's cost is measured from outside without instrumenting it. Several processes (a cluster's
/// silos and web nodes) are measured as their sum.
/// </summary>
public sealed class ProcessMeter(params int[] processIds)
{
    // USER_HZ: the unit of utime/stime in /proc/<pid>/stat; 100 on every Linux build we run on.
    private const double TicksPerSecond = 100;

    /// <summary>The processes measured (the web nodes, or the relay floor's server).</summary>
    public IReadOnlyList<int> ProcessIds => processIds;

    /// <summary>User + system CPU seconds consumed so far.</summary>
    public double CpuSeconds() => processIds.Sum(CpuSecondsOf);

    public long ResidentBytes() => processIds.Sum(id => StatusKilobytes(id, "VmRSS:") * 1024);

    private static double CpuSecondsOf(int processId)
    {
        var stat = File.ReadAllText($"/proc/{processId}/stat");
        // The command name (field 2) may contain spaces: count fields after its closing parenthesis.
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        var userTicks = long.Parse(fields[11], CultureInfo.InvariantCulture);
        var systemTicks = long.Parse(fields[12], CultureInfo.InvariantCulture);
        return (userTicks + systemTicks) / TicksPerSecond;
    }

    private static long StatusKilobytes(int processId, string key)
    {
        var line = File.ReadLines($"/proc/{processId}/status").First(l => l.StartsWith(key, StringComparison.Ordinal));
        return long.Parse(line[key.Length..].Trim().Split(' ')[0], CultureInfo.InvariantCulture);
    }

    /// <summary>Samples CPU and peak resident memory over one measured interval.</summary>
    public Window Start() => new(this);

    public sealed class Window : IAsyncDisposable
    {
        private readonly ProcessMeter _meter;
        private readonly double _startCpu;
        private readonly long _startTimestamp = System.Diagnostics.Stopwatch.GetTimestamp();
        private readonly CancellationTokenSource _stop = new();
        private readonly Task _sampling;
        private long _peakResident;

        internal Window(ProcessMeter meter)
        {
            _meter = meter;
            _startCpu = meter.CpuSeconds();
            _peakResident = meter.ResidentBytes();
            _sampling = SampleAsync();
        }

        public long PeakResidentBytes => Interlocked.Read(ref _peakResident);

        /// <summary>CPU used since the window opened, in percent of one core (200 % = both cores of this machine).</summary>
        public double CpuPercent()
        {
            var elapsed = System.Diagnostics.Stopwatch.GetElapsedTime(_startTimestamp).TotalSeconds;
            return elapsed <= 0 ? 0 : (_meter.CpuSeconds() - _startCpu) / elapsed * 100;
        }

        private async Task SampleAsync()
        {
            using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(100));
            try
            {
                while (await timer.WaitForNextTickAsync(_stop.Token))
                {
                    var resident = _meter.ResidentBytes();
                    if (resident > Interlocked.Read(ref _peakResident))
                    {
                        Interlocked.Exchange(ref _peakResident, resident);
                    }
                }
            }
            catch (OperationCanceledException)
            {
                // The window closed.
            }
        }

        public async ValueTask DisposeAsync()
        {
            await _stop.CancelAsync();
            await _sampling;
            _stop.Dispose();
        }
    }
}
