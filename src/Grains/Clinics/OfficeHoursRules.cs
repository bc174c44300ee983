using System.Globalization;
using ClinicChat.Notices;
using ClinicChat.Onboarding;

namespace ClinicChat.Clinics;

/// <summary>
/// What office hours may say, whether the clinic is open at an instant, and when its current closed period began (the
/// automatic reply goes out once per closed period and thread). Everything is reckoned in the clinic's zone, day by day,
/// so a daylight-saving change moves the instants, never the opening times. Pure: tested without a silo.
/// </summary>
public static class OfficeHoursRules
{
    /// <summary>How far back and ahead a closed period is looked for: a clinic closed longer than this is simply closed.</summary>
    private const int LookDays = 370;

    /// <param name="today">The date now (UTC is close enough: the bound on closures is years wide).</param>
    public static ChatError? Validate(OfficeHours hours, DateOnly today)
    {
        if (ClinicAccountRules.TimeZoneProblem(hours.TimeZone) is { } badZone)
        {
            return ChatError.Invalid("timeZone", badZone);
        }

        foreach (var day in hours.Weekly.GroupBy(o => o.Day))
        {
            if (!Enum.IsDefined(day.Key) || day.Count() > ClinicProfileRules.MaxOpeningsPerDay)
            {
                return ChatError.Invalid("weekly", $"A day has at most {ClinicProfileRules.MaxOpeningsPerDay} openings.");
            }

            var ordered = day.OrderBy(o => o.Opens).ToList();
            if (ordered.Any(o => o.Opens >= o.Closes))
            {
                return ChatError.Invalid("weekly", $"On {day.Key} an opening closes before it opens: each opening ends the same day, after it starts.");
            }

            if (ordered.Zip(ordered.Skip(1)).Any(pair => pair.Second.Opens < pair.First.Closes))
            {
                return ChatError.Invalid("weekly", $"On {day.Key} two openings overlap.");
            }
        }

        if (hours.Closures.Count > ClinicProfileRules.MaxClosures)
        {
            return ChatError.Invalid("closures", $"At most {ClinicProfileRules.MaxClosures} closures; remove past ones.");
        }

        foreach (var closure in hours.Closures)
        {
            if (closure.To < closure.From || closure.To.DayNumber - closure.From.DayNumber >= ClinicProfileRules.MaxClosureDays)
            {
                return ChatError.Invalid("closures", $"A closure ends on or after the day it starts, and lasts at most {ClinicProfileRules.MaxClosureDays} days.");
            }

            if (closure.From < today.AddYears(-ClinicProfileRules.MaxClosureYearsFromToday) || closure.To > today.AddYears(ClinicProfileRules.MaxClosureYearsFromToday))
            {
                return ChatError.Invalid("closures",
                    $"A closure's days are within {ClinicProfileRules.MaxClosureYearsFromToday} years of today: check the year of {Day(closure.From)} – {Day(closure.To)}.");
            }

            if (closure.Label is { } label && (label.Length > ClinicProfileRules.MaxClosureLabelLength || !TextInput.IsWellFormed(label)))
            {
                return ChatError.Invalid("closures", $"A closure's label is at most {ClinicProfileRules.MaxClosureLabelLength} characters.");
            }
        }

        if (TooLong(hours.AfterHoursReply, ClinicProfileRules.MaxAfterHoursReplyLength))
        {
            return ChatError.Invalid("afterHoursReply", $"The automatic reply is at most {ClinicProfileRules.MaxAfterHoursReplyLength} characters.");
        }

        if (TooLong(hours.EmergencyNote, ClinicProfileRules.MaxEmergencyNoteLength))
        {
            return ChatError.Invalid("emergencyNote", $"The emergency note is at most {ClinicProfileRules.MaxEmergencyNoteLength} characters.");
        }

        return hours.ReplyTargetMinutes is < ClinicProfileRules.MinReplyTargetMinutes or > ClinicProfileRules.MaxReplyTargetMinutes
            ? ChatError.Invalid("replyTargetMinutes",
                $"The reply target is between {ClinicProfileRules.MinReplyTargetMinutes} minutes and {ClinicProfileRules.MaxReplyTargetMinutes / 60} office hours.")
            : null;
    }

