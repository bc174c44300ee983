namespace ClinicChat.Web.Tests;

/// <summary>
/// Office hours and the after-hours reply (issue 22), on a clock the test moves: a clinic in another time zone answers a
/// patient who writes while it is closed once per closed period, across a daylight-saving change, marked automatic, and
/// the thread still needs a reply from a person. Its own app: the hours it sets must not answer other tests' patients.
/// </summary>
public sealed class AfterHoursTests(MailingApp fixture) : IClassFixture<MailingApp>
{
    private const string Reply = "Thanks for writing. We are closed now and answer when we open. In an emergency call 112.";

    private ClinicChatApp App => fixture.App;

    [Fact]
    public async Task APatientWritingWhileTheClinicIsClosedGetsOneAutomaticReplyPerClosedPeriodAcrossTheSpringForward()
    {
        // Berlin's clocks go forward on Sunday 2027-03-28: Friday's closing is 17:00Z (CET), Monday's opening 06:00Z (CEST).
        MoveTo("2027-03-27T20:00:00Z");
        Assert.Equal(HttpStatusCode.OK, (await SetHoursAsync(await App.SignInAsync(DemoData.Olga), Reply)).StatusCode);
        var chat = await ChatScenario.StartAsync(App);

        var saturday = await WriteAsync(chat, "Is my crown ready?");
        var hours = await (await chat.SignInPatientAsync()).Http.GetFromJsonAsync<OfficeHoursDto>($"/api/v1/clinics/{DemoData.Northside}/office-hours");
        var waiting = await NeedsReplyAsync(chat);
        MoveTo("2027-03-28T08:00:00Z");
        var sunday = await WriteAsync(chat, "Also, can I eat before?");
        MoveTo("2027-03-29T05:30:00Z");
        var mondayEarly = await WriteAsync(chat, "Anyone there?");
        MoveTo("2027-03-29T08:00:00Z");
        var mondayOpen = await WriteAsync(chat, "Thanks!");
        MoveTo("2027-03-29T17:00:00Z");
        var mondayEvening = await WriteAsync(chat, "One more question.");

        var automatic = Assert.Single(saturday, m => m.Automatic);
        Assert.Equal(("staff", "Northside Family Dental", Reply), (automatic.SenderKind, automatic.SenderName, automatic.Text));
        Assert.Equal(saturday.Single(m => m.SenderKind == "patient").Seq + 1, automatic.Seq);
        Assert.DoesNotContain(sunday, m => m.Automatic);
        Assert.DoesNotContain(mondayEarly, m => m.Automatic);
        Assert.DoesNotContain(mondayOpen, m => m.Automatic);
        Assert.Single(mondayEvening, m => m.Automatic);
        Assert.Equal((false, DateTimeOffset.Parse("2027-03-29T06:00:00Z", System.Globalization.CultureInfo.InvariantCulture)), (hours!.OpenNow, hours.OpensAt));
        Assert.Equal("In an emergency call 112.", hours.EmergencyNote);
        Assert.Equal("automatic", waiting!.LastSenderKind);
        Assert.Equal(2, await TestData.AuditCountAsync(App, AuditActions.MessageSent, "automatic", AutomaticActor, patientId: chat.Patient.Id));
    }

    [Fact]
    public async Task APersonsAnswerIsStillOwedAfterTheAutomaticReplyAndNoReplyTextMeansNoReply()
    {
        MoveTo("2027-04-03T12:00:00Z"); // a Saturday
        var olga = await App.SignInAsync(DemoData.Olga);
        await SetHoursAsync(olga, Reply);
        var chat = await ChatScenario.StartAsync(App);
        await WriteAsync(chat, "Hello?");

        var alice = await App.SignInAsync(DemoData.Alice);
        Assert.NotNull(await NeedsReplyAsync(chat));
        await chat.SendAsync(alice, "Hi, we will call you on Monday.");
        Assert.Null(await NeedsReplyAsync(chat));

        await SetHoursAsync(olga, afterHoursReply: null);
        var quiet = await ChatScenario.StartAsync(App);
        Assert.DoesNotContain(await WriteAsync(quiet, "Hello?"), m => m.Automatic);
    }

