namespace ClinicChat.ResponseTimes;

/// <summary>One week's waits of one kind, in office time: how many, the median, the 90th percentile, and how many took longer than the target.</summary>
[GenerateSerializer, Immutable, Alias("ClinicChat.ResponseStats")]
public sealed record ResponseStats([property: Id(0)] int Count, [property: Id(1)] TimeSpan? Median, [property: Id(2)] TimeSpan? P90, [property: Id(3)] int OverTarget);

/// <summary>A week (Monday to Sunday in the clinic's zone) of first answers and resolutions, by when they ended.</summary>
[GenerateSerializer, Immutable, Alias("ClinicChat.ResponseWeek")]
public sealed record ResponseWeek([property: Id(0)] DateOnly WeekStart, [property: Id(1)] ResponseStats FirstReply, [property: Id(2)] ResponseStats Resolution);

[GenerateSerializer, Immutable, Alias("ClinicChat.ResponseReport")]
public sealed record ResponseReport([property: Id(0)] string TimeZone, [property: Id(1)] TimeSpan Target, [property: Id(2)] IReadOnlyList<ResponseWeek> Weeks);

/// <summary>
/// A clinic's response times, for its Admins (anyone else: not found, audited): time to a person's first answer and to
/// resolution (the thread marked done), counted in the clinic's office hours, week by week, newest first.
/// </summary>
[Alias("ClinicChat.ResponseTimes.IResponseReportGrain")]
public interface IResponseReportGrain : IGrainWithGuidKey
{
    public const int MaxWeeks = 52;

    Task<Outcome<ResponseReport>> ReadAsync(Actor actor, int weeks);
}
