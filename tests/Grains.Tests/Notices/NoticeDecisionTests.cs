using ClinicChat.Notices;
using ClinicChat.Onboarding;
using Microsoft.Extensions.DependencyInjection;

namespace ClinicChat.Tests.Notices;

/// <summary>
/// When an unread clinic message becomes a notice, on the fake product clock: the conversation marks itself pending in
/// the message's commit, the sweeper wakes it when due, the patient's notice grain decides once and queues the outbox.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class NoticeDecisionTests(ClusterFixture fixture)
{
    private static readonly TimeSpan Delay = new NotificationOptions().UnreadDelay;

    private NoticeSweeper Sweeper => fixture.Services.GetRequiredService<NoticeSweeper>();

    [Fact]
    public async Task AClinicMessageUnreadPastTheDelayBecomesOneContentFreeEmailNotice()
    {
        var (thread, _) = await ThreadWithContactAsync();
        await thread.SayAsync(thread.Clinician, "Your biopsy results are back");

        await SweepAfterAsync(Delay - TimeSpan.FromSeconds(5));
        Assert.Empty(await OutboxAsync(thread.Id));

        await SweepAfterAsync(TimeSpan.FromSeconds(6));
        var notice = Assert.Single(await OutboxAsync(thread.Id));
        Assert.Equal((NoticeChannel.Email, NoticeTemplates.NewMessage, $"{ClusterFixture.NoticeBaseUrl}/#/inbox/{thread.Id}"), (notice.Channel, notice.Template, notice.Link));
        var audit = Assert.Single(await AuditDetailsAsync(thread.Id, AuditActions.NoticeQueued));
        Assert.Contains("to=p***@example.com", audit, StringComparison.Ordinal);
        Assert.DoesNotContain("biopsy", audit, StringComparison.OrdinalIgnoreCase);
        Assert.Equal(0, await PendingCountAsync(thread.Id));
    }

    [Fact]
    public async Task APatientWhoReadsWithinTheDelayHearsNothing()
    {
        var (thread, _) = await ThreadWithContactAsync();
        var message = await thread.SayAsync(thread.Clinician, "See you Tuesday");
        await thread.Grain.AcknowledgeAsync(thread.Patient, new ReceiptAck(message.Seq, message.Seq));

        await SweepAfterAsync(Delay + TimeSpan.FromSeconds(1));

        Assert.Empty(await OutboxAsync(thread.Id));
        Assert.Equal(0, await PendingCountAsync(thread.Id));
    }

    [Fact]
    public async Task AMessageWithdrawnBeforeItsNoticeWasDueIsNeverNoticed()
    {
        var (thread, _) = await ThreadWithContactAsync();
        var message = await thread.SayAsync(thread.Clinician, "Sent to the wrong thread");
        Assert.True((await thread.Grain.WithdrawAsync(thread.Clinician, message.Seq)).Succeeded);

        await SweepAfterAsync(Delay + TimeSpan.FromSeconds(1));

        Assert.Empty(await OutboxAsync(thread.Id));
        Assert.Equal(0, await PendingCountAsync(thread.Id));
    }

    [Fact]
    public async Task OneNoticePerThreadUntilThePatientReadsThenANewOne()
    {
        var (thread, _) = await ThreadWithContactAsync();
        await thread.SayAsync(thread.Clinician, "First");
        await SweepAfterAsync(Delay + TimeSpan.FromSeconds(1));
        var second = await thread.SayAsync(thread.Clinician, "Second");
        await SweepAfterAsync(Delay + TimeSpan.FromSeconds(1));
        Assert.Single(await OutboxAsync(thread.Id));

        await thread.Grain.AcknowledgeAsync(thread.Patient, new ReceiptAck(second.Seq, second.Seq));
        await thread.SayAsync(thread.Clinician, "Third");
        await SweepAfterAsync(Delay + TimeSpan.FromSeconds(1));

        Assert.Equal(2, (await OutboxAsync(thread.Id)).Count);
    }

    [Fact]
    public async Task AClinicAnswerToThePatientsOwnMessageIsAReplyNotice()
    {
        var (thread, _) = await ThreadWithContactAsync();
        await thread.SayAsync(thread.Patient, "Can I move my appointment?");
        await thread.SayAsync(thread.Clinician, "Yes, Thursday works");

        await SweepAfterAsync(Delay + TimeSpan.FromSeconds(1));

        Assert.Equal(NoticeTemplates.Reply, Assert.Single(await OutboxAsync(thread.Id)).Template);
    }

    [Fact]
    public async Task APatientHearsAtMostThreeThreadNoticesADay()
    {
        var scenario = await Scenario.CreateAsync(fixture.Grains);
        var others = await Task.WhenAll(Enumerable.Range(0, 3).Select(_ => scenario.OtherClinicAsync()));
        var patientId = await scenario.PatientAsync("Pat Busy", moreClinics: [.. others.Select(o => o.Id)]);
        await SetContactAsync(patientId, email: "busy@example.com");
        List<ChatThread> threads = [await scenario.ThreadWithAsync(patientId)];
        foreach (var other in others)
        {
            var clinician = scenario.Staff(StaffRole.Clinician, other.Id);
            var grain = fixture.Grains.GetGrain<IConversationGrain>(ConversationId.For(other.Id, patientId));
            await grain.StartAsync(clinician, other.Id, patientId);
            threads.Add(new ChatThread(other.Id, patientId, grain, clinician, Scenario.PatientActor(patientId)));
        }

        foreach (var thread in threads)
        {
            await thread.SayAsync(thread.Clinician, "Hello");
        }

        await SweepAfterAsync(Delay + TimeSpan.FromSeconds(1));

        var decisions = (await Task.WhenAll(threads.Select(t => OutboxAsync(t.Id)))).Select(Assert.Single).ToList();
        Assert.Equal(3, decisions.Count(d => d.Channel == NoticeChannel.Email));
        Assert.Equal(SuppressedBecause.DailyCap, Assert.Single(decisions, d => d.Channel == NoticeChannel.None).ErrorCode);
    }

    [Fact]
    public async Task SmsInTheClinicsQuietHoursWaitsForItsMorningWhileEmailLeavesNow()
    {
        var clinicId = Guid.NewGuid();
        // The fixture clock is in January, summer in Sydney (UTC+11): 11:30 UTC is 22:30 there, inside 21:00–08:00.
        await fixture.Grains.GetGrain<IClinicAccountGrain>(clinicId).CreateAsync("Harbour Dental", "Australia/Sydney", "operator-test");
        var scenario = new Scenario(fixture.Grains, clinicId);
        var patientId = await scenario.PatientAsync("Pat Night");
        await SetContactAsync(patientId, email: "night@example.com", mobile: "+61400000001");
        var thread = await scenario.ThreadWithAsync(patientId);
        await fixture.Grains.GetGrain<IPatientNoticeGrain>(patientId).SetChoiceAsync(thread.Patient, clinicId, email: true, sms: true);
        var now = fixture.Clock.GetUtcNow();
        fixture.AdvanceClockTo(new DateTimeOffset(now.Year, now.Month, now.Day, 11, 30, 0, TimeSpan.Zero).AddDays(now.TimeOfDay > new TimeSpan(11, 28, 0) ? 1 : 0));
        await thread.SayAsync(thread.Clinician, "Reminder");

        await SweepAfterAsync(Delay + TimeSpan.FromSeconds(1));

        var rows = await OutboxAsync(thread.Id);
        var email = Assert.Single(rows, r => r.Channel == NoticeChannel.Email);
        var sms = Assert.Single(rows, r => r.Channel == NoticeChannel.Sms);
        Assert.Equal(email.DecidedAt, email.DueAt);
        var sydneyMorning = TimeZoneInfo.ConvertTime(sms.DueAt, TimeZoneInfo.FindSystemTimeZoneById("Australia/Sydney"));
        Assert.Equal((8, 0), (sydneyMorning.Hour, sydneyMorning.Minute));
        Assert.True(sms.DueAt > sms.DecidedAt.AddHours(9));
    }

    [Fact]
    public async Task OptOutsSuppressTheNoticeAndSayWhy()
    {
        var (chatOptedOut, _) = await ThreadWithContactAsync();
        var (noChannels, _) = await ThreadWithContactAsync();
        await fixture.Grains.GetGrain<IPatientNoticeGrain>(noChannels.PatientId).SetChoiceAsync(noChannels.Patient, noChannels.ClinicId, email: false, sms: false);
        var (stopped, _) = await ThreadWithContactAsync(mobile: "+15550009999", email: null);
        await fixture.Grains.GetGrain<IPatientNoticeGrain>(stopped.PatientId).SetChoiceAsync(stopped.Patient, stopped.ClinicId, email: false, sms: true);
        await StopAsync("+15550009999");

        await chatOptedOut.SayAsync(chatOptedOut.Clinician, "a");
        await noChannels.SayAsync(noChannels.Clinician, "b");
        await stopped.SayAsync(stopped.Clinician, "c");
        // Opting out of chat after the message: the thread still holds it, but the patient hears nothing more.
        await fixture.Grains.GetGrain<Patients.IPatientProfileGrain>(chatOptedOut.PatientId).SetChatOptInAsync(chatOptedOut.Patient, optIn: false);
        await SweepAfterAsync(Delay + TimeSpan.FromSeconds(1));

        Assert.Equal(SuppressedBecause.ChatOptedOut, Assert.Single(await OutboxAsync(chatOptedOut.Id)).ErrorCode);
        Assert.Equal(SuppressedBecause.NoChannelChosen, Assert.Single(await OutboxAsync(noChannels.Id)).ErrorCode);
        Assert.Equal(SuppressedBecause.SmsStopped, Assert.Single(await OutboxAsync(stopped.Id)).ErrorCode);
        Assert.Single(await AuditDetailsAsync(stopped.Id, AuditActions.NoticeSuppressed));
    }

    [Fact]
    public async Task ADecisionIsMadeOnceEvenWhenAskedAgain()
    {
        var (thread, _) = await ThreadWithContactAsync();
        var message = await thread.SayAsync(thread.Clinician, "Hi");
        var notices = fixture.Grains.GetGrain<IPatientNoticeGrain>(thread.PatientId);
        var request = new UnreadNoticeRequest(thread.ClinicId, thread.Id, message.Seq, IsReply: false);

        var first = await notices.DecideUnreadAsync(request);
        var again = await notices.DecideUnreadAsync(request);

        Assert.Equal(first.Queued, again.Queued);
        Assert.Single(await OutboxAsync(thread.Id));
        Assert.Single(await AuditDetailsAsync(thread.Id, AuditActions.NoticeQueued));
    }

    [Fact]
    public async Task SettingsAreThePatientsOwnAndSmsNeedsAVerifiedNumber()
    {
        var (thread, _) = await ThreadWithContactAsync();
        var notices = fixture.Grains.GetGrain<IPatientNoticeGrain>(thread.PatientId);
        var other = await Scenario.CreateAsync(fixture.Grains);

        Assert.Equal(ChatErrorCode.NotFound, (await notices.GetSettingsAsync(Scenario.PatientActor(Guid.NewGuid()))).Error?.Code);
        Assert.Equal(ChatErrorCode.NotFound, (await notices.GetSettingsAsync(thread.Clinician)).Error?.Code);
        Assert.Equal(ChatErrorCode.NotFound, (await notices.SetChoiceAsync(thread.Patient, other.ClinicId, true, false)).Error?.Code);
        Assert.Equal(ChatErrorCode.ContactNotVerified, (await notices.SetChoiceAsync(thread.Patient, thread.ClinicId, true, true)).Error?.Code);

        var settings = (await notices.GetSettingsAsync(thread.Patient)).Value!;
        Assert.Equal("pat@example.com", settings.Email);
        var choice = Assert.Single(settings.Clinics);
        Assert.Equal((thread.ClinicId, true, false), (choice.ClinicId, choice.Email, choice.Sms));
    }

    [Fact]
    public async Task ATestNoticeGoesOutNowToTheVerifiedAddress()
    {
        var (thread, _) = await ThreadWithContactAsync();
        var notices = fixture.Grains.GetGrain<IPatientNoticeGrain>(thread.PatientId);

        var queued = await notices.SendTestAsync(thread.Patient, thread.ClinicId, NoticeChannel.Email);
        var noMobile = await notices.SendTestAsync(thread.Patient, thread.ClinicId, NoticeChannel.Sms);

        Assert.Equal("p***@example.com", queued.Value?.MaskedAddress);
        Assert.Equal(ChatErrorCode.ContactNotVerified, noMobile.Error?.Code);
        var row = Assert.Single(await fixture.QueryAsync("SELECT template, due_at_ms, decided_at_ms FROM notice_outbox WHERE id = @id",
            r => (r.GetString(0), r.GetInt64(1) == r.GetInt64(2)), ("@id", queued.Value!.Id)));
        Assert.Equal((NoticeTemplates.Test, true), row);
    }

    [Fact]
    public async Task APatientWaitingPastTheReplyTargetInOfficeTimeEmailsTheClinicsChattingStaffOncePerWait()
    {
        var (thread, scenario) = await ThreadWithContactAsync();
        await EmailWhenOverdueAsync(scenario);
        await AddStaffAsync(scenario.ClinicId, StaffRole.Clinician, "doc@northside.test");
        await AddStaffAsync(scenario.ClinicId, StaffRole.FrontDesk, "desk@northside.test");
        await AddStaffAsync(scenario.ClinicId, StaffRole.Billing, "billing@northside.test");
        MoveClockTo(DayOfWeek.Tuesday, hour: 9);
        await thread.SayAsync(thread.Patient, "I have a question about my bill");

        await SweepAfterAsync(ReplyTarget - TimeSpan.FromMinutes(1));
        Assert.Empty(await StaffNoticesAsync(thread.Id));
        await SweepAfterAsync(TimeSpan.FromMinutes(2));

        var link = $"{ClusterFixture.NoticeBaseUrl}/#/chat/{thread.Id}";
        Assert.Equal([("desk@northside.test", link), ("doc@northside.test", link)], await StaffNoticesAsync(thread.Id));
        var audit = await AuditDetailsAsync(thread.Id, AuditActions.NoticeQueued);
        Assert.Contains(audit, detail => detail.Contains("to=d***@northside.test", StringComparison.Ordinal) && detail.Contains(NoticeTemplates.StaffWaiting, StringComparison.Ordinal));

        // The same wait goes on: no second email. An answer ends it; the patient's next message starts another, which has its own.
        await thread.SayAsync(thread.Patient, "Hello?");
        await SweepAfterAsync(ReplyTarget * 2);
        Assert.Equal(2, (await StaffNoticesAsync(thread.Id)).Count);
        await thread.SayAsync(thread.Clinician, "Sorry for the wait: it is paid.");
        await thread.SayAsync(thread.Patient, "Thanks! One more thing");
        await SweepAfterAsync(ReplyTarget + TimeSpan.FromMinutes(1));
        Assert.Equal(4, (await StaffNoticesAsync(thread.Id)).Count);
        Assert.Equal(0, await PendingCountAsync(thread.Id));
    }

    [Fact]
    public async Task AFridayEveningMessageIsOverdueOnMondayAfterTheOfficeTimeLeftOnFriday()
    {
        var (thread, scenario) = await ThreadWithContactAsync();
        await EmailWhenOverdueAsync(scenario);
        await AddStaffAsync(scenario.ClinicId, StaffRole.FrontDesk, "weekend@northside.test");
        MoveClockTo(DayOfWeek.Friday, hour: 16, minute: 30);
        await thread.SayAsync(thread.Patient, "Can someone call me?");

        // 30 minutes were left on Friday (until 17:00); the other 30 run from Monday 09:00.
        await SweepAfterAsync(TimeSpan.FromDays(2) + TimeSpan.FromHours(16) + TimeSpan.FromMinutes(58));
        Assert.Empty(await StaffNoticesAsync(thread.Id));
        await SweepAfterAsync(TimeSpan.FromMinutes(3));

        Assert.Equal(DayOfWeek.Monday, fixture.Clock.GetUtcNow().DayOfWeek);
        Assert.Single(await StaffNoticesAsync(thread.Id));
    }

    [Fact]
    public async Task AnAssignedThreadEmailsOnlyItsAssigneeAndAnAnsweredOneNobody()
    {
        var (assigned, scenario) = await ThreadWithContactAsync();
        await EmailWhenOverdueAsync(scenario);
        var assignee = await AddStaffAsync(scenario.ClinicId, StaffRole.Clinician, "owner@northside.test");
        await AddStaffAsync(scenario.ClinicId, StaffRole.FrontDesk, "colleague@northside.test");
        Assert.Null((await assigned.Grain.AssignAsync(assigned.Clinician, new Assignment(assignee))).Error);
        var answered = await scenario.ThreadWithAsync(await scenario.PatientAsync("Ann Answered"));
        MoveClockTo(DayOfWeek.Wednesday, hour: 10);
        await assigned.SayAsync(assigned.Patient, "Is my referral through?");
        await answered.SayAsync(answered.Patient, "Is my referral through?");
        await SweepAfterAsync(TimeSpan.FromMinutes(30));
        await answered.SayAsync(answered.Clinician, "Yes, it went out this morning.");

        await SweepAfterAsync(ReplyTarget);

        Assert.Equal(["owner@northside.test"], (await StaffNoticesAsync(assigned.Id)).Select(n => n.Address));
        Assert.Empty(await StaffNoticesAsync(answered.Id));
        Assert.Equal(0, await PendingCountAsync(answered.Id));
    }

    [Fact]
    public async Task AClinicThatDoesNotAskForOverdueEmailsGetsNoneAndNoPendingLook()
    {
        var (thread, scenario) = await ThreadWithContactAsync();
        await AddStaffAsync(scenario.ClinicId, StaffRole.Clinician, "quiet@northside.test");
        MoveClockTo(DayOfWeek.Thursday, hour: 9);
        await thread.SayAsync(thread.Patient, "Quick question");
        Assert.Equal(0, await PendingCountAsync(thread.Id));

        await SweepAfterAsync(TimeSpan.FromDays(3));

        Assert.Empty(await StaffNoticesAsync(thread.Id));
    }

    [Fact]
    public async Task TurningOverdueEmailsOnReachesAThreadThatWaitsAlready()
    {
        var (thread, scenario) = await ThreadWithContactAsync();
        await AddStaffAsync(scenario.ClinicId, StaffRole.FrontDesk, "already@northside.test");
        MoveClockTo(DayOfWeek.Monday, hour: 9);
        await thread.SayAsync(thread.Patient, "Is anyone there?");
        Assert.Equal(0, await PendingCountAsync(thread.Id));

        // Turned on at 09:30 with a one-hour target: the wait that began at 09:00 is overdue at 10:00.
        await SweepAfterAsync(TimeSpan.FromMinutes(30));
        await EmailWhenOverdueAsync(scenario);
        await SweepAfterAsync(TimeSpan.FromMinutes(20));
        Assert.Empty(await StaffNoticesAsync(thread.Id));
        await SweepAfterAsync(TimeSpan.FromMinutes(11));

        Assert.Equal(["already@northside.test"], (await StaffNoticesAsync(thread.Id)).Select(n => n.Address));
    }

    private static readonly TimeSpan ReplyTarget = TimeSpan.FromHours(1);

    /// <summary>The clinic's Admin asks for overdue emails: weekdays 09:00–17:00 (UTC), a one-hour reply target.</summary>
    private async Task EmailWhenOverdueAsync(Scenario scenario)
    {
        var weekdays = Enum.GetValues<DayOfWeek>().Where(d => d is not (DayOfWeek.Saturday or DayOfWeek.Sunday))
            .Select(d => new Clinics.OpeningHours(d, new TimeOnly(9, 0), new TimeOnly(17, 0))).ToList();
        var changed = await fixture.Grains.GetGrain<Clinics.IClinicProfileGrain>(scenario.ClinicId).ChangeOfficeHoursAsync(
            scenario.Staff(StaffRole.Admin), new Clinics.OfficeHours("UTC", weekdays, [], null, null, (int)ReplyTarget.TotalMinutes, EmailWhenOverdue: true));
        Assert.Null(changed.Error);
    }

    /// <summary>The next <paramref name="day"/> at the given time, UTC (the test clinics' zone).</summary>
    private void MoveClockTo(DayOfWeek day, int hour, int minute = 0)
    {
        var date = fixture.Clock.GetUtcNow().Date.AddDays(1);
        while (date.DayOfWeek != day)
        {
            date = date.AddDays(1);
        }

        fixture.AdvanceClockTo(new DateTimeOffset(date.AddHours(hour).AddMinutes(minute), TimeSpan.Zero));
    }

    private Task<IReadOnlyList<(string Address, string Link)>> StaffNoticesAsync(Guid conversationId) => fixture.QueryAsync(
        "SELECT address, link FROM notice_outbox WHERE conversation_id = @id AND template = @template ORDER BY decided_at_ms, address",
        r => (r.GetString(0), r.GetString(1)), ("@id", conversationId), ("@template", NoticeTemplates.StaffWaiting));

    /// <summary>A staff account with a confirmed email and a role at the clinic, as onboarding stores it in Identity.</summary>
    private async Task<string> AddStaffAsync(Guid clinicId, StaffRole role, string email)
    {
        var userId = "staff-" + Guid.NewGuid().ToString("N");
        await using var connection = await fixture.Database.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText =
            """
            INSERT INTO "AspNetUsers" ("Id", "DisplayName", "UserName", "Email", "EmailConfirmed", "PhoneNumberConfirmed", "TwoFactorEnabled", "LockoutEnabled", "AccessFailedCount")
            VALUES ($id, 'Staff', $email, $email, 1, 0, 0, 1, 0);
            INSERT INTO "AspNetUserClaims" ("UserId", "ClaimType", "ClaimValue") VALUES ($id, $type, $membership);
            """;
        command.Parameters.Add(new Microsoft.Data.Sqlite.SqliteParameter("$id", userId));
        command.Parameters.Add(new Microsoft.Data.Sqlite.SqliteParameter("$email", email));
        command.Parameters.Add(new Microsoft.Data.Sqlite.SqliteParameter("$type", NoticeStore.MembershipClaimType));
        command.Parameters.Add(new Microsoft.Data.Sqlite.SqliteParameter("$membership", $"{clinicId:D}:{role}"));
        await command.ExecuteNonQueryAsync();
        return userId;
    }

    private async Task<(ChatThread Thread, Scenario Scenario)> ThreadWithContactAsync(string? email = "pat@example.com", string? mobile = null)
    {
        var scenario = await Scenario.CreateAsync(fixture.Grains);
        var patientId = await scenario.PatientAsync();
        await SetContactAsync(patientId, email, mobile);
        return (await scenario.ThreadWithAsync(patientId), scenario);
    }

    /// <summary>The portal account as Identity stores it once the patient verified their email and mobile.</summary>
    private async Task SetContactAsync(Guid patientId, string? email = null, string? mobile = null)
    {
        await using var connection = await fixture.Database.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText =
            """
            INSERT INTO "AspNetUsers" ("Id", "DisplayName", "UserName", "Email", "EmailConfirmed", "PhoneNumber", "PhoneNumberConfirmed", "TwoFactorEnabled", "LockoutEnabled", "AccessFailedCount")
            VALUES ($id, 'Patient', $email, $email, $emailConfirmed, $mobile, $mobileConfirmed, 0, 1, 0)
            """;
        command.Parameters.Add(new Microsoft.Data.Sqlite.SqliteParameter("$id", "user-" + patientId.ToString("N")));
        command.Parameters.Add(new Microsoft.Data.Sqlite.SqliteParameter("$email", (object?)email ?? DBNull.Value));
        command.Parameters.Add(new Microsoft.Data.Sqlite.SqliteParameter("$emailConfirmed", email is null ? 0 : 1));
        command.Parameters.Add(new Microsoft.Data.Sqlite.SqliteParameter("$mobile", (object?)mobile ?? DBNull.Value));
        command.Parameters.Add(new Microsoft.Data.Sqlite.SqliteParameter("$mobileConfirmed", mobile is null ? 0 : 1));
        await command.ExecuteNonQueryAsync();
    }

    /// <summary>A number that replied STOP, as the SMS webhook records it.</summary>
    private async Task StopAsync(string number)
    {
        await using var connection = await fixture.Database.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "INSERT INTO sms_opt_outs (number, opted_out_at_ms) VALUES ($number, 0)";
        command.Parameters.Add(new Microsoft.Data.Sqlite.SqliteParameter("$number", number));
        await command.ExecuteNonQueryAsync();
    }

    private async Task SweepAfterAsync(TimeSpan wait)
    {
        fixture.AdvanceClockTo(fixture.Clock.GetUtcNow() + wait);
        while (await Sweeper.SweepAsync() > 0)
        {
            // Other tests' threads may be due too; every due look is handled before asserting.
        }
    }

    private Task<IReadOnlyList<OutboxRow>> OutboxAsync(Guid conversationId) => fixture.QueryAsync(
        "SELECT id, channel, template, link, error_code, decided_at_ms, due_at_ms FROM notice_outbox WHERE conversation_id = @id ORDER BY decided_at_ms, channel",
        r => new OutboxRow(Guid.Parse(r.GetString(0)), null, null, null, conversationId, null, (NoticeChannel)r.GetInt64(1), r.GetString(2), null,
            r.IsDBNull(3) ? null : r.GetString(3), null, DateTimeOffset.FromUnixTimeMilliseconds(r.GetInt64(5)), DateTimeOffset.FromUnixTimeMilliseconds(r.GetInt64(6)),
            NoticeState.Pending, r.IsDBNull(4) ? null : r.GetString(4)),
        ("@id", conversationId));

    private Task<long> PendingCountAsync(Guid conversationId) =>
        fixture.ScalarAsync("SELECT COUNT(*) FROM notice_pending WHERE conversation_id = @id", ("@id", conversationId));

    private Task<IReadOnlyList<string>> AuditDetailsAsync(Guid conversationId, string action) => fixture.QueryAsync(
        "SELECT detail FROM audit_log WHERE conversation_id = @id AND action = @action", r => r.GetString(0), ("@id", conversationId), ("@action", action));
}