    private static string Day(DateOnly day) => day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    /// <summary>Open at that instant: a weekly opening covers it and no closure does. A clinic without hours is always open.</summary>
    public static bool IsOpen(OfficeHours hours, DateTimeOffset at)
    {
        if (!hours.Known)
        {
            return true;
        }

        var (day, time) = Local(hours, at);
        return ClosureOn(hours, day) is null && hours.Weekly.Any(o => o.Day == day.DayOfWeek && o.Opens <= time && time < o.Closes);
    }

    /// <summary>
    /// When the closed period <paramref name="at"/> falls in began (the last closing before it), or null while open. A
    /// clinic not open at all in the last year has been closed "forever": <see cref="DateTimeOffset.MinValue"/>.
    /// </summary>
    public static DateTimeOffset? ClosedSince(OfficeHours hours, DateTimeOffset at)
    {
        if (IsOpen(hours, at))
        {
            return null;
        }

        var zone = NoticeRules.ZoneOf(hours.TimeZone);
        var (today, _) = Local(hours, at);
        for (var back = 0; back <= LookDays; back++)
        {
            var day = today.AddDays(-back);
            if (ClosureOn(hours, day) is not null)
            {
                continue;
            }

            foreach (var opening in hours.Weekly.Where(o => o.Day == day.DayOfWeek).OrderByDescending(o => o.Closes))
            {
                var closes = Instant(day, opening.Closes, zone);
                if (closes <= at)
                {
                    return closes;
                }
            }
        }

        return DateTimeOffset.MinValue;
    }

    /// <summary>The next opening after <paramref name="at"/>, or null when none within a year (or no hours at all).</summary>
    public static DateTimeOffset? NextOpening(OfficeHours hours, DateTimeOffset at)
    {
        var zone = NoticeRules.ZoneOf(hours.TimeZone);
        var (today, _) = Local(hours, at);
        for (var ahead = 0; hours.Known && ahead <= LookDays; ahead++)
        {
            var day = today.AddDays(ahead);
            if (ClosureOn(hours, day) is not null)
            {
                continue;
            }

            foreach (var opening in hours.Weekly.Where(o => o.Day == day.DayOfWeek).OrderBy(o => o.Opens))
            {
                var opens = Instant(day, opening.Opens, zone);
                if (opens > at)
                {
                    return opens;
                }
            }
        }

        return null;
    }

    /// <summary>Whether a patient writing at <paramref name="at"/> gets the automatic reply: once per thread in each closed period.</summary>
    public static bool ShouldAutoReply(OfficeHours hours, DateTimeOffset at, DateTimeOffset? lastAutoReplyAt) =>
        !string.IsNullOrWhiteSpace(hours.AfterHoursReply)
        && ClosedSince(hours, at) is { } since
        && (lastAutoReplyAt is not { } last || last < since);

    /// <summary>The hours as of <paramref name="at"/>: open or not, and when that changes.</summary>
    public static OfficeHoursNow Now(string clinicName, OfficeHours hours, DateTimeOffset at)
    {
        if (!IsOpen(hours, at))
        {
            return new OfficeHoursNow(clinicName, hours, false, null, NextOpening(hours, at), ClosureOn(hours, Local(hours, at).Day));
        }

        var (day, time) = Local(hours, at);
        var closes = hours.Weekly.FirstOrDefault(o => o.Day == day.DayOfWeek && o.Opens <= time && time < o.Closes) is { } opening
            ? Instant(day, opening.Closes, NoticeRules.ZoneOf(hours.TimeZone))
            : (DateTimeOffset?)null;
        return new OfficeHoursNow(clinicName, hours, true, closes, null, null);
    }

