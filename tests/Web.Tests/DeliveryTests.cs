namespace ClinicChat.Web.Tests;

/// <summary>Delivery truth: receipts both ways, and nothing lost or doubled across disconnects.</summary>
[Collection(AppCollection.Name)]
public sealed class DeliveryTests(AppFixture fixture)
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);

    private ClinicChatApp App => fixture.App;

    [Fact]
    public async Task AStaffMessageGoesFromSentToDeliveredToReadAsThePatientsClientAcknowledges()
    {
        var (_, alice, patient, thread) = await ChatScenario.StartAsync(App);
        var patientSession = await App.SignInAsync(patient.Email);
        await using var staffHub = App.CreateHubConnection(alice.Cookie);
        var receipts = new List<ReceiptsUpdatedDto>();
        var delivered = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var read = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        staffHub.On<ReceiptsUpdatedDto[]>(nameof(IChatClient.ReceiptsUpdated), updates =>
        {
            foreach (var update in updates.Where(u => u.ConversationId == thread && u.Side == "patient"))
            {
                lock (receipts)
                {
                    receipts.Add(update);
                }

                (update.ReadUpToSeq >= 1 ? read : delivered).TrySetResult();
            }
        });
        await ClinicChatApp.ConnectAsync(staffHub);

        var sent = await TestData.SendAsync(alice, thread, "Please bring your insurance card.");
        var asSent = await StatusAsync(alice, thread, sent.Seq);
        await Acknowledge(patientSession, thread, new { deliveredUpToSeq = sent.Seq });
        await delivered.Task.WaitAsync(Patience);
        var asDelivered = await StatusAsync(alice, thread, sent.Seq);
        await Acknowledge(patientSession, thread, new { readUpToSeq = sent.Seq });
        await read.Task.WaitAsync(Patience);
        var page = await TestData.PageAsync(alice, thread);

        Assert.Equal("sent", sent.Status);
        Assert.Equal(("sent", "delivered"), (asSent, asDelivered));
        var message = page.Messages.Single(m => m.Seq == sent.Seq);
        Assert.Equal("read", message.Status);
        var readBy = Assert.Single(message.ReadBy!);
        Assert.Equal(patient.Name, readBy.Name);
        // The staff push says who moved how far, from where, and when, which is when the page's read-by list says the
        // messages between were read: staff see it live.
        var deliveredPush = receipts.First(r => r.ReadUpToSeq == 0);
        var readPush = receipts[^1];
        Assert.Equal((patient.Name, null), (deliveredPush.ReaderName, deliveredPush.ReaderMove));
        Assert.Equal((patient.Name, readBy.UserId), (readPush.ReaderName, readPush.ReaderId));
        Assert.Equal((0L, sent.Seq), (readPush.ReaderMove!.ReadFromSeq, readPush.ReaderMove.ReadUpToSeq));
        Assert.Equal(readBy.ReadAt, readPush.ReaderMove.At, TimeSpan.FromMilliseconds(1));
    }

    [Fact]
    public async Task ADeviceSaysDeliveredOnThePushConnectionThatBroughtTheMessage()
    {
        var (_, alice, patient, thread) = await ChatScenario.StartAsync(App);
        var patientSession = await App.SignInAsync(patient.Email);
        await using var staffHub = App.CreateHubConnection(alice.Cookie);
        await using var patientHub = App.CreateHubConnection(patientSession.Cookie);
        var delivered = new TaskCompletionSource<ReceiptsUpdatedDto>(TaskCreationOptions.RunContinuationsAsynchronously);
        staffHub.On<ReceiptsUpdatedDto[]>(nameof(IChatClient.ReceiptsUpdated), updates =>
        {
            if (updates.FirstOrDefault(u => u.ConversationId == thread && u.Side == "patient") is { } update)
            {
                delivered.TrySetResult(update);
            }
        });
        var pushed = new TaskCompletionSource<MessageDto>(TaskCreationOptions.RunContinuationsAsynchronously);
        using var onMessage = patientHub.OnMessage(m => pushed.TrySetResult(m));
        await ClinicChatApp.ConnectAsync(staffHub);
        await ClinicChatApp.ConnectAsync(patientHub);

        await TestData.SendAsync(alice, thread, "Your results are in.");
        var message = await pushed.Task.WaitAsync(Patience);
        var reply = await patientHub.InvokeAsync<HubReply<ReceiptsDto>>(nameof(ChatHub.Delivered), thread, message.Seq);
        var update = await delivered.Task.WaitAsync(Patience);

        // Stored before the call returned (the page is read afterwards), pushed to staff, and delivery only: not read.
        Assert.Equal(new HubReply<ReceiptsDto>(new ReceiptsDto(message.Seq, 0), null), reply);
        Assert.Equal(("delivered", message.Seq, 0L), (await StatusAsync(alice, thread, message.Seq), update.DeliveredUpToSeq, update.ReadUpToSeq));
    }

    [Fact]
    public async Task DeliveredOnThePushConnectionForAnotherPatientsThreadIsNotFoundChangesNothingAndIsAudited()
    {
        var (_, alice, _, thread) = await ChatScenario.StartAsync(App);
        var sent = await TestData.SendAsync(alice, thread, "For the right patient only.");
        var intruder = await App.SignInAsync((await TestPatients.NewAsync(App)).Email);
        await using var intruderHub = App.CreateHubConnection(intruder.Cookie);
        await ClinicChatApp.ConnectAsync(intruderHub);

        var refused = await intruderHub.InvokeAsync<HubReply<ReceiptsDto>>(nameof(ChatHub.Delivered), thread, sent.Seq);
        var negative = await intruderHub.InvokeAsync<HubReply<ReceiptsDto>>(nameof(ChatHub.Delivered), thread, -1L);

        // Outside the thread, even an invalid receipt is just not found: nothing tells the intruder the thread exists.
        Assert.Equal(HubReply<ReceiptsDto>.Refused(ApiErrors.NotFound), refused);
        Assert.Equal(HubReply<ReceiptsDto>.Refused(ApiErrors.NotFound), negative);
        Assert.Equal("sent", await StatusAsync(alice, thread, sent.Seq));
        // The first refusal is written at once; the second goes into the minute's summary row (AuditFloodTests).
        Assert.Equal(1, await TestData.AuditCountAsync(App, AuditActions.AccessDenied, actorId: intruder.Me.UserId));
        // A refusal is an answer, not a fault: the connection stays up.
        Assert.Equal(HubConnectionState.Connected, intruderHub.State);
    }

    [Fact]
    public async Task DeliveredOnThePushConnectionWithANegativeSeqIsAValidationError()
    {
        var (_, alice, patient, thread) = await ChatScenario.StartAsync(App);
        await TestData.SendAsync(alice, thread, "One.");
        var patientSession = await App.SignInAsync(patient.Email);
        await using var patientHub = App.CreateHubConnection(patientSession.Cookie);
        await ClinicChatApp.ConnectAsync(patientHub);

        var refused = await patientHub.InvokeAsync<HubReply<ReceiptsDto>>(nameof(ChatHub.Delivered), thread, -1L);

        Assert.Equal(HubReply<ReceiptsDto>.Refused(ApiErrors.ValidationFailed), refused);
        Assert.Equal("sent", await StatusAsync(alice, thread, 1));
    }

    [Fact]
    public async Task ReadingNeedsTheThreadOpenedNotJustReceived()
    {
        var (_, frank, patient, thread) = await ChatScenario.StartAsync(App, DemoData.Frank);
        var patientSession = await App.SignInAsync(patient.Email);
        var sent = await TestData.SendAsync(frank, thread, "Reminder: fasting from midnight.");

        // The portal's inbox fetch receives the message: delivered, not read.
        await TestData.PageAsync(patientSession, thread);

        Assert.Equal("delivered", await StatusAsync(frank, thread, sent.Seq));
    }

    [Fact]
    public async Task APatientMessageReadByASecondStaffMemberIsReadForThePatientAndAttributedForStaff()
    {
        var (_, alice, patient, thread) = await ChatScenario.StartAsync(App);
        var frank = await App.SignInAsync(DemoData.Frank);
        var patientSession = await App.SignInAsync(patient.Email);
        var question = await TestData.SendAsync(patientSession, thread, "Can I eat before the visit?");

        await Acknowledge(frank, thread, new { readUpToSeq = question.Seq });
        var patientView = await TestData.PageAsync(patientSession, thread);
        var aliceView = await TestData.PageAsync(alice, thread);

        var own = patientView.Messages.Single(m => m.Seq == question.Seq);
        Assert.Equal("read", own.Status);
        Assert.Null(own.ReadBy);
        var reader = Assert.Single(aliceView.Messages.Single(m => m.Seq == question.Seq).ReadBy!);
        Assert.Equal((frank.UserId, "Frank Foster"), (reader.UserId, reader.Name));
        Assert.Null(aliceView.Messages.Single(m => m.Seq == question.Seq).Status);
    }

    [Fact]
    public async Task ReceiptsCannotGoBackwardsOrBeyondTheLastMessage()
    {
        var (_, alice, patient, thread) = await ChatScenario.StartAsync(App);
        var patientSession = await App.SignInAsync(patient.Email);
        await TestData.SendAsync(alice, thread, "one");
        await TestData.SendAsync(alice, thread, "two");

        var ahead = await (await patientSession.Http.PostAsJsonAsync($"/api/v1/conversations/{thread}/receipts", new { readUpToSeq = 99 })).Content.ReadFromJsonAsync<ReceiptsDto>();
        var back = await (await patientSession.Http.PostAsJsonAsync($"/api/v1/conversations/{thread}/receipts", new { readUpToSeq = 1 })).Content.ReadFromJsonAsync<ReceiptsDto>();
        var empty = await patientSession.Http.PostAsJsonAsync($"/api/v1/conversations/{thread}/receipts", new { });

        Assert.Equal(new ReceiptsDto(2, 2), ahead);
        Assert.Equal(new ReceiptsDto(2, 2), back);
        Assert.Equal(System.Net.HttpStatusCode.BadRequest, empty.StatusCode);
    }

    [Fact]
    public async Task APatientDisconnectedWhileTwentyMessagesAreSentGetsAllTwentyInOrderOnceAfterReconnecting()
    {
        var (_, alice, patient, thread) = await ChatScenario.StartAsync(App);
        var patientSession = await App.SignInAsync(patient.Email);
        await TestData.SendAsync(alice, thread, "before");
        await using var view = new ClientView(patientSession, thread);
        await view.ConnectAsync();

        await view.DisconnectAsync();
        for (var i = 1; i <= 20; i++)
        {
            await TestData.SendAsync(alice, thread, $"while away {i}");
        }

        await view.ConnectAsync();

        Assert.Equal(Enumerable.Range(1, 21).Select(i => (long)i), view.Messages.Select(m => m.Seq));
        Assert.Equal(Enumerable.Range(1, 20).Select(i => $"while away {i}"), view.Messages.Skip(1).Select(m => m.Text));
    }

    [Fact]
    public async Task ALostPushIsNoticedAsASeqGapAndSynced()
    {
        var (_, alice, patient, thread) = await ChatScenario.StartAsync(App);
        var patientSession = await App.SignInAsync(patient.Email);
        await using var view = new ClientView(patientSession, thread) { LosePush = m => m.Seq == 2 };
        await view.ConnectAsync();

        await TestData.SendAsync(alice, thread, "one");
        await view.WaitForSeqAsync(1, Patience);
        await TestData.SendAsync(alice, thread, "two (push lost)");
        await TestData.SendAsync(alice, thread, "three");
        await view.WaitForSeqAsync(3, Patience);

        Assert.Equal([1L, 2, 3], view.Messages.Select(m => m.Seq));
        Assert.Equal(1, view.GapsDetected);
        Assert.Equal(0, view.DuplicatePushes);
    }

    /// <summary>The patient hears that the clinic's side is typing, by name but without the staff member's id; another patient hears nothing.</summary>
    [Fact]
    public async Task TypingReachesThePatientOfTheThreadOnlyWithoutStaffIds()
    {
        var patient = TestData.PortalPatient(56);
        var bystander = TestData.PortalPatient(57);
        var alice = await App.SignInAsync(DemoData.Alice);
        var patientSession = await App.SignInAsync(patient.Email!);
        var bystanderSession = await App.SignInAsync(bystander.Email!);
        var thread = await TestData.StartAsync(alice, patient.Id);
        await using var staffHub = App.CreateHubConnection(alice.Cookie);
        await using var patientHub = App.CreateHubConnection(patientSession.Cookie);
        await using var bystanderHub = App.CreateHubConnection(bystanderSession.Cookie);
        var typing = new TaskCompletionSource<TypingDto>(TaskCreationOptions.RunContinuationsAsynchronously);
        var bystanderTyping = 0;
        patientHub.On<TypingDto>(nameof(IChatClient.Typing), t => typing.TrySetResult(t));
        bystanderHub.On<TypingDto>(nameof(IChatClient.Typing), _ => Interlocked.Increment(ref bystanderTyping));
        await ClinicChatApp.ConnectAsync(staffHub);
        await ClinicChatApp.ConnectAsync(patientHub);
        await ClinicChatApp.ConnectAsync(bystanderHub);

        await staffHub.InvokeAsync(nameof(ChatHub.Typing), thread.Id);
        var seen = await typing.Task.WaitAsync(Patience);
        // Messages after the typing event arrive in order on each connection: once the bystander has
        // its own thread's message, an earlier typing event for them would have arrived too.
        var bystanderThread = await TestData.StartAsync(alice, bystander.Id);
        var bystanderGotMessage = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        bystanderHub.OnMessage(_ => bystanderGotMessage.TrySetResult());
        await TestData.SendAsync(alice, bystanderThread.Id, "hello");
        await bystanderGotMessage.Task.WaitAsync(Patience);

        Assert.Equal((thread.Id, "staff", "Alice Carter", (string?)null), (seen.ConversationId, seen.Side, seen.Name, seen.UserId));
        Assert.Equal(0, bystanderTyping);
    }

    [Fact]
    public async Task ABurstOfTypingCallsReachesListeningStaffAsAtMostACoupleOfPushes()
    {
        var patient = TestData.PortalPatient(58);
        var alice = await App.SignInAsync(DemoData.Alice);
        var patientSession = await App.SignInAsync(patient.Email!);
        var thread = await TestData.StartAsync(alice, patient.Id);
        await using var staffHub = App.CreateHubConnection(alice.Cookie);
        await using var patientHub = App.CreateHubConnection(patientSession.Cookie);
        var typingPushes = 0;
        var sentinel = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        staffHub.On<TypingDto>(nameof(IChatClient.Typing), t =>
        {
            if (t.ConversationId == thread.Id)
            {
                Interlocked.Increment(ref typingPushes);
            }
        });
        staffHub.OnMessage(m =>
        {
            if (m.ConversationId == thread.Id && m.Text == "sentinel")
            {
                sentinel.TrySetResult();
            }
        });
        await ClinicChatApp.ConnectAsync(staffHub);
        await ClinicChatApp.ConnectAsync(patientHub);

        await Task.WhenAll(Enumerable.Range(0, 100).Select(_ => patientHub.InvokeAsync(nameof(ChatHub.Typing), thread.Id)));
        // Pushes from the thread reach each connection in order: once the message is here, any typing push before it is too.
        await TestData.SendAsync(patientSession, thread.Id, "sentinel");
        await sentinel.Task.WaitAsync(Patience);

        // Two, not one: a burst that straddles the throttle's interval may let a second through.
        Assert.InRange(typingPushes, 1, 2);
    }

    private static async Task<string?> StatusAsync(ApiSession session, Guid threadId, long seq) =>
        (await TestData.PageAsync(session, threadId)).Messages.Single(m => m.Seq == seq).Status;

    private static async Task Acknowledge(ApiSession session, Guid threadId, object receipts) =>
        (await session.Http.PostAsJsonAsync($"/api/v1/conversations/{threadId}/receipts", receipts)).EnsureSuccessStatusCode();
}
