using System.Globalization;
using ClinicChat.Web.ResponseTimes;

namespace ClinicChat.Web.Tests;

/// <summary>
/// Response times (issue 22), on a clock the test moves: a wait counts only the clinic's office time, the staff's lists
/// say since when a patient waits and when that passes the clinic's target, and the Admin's report gives the week's
/// median and 90th percentile of first answers and resolutions. Its own app: the hours it sets are its own.
/// </summary>
public sealed class ResponseTimesTests(MailingApp fixture) : IClassFixture<MailingApp>
{
    private ClinicChatApp App => fixture.App;

    [Fact]
    public async Task AWaitOverAWeekendCountsOnlyOfficeTimeInTheListsAndTheAdminsWeeklyReport()
    {
        // Berlin, Monday to Friday 08:00–18:00, a target of one office hour. Friday 17:30 CEST is 15:30Z.
        MoveTo("2027-04-09T15:30:00Z");
        var olga = await App.SignInAsync(DemoData.Olga);
        Assert.Equal(HttpStatusCode.OK, (await olga.Http.PutAsJsonAsync($"/api/v1/clinics/{DemoData.Northside}/office-hours", new
        {
            timeZone = "Europe/Berlin",
            weekly = new[] { "monday", "tuesday", "wednesday", "thursday", "friday" }.Select(day => new { day, opens = "08:00", closes = "18:00" }),
            replyTargetMinutes = 60,
        })).StatusCode);
        var chat = await ChatScenario.StartAsync(App);
        var sent = await chat.SendAsync(await chat.SignInPatientAsync(), "My filling came out.");

        // Half an hour on Friday, then Monday from 08:00: overdue at 08:30 CEST (06:30Z).
        var waiting = (await ThreadAsync(chat)).Team!;
        MoveTo("2027-04-12T07:00:00Z");
        await chat.SendAsync(await App.SignInAsync(DemoData.Alice), "Come in at 11 today.");
        var answered = (await ThreadAsync(chat)).Team!;
        MoveTo("2027-04-12T08:00:00Z");
        var alice = await App.SignInAsync(DemoData.Alice);
        Assert.Equal(HttpStatusCode.OK, (await alice.Http.PutAsJsonAsync($"/api/v1/conversations/{chat.ThreadId}/status", new { status = "closed" })).StatusCode);
        var report = await (await App.SignInAsync(DemoData.Olga)).Http.GetFromJsonAsync<ResponseReportDto>($"/api/v1/clinics/{DemoData.Northside}/response-times?weeks=2");

        // The clock moves on with real time between the test's steps: compare with the moment the message was sent.
        var drift = sent.SentAt - At("2027-04-09T15:30:00Z");
        Assert.Equal((sent.SentAt, At("2027-04-12T06:30:00Z") + drift), (waiting.WaitingSince, waiting.OverdueAt));
        Assert.Null(answered.WaitingSince);
        Assert.Equal(("Europe/Berlin", 60.0), (report!.TimeZone, report.TargetMinutes));
        Assert.Equal([new DateOnly(2027, 4, 12), new DateOnly(2027, 4, 5)], report.Weeks.Select(w => w.WeekStart));
        // First answer: 30 office minutes on Friday and 60 on Monday; resolution: 30 and 120.
        Assert.Equal((1, 90.0, 90.0, 1), Rounded(report.Weeks[0].FirstReply));
        Assert.Equal((1, 150.0, 150.0, 1), Rounded(report.Weeks[0].Resolution));
        Assert.Equal(new ResponseStatsDto(0, null, null, 0), report.Weeks[1].FirstReply);
    }

    [Fact]
    public async Task AThreadThatPassesTheTargetEmailsItsAssigneeALinkAndNotWhatThePatientWrote()
    {
        // Friday 17:30 in Berlin; the clinic asks for overdue emails with a target of one office hour.
        MoveTo("2027-05-07T15:30:00Z");
        var olga = await App.SignInAsync(DemoData.Olga);
        var saved = await olga.Http.PutAsJsonAsync($"/api/v1/clinics/{DemoData.Northside}/office-hours", new
        {
            timeZone = "Europe/Berlin",
            weekly = new[] { "monday", "tuesday", "wednesday", "thursday", "friday" }.Select(day => new { day, opens = "08:00", closes = "18:00" }),
            replyTargetMinutes = 60,
            emailWhenOverdue = true,
        });
        Assert.True((await saved.Content.ReadFromJsonAsync<Clinics.OfficeHoursDto>())!.EmailWhenOverdue);
        var chat = await ChatScenario.StartAsync(App);
        var frank = await App.SignInAsync(DemoData.Frank);
        Assert.Equal(HttpStatusCode.OK, (await chat.Staff.Http.PutAsJsonAsync($"/api/v1/conversations/{chat.ThreadId}/assignee", new { staffUserId = frank.Me.UserId })).StatusCode);
        await chat.SendAsync(await chat.SignInPatientAsync(), "My crown fell out while eating.");

        // Half an hour left on Friday, the other half on Monday from 08:00: overdue at 08:30 CEST.
        MoveTo("2027-05-10T06:31:00Z");
        // Saving the hours with the choice on also reckons the clinic's other waiting threads (the demo's): their emails may
        // reach Frank too, in any order, so wait for the one about this thread.
        var link = $"{MailingApp.PublicBaseUrl}/#/chat/{chat.ThreadId}";
        var mail = await fixture.Smtp.WaitForAsync(m => m.EnvelopeRecipients.Contains(DemoData.Frank) && (m.Message.TextBody ?? string.Empty).Contains(link, StringComparison.Ordinal));

        Assert.Equal("A patient at Northside Family Dental is waiting past the reply target", mail.Message.Subject);
        Assert.DoesNotContain("crown", mail.Message.TextBody + mail.Message.HtmlBody, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task OnlyTheClinicsAdminsReadTheReport()
    {
        var path = $"/api/v1/clinics/{DemoData.Northside}/response-times";

        Assert.Equal(HttpStatusCode.Forbidden, (await (await App.SignInAsync(DemoData.Alice)).Http.GetAsync(path)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await (await App.SignInAsync(DemoData.Lara)).Http.GetAsync(path)).StatusCode);
        Assert.Equal(("validation_failed", "weeks"), await TestData.ProblemAsync(await (await App.SignInAsync(DemoData.Olga)).Http.GetAsync(path + "?weeks=53")));
    }

    private static (int, double, double, int) Rounded(ResponseStatsDto stats) =>
        (stats.Count, Math.Round(stats.MedianMinutes!.Value), Math.Round(stats.P90Minutes!.Value), stats.OverTarget);

    private void MoveTo(string utc) => fixture.Clock.Offset = At(utc) - DateTimeOffset.UtcNow;

    private static DateTimeOffset At(string utc) => DateTimeOffset.Parse(utc, CultureInfo.InvariantCulture);

    private async Task<ThreadDto> ThreadAsync(ChatScenario chat)
    {
        var alice = await App.SignInAsync(DemoData.Alice);
        return (await alice.Http.GetFromJsonAsync<ThreadPageDto>("/api/v1/conversations?limit=100"))!.Threads.Single(t => t.Id == chat.ThreadId);
    }
}
