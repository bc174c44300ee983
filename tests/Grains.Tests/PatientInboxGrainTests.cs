using ClinicChat.Inbox;

namespace ClinicChat.Tests;

[Collection(ClusterCollection.Name)]
public sealed class PatientInboxGrainTests(ClusterFixture fixture)
{
    [Fact]
    public async Task APatientOfTwoClinicsSeesOneThreadWithEach()
    {
        var scenario = await Scenario.CreateAsync(fixture.Grains);
        var otherClinic = await scenario.OtherClinicAsync();
        var patientId = await scenario.PatientAsync("Tess Twoclinics", moreClinics: otherClinic.Id);
        var here = await scenario.ThreadWithAsync(patientId);
        await here.SayAsync(here.Clinician, "Results are fine");
        await here.SayAsync(here.Clinician, "No need to come in");
        var otherClinician = scenario.Staff(StaffRole.Clinician, otherClinic.Id);
        var there = fixture.Grains.GetGrain<IConversationGrain>(ConversationId.For(otherClinic.Id, patientId));
        await there.StartAsync(otherClinician, otherClinic.Id, patientId);
        // Opening the same thread again must not add a second one for that clinic.
        await there.StartAsync(scenario.Staff(StaffRole.FrontDesk, otherClinic.Id), otherClinic.Id, patientId);
        await there.SendAsync(otherClinician, new SendMessage("c-" + Guid.NewGuid().ToString("N"), "Welcome to the other clinic"));

        var page = await Inbox(patientId).ListThreadsAsync(here.Patient, archived: false);

        var threads = page.Value!.Threads;
        Assert.Equal(2, threads.Count);
        Assert.Equal(
            new HashSet<Guid> { scenario.ClinicId, otherClinic.Id },
            threads.Select(t => t.ClinicId).ToHashSet());
        var fromHere = threads.Single(t => t.ClinicId == scenario.ClinicId);
        Assert.Equal(here.Id, fromHere.ConversationId);
        Assert.Equal(2, fromHere.UnreadCount);
        Assert.Equal(SenderKind.Staff, fromHere.LastSenderKind);
        Assert.Equal(otherClinic.Name, threads.Single(t => t.ClinicId == otherClinic.Id).ClinicName);
        Assert.All(threads, t => Assert.Equal(patientId, t.PatientId));
    }

    [Fact]
    public async Task APatientSeesOnlyTheirOwnThreads()
    {
        var scenario = await Scenario.CreateAsync(fixture.Grains);
        var mine = await scenario.ThreadAsync("Mia Mine");
        await mine.SayAsync(mine.Clinician, "For Mia");
        var theirs = await scenario.ThreadAsync("Theo Theirs");
        await theirs.SayAsync(theirs.Clinician, "For Theo");

        var page = await Inbox(mine.PatientId).ListThreadsAsync(mine.Patient, archived: false);

        Assert.Equal([mine.Id], page.Value!.Threads.Select(t => t.ConversationId));
    }

    [Fact]
    public async Task AThreadStaffOpenedReachesThePatientOnlyWithItsFirstMessage()
    {
        var scenario = await Scenario.CreateAsync(fixture.Grains);
        var thread = await scenario.ThreadAsync("Ed Empty");

        var beforeList = await Inbox(thread.PatientId).ListThreadsAsync(thread.Patient, archived: false);
        var beforeOne = await Inbox(thread.PatientId).GetThreadAsync(thread.Patient, thread.Id);
        await thread.SayAsync(thread.Clinician, "Hello Ed");
        var afterList = await Inbox(thread.PatientId).ListThreadsAsync(thread.Patient, archived: false);
        var afterOne = await Inbox(thread.PatientId).GetThreadAsync(thread.Patient, thread.Id);

        Assert.Empty(beforeList.Value!.Threads);
        Assert.Equal(ChatErrorCode.NotFound, beforeOne.Error?.Code);
        Assert.Equal([thread.Id], afterList.Value!.Threads.Select(t => t.ConversationId));
        Assert.Equal("Hello Ed", afterOne.Value!.LastMessagePreview);
    }

    [Fact]
    public async Task NobodyButThePatientCanListTheirInbox()
    {
        var scenario = await Scenario.CreateAsync(fixture.Grains);
        var thread = await scenario.ThreadAsync();
        var otherPatient = Scenario.PatientActor(await scenario.PatientAsync("Nosy Neighbour"));

        var byOtherPatient = await Inbox(thread.PatientId).ListThreadsAsync(otherPatient, archived: false);
        var byClinician = await Inbox(thread.PatientId).ListThreadsAsync(thread.Clinician, archived: false);

        Assert.Equal(ChatErrorCode.NotFound, byOtherPatient.Error?.Code);
        Assert.Null(byOtherPatient.Value);
        Assert.Equal(ChatErrorCode.NotFound, byClinician.Error?.Code);
    }

    private IPatientInboxGrain Inbox(Guid patientId) => fixture.Grains.GetGrain<IPatientInboxGrain>(patientId);
}