    /// <summary>
    /// The hours response times are counted in: the clinic's own, or, for a clinic that has set none, weekdays 08:00–18:00
    /// in its zone (a wait over a weekend is not the team's delay either way).
    /// </summary>
    public static OfficeHours CountingHours(OfficeHours hours) => hours.Known ? hours : hours with
    {
        Weekly = [.. Enum.GetValues<DayOfWeek>().Where(d => d is not (DayOfWeek.Saturday or DayOfWeek.Sunday))
            .Select(d => new OpeningHours(d, new TimeOnly(8, 0), new TimeOnly(18, 0)))],
    };

    /// <summary>How much of the time from <paramref name="from"/> to <paramref name="to"/> the clinic was open (zero when to is earlier).</summary>
    public static TimeSpan OfficeTimeBetween(OfficeHours hours, DateTimeOffset from, DateTimeOffset to)
    {
        var counted = TimeSpan.Zero;
        foreach (var (opens, closes) in OpenSpans(hours, from, to))
        {
            counted += (closes < to ? closes : to) - (opens > from ? opens : from);
        }

        return counted;
    }

    /// <summary>When a wait that began at <paramref name="waitingSince"/> passes the clinic's reply target, counted in office time.</summary>
    public static DateTimeOffset OverdueAt(OfficeHours hours, DateTimeOffset waitingSince) =>
        AddOfficeTime(CountingHours(hours), waitingSince, hours.ReplyTarget);

    /// <summary>When <paramref name="office"/> of open time has passed since <paramref name="from"/> (a wait that starts on Friday evening runs from Monday's opening).</summary>
    public static DateTimeOffset AddOfficeTime(OfficeHours hours, DateTimeOffset from, TimeSpan office)
    {
        var remaining = office;
        var end = from;
        foreach (var (opens, closes) in OpenSpans(hours, from, DateTimeOffset.MaxValue))
        {
            var start = opens > from ? opens : from;
            if (closes - start >= remaining)
            {
                return start + remaining;
            }

            remaining -= closes - start;
            end = closes;
        }

        return end + remaining;
    }

    /// <summary>The clinic's openings, as instants, that overlap [from, to), in order; none beyond a year ahead.</summary>
    private static IEnumerable<(DateTimeOffset Opens, DateTimeOffset Closes)> OpenSpans(OfficeHours hours, DateTimeOffset from, DateTimeOffset to)
    {
        if (!hours.Known || to <= from)
        {
            yield break;
        }

        var zone = NoticeRules.ZoneOf(hours.TimeZone);
        var (first, _) = Local(hours, from);
        for (var ahead = -1; ahead <= LookDays; ahead++)
        {
            var day = first.AddDays(ahead);
            if (ClosureOn(hours, day) is not null)
            {
                continue;
            }

            foreach (var opening in hours.Weekly.Where(o => o.Day == day.DayOfWeek).OrderBy(o => o.Opens))
            {
                var (opens, closes) = (Instant(day, opening.Opens, zone), Instant(day, opening.Closes, zone));
                if (opens >= to)
                {
                    yield break;
                }

                if (closes > from)
                {
                    yield return (opens, closes);
                }
            }
        }
    }

    private static Closure? ClosureOn(OfficeHours hours, DateOnly day) => hours.Closures.FirstOrDefault(c => c.From <= day && day <= c.To);

    private static (DateOnly Day, TimeOnly Time) Local(OfficeHours hours, DateTimeOffset at)
    {
        var local = TimeZoneInfo.ConvertTime(at, NoticeRules.ZoneOf(hours.TimeZone)).DateTime;
        return (DateOnly.FromDateTime(local), TimeOnly.FromDateTime(local));
    }

    /// <summary>A local day and time as an instant; a time the clocks skip (spring forward) is the first moment after the gap.</summary>
    private static DateTimeOffset Instant(DateOnly day, TimeOnly time, TimeZoneInfo zone)
    {
        var local = day.ToDateTime(time, DateTimeKind.Unspecified);
        while (zone.IsInvalidTime(local))
        {
            local = local.AddMinutes(15);
        }

        return new DateTimeOffset(local, zone.GetUtcOffset(local));
    }

    private static bool TooLong(string? text, int max) => text is { } value && (value.Length > max || !TextInput.IsWellFormed(value));
}
