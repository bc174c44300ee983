namespace ClinicChat.Clinics;

/// <summary>One opening on a weekday, in the clinic's time zone; it closes the same day (<c>Opens</c> before <c>Closes</c>).</summary>
[GenerateSerializer, Immutable, Alias("ClinicChat.OpeningHours")]
public sealed record OpeningHours([property: Id(0)] DayOfWeek Day, [property: Id(1)] TimeOnly Opens, [property: Id(2)] TimeOnly Closes);

/// <summary>Days the clinic is closed whatever its weekly hours say (a holiday, a training day), both dates included.</summary>
[GenerateSerializer, Immutable, Alias("ClinicChat.Closure")]
public sealed record Closure([property: Id(0)] DateOnly From, [property: Id(1)] DateOnly To, [property: Id(2)] string? Label);

/// <summary>
/// When the clinic answers, as its Admins set it: a time zone (IANA), weekly openings, closures, the automatic reply a
/// patient gets when they write while it is closed (none when empty) and the emergency note patients see by the composer.
/// A clinic without weekly openings has no office hours: it is never "closed" and sends no automatic reply.
/// <paramref name="ReplyTargetMinutes"/>: how much office time a patient should wait at most for a person's answer
/// (default 8 office hours, a business day); longer is "overdue" in the staff's lists and the Admin's report.
/// <paramref name="EmailWhenOverdue"/>: when a thread becomes overdue, its assignee (or, unassigned, the clinic's clinicians
/// and front desk) get one content-free email for that wait.
/// </summary>
[GenerateSerializer, Immutable, Alias("ClinicChat.OfficeHours")]
public sealed record OfficeHours(
    [property: Id(0)] string TimeZone,
    [property: Id(1)] IReadOnlyList<OpeningHours> Weekly,
    [property: Id(2)] IReadOnlyList<Closure> Closures,
    [property: Id(3)] string? AfterHoursReply,
    [property: Id(4)] string? EmergencyNote,
    [property: Id(5)] int ReplyTargetMinutes = OfficeHours.DefaultReplyTargetMinutes,
    [property: Id(6)] bool EmailWhenOverdue = false)
{
    public const int DefaultReplyTargetMinutes = 8 * 60;

    public static OfficeHours None(string timeZone) => new(timeZone, [], [], null, null);

    public TimeSpan ReplyTarget => TimeSpan.FromMinutes(ReplyTargetMinutes);

    public bool Known => Weekly.Count > 0;
}

/// <summary>The clinic's hours as of now, for its patients and staff: open or not, and when that changes.</summary>
[GenerateSerializer, Immutable, Alias("ClinicChat.OfficeHoursNow")]
public sealed record OfficeHoursNow(
    [property: Id(0)] string ClinicName,
    [property: Id(1)] OfficeHours Hours,
    [property: Id(2)] bool OpenNow,
    [property: Id(3)] DateTimeOffset? ClosesAt,
    [property: Id(4)] DateTimeOffset? OpensAt,
    [property: Id(5)] Closure? ClosedFor);
