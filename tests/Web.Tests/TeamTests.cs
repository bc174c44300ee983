namespace ClinicChat.Web.Tests;

/// <summary>
/// A front desk works as a team (issue 22): a thread is assigned to a colleague or to nobody, and is open, waiting on
/// the patient, or closed; every change is a staff-only system line, pushed to the clinic's staff and audited, and none
/// of it (nor any internal note) ever reaches the patient.
/// </summary>
[Collection(AppCollection.Name)]
public sealed class TeamTests(AppFixture fixture)
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(15);

    private ClinicChatApp App => fixture.App;

    [Fact]
    public async Task AssigningShowsInTheSidebarListsAsASystemLineAndInTheAuditLog()
    {
        var chat = await ChatScenario.StartAsync(App);
        var frank = await App.SignInAsync(DemoData.Frank);
        await chat.SendAsync(chat.Staff, "Your results are in.");

        var assigned = await AssignAsync(chat.Staff, chat.ThreadId, frank.Me.UserId);
        var franksMine = await ListAsync(frank, "?filter=mine&limit=100");
        var alicesMine = await ListAsync(chat.Staff, "?filter=mine&limit=100");
        var unassigned = await ListAsync(frank, "?filter=unassigned&limit=100");
        var thread = await ThreadAsync(frank, chat.ThreadId);
        var page = await chat.PageAsync(frank);

        Assert.Equal(HttpStatusCode.OK, assigned.StatusCode);
        Assert.Contains(franksMine.Threads, t => t.Id == chat.ThreadId);
        Assert.All(franksMine.Threads, t => Assert.Equal(frank.Me.UserId, t.Team!.Assignee!.UserId));
        Assert.DoesNotContain(alicesMine.Threads, t => t.Id == chat.ThreadId);
        Assert.DoesNotContain(unassigned.Threads, t => t.Id == chat.ThreadId);
        Assert.Equal(("open", "Frank Foster"), (thread.Team!.Status, thread.Team.Assignee!.DisplayName));
        var line = Assert.Single(page.StaffItems!);
        Assert.Equal(("change", "assigned", "Alice Carter", frank.Me.UserId, 1L), (line.Kind, line.Change!.Kind, line.ActorName, line.Change.Assignee!.UserId, line.AfterSeq));
        Assert.Equal(1, await TestData.AuditCountAsync(App, AuditActions.ThreadAssigned, $"assignee={frank.Me.UserId}", chat.Staff.Me.UserId));
    }

    [Fact]
    public async Task ClosingTakesAThreadOutOfTheInboxAndNeedsReplyUntilThePatientWritesAgain()
    {
        var chat = await ChatScenario.StartAsync(App);
        var patient = await chat.SignInPatientAsync();
        await chat.SendAsync(patient, "Thanks, that is all.");
        var waiting = await ListAsync(chat.Staff, string.Empty);

        var closed = await SetStatusAsync(chat.Staff, chat.ThreadId, "closed");
        var inbox = await ListAsync(chat.Staff, "?limit=100");
        var needsReply = await ListAsync(chat.Staff, "?filter=needsReply&limit=100");
        var closedList = await ListAsync(chat.Staff, "?filter=closed&limit=100");
        await chat.SendAsync(patient, "Sorry, one more question.");
        var reopened = await ThreadAsync(chat.Staff, chat.ThreadId);
        var afterReopen = await ListAsync(chat.Staff, "?filter=needsReply&limit=100");
        var lines = (await chat.PageAsync(chat.Staff)).StaffItems!;

        Assert.Equal(HttpStatusCode.OK, closed.StatusCode);
        Assert.DoesNotContain(inbox.Threads, t => t.Id == chat.ThreadId);
        Assert.DoesNotContain(needsReply.Threads, t => t.Id == chat.ThreadId);
        Assert.Equal(waiting.NeedsReply - 1, inbox.NeedsReply);
        Assert.Contains(closedList.Threads, t => t.Id == chat.ThreadId && t.Team!.Status == "closed");
        Assert.Equal("open", reopened.Team!.Status);
        Assert.Contains(afterReopen.Threads, t => t.Id == chat.ThreadId);
        Assert.Equal(waiting.NeedsReply, afterReopen.NeedsReply);
        Assert.Equal([("status", "closed", 1L), ("reopened", "open", 2L)], lines.Select(l => (l.Change!.Kind, l.Change.Status, l.AfterSeq)));
        Assert.Equal(1, await TestData.AuditCountAsync(App, AuditActions.ThreadStatusChanged, "status=open;by=patient_message", patient.Me.UserId, patientId: chat.Patient.Id));
    }

    /// <summary>Two colleagues click "Assign to me" on the same unassigned thread at once: one gets it, the other is told.</summary>
    [Fact]
    public async Task TwoColleaguesTakingTheSameThreadAtOnceOneWinsAndTheOtherIsTold()
    {
        var chat = await ChatScenario.StartAsync(App);
        var frank = await App.SignInAsync(DemoData.Frank);
        var unassigned = new { staffUserId = (string?)null };

        var answers = await Task.WhenAll(
            chat.Staff.Http.PutAsJsonAsync($"/api/v1/conversations/{chat.ThreadId}/assignee", new { staffUserId = chat.Staff.Me.UserId, expected = unassigned }),
            frank.Http.PutAsJsonAsync($"/api/v1/conversations/{chat.ThreadId}/assignee", new { staffUserId = frank.Me.UserId, expected = unassigned }));
        var thread = await ThreadAsync(chat.Staff, chat.ThreadId);

        var winner = Assert.Single(answers, a => a.StatusCode == HttpStatusCode.OK);
        var loser = Assert.Single(answers, a => a.StatusCode == HttpStatusCode.Conflict);
        Assert.Equal("assignment_changed", (await TestData.ProblemAsync(loser)).Code);
        var team = (await winner.Content.ReadFromJsonAsync<ThreadTeamDto>())!;
        Assert.Equal(team.Assignee!.UserId, thread.Team!.Assignee!.UserId);
        Assert.Single((await chat.PageAsync(chat.Staff)).StaffItems!);
    }

    [Fact]
    public async Task OnlyTheClinicsChatStaffChangeATeamAndOnlyToAColleagueWhoChats()
    {
        var chat = await ChatScenario.StartAsync(App);
        var patient = await chat.SignInPatientAsync();
        var lara = await App.SignInAsync(DemoData.Lara);
        var bill = await App.SignInAsync(DemoData.Bill);
        var url = $"/api/v1/conversations/{chat.ThreadId}";

        var byPatient = await patient.Http.PutAsJsonAsync($"{url}/assignee", new { staffUserId = (string?)null });
        var statusByPatient = await patient.Http.PutAsJsonAsync($"{url}/status", new { status = "closed" });
        var byOtherClinic = await lara.Http.PutAsJsonAsync($"{url}/status", new { status = "closed" });
        var byBilling = await bill.Http.PutAsJsonAsync($"{url}/assignee", new { staffUserId = bill.Me.UserId });
        var toBilling = await chat.Staff.Http.PutAsJsonAsync($"{url}/assignee", new { staffUserId = bill.Me.UserId });
        var toOtherClinic = await chat.Staff.Http.PutAsJsonAsync($"{url}/assignee", new { staffUserId = lara.Me.UserId });
        var notAnId = await chat.Staff.Http.PutAsJsonAsync($"{url}/assignee", new { staffUserId = "frank" });
        var badStatus = await chat.Staff.Http.PutAsJsonAsync($"{url}/status", new { status = "done" });
        var unknownThread = await chat.Staff.Http.PutAsJsonAsync($"/api/v1/conversations/{Guid.NewGuid()}/status", new { status = "closed" });
        var colleagues = await chat.Staff.Http.GetFromJsonAsync<List<ColleagueDto>>($"/api/v1/clinics/{chat.Staff.Me.Memberships[0].ClinicId}/colleagues");
        var colleaguesForLara = await lara.Http.GetAsync($"/api/v1/clinics/{chat.Staff.Me.Memberships[0].ClinicId}/colleagues");

        Assert.Equal(HttpStatusCode.NotFound, byPatient.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, statusByPatient.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, byOtherClinic.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, byBilling.StatusCode);
        Assert.Equal((HttpStatusCode.BadRequest, "staffUserId"), (toBilling.StatusCode, (await TestData.ProblemAsync(toBilling)).Field));
        Assert.Equal((HttpStatusCode.BadRequest, "staffUserId"), (toOtherClinic.StatusCode, (await TestData.ProblemAsync(toOtherClinic)).Field));
        Assert.Equal((HttpStatusCode.BadRequest, "staffUserId"), (notAnId.StatusCode, (await TestData.ProblemAsync(notAnId)).Field));
        Assert.Equal((HttpStatusCode.BadRequest, "status"), (badStatus.StatusCode, (await TestData.ProblemAsync(badStatus)).Field));
        Assert.Equal(HttpStatusCode.NotFound, unknownThread.StatusCode);
        Assert.Contains(colleagues!, c => c.DisplayName == "Frank Foster" && c.Roles.SequenceEqual(["FrontDesk"]));
        // Billing is listed (it takes part in billing threads) with its role, so a client offers it only there.
        Assert.Contains(colleagues!, c => c.UserId == bill.Me.UserId && c.Roles.SequenceEqual(["Billing"]));
        Assert.Equal(HttpStatusCode.NotFound, colleaguesForLara.StatusCode);
        Assert.Empty((await chat.PageAsync(chat.Staff)).StaffItems!);
    }

    /// <summary>
    /// Everything the patient is given in a scenario with assignment, status changes and a reopening: no response or
    /// push of theirs names the team's state, its lines, or the colleague a thread is assigned to.
    /// </summary>
    [Fact]
    public async Task NothingOfTheTeamsStateReachesThePatientInAnyResponseOrPush()
    {
        var chat = await ChatScenario.StartAsync(App);
        var patient = await chat.SignInPatientAsync();
        var frank = await App.SignInAsync(DemoData.Frank);
        await using var patientHub = App.CreateHubConnection(patient.Cookie);
        await using var staffHub = App.CreateHubConnection(frank.Cookie);
        var patientPushes = new List<string>();
        var ownMessagePushed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        foreach (var method in typeof(IChatClient).GetMethods().Select(m => m.Name).Where(m => m != nameof(IChatClient.Subscribed)))
        {
            patientHub.On(method, [typeof(JsonElement)], args =>
            {
                var payload = $"{method} {args[0]}";
                lock (patientPushes)
                {
                    patientPushes.Add(payload);
                }

                if (payload.Contains("Better, thanks.", StringComparison.Ordinal))
                {
                    ownMessagePushed.TrySetResult();
                }

                return Task.CompletedTask;
            });
        }

        var staffLines = new List<StaffItemPushDto>();
        var reopenedPushed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        staffHub.On<StaffItemPushDto>(nameof(IChatClient.StaffItemAdded), push =>
        {
            lock (staffLines)
            {
                staffLines.Add(push);
            }

            if (push.Item.Change?.Kind == "reopened")
            {
                reopenedPushed.TrySetResult();
            }
        });
        await ClinicChatApp.ConnectAsync(patientHub);
        await ClinicChatApp.ConnectAsync(staffHub);

        await chat.SendAsync(chat.Staff, "How is the ankle?");
        await AssignAsync(chat.Staff, chat.ThreadId, frank.Me.UserId);
        await SetStatusAsync(frank, chat.ThreadId, "waiting");
        (await frank.Http.PostAsJsonAsync($"/api/v1/conversations/{chat.ThreadId}/notes",
            new { clientNoteId = "n1", text = "Internal: check the allergy list", mentions = new[] { chat.Staff.Me.UserId } })).EnsureSuccessStatusCode();
        await chat.SendAsync(patient, "Better, thanks.");
        await reopenedPushed.Task.WaitAsync(Patience);
        // The patient's own message comes back to them as a push, after everything the thread published before it.
        await ownMessagePushed.Task.WaitAsync(Patience);
        var responses = new[]
        {
            await patient.Http.GetStringAsync("/api/v1/conversations"),
            await patient.Http.GetStringAsync($"/api/v1/conversations/{chat.ThreadId}"),
            await patient.Http.GetStringAsync($"/api/v1/conversations/{chat.ThreadId}/messages?limit=200"),
            await patient.Http.GetStringAsync($"/api/v1/conversations/{chat.ThreadId}/messages?afterSeq=0&limit=200"),
        };

        Assert.Equal(["assigned", "status", "note", "reopened"], staffLines.Select(l => l.Item.Change?.Kind ?? l.Item.Kind));
        Assert.Equal(("open", frank.Me.UserId), (staffLines[^1].Team.Status, staffLines[^1].Team.Assignee!.UserId));
        string[] staffOnly = ["staffItems", "\"team\"", "assign", "Frank", frank.Me.UserId, "waiting", "reopened", "StaffItemAdded", "allergy", "Internal", "mention"];
        foreach (var payload in responses.Concat(patientPushes))
        {
            Assert.All(staffOnly, word => Assert.DoesNotContain(word, payload, StringComparison.OrdinalIgnoreCase));
        }
    }

    /// <summary>
    /// A line belongs to the page that holds the message it follows: paging back through a long thread shows each line
    /// once, in its place, and the newest page carries the lines after the newest message.
    /// </summary>
    [Fact]
    public async Task LinesComeWithThePageOfTheMessageTheyFollow()
    {
        var chat = await ChatScenario.StartAsync(App);
        for (var i = 1; i <= 60; i++)
        {
            await chat.SendAsync(chat.Staff, $"message {i}");
            if (i is 10 or 55 or 60)
            {
                await SetStatusAsync(chat.Staff, chat.ThreadId, i == 55 ? "open" : "waiting");
            }
        }

        var newest = await chat.PageAsync(chat.Staff, "limit=50");
        var older = await chat.PageAsync(chat.Staff, $"beforeSeq={newest.Messages[0].Seq}&limit=50");
        var caughtUp = await chat.PageAsync(chat.Staff, "afterSeq=60&limit=50");

        Assert.Equal((11L, true), (newest.Messages[0].Seq, newest.HasMore));
        Assert.Equal([55L, 60L], newest.StaffItems!.Select(i => i.AfterSeq));
        Assert.Equal([10L], older.StaffItems!.Select(i => i.AfterSeq));
        Assert.Equal([60L], caughtUp.StaffItems!.Select(i => i.AfterSeq));
    }

    [Fact]
    public async Task MineAndUnassignedHoldOpenThreadsOnly()
    {
        var chat = await ChatScenario.StartAsync(App);
        await chat.SendAsync(chat.Staff, "Hello");
        await AssignAsync(chat.Staff, chat.ThreadId, chat.Staff.Me.UserId);
        var mineWhileOpen = await ListAsync(chat.Staff, "?filter=mine&limit=100");

        await SetStatusAsync(chat.Staff, chat.ThreadId, "closed");
        var mineWhenClosed = await ListAsync(chat.Staff, "?filter=mine&limit=100");
        await AssignAsync(chat.Staff, chat.ThreadId, null);
        var unassignedWhenClosed = await ListAsync(chat.Staff, "?filter=unassigned&limit=100");

        Assert.Contains(mineWhileOpen.Threads, t => t.Id == chat.ThreadId);
        Assert.DoesNotContain(mineWhenClosed.Threads, t => t.Id == chat.ThreadId);
        Assert.DoesNotContain(unassignedWhenClosed.Threads, t => t.Id == chat.ThreadId);
    }

    private static Task<HttpResponseMessage> AssignAsync(ApiSession staff, Guid thread, string? userId) =>
        staff.Http.PutAsJsonAsync($"/api/v1/conversations/{thread}/assignee", new { staffUserId = userId });

    private static Task<HttpResponseMessage> SetStatusAsync(ApiSession staff, Guid thread, string status) =>
        staff.Http.PutAsJsonAsync($"/api/v1/conversations/{thread}/status", new { status });

    private static async Task<ThreadDto> ThreadAsync(ApiSession session, Guid thread) =>
        (await session.Http.GetFromJsonAsync<ThreadDto>($"/api/v1/conversations/{thread}"))!;

    private static async Task<ThreadPageDto> ListAsync(ApiSession staff, string query)
    {
        var response = await staff.Http.GetAsync($"/api/v1/conversations{query}");
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
        return (await response.Content.ReadFromJsonAsync<ThreadPageDto>())!;
    }
}
