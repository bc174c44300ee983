using ClinicChat.Conversations;

namespace ClinicChat.ResponseTimes;

/// <summary>The weekly report from measured waits: weeks start on Monday in the clinic's zone; percentiles by nearest rank. Pure.</summary>
public static class ResponseReportRules
{
    public static DateOnly WeekOf(DateTimeOffset at, TimeZoneInfo zone)
    {
        var day = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(at, zone).DateTime);
        return day.AddDays(-(((int)day.DayOfWeek + 6) % 7));
    }

    /// <summary>The <paramref name="weeks"/> weeks up to the one holding <paramref name="now"/>, newest first, empty weeks included.</summary>
    public static IReadOnlyList<ResponseWeek> Weeks(
        IEnumerable<(ResponseKind Kind, DateTimeOffset EndedAt, TimeSpan Office)> samples, TimeZoneInfo zone, TimeSpan target, int weeks, DateTimeOffset now)
    {
        var byWeek = samples.ToLookup(s => (WeekOf(s.EndedAt, zone), s.Kind == ResponseKind.Resolution), s => s.Office);
        var current = WeekOf(now, zone);
        return [.. Enumerable.Range(0, weeks).Select(i => current.AddDays(-7 * i)).Select(week => new ResponseWeek(
            week, Stats(byWeek[(week, false)], target), Stats(byWeek[(week, true)], target)))];
    }

    public static ResponseStats Stats(IEnumerable<TimeSpan> waits, TimeSpan target)
    {
        var sorted = waits.Order().ToList();
        return sorted.Count == 0
            ? new ResponseStats(0, null, null, 0)
            : new ResponseStats(sorted.Count, Percentile(sorted, 50), Percentile(sorted, 90), sorted.Count(w => w > target));
    }

    /// <summary>The smallest value with at least <paramref name="percent"/> % of the values at or below it.</summary>
    public static TimeSpan Percentile(IReadOnlyList<TimeSpan> sorted, int percent) =>
        sorted[Math.Max(0, (int)Math.Ceiling(percent / 100.0 * sorted.Count) - 1)];

    /// <summary>The earliest instant a report of <paramref name="weeks"/> weeks reads from (a day early: zones differ from UTC).</summary>
    public static DateTimeOffset From(DateTimeOffset now, TimeZoneInfo zone, int weeks) =>
        new DateTimeOffset(WeekOf(now, zone).AddDays(-7 * (weeks - 1) - 1).ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
}
