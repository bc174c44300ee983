using ClinicChat.ResponseTimes;

namespace ClinicChat.Web.ResponseTimes;

/// <summary>One week's waits of one kind, in office minutes (null when there were none).</summary>
public sealed record ResponseStatsDto(int Count, double? MedianMinutes, double? P90Minutes, int OverTarget)
{
    public static ResponseStatsDto From(ResponseStats stats) => new(stats.Count, stats.Median?.TotalMinutes, stats.P90?.TotalMinutes, stats.OverTarget);
}

/// <param name="WeekStart">The Monday the week starts on, in the clinic's zone (yyyy-MM-dd).</param>
public sealed record ResponseWeekDto(DateOnly WeekStart, ResponseStatsDto FirstReply, ResponseStatsDto Resolution);

public sealed record ResponseReportDto(string TimeZone, double TargetMinutes, IReadOnlyList<ResponseWeekDto> Weeks)
{
    public static ResponseReportDto From(ResponseReport report) => new(
        report.TimeZone, report.Target.TotalMinutes,
        [.. report.Weeks.Select(w => new ResponseWeekDto(w.WeekStart, ResponseStatsDto.From(w.FirstReply), ResponseStatsDto.From(w.Resolution)))]);
}

/// <summary>The clinic's response times over HTTP, for its Admins (see <see cref="IResponseReportGrain"/>).</summary>
public static class ResponseTimesApi
{
    public static RouteGroupBuilder MapResponseTimesApi(this RouteGroupBuilder api)
    {
        api.MapGet("/clinics/{clinicId:guid}/response-times", GetAsync).WithTags("Clinics");
        return api;
    }

    /// <summary>Time to a person's first answer and to resolution, in office time, by week (newest first; <c>weeks</c> 1–52, default 12).</summary>
    private static async Task<Results<Ok<ResponseReportDto>, ProblemHttpResult>> GetAsync(Guid clinicId, Caller caller, IGrainFactory grains, int? weeks) =>
        (await grains.GetGrain<IResponseReportGrain>(clinicId).ReadAsync(caller.Actor, weeks ?? 12)).ToOk(ResponseReportDto.From);
}
