namespace ClinicChat.Bench;

/// <summary>Percentiles of a set of latencies, in milliseconds (nearest-rank, no interpolation).</summary>
public sealed record LatencyStats(int Count, double P50, double P95, double P99, double Max)
{
    public static LatencyStats From(IReadOnlyCollection<double> milliseconds)
    {
        if (milliseconds.Count == 0)
        {
            return new LatencyStats(0, double.NaN, double.NaN, double.NaN, double.NaN);
        }

        var sorted = milliseconds.Order().ToArray();
        double At(double quantile) => sorted[Math.Clamp((int)Math.Ceiling(quantile * sorted.Length) - 1, 0, sorted.Length - 1)];
        return new LatencyStats(sorted.Length, At(0.50), At(0.95), At(0.99), sorted[^1]);
    }
}

/// <summary>Thread-safe collection of latency samples.</summary>
public sealed class LatencyRecorder
{
    private readonly List<double> _samples = [];

    public void Add(double milliseconds)
    {
        lock (_samples)
        {
            _samples.Add(milliseconds);
        }
    }

    public LatencyStats Stats()
    {
        lock (_samples)
        {
            return LatencyStats.From(_samples);
        }
    }

    public static double MillisecondsSince(long startTimestamp) =>
        System.Diagnostics.Stopwatch.GetElapsedTime(startTimestamp).TotalMilliseconds;
}
