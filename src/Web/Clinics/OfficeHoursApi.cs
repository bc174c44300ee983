using System.Globalization;
using ClinicChat.Clinics;

namespace ClinicChat.Web.Clinics;

/// <param name="Day">monday … sunday.</param>
/// <param name="Opens">HH:mm in the clinic's time zone.</param>
/// <param name="Closes">HH:mm, after <paramref name="Opens"/> on the same day.</param>
public sealed record OpeningHoursDto(string Day, string Opens, string Closes);

/// <param name="From">yyyy-MM-dd, the first day closed.</param>
/// <param name="To">yyyy-MM-dd, the last day closed (the same as From for one day).</param>
public sealed record ClosureDto(string From, string To, string? Label);

/// <summary>
/// An Admin's office hours: everything at once (what is left out is removed; the reply target defaults to 8 office hours,
/// overdue emails to off).
/// </summary>
/// <param name="EmailWhenOverdue">Email the assignee (or, unassigned, the clinic's clinicians and front desk) when a patient has waited past the reply target.</param>
public sealed record OfficeHoursRequest(
    string? TimeZone,
    IReadOnlyList<OpeningHoursDto>? Weekly,
    IReadOnlyList<ClosureDto>? Closures,
    string? AfterHoursReply,
    string? EmergencyNote,
    int? ReplyTargetMinutes = null,
    bool? EmailWhenOverdue = null);

/// <summary>The clinic's hours and, as of now, whether it is open and until or from when.</summary>
public sealed record OfficeHoursDto(
    string ClinicName,
    string TimeZone,
    IReadOnlyList<OpeningHoursDto> Weekly,
    IReadOnlyList<ClosureDto> Closures,
    string? AfterHoursReply,
    string? EmergencyNote,
    int ReplyTargetMinutes,
    bool EmailWhenOverdue,
    bool OpenNow,
    DateTimeOffset? ClosesAt,
    DateTimeOffset? OpensAt,
    ClosureDto? ClosedFor)
{
    public static OfficeHoursDto From(OfficeHoursNow now) => new(
        now.ClinicName, now.Hours.TimeZone, [.. now.Hours.Weekly.Select(OfficeHoursApi.ToDto)], [.. now.Hours.Closures.Select(OfficeHoursApi.ToDto)],
        now.Hours.AfterHoursReply, now.Hours.EmergencyNote, now.Hours.ReplyTargetMinutes, now.Hours.EmailWhenOverdue, now.OpenNow, now.ClosesAt, now.OpensAt, now.ClosedFor is { } closure ? OfficeHoursApi.ToDto(closure) : null);
}

/// <summary>
/// A clinic's office hours over HTTP: its staff and its patients read them (the patient's composer shows them), its
/// Admins set them. Who may, the rules and the audit row are the <see cref="IClinicProfileGrain"/>'s; this reads the
/// wire format (day names, HH:mm, yyyy-MM-dd) and says which field it could not read.
/// </summary>
public static class OfficeHoursApi
{
    private const string TimeFormat = "HH:mm";
    private const string DateFormat = "yyyy-MM-dd";

    public static RouteGroupBuilder MapOfficeHoursApi(this RouteGroupBuilder api)
    {
        api.MapGet("/clinics/{clinicId:guid}/office-hours", GetAsync).WithTags("Clinics");
        api.MapPut("/clinics/{clinicId:guid}/office-hours", SetAsync).WithTags("Clinics").RequireRateLimiting(RateLimits.Send);
        return api;
    }

    private static async Task<Results<Ok<OfficeHoursDto>, ProblemHttpResult>> GetAsync(Guid clinicId, Caller caller, IGrainFactory grains) =>
        (await grains.GetGrain<IClinicProfileGrain>(clinicId).ReadOfficeHoursAsync(caller.Actor)).ToOk(OfficeHoursDto.From);

    private static async Task<Results<Ok<OfficeHoursDto>, ProblemHttpResult>> SetAsync(Guid clinicId, OfficeHoursRequest request, Caller caller, IGrainFactory grains)
    {
        if (Read(request, out var problem) is not { } hours)
        {
            return problem!;
        }

        var profile = grains.GetGrain<IClinicProfileGrain>(clinicId);
        var changed = await profile.ChangeOfficeHoursAsync(caller.Actor, hours);
        return changed.Error is { } error ? ApiProblems.From(error) : (await profile.ReadOfficeHoursAsync(caller.Actor)).ToOk(OfficeHoursDto.From);
    }

    private static OfficeHours? Read(OfficeHoursRequest request, out ProblemHttpResult? problem)
    {
        problem = null;
        var weekly = new List<OpeningHours>();
        foreach (var opening in request.Weekly ?? [])
        {
            if (opening is null || !Enum.TryParse<DayOfWeek>(opening.Day, ignoreCase: true, out var day) || !Enum.IsDefined(day) || int.TryParse(opening.Day, out _)
                || !TryTime(opening.Opens, out var opens) || !TryTime(opening.Closes, out var closes))
            {
                problem = ApiProblems.Validation("weekly", "Each opening is a day (monday … sunday) with opens and closes as HH:mm, e.g. {\"day\":\"monday\",\"opens\":\"08:00\",\"closes\":\"18:00\"}.");
                return null;
            }

            weekly.Add(new OpeningHours(day, opens, closes));
        }

        var closures = new List<Closure>();
        foreach (var closure in request.Closures ?? [])
        {
            if (closure is null || !TryDate(closure.From, out var from) || !TryDate(closure.To, out var to))
            {
                problem = ApiProblems.Validation("closures", "Each closure has from and to as yyyy-MM-dd (both days closed) and an optional label.");
                return null;
            }

            closures.Add(new Closure(from, to, closure.Label));
        }

        return new OfficeHours(request.TimeZone?.Trim() ?? string.Empty, weekly, closures, request.AfterHoursReply, request.EmergencyNote,
            request.ReplyTargetMinutes ?? OfficeHours.DefaultReplyTargetMinutes, request.EmailWhenOverdue ?? false);
    }

    internal static OpeningHoursDto ToDto(OpeningHours opening) =>
        new(opening.Day.ToString().ToLowerInvariant(), opening.Opens.ToString(TimeFormat, CultureInfo.InvariantCulture), opening.Closes.ToString(TimeFormat, CultureInfo.InvariantCulture));

    internal static ClosureDto ToDto(Closure closure) =>
        new(closure.From.ToString(DateFormat, CultureInfo.InvariantCulture), closure.To.ToString(DateFormat, CultureInfo.InvariantCulture), closure.Label);

    private static bool TryTime(string? text, out TimeOnly time) => TimeOnly.TryParseExact(text, TimeFormat, CultureInfo.InvariantCulture, DateTimeStyles.None, out time);

    private static bool TryDate(string? text, out DateOnly date) => DateOnly.TryParseExact(text, DateFormat, CultureInfo.InvariantCulture, DateTimeStyles.None, out date);
}
