namespace ClinicChat.Web.Tests;

/// <summary>
/// Patients start conversations (issue 22): the clinic's Admin chooses what about, a patient starts one from the portal,
/// and its topic routes it: a billing thread is shared with the clinic's Billing staff (lists, messages, pushes), until a
/// colleague routes it elsewhere. Its own app: Northside's topics are this class's to set.
/// </summary>
public sealed class TopicTests(MailingApp fixture) : IClassFixture<MailingApp>
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(15);

    private ClinicChatApp App => fixture.App;

    [Fact]
    public async Task APatientStartsABillingConversationThatBillingAnswersLiveUntilItIsRoutedElsewhere()
    {
        var olga = await App.SignInAsync(DemoData.Olga);
        var offered = await olga.Http.PutAsJsonAsync($"/api/v1/clinics/{DemoData.Northside}/patient-topics", new { topics = new[] { "billing", "appointments" } });
        var patient = await TestPatients.NewAsync(App);
        var portal = await App.SignInAsync(patient.Email);
        var bill = await App.SignInAsync(DemoData.Bill);
        await using var billsHub = App.CreateHubConnection(bill.Cookie);
        var pushed = new TaskCompletionSource<MessageDto>(TaskCreationOptions.RunContinuationsAsynchronously);
        billsHub.OnMessage(m =>
        {
            if (m.Text == "The second charge is the deposit, right?")
            {
                pushed.TrySetResult(m);
            }
        });
        await ClinicChatApp.ConnectAsync(billsHub);

        var choices = await portal.Http.GetFromJsonAsync<List<ClinicTopicsDto>>("/api/v1/me/conversation-topics");
        var started = await StartAsync(portal, "billing", "Why was I charged twice?");
        var body = (await started.Content.ReadFromJsonAsync<PatientStartDto>())!;
        var billsList = await bill.Http.GetFromJsonAsync<ThreadPageDto>("/api/v1/conversations?limit=100");
        var answered = await bill.Http.PostAsJsonAsync($"/api/v1/conversations/{body.ConversationId}/messages", new { clientMessageId = Guid.NewGuid().ToString("N"), text = "Let me check." });
        await portal.Http.PostAsJsonAsync($"/api/v1/conversations/{body.ConversationId}/messages", new { clientMessageId = Guid.NewGuid().ToString("N"), text = "The second charge is the deposit, right?" });
        var push = await pushed.Task.WaitAsync(Patience);
        var patientsThread = (await portal.Http.GetFromJsonAsync<ThreadPageDto>("/api/v1/conversations"))!.Threads.Single(t => t.Id == body.ConversationId);
        var me = await bill.Http.GetFromJsonAsync<MeDto>("/api/v1/me");

        await using var portalHub = App.CreateHubConnection(portal.Cookie);
        var threadChanged = new TaskCompletionSource<ConversationUpdatedDto>(TaskCreationOptions.RunContinuationsAsynchronously);
        portalHub.On<ConversationUpdatedDto>(nameof(IChatClient.ConversationUpdated), u => threadChanged.TrySetResult(u));
        await ClinicChatApp.ConnectAsync(portalHub);
        var alice = await App.SignInAsync(DemoData.Alice);
        var rerouted = await alice.Http.PutAsJsonAsync($"/api/v1/conversations/{body.ConversationId}/topic", new { topic = "appointments" });
        // The patient's open portal reads its thread again: the topic it shows changed.
        Assert.Equal(body.ConversationId, (await threadChanged.Task.WaitAsync(Patience)).ConversationId);
        var afterReroute = await bill.Http.GetAsync($"/api/v1/conversations/{body.ConversationId}/messages");
        var lines = (await TestData.PageAsync(alice, body.ConversationId, "limit=50")).StaffItems!;

        Assert.Equal(["appointments", "billing"], (await offered.Content.ReadFromJsonAsync<ClinicProfileDto>())!.PatientTopics);
        var northside = Assert.Single(choices!);
        Assert.Equal((DemoData.Northside, true, (Guid?)null), (northside.ClinicId, northside.ChatOptIn, northside.ConversationId));
        Assert.Equal(["appointments", "billing"], northside.Topics);
        Assert.Equal(HttpStatusCode.Created, started.StatusCode);
        Assert.Equal(("Why was I charged twice?", "patient"), (body.Message.Text, body.Message.SenderKind));
        Assert.Equal("billing", Assert.Single(billsList!.Threads, t => t.Id == body.ConversationId).Topic);
        Assert.All(billsList.Threads, t => Assert.Equal("billing", t.Topic));
        Assert.Equal(HttpStatusCode.Created, answered.StatusCode);
        Assert.Equal(body.ConversationId, push.ConversationId);
        Assert.Equal("billing", patientsThread.Topic);
        Assert.Null(patientsThread.Team);
        Assert.Equal([DemoData.Northside], me!.BillingClinicIds!);
        Assert.Empty(me.ChatClinicIds);
        Assert.Equal(HttpStatusCode.OK, rerouted.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, afterReroute.StatusCode);
        Assert.Equal([("topic", "billing", patient.Name), ("topic", "appointments", "Alice Carter")], lines.Select(l => (l.Change!.Kind, l.Change.Topic!, l.ActorName)));
        Assert.Equal(1, await TestData.AuditCountAsync(App, AuditActions.ThreadTopicChanged, "topic=appointments", alice.Me.UserId));
    }

    [Fact]
    public async Task AStartTheClinicDoesNotOfferIsRefusedByFieldAndLeavesNoThread()
    {
        var olga = await App.SignInAsync(DemoData.Olga);
        (await olga.Http.PutAsJsonAsync($"/api/v1/clinics/{DemoData.Northside}/patient-topics", new { topics = new[] { "appointments" } })).EnsureSuccessStatusCode();
        var patient = await TestPatients.NewAsync(App);
        var portal = await App.SignInAsync(patient.Email);

        var notOffered = await StartAsync(portal, "billing", "About my bill");
        var unknownTopic = await StartAsync(portal, "parking", "Where do I park?");
        var noText = await StartAsync(portal, "appointments", "   ");
        var otherClinic = await portal.Http.PostAsJsonAsync("/api/v1/me/conversations", new
        {
            clinicId = DemoData.Lakeview, topic = "appointments", clientMessageId = Guid.NewGuid().ToString("N"), text = "Hello",
        });
        var byStaff = await StartAsync(await App.SignInAsync(DemoData.Alice), "appointments", "Hello");
        var badTopics = await olga.Http.PutAsJsonAsync($"/api/v1/clinics/{DemoData.Northside}/patient-topics", new { topics = new[] { "gossip" } });
        var byClinician = await (await App.SignInAsync(DemoData.Alice)).Http.PutAsJsonAsync($"/api/v1/clinics/{DemoData.Northside}/patient-topics", new { topics = Array.Empty<string>() });
        var choices = await portal.Http.GetFromJsonAsync<List<ClinicTopicsDto>>("/api/v1/me/conversation-topics");

        Assert.Equal((HttpStatusCode.BadRequest, "topic"), (notOffered.StatusCode, (await TestData.ProblemAsync(notOffered)).Field));
        Assert.Equal((HttpStatusCode.BadRequest, "topic"), (unknownTopic.StatusCode, (await TestData.ProblemAsync(unknownTopic)).Field));
        Assert.Equal((HttpStatusCode.BadRequest, "text"), (noText.StatusCode, (await TestData.ProblemAsync(noText)).Field));
        Assert.Equal(HttpStatusCode.NotFound, otherClinic.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, byStaff.StatusCode);
        Assert.Equal((HttpStatusCode.BadRequest, "topics"), (badTopics.StatusCode, (await TestData.ProblemAsync(badTopics)).Field));
        Assert.Equal(HttpStatusCode.Forbidden, byClinician.StatusCode);
        Assert.Null(Assert.Single(choices!).ConversationId);
        Assert.Empty((await portal.Http.GetFromJsonAsync<ThreadPageDto>("/api/v1/conversations"))!.Threads);
    }

    private static Task<HttpResponseMessage> StartAsync(ApiSession who, string topic, string text) =>
        who.Http.PostAsJsonAsync("/api/v1/me/conversations", new { clinicId = DemoData.Northside, topic, clientMessageId = Guid.NewGuid().ToString("N"), text });
}
