using ClinicChat.Clinics;
using ClinicChat.ResponseTimes;

namespace ClinicChat.Tests.Rules;

public sealed class ResponseRulesTests
{
    private static readonly DateTimeOffset T0 = new(2026, 12, 2, 10, 0, 0, TimeSpan.Zero);

    [Fact]
    public void APatientsMessagesStartOneWaitThatAPersonsAnswerEndsAndTheAutomaticReplyDoesNot()
    {
        var (first, _) = ResponseRules.AfterMessage(ThreadTeam.New, Message(SenderKind.Patient, T0));
        var (second, none) = ResponseRules.AfterMessage(first, Message(SenderKind.Patient, T0.AddMinutes(5)));
        var (automatic, stillNone) = ResponseRules.AfterMessage(second, Message(SenderKind.Staff, T0.AddMinutes(5), AutomaticReply.SenderId));
        var (answered, sample) = ResponseRules.AfterMessage(automatic, Message(SenderKind.Staff, T0.AddMinutes(40)));

        Assert.Equal((T0, T0), (second.WaitingSince, second.EpisodeStarted));
        Assert.Null(none);
        Assert.Equal(second, automatic);
        Assert.Null(stillNone);
        Assert.Equal((null, T0), (answered.WaitingSince, answered.EpisodeStarted));
        Assert.Equal(new ResponseSample(ResponseKind.FirstReply, T0, T0.AddMinutes(40)), sample);
    }

    [Fact]
    public void ALaterWaitInTheSameEpisodeIsAReplyAndClosingMeasuresTheWholeEpisode()
    {
        var answered = new ThreadTeam(ThreadStatus.Open, EpisodeStarted: T0);
        var (waiting, _) = ResponseRules.AfterMessage(answered, Message(SenderKind.Patient, T0.AddHours(2)));
        var (_, reply) = ResponseRules.AfterMessage(waiting, Message(SenderKind.Staff, T0.AddHours(3)));
        var (closed, resolution) = ResponseRules.AfterStatus(waiting with { Status = ThreadStatus.Closed }, T0.AddHours(4));
        var (onPatient, noSample) = ResponseRules.AfterStatus(waiting with { Status = ThreadStatus.Waiting }, T0.AddHours(4));

        Assert.Equal(ResponseKind.Reply, reply?.Kind);
        Assert.Equal(new ResponseSample(ResponseKind.Resolution, T0, T0.AddHours(4)), resolution);
        Assert.Equal((null, null), (closed.WaitingSince, closed.EpisodeStarted));
        Assert.Equal((null, T0), (onPatient.WaitingSince, onPatient.EpisodeStarted));
        Assert.Null(noSample);
    }

    [Fact]
    public void OfficeTimeSkipsNightsWeekendsAndClosuresAndAClinicWithoutHoursCountsWeekdays()
    {
        var berlin = OfficeHoursRules.CountingHours(OfficeHours.None("Europe/Berlin"));
        var fridayEvening = new DateTimeOffset(2026, 12, 4, 16, 30, 0, TimeSpan.Zero); // 17:30 CET
        var mondayNine = new DateTimeOffset(2026, 12, 7, 8, 0, 0, TimeSpan.Zero); // 09:00 CET

        Assert.Equal(TimeSpan.FromMinutes(90), OfficeHoursRules.OfficeTimeBetween(berlin, fridayEvening, mondayNine));
        Assert.Equal(new DateTimeOffset(2026, 12, 7, 7, 30, 0, TimeSpan.Zero), OfficeHoursRules.AddOfficeTime(berlin, fridayEvening, TimeSpan.FromHours(1)));
        Assert.Equal(TimeSpan.Zero, OfficeHoursRules.OfficeTimeBetween(berlin, mondayNine, fridayEvening));
        var mondayOff = berlin with { Closures = [new Closure(new DateOnly(2026, 12, 7), new DateOnly(2026, 12, 7), null)] };
        Assert.Equal(TimeSpan.FromMinutes(30), OfficeHoursRules.OfficeTimeBetween(mondayOff, fridayEvening, mondayNine));
        Assert.Equal(new DateTimeOffset(2026, 12, 8, 7, 30, 0, TimeSpan.Zero), OfficeHoursRules.AddOfficeTime(mondayOff, fridayEvening, TimeSpan.FromHours(1)));
    }

    [Fact]
    public void TheWeeklyReportStartsWeeksOnMondayInTheClinicsZoneAndTakesNearestRankPercentiles()
    {
        var berlin = TimeZoneInfo.FindSystemTimeZoneById("Europe/Berlin");
        // Sunday 23:30 UTC is already Monday in Berlin.
        var sundayNightUtc = new DateTimeOffset(2026, 11, 29, 23, 30, 0, TimeSpan.Zero);
        var waits = Enumerable.Range(1, 10).Select(i => (ResponseKind.FirstReply, sundayNightUtc, TimeSpan.FromMinutes(i * 10))).ToList();

        var weeks = ResponseReportRules.Weeks(waits, berlin, TimeSpan.FromMinutes(60), 2, sundayNightUtc.AddDays(1));

        Assert.Equal(new DateOnly(2026, 11, 30), ResponseReportRules.WeekOf(sundayNightUtc, berlin));
        Assert.Equal(new DateOnly(2026, 11, 23), ResponseReportRules.WeekOf(sundayNightUtc, TimeZoneInfo.Utc));
        Assert.Equal(new ResponseStats(10, TimeSpan.FromMinutes(50), TimeSpan.FromMinutes(90), 4), weeks[0].FirstReply);
        Assert.Equal(new ResponseStats(0, null, null, 0), weeks[0].Resolution);
        Assert.Equal(new DateOnly(2026, 11, 23), weeks[1].WeekStart);
    }

    private static MessageView Message(SenderKind kind, DateTimeOffset at, string sender = "someone") =>
        new(Guid.Empty, 1, "c", sender, kind, "Name", "text", at);
}
