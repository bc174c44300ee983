using System.Globalization;
using ClinicChat.Clinics;

namespace ClinicChat.Tests.Rules;

/// <summary>Office hours reckoned in the clinic's zone, across daylight-saving changes, closures and empty weeks.</summary>
public sealed class OfficeHoursRulesTests
{
    private static readonly OfficeHours NewYork = Weekdays("America/New_York", "Call 911 in an emergency. We answer when we open.");

    private static readonly OfficeHours Berlin = Weekdays("Europe/Berlin", "Wir antworten, sobald wir öffnen.");

    [Fact]
    public void AWeekendAcrossTheFallBackIsOneClosedPeriodFromFridaysClosing()
    {
        // US clocks go back on Sunday 2026-11-01 at 02:00: Friday 18:00 is EDT (22:00Z), Monday 08:00 is EST (13:00Z).
        var fridayClosing = At("2026-10-30T22:00:00Z");

        Assert.Equal(fridayClosing, OfficeHoursRules.ClosedSince(NewYork, At("2026-10-31T02:00:00Z")));
        Assert.Equal(fridayClosing, OfficeHoursRules.ClosedSince(NewYork, At("2026-11-01T15:00:00Z")));
        Assert.Equal(fridayClosing, OfficeHoursRules.ClosedSince(NewYork, At("2026-11-02T12:59:00Z")));
        Assert.Null(OfficeHoursRules.ClosedSince(NewYork, At("2026-11-02T13:00:00Z")));
        Assert.Equal(At("2026-11-02T13:00:00Z"), OfficeHoursRules.NextOpening(NewYork, At("2026-11-01T15:00:00Z")));
    }

    [Fact]
    public void TheAutomaticReplyGoesOnceInEachClosedPeriodAcrossTheSpringForward()
    {
        // Berlin's clocks go forward on Sunday 2027-03-28 at 02:00: Friday 18:00 is CET (17:00Z), Monday 08:00 CEST (06:00Z).
        var saturday = At("2027-03-27T20:00:00Z");
        var sunday = At("2027-03-28T08:00:00Z");
        var mondayEarly = At("2027-03-29T05:30:00Z");
        var mondayOpen = At("2027-03-29T08:00:00Z");
        var mondayEvening = At("2027-03-29T17:00:00Z");

        Assert.True(OfficeHoursRules.ShouldAutoReply(Berlin, saturday, lastAutoReplyAt: At("2027-03-20T10:00:00Z")));
        Assert.False(OfficeHoursRules.ShouldAutoReply(Berlin, sunday, lastAutoReplyAt: saturday));
        Assert.False(OfficeHoursRules.ShouldAutoReply(Berlin, mondayEarly, lastAutoReplyAt: saturday));
        Assert.False(OfficeHoursRules.ShouldAutoReply(Berlin, mondayOpen, lastAutoReplyAt: saturday));
        Assert.True(OfficeHoursRules.ShouldAutoReply(Berlin, mondayEvening, lastAutoReplyAt: saturday));
        Assert.Equal(At("2027-03-29T16:00:00Z"), OfficeHoursRules.ClosedSince(Berlin, mondayEvening));
        Assert.True(OfficeHoursRules.ShouldAutoReply(Berlin, saturday, lastAutoReplyAt: null));
    }

    [Fact]
    public void AClosureKeepsTheClinicClosedThroughItsDaysAndTheNextOpeningSkipsThem()
    {
        var holidays = NewYork with { Closures = [new Closure(new DateOnly(2026, 12, 24), new DateOnly(2026, 12, 25), "Holidays")] };
        var thursdayNoon = At("2026-12-24T17:00:00Z");

        Assert.False(OfficeHoursRules.IsOpen(holidays, thursdayNoon));
        Assert.Equal(At("2026-12-23T23:00:00Z"), OfficeHoursRules.ClosedSince(holidays, thursdayNoon));
        Assert.Equal(At("2026-12-28T13:00:00Z"), OfficeHoursRules.NextOpening(holidays, thursdayNoon));
        Assert.Equal("Holidays", OfficeHoursRules.Now("Northside", holidays, thursdayNoon).ClosedFor?.Label);
        Assert.True(OfficeHoursRules.IsOpen(NewYork, thursdayNoon));
    }

    [Fact]
    public void NowSaysWhenAnOpenClinicClosesAndAClosedOneOpens()
    {
        var open = OfficeHoursRules.Now("Northside", NewYork, At("2026-12-02T15:00:00Z"));
        var closed = OfficeHoursRules.Now("Northside", NewYork, At("2026-12-02T23:30:00Z"));

        Assert.Equal((true, At("2026-12-02T23:00:00Z"), (DateTimeOffset?)null), (open.OpenNow, open.ClosesAt, open.OpensAt));
        Assert.Equal((false, (DateTimeOffset?)null, At("2026-12-03T13:00:00Z")), (closed.OpenNow, closed.ClosesAt, closed.OpensAt));
    }

    [Fact]
    public void AnOpeningInTheHourTheClocksSkipStartsWhenTheyResume()
    {
        // New York skips 02:00–03:00 on Sunday 2027-03-14: an opening at 02:30 starts at 03:00 EDT (07:00Z).
        var sundayNight = OfficeHours.None("America/New_York") with { Weekly = [new OpeningHours(DayOfWeek.Sunday, new TimeOnly(2, 30), new TimeOnly(4, 0))] };

        Assert.Equal(At("2027-03-14T07:00:00Z"), OfficeHoursRules.NextOpening(sundayNight, At("2027-03-14T05:00:00Z")));
    }

