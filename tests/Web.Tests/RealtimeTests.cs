using ClinicChat.Realtime;

namespace ClinicChat.Web.Tests;

[Collection(AppCollection.Name)]
public sealed class RealtimeTests(AppFixture fixture)
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(15);

    private ClinicChatApp App => fixture.App;

    [Fact]
    public async Task AStaffMessageReachesThePatientsHubConnectionAndTheReplyReachesStaff()
    {
        var (_, alice, patient, thread) = await ChatScenario.StartAsync(App);
        var patientSession = await App.SignInAsync(patient.Email);
        await using var staffHub = App.CreateHubConnection(alice.Cookie);
        await using var patientHub = App.CreateHubConnection(patientSession.Cookie);
        var patientReceived = Expect(patientHub, m => m.ConversationId == thread && m.Text == "Please fast before the appointment");
        var staffReceived = Expect(staffHub, m => m.ConversationId == thread && m.Text == "Will do");
        await ClinicChatApp.ConnectAsync(staffHub);
        await ClinicChatApp.ConnectAsync(patientHub);

        var sent = await TestData.SendAsync(alice, thread, "Please fast before the appointment");
        var atPatient = await patientReceived.WaitAsync(Patience);
        var reply = await TestData.SendAsync(patientSession, thread, "Will do");
        var atStaff = await staffReceived.WaitAsync(Patience);

        Assert.Equal((sent.Seq, "Alice Carter", "staff"), (atPatient.Seq, atPatient.SenderName, atPatient.SenderKind));
        Assert.Equal((reply.Seq, "patient"), (atStaff.Seq, atStaff.SenderKind));
    }

    /// <summary>
    /// A notifier activation holds its subscribers in memory; when it goes (a silo shutting down in a rolling upgrade),
    /// the web node subscribes again and the patient's app is told to resync, well before the periodic renewal (a minute).
    /// </summary>
    [Fact]
    public async Task WhenATopicsNotifierIsDeactivatedPushesResumeAndClientsAreToldToResync()
    {
        var (_, alice, patient, thread) = await ChatScenario.StartAsync(App);
        var patientSession = await App.SignInAsync(patient.Email);
        await using var patientHub = App.CreateHubConnection(patientSession.Cookie);
        await ClinicChatApp.ConnectAsync(patientHub);
        var resync = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        patientHub.On(nameof(IChatClient.Subscribed), () => resync.TrySetResult());
        var received = Expect(patientHub, m => m.ConversationId == thread && m.Text == "after the notifier went away");

        var notifier = App.Services.GetRequiredService<IGrainFactory>().GetGrain<ITopicNotifierGrain>(Topics.Patient(patient.Id));
        await notifier.AsReference<Orleans.Core.Internal.IGrainManagementExtension>().DeactivateOnIdle();
        await resync.Task.WaitAsync(Patience);
        var sent = await TestData.SendAsync(alice, thread, "after the notifier went away");

        Assert.Equal(sent.Seq, (await received.WaitAsync(Patience)).Seq);
    }

    [Fact]
    public async Task AnotherPatientsConnectionNeverReceivesTheMessage()
    {
        var patient = TestData.PortalPatient(31);
        var bystander = TestData.PortalPatient(32);
        var alice = await App.SignInAsync(DemoData.Alice);
        var bystanderSession = await App.SignInAsync(bystander.Email!);
        var patientSession = await App.SignInAsync(patient.Email!);
        var thread = await TestData.StartAsync(alice, patient.Id);
        var bystanderThread = await TestData.StartAsync(alice, bystander.Id);
        await using var bystanderHub = App.CreateHubConnection(bystanderSession.Cookie);
        await using var patientHub = App.CreateHubConnection(patientSession.Cookie);
        var received = new List<MessageDto>();
        bystanderHub.OnMessage(received.Add);
        var patientGotPrivate = Expect(patientHub, m => m.ConversationId == thread.Id);
        var bystanderGotOwn = Expect(bystanderHub, m => m.ConversationId == bystanderThread.Id);
        await ClinicChatApp.ConnectAsync(bystanderHub);
        await ClinicChatApp.ConnectAsync(patientHub);

        await TestData.SendAsync(alice, thread.Id, "private to the patient");
        await patientGotPrivate.WaitAsync(Patience);
        // A later message to the bystander arrives on the same connection after the first one was
        // pushed, so by then the private message would have arrived too had it been sent there.
        await TestData.SendAsync(alice, bystanderThread.Id, "for the bystander");
        await bystanderGotOwn.WaitAsync(Patience);

        Assert.All(received, m => Assert.Equal(bystanderThread.Id, m.ConversationId));
    }

    [Fact]
    public async Task StaffAreToldAtOnceWhenAPatientOptsOut()
    {
        var (_, frank, patient, thread) = await ChatScenario.StartAsync(App, DemoData.Frank);
        var patientSession = await App.SignInAsync(patient.Email);
        await using var staffHub = App.CreateHubConnection(frank.Cookie);
        var updated = new TaskCompletionSource<ConversationUpdatedDto>(TaskCreationOptions.RunContinuationsAsynchronously);
        staffHub.On<ConversationUpdatedDto>(nameof(IChatClient.ConversationUpdated), u =>
        {
            if (u.ConversationId == thread)
            {
                updated.TrySetResult(u);
            }
        });
        await ClinicChatApp.ConnectAsync(staffHub);

        await patientSession.Http.PutAsJsonAsync("/api/v1/me/preferences", new { chatOptIn = false });
        await updated.Task.WaitAsync(Patience);
        var listed = await frank.Http.GetFromJsonAsync<ThreadPageDto>("/api/v1/conversations?search=" + Uri.EscapeDataString(patient.Name));

        Assert.False(listed!.Threads.Single(t => t.Id == thread).PatientChatOptIn);
    }

    [Fact]
    public async Task TheHubRefusesAnonymousConnections()
    {
        await using var anonymous = App.CreateHubConnection(cookie: string.Empty);

        var failure = await Assert.ThrowsAnyAsync<Exception>(() => anonymous.StartAsync());

        Assert.Contains("401", failure.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("https://evil.example", System.Net.HttpStatusCode.Forbidden)]
    [InlineData("http://localhost", System.Net.HttpStatusCode.OK)]
    public async Task TheHubRefusesConnectionsStartedByOtherSites(string origin, System.Net.HttpStatusCode expected)
    {
        var alice = await App.SignInAsync(DemoData.Alice);
        using var request = new HttpRequestMessage(HttpMethod.Post, "/hubs/chat/negotiate?negotiateVersion=1");
        request.Headers.Add("Origin", origin);

        var response = await alice.Http.SendAsync(request);

        Assert.Equal(expected, response.StatusCode);
    }

    private static Task<MessageDto> Expect(HubConnection connection, Func<MessageDto, bool> match)
    {
        var received = new TaskCompletionSource<MessageDto>(TaskCreationOptions.RunContinuationsAsynchronously);
        connection.OnMessage(message =>
        {
            if (match(message))
            {
                received.TrySetResult(message);
            }
        });
        return received.Task;
    }
}
