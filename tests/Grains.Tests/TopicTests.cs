using ClinicChat.Clinics;
using ClinicChat.Inbox;

namespace ClinicChat.Tests;

/// <summary>
/// Patients start conversations about a topic their clinic offers, and topics route threads (issue 22): a thread about
/// billing is shared with the clinic's Billing staff, who take part in it as in any thread and in no other.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class TopicTests(ClusterFixture fixture)
{
    [Fact]
    public async Task ABillingThreadIsSharedWithTheClinicsBillingStaffUntilItIsRoutedElsewhere()
    {
        var scenario = await Scenario.CreateAsync(fixture.Grains);
        var thread = await scenario.ThreadAsync("Bea Billing");
        var other = await scenario.ThreadAsync("Otto Other");
        var billing = scenario.Staff(StaffRole.Billing);
        var elsewhere = scenario.Staff(StaffRole.Billing, (await scenario.OtherClinicAsync()).Id);
        await thread.SayAsync(thread.Patient, "Why was I charged twice?");
        var before = await thread.Grain.GetAsync(billing);

        var routed = await thread.Grain.SetTopicAsync(thread.Clinician, ThreadTopic.Billing);
        var opened = await thread.Grain.GetAsync(billing);
        var answer = await thread.Grain.SendAsync(billing, new SendMessage("b-1", "It was refunded this morning."));
        var listed = await ListAsync(billing);
        var fromElsewhere = await thread.Grain.GetAsync(elsewhere);
        var closed = await thread.Grain.SetStatusAsync(billing, ThreadStatus.Closed);
        var rerouted = await thread.Grain.SetTopicAsync(thread.Clinician, ThreadTopic.Appointments);
        var afterReroute = await thread.Grain.GetAsync(billing);

        Assert.Equal(ChatErrorCode.NotFound, before.Error?.Code);
        Assert.Equal(ThreadTopic.Billing, routed.Value?.Topic);
        Assert.Null(opened.Error);
        Assert.Equal(SenderKind.Staff, answer.Value?.Message.SenderKind);
        Assert.Equal([thread.Id], listed.Select(t => t.ConversationId));
        Assert.Equal(ThreadTopic.Billing, listed[0].Topic);
        Assert.DoesNotContain(listed, t => t.ConversationId == other.Id);
        Assert.Equal(ChatErrorCode.NotFound, fromElsewhere.Error?.Code);
        Assert.Equal(ThreadStatus.Closed, closed.Value?.Status);
        Assert.Equal(ThreadTopic.Appointments, rerouted.Value?.Topic);
        Assert.Equal(ChatErrorCode.NotFound, afterReroute.Error?.Code);
        Assert.Empty(await ListAsync(billing, ThreadList.Closed));
    }

    [Fact]
    public async Task APatientStartsAConversationAboutATopicTheClinicOffersAndARetryStartsNothingNew()
    {
        var scenario = await Scenario.CreateAsync(fixture.Grains);
        await OfferAsync(scenario, ThreadTopic.Appointments, ThreadTopic.Billing);
        var patientId = await scenario.PatientAsync("Sam Starter");
        var patient = Scenario.PatientActor(patientId);
        var conversation = scenario.Conversation(patientId);
        var clinician = scenario.Staff(StaffRole.Clinician);
        var billing = scenario.Staff(StaffRole.Billing);

        var notOffered = await conversation.StartByPatientAsync(patient, scenario.ClinicId, new PatientStart(ThreadTopic.CareTeam, Message("s-1", "About my treatment")));
        var beforeStart = await conversation.GetAsync(clinician);
        var started = await conversation.StartByPatientAsync(patient, scenario.ClinicId, new PatientStart(ThreadTopic.Billing, Message("s-2", "Can I pay in instalments?")));
        var retried = await conversation.StartByPatientAsync(patient, scenario.ClinicId, new PatientStart(ThreadTopic.Billing, Message("s-2", "Can I pay in instalments?")));
        var billingSees = await ListAsync(billing);
        var page = await conversation.GetMessagesAsync(clinician, new MessagePageQuery(null, null, 50));

        Assert.Equal((ChatErrorCode.Validation, "topic"), (notOffered.Error?.Code, notOffered.Error?.Field));
        Assert.Equal(ChatErrorCode.NotFound, beforeStart.Error?.Code);
        Assert.Equal((1L, SenderKind.Patient, false), (started.Value!.Message.Seq, started.Value.Message.SenderKind, started.Value.WasDuplicate));
        Assert.True(retried.Value!.WasDuplicate);
        Assert.Equal(ThreadTopic.Billing, Assert.Single(billingSees).Topic);
        Assert.Equal(["Can I pay in instalments?"], page.Value!.Messages.Select(m => m.Text));
        Assert.Equal(TeamChangeKind.TopicChanged, Assert.Single(page.Value.StaffItems!).Change!.Kind);
    }

    [Fact]
    public async Task AStartIsRefusedBeforeAnythingIsWrittenWhereTheClinicTakesNoneOrThePatientTurnedChatOff()
    {
        var scenario = await Scenario.CreateAsync(fixture.Grains);
        var offering = await Scenario.CreateAsync(fixture.Grains);
        await OfferAsync(offering, ThreadTopic.Appointments);
        var patientId = await scenario.PatientAsync("Nell None");
        var optedOut = await offering.PatientAsync("Olive Off", optIn: false);
        var clinician = scenario.Staff(StaffRole.Clinician);
        var start = new PatientStart(ThreadTopic.Appointments, Message("r-1", "Hello"));

        var noTopics = await scenario.Conversation(patientId).StartByPatientAsync(Scenario.PatientActor(patientId), scenario.ClinicId, start);
        var notTheirClinic = await offering.Conversation(patientId).StartByPatientAsync(Scenario.PatientActor(patientId), offering.ClinicId, start);
        var off = await offering.Conversation(optedOut).StartByPatientAsync(Scenario.PatientActor(optedOut), offering.ClinicId, start);
        var byStaff = await scenario.Conversation(patientId).StartByPatientAsync(clinician, scenario.ClinicId, start);
        var emptyText = await offering.Conversation(optedOut).StartByPatientAsync(Scenario.PatientActor(optedOut), offering.ClinicId, start with { Message = Message("r-2", " ") });

        Assert.Equal(ChatErrorCode.Forbidden, noTopics.Error?.Code);
        Assert.Equal(ChatErrorCode.NotFound, notTheirClinic.Error?.Code);
        Assert.Equal(ChatErrorCode.PatientOptedOut, off.Error?.Code);
        Assert.Equal(ChatErrorCode.NotFound, byStaff.Error?.Code);
        Assert.Equal((ChatErrorCode.Validation, "text"), (emptyText.Error?.Code, emptyText.Error?.Field));
        Assert.Equal(ChatErrorCode.NotFound, (await scenario.Conversation(patientId).GetAsync(clinician)).Error?.Code);
        Assert.Equal(ChatErrorCode.NotFound, (await offering.Conversation(optedOut).GetAsync(offering.Staff(StaffRole.Clinician))).Error?.Code);
    }

    [Fact]
    public async Task OnlyAdminsChooseTheTopicsAndOnlyStaffWhoTakePartRouteAThread()
    {
        var scenario = await Scenario.CreateAsync(fixture.Grains);
        var thread = await scenario.ThreadAsync();
        var profile = fixture.Grains.GetGrain<IClinicProfileGrain>(scenario.ClinicId);

        var byClinician = await profile.ChangePatientTopicsAsync(scenario.Staff(StaffRole.Clinician), [ThreadTopic.Billing]);
        var byAdmin = await profile.ChangePatientTopicsAsync(scenario.Staff(StaffRole.Admin), [ThreadTopic.CareTeam, ThreadTopic.Appointments, ThreadTopic.CareTeam]);
        var byPatient = await thread.Grain.SetTopicAsync(thread.Patient, ThreadTopic.Billing);
        var byBillingBefore = await thread.Grain.SetTopicAsync(scenario.Staff(StaffRole.Billing), ThreadTopic.Billing);

        Assert.Equal(ChatErrorCode.Forbidden, byClinician.Error?.Code);
        Assert.Equal([ThreadTopic.Appointments, ThreadTopic.CareTeam], byAdmin.Value!.StartTopics);
        Assert.Equal(ChatErrorCode.NotFound, byPatient.Error?.Code);
        Assert.Equal(ChatErrorCode.NotFound, byBillingBefore.Error?.Code);
    }

    private async Task OfferAsync(Scenario scenario, params ThreadTopic[] topics) =>
        Assert.Null((await fixture.Grains.GetGrain<IClinicProfileGrain>(scenario.ClinicId).ChangePatientTopicsAsync(scenario.Staff(StaffRole.Admin), topics)).Error);

    private static SendMessage Message(string clientId, string text) => new(clientId, text);

    private async Task<IReadOnlyList<ThreadSummary>> ListAsync(Actor staff, ThreadList list = ThreadList.Inbox)
    {
        var page = await fixture.Grains.GetGrain<IStaffInboxGrain>(staff.UserId).ListThreadsAsync(staff, new ThreadQuery(list, Search: null, Limit: 50, Cursor: null));
        return page.Value?.Threads ?? throw new InvalidOperationException($"Listing was refused: {page.Error}");
    }
}