    [Fact]
    public async Task OnlyTheClinicsAdminsSetTheHoursItsStaffAndPatientsReadThemAndBadHoursAreRefused()
    {
        var olga = await App.SignInAsync(DemoData.Olga);
        var alice = await App.SignInAsync(DemoData.Alice);
        var lara = await App.SignInAsync(DemoData.Lara);
        var lakeviewPatient = await App.SignInAsync((await TestPatients.NewAsync(App, DemoData.Lakeview)).Email);
        var path = $"/api/v1/clinics/{DemoData.Northside}/office-hours";

        Assert.Equal(HttpStatusCode.Forbidden, (await SetHoursAsync(alice, Reply)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await SetHoursAsync(lara, Reply)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await lara.Http.GetAsync(path)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await lakeviewPatient.Http.GetAsync(path)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await alice.Http.GetAsync(path)).StatusCode);
        Assert.Equal(("validation_failed", "timeZone"), await TestData.ProblemAsync(await SetHoursAsync(olga, Reply, zone: "Eastern Standard Time")));
        Assert.Equal(("validation_failed", "weekly"), await TestData.ProblemAsync(await olga.Http.PutAsJsonAsync(path, new
        {
            timeZone = "Europe/Berlin", weekly = new[] { new { day = "funday", opens = "08:00", closes = "18:00" } },
        })));
        Assert.Equal(("validation_failed", "weekly"), await TestData.ProblemAsync(await olga.Http.PutAsJsonAsync(path, new
        {
            timeZone = "Europe/Berlin", weekly = new[] { new { day = "monday", opens = "18:00", closes = "08:00" } },
        })));
        Assert.Equal(("validation_failed", "closures"), await TestData.ProblemAsync(await olga.Http.PutAsJsonAsync(path, new
        {
            timeZone = "Europe/Berlin", closures = new[] { new { from = "24.12.2027", to = "2027-12-26" } },
        })));
        // A half-typed year in the date picker (0024 for 2024) would be a closure that never closes anything.
        Assert.Equal(("validation_failed", "closures"), await TestData.ProblemAsync(await olga.Http.PutAsJsonAsync(path, new
        {
            timeZone = "Europe/Berlin", closures = new[] { new { from = "0024-12-24", to = "0024-12-26" } },
        })));
        Assert.Equal(HttpStatusCode.OK, (await SetHoursAsync(olga, Reply)).StatusCode);
        Assert.True(await TestData.AuditCountAsync(App, AuditActions.ClinicProfileChanged, "officeHours=set;timeZone=Europe/Berlin;openings=5", olga.UserId) >= 1);
    }

    private const string AutomaticActor = "clinic:after-hours";

    private void MoveTo(string utc) =>
        fixture.Clock.Offset = DateTimeOffset.Parse(utc, System.Globalization.CultureInfo.InvariantCulture) - DateTimeOffset.UtcNow;

    /// <summary>The patient writes (signing in again: the clock has jumped past any session) and reads the thread's messages from theirs on.</summary>
    private static async Task<IReadOnlyList<MessageDto>> WriteAsync(ChatScenario chat, string text)
    {
        var patient = await chat.SignInPatientAsync();
        var sent = await chat.SendAsync(patient, text);
        return [.. (await chat.PageAsync(patient)).Messages.Where(m => m.Seq >= sent.Seq)];
    }

    /// <summary>The thread as Alice's "Needs reply" list shows it, or null when it is not there.</summary>
    private async Task<ThreadDto?> NeedsReplyAsync(ChatScenario chat)
    {
        var alice = await App.SignInAsync(DemoData.Alice);
        var page = await alice.Http.GetFromJsonAsync<ThreadPageDto>("/api/v1/conversations?filter=needsReply&limit=100");
        return page!.Threads.FirstOrDefault(t => t.Id == chat.ThreadId);
    }

    private static Task<HttpResponseMessage> SetHoursAsync(ApiSession caller, string? afterHoursReply, string zone = "Europe/Berlin") =>
        caller.Http.PutAsJsonAsync($"/api/v1/clinics/{DemoData.Northside}/office-hours", new
        {
            timeZone = zone,
            weekly = new[] { "monday", "tuesday", "wednesday", "thursday", "friday" }.Select(day => new { day, opens = "08:00", closes = "18:00" }),
            closures = Array.Empty<object>(),
            afterHoursReply,
            emergencyNote = "In an emergency call 112.",
        });
}
