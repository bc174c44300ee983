namespace ClinicChat.Web.Tests;

/// <summary>
/// A front desk works as a team (issue 22): a thread waits for the clinic's answer ("needs reply") from the patient's
/// message until any colleague answers, for everyone at the clinic alike, whoever has read it.
/// </summary>
[Collection(AppCollection.Name)]
public sealed class NeedsReplyTests(AppFixture fixture)
{
    private ClinicChatApp App => fixture.App;

    [Fact]
    public async Task APatientsMessageWaitsForTheWholeTeamUntilAnyColleagueAnswers()
    {
        var chat = await ChatScenario.StartAsync(App);
        var (patient, frank) = (await chat.SignInPatientAsync(), await App.SignInAsync(DemoData.Frank));
        await chat.SendAsync(chat.Staff, "Your crown is ready.");
        var before = await PageAsync(frank, string.Empty);

        await chat.SendAsync(patient, "Can I come on Thursday?");
        var waitingForFrank = await PageAsync(frank, "?filter=needsReply&limit=100");
        var waitingForAlice = await PageAsync(chat.Staff, "?filter=needsReply&limit=100");
        // Alice reads it; Frank answers. Reading is not answering: it waits until the answer.
        await chat.PageAsync(chat.Staff);
        var afterAliceRead = await PageAsync(frank, string.Empty);
        await chat.SendAsync(frank, "Thursday at 3 pm works.");
        var answered = await PageAsync(chat.Staff, "?filter=needsReply&limit=100");

        Assert.Equal(before.NeedsReply + 1, waitingForFrank.NeedsReply);
        Assert.Contains(waitingForFrank.Threads, t => t.Id == chat.ThreadId && t.LastSenderKind == "patient");
        Assert.All(waitingForFrank.Threads, t => Assert.Equal(("patient", false), (t.LastSenderKind, t.Archived)));
        Assert.Equal(waitingForFrank.NeedsReply, waitingForAlice.NeedsReply);
        Assert.Equal(waitingForFrank.NeedsReply, afterAliceRead.NeedsReply);
        Assert.DoesNotContain(answered.Threads, t => t.Id == chat.ThreadId);
        Assert.Equal(before.NeedsReply, answered.NeedsReply);
    }

    /// <summary>"Waiting on patient" says the clinic has done its part: the thread leaves "Needs reply" (as its response clock stops) until the patient writes again.</summary>
    [Fact]
    public async Task AThreadWaitingOnThePatientNeedsNoReplyUntilThePatientWritesAgain()
    {
        var chat = await ChatScenario.StartAsync(App);
        var patient = await chat.SignInPatientAsync();
        await chat.SendAsync(patient, "I will send the form tomorrow.");
        var waiting = await PageAsync(chat.Staff, "?filter=needsReply&limit=100");

        var set = await chat.Staff.Http.PutAsJsonAsync($"/api/v1/conversations/{chat.ThreadId}/status", new { status = "waiting" });
        var waitingOnPatient = await PageAsync(chat.Staff, "?filter=needsReply&limit=100");
        await chat.SendAsync(patient, "Here it is.");
        var reopened = await PageAsync(chat.Staff, "?filter=needsReply&limit=100");

        Assert.Equal(HttpStatusCode.OK, set.StatusCode);
        Assert.Contains(waiting.Threads, t => t.Id == chat.ThreadId);
        Assert.DoesNotContain(waitingOnPatient.Threads, t => t.Id == chat.ThreadId);
        Assert.Equal(waiting.NeedsReply - 1, waitingOnPatient.NeedsReply);
        Assert.Contains(reopened.Threads, t => t.Id == chat.ThreadId && t.Team!.Status == "open");
        Assert.Equal(waiting.NeedsReply, reopened.NeedsReply);
    }

    [Fact]
    public async Task TheFiltersAreForStaffAndOnlyTheKnownOnes()
    {
        var chat = await ChatScenario.StartAsync(App);
        var patient = await chat.SignInPatientAsync();

        var byPatient = await patient.Http.GetAsync("/api/v1/conversations?filter=needsReply");
        var unknown = await chat.Staff.Http.GetAsync("/api/v1/conversations?filter=everything");
        var withArchived = await chat.Staff.Http.GetAsync("/api/v1/conversations?filter=closed&archived=true");
        var patientsPage = await (await patient.Http.GetAsync("/api/v1/conversations")).Content.ReadFromJsonAsync<ThreadPageDto>();

        Assert.Equal((HttpStatusCode.BadRequest, "filter"), (byPatient.StatusCode, (await TestData.ProblemAsync(byPatient)).Field));
        Assert.Equal((HttpStatusCode.BadRequest, "filter"), (unknown.StatusCode, (await TestData.ProblemAsync(unknown)).Field));
        Assert.Equal((HttpStatusCode.BadRequest, "filter"), (withArchived.StatusCode, (await TestData.ProblemAsync(withArchived)).Field));
        Assert.Null(patientsPage!.NeedsReply); // staff-internal: never in a patient's answer
    }

    private static async Task<ThreadPageDto> PageAsync(ApiSession staff, string query)
    {
        var response = await staff.Http.GetAsync($"/api/v1/conversations{query}");
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
        return (await response.Content.ReadFromJsonAsync<ThreadPageDto>())!;
    }
}