    [Fact]
    public void AClinicWithoutHoursIsNeverClosedAndNeverRepliesAndOneWithoutAReplyTextStaysQuiet()
    {
        var none = OfficeHours.None("America/New_York") with { AfterHoursReply = "We are closed." };
        var saturday = At("2026-10-31T16:00:00Z");

        Assert.True(OfficeHoursRules.IsOpen(none, saturday));
        Assert.False(OfficeHoursRules.ShouldAutoReply(none, saturday, null));
        Assert.Null(OfficeHoursRules.NextOpening(none, saturday));
        Assert.False(OfficeHoursRules.ShouldAutoReply(NewYork with { AfterHoursReply = " " }, saturday, null));
    }

    [Fact]
    public void ANeverOpenWeekIsOneClosedPeriodSoTheReplyGoesOnce()
    {
        var allClosures = NewYork with { Closures = [new Closure(new DateOnly(2026, 1, 1), new DateOnly(2026, 12, 31), "Moving")] };
        var day = At("2026-12-02T15:00:00Z");

        Assert.Equal(DateTimeOffset.MinValue, OfficeHoursRules.ClosedSince(allClosures with { Closures = [.. allClosures.Closures, new Closure(new DateOnly(2025, 1, 1), new DateOnly(2025, 12, 31), null)] }, day));
        Assert.True(OfficeHoursRules.ShouldAutoReply(allClosures, day, null));
    }

    [Theory]
    [InlineData("Mars/Olympus", "timeZone")]
    [InlineData("Eastern Standard Time", "timeZone")]
    public void AZoneThatIsNotIanaIsRefused(string zone, string field)
    {
        Assert.Equal(field, OfficeHoursRules.Validate(NewYork with { TimeZone = zone }, Today)?.Field);
    }

    [Fact]
    public void OpeningsThatEndBeforeTheyStartOrOverlapAndLongTextsAreRefused()
    {
        OpeningHours Opening(int opens, int closes) => new(DayOfWeek.Monday, new TimeOnly(opens, 0), new TimeOnly(closes, 0));

        Assert.Null(OfficeHoursRules.Validate(NewYork with { Weekly = [Opening(8, 12), Opening(13, 18)] }, Today));
        Assert.Equal("weekly", OfficeHoursRules.Validate(NewYork with { Weekly = [Opening(18, 8)] }, Today)?.Field);
        Assert.Equal("weekly", OfficeHoursRules.Validate(NewYork with { Weekly = [Opening(8, 8)] }, Today)?.Field);
        Assert.Equal("weekly", OfficeHoursRules.Validate(NewYork with { Weekly = [Opening(8, 13), Opening(12, 18)] }, Today)?.Field);
        Assert.Equal("weekly", OfficeHoursRules.Validate(NewYork with { Weekly = [Opening(6, 7), Opening(8, 9), Opening(10, 11), Opening(12, 13)] }, Today)?.Field);
        Assert.Equal("closures", OfficeHoursRules.Validate(NewYork with { Closures = [new Closure(new DateOnly(2026, 12, 26), new DateOnly(2026, 12, 24), null)] }, Today)?.Field);
        Assert.Equal("closures", OfficeHoursRules.Validate(NewYork with { Closures = [new Closure(new DateOnly(2026, 1, 1), new DateOnly(2027, 1, 2), null)] }, Today)?.Field);
        Assert.Equal("afterHoursReply", OfficeHoursRules.Validate(NewYork with { AfterHoursReply = new string('x', 1001) }, Today)?.Field);
        Assert.Equal("emergencyNote", OfficeHoursRules.Validate(NewYork with { EmergencyNote = new string('x', 301) }, Today)?.Field);
    }

    [Theory]
    [InlineData("0001-12-24", "0001-12-26", "closures")]
    [InlineData("0099-12-24", "0099-12-26", "closures")]
    [InlineData("1900-12-24", "1900-12-26", "closures")]
    [InlineData("2016-12-24", "2016-12-26", null)]
    [InlineData("2026-12-24", "2026-12-26", null)]
    [InlineData("2036-12-01", "2036-12-02", null)]
    [InlineData("2062-12-24", "2062-12-26", "closures")]
    public void AClosureMoreThanTenYearsFromTodayIsAMistypedYearAndIsRefused(string from, string to, string? field)
    {
        var closure = new Closure(DateOnly.Parse(from, CultureInfo.InvariantCulture), DateOnly.Parse(to, CultureInfo.InvariantCulture), null);

        Assert.Equal(field, OfficeHoursRules.Validate(NewYork with { Closures = [closure] }, Today)?.Field);
    }

    /// <summary>The day the rules are asked on (Validate's bound on closures counts from it).</summary>
    private static readonly DateOnly Today = new(2026, 12, 7);

    private static OfficeHours Weekdays(string zone, string reply) => new(
        zone,
        [.. new[] { DayOfWeek.Monday, DayOfWeek.Tuesday, DayOfWeek.Wednesday, DayOfWeek.Thursday, DayOfWeek.Friday }
            .Select(day => new OpeningHours(day, new TimeOnly(8, 0), new TimeOnly(18, 0)))],
        [],
        reply,
        "In an emergency call 911.");

    private static DateTimeOffset At(string utc) => DateTimeOffset.Parse(utc, System.Globalization.CultureInfo.InvariantCulture);
}
