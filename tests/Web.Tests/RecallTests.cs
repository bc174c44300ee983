namespace ClinicChat.Web.Tests;

/// <summary>
/// Recall (issue 22): a staff member withdraws a message sent to the wrong thread, within 5 minutes and before the
/// patient read it. The patient then sees only that it was withdrawn and cannot open its files; staff and the audit
/// log keep what it was. Its own app (a clock the tests move).
/// </summary>
public sealed class RecallTests(MailingApp fixture) : IClassFixture<MailingApp>
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(15);

    private ClinicChatApp App => fixture.App;

    [Fact]
    public async Task AWithdrawnMessageLeavesThePatientOnlyThatItWasWithdrawnAndItsFilesClosed()
    {
        var chat = await ChatScenario.StartAsync(App);
        var patient = await chat.SignInPatientAsync();
        var upload = await AttachmentsApiTests.UploadAsync(chat.Staff, chat.ThreadId, "results.pdf", SampleFiles.For("results.pdf"));
        var attachment = (await upload.Content.ReadFromJsonAsync<AttachmentDto>())!;
        var sent = await chat.Staff.Http.PostAsJsonAsync($"/api/v1/conversations/{chat.ThreadId}/messages",
            new { clientMessageId = "wrong-thread", text = "Your HIV test results are attached", attachmentIds = new[] { attachment.AttachmentId } });
        var message = (await sent.Content.ReadFromJsonAsync<MessageDto>())!;
        await using var patientHub = App.CreateHubConnection(patient.Cookie);
        var pushed = new TaskCompletionSource<MessageWithdrawnDto>(TaskCreationOptions.RunContinuationsAsynchronously);
        patientHub.On<MessageWithdrawnDto>(nameof(IChatClient.MessageWithdrawn), w => pushed.TrySetResult(w));
        await ClinicChatApp.ConnectAsync(patientHub);

        var withdrawn = await WithdrawAsync(chat.Staff, chat.ThreadId, message.Seq);
        var again = await WithdrawAsync(chat.Staff, chat.ThreadId, message.Seq);
        var push = await pushed.Task.WaitAsync(Patience);
        var patientsPage = await patient.Http.GetStringAsync($"/api/v1/conversations/{chat.ThreadId}/messages?limit=50");
        var patientsCopy = (await chat.PageAsync(patient)).Messages.Single(m => m.Seq == message.Seq);
        var staffCopy = (await chat.PageAsync(chat.Staff)).Messages.Single(m => m.Seq == message.Seq);
        var patientsFile = await patient.Http.GetAsync($"/api/v1/attachments/{attachment.AttachmentId}");
        var staffFile = await chat.Staff.Http.GetAsync($"/api/v1/attachments/{attachment.AttachmentId}");
        var patientsThreads = await patient.Http.GetStringAsync("/api/v1/conversations");
        var patientsRow = (await patient.Http.GetFromJsonAsync<ThreadPageDto>("/api/v1/conversations"))!.Threads.Single(t => t.Id == chat.ThreadId);

        Assert.Equal((HttpStatusCode.OK, HttpStatusCode.OK), (withdrawn.StatusCode, again.StatusCode));
        Assert.Equal((chat.ThreadId, message.Seq), (push.ConversationId, push.Seq));
        Assert.Equal((true, "", 0), (patientsCopy.Withdrawn, patientsCopy.Text, patientsCopy.Attachments?.Count ?? 0));
        Assert.DoesNotContain("HIV", patientsPage, StringComparison.Ordinal);
        Assert.DoesNotContain("results.pdf", patientsPage, StringComparison.Ordinal);
        Assert.DoesNotContain("HIV", patientsThreads, StringComparison.Ordinal);
        Assert.Contains("Message withdrawn", patientsThreads, StringComparison.Ordinal);
        // Nothing unread is left: the patient is not sent to read a message that is gone.
        Assert.Equal(("Message withdrawn", 0), (patientsRow.LastMessagePreview, patientsRow.UnreadCount));
        Assert.Equal((true, "Your HIV test results are attached"), (staffCopy.Withdrawn, staffCopy.Text));
        Assert.Equal(HttpStatusCode.NotFound, patientsFile.StatusCode);
        Assert.Equal(HttpStatusCode.OK, staffFile.StatusCode);
        Assert.Equal(1, await TestData.AuditCountAsync(App, AuditActions.MessageWithdrawn, $"seq={message.Seq}", chat.Staff.Me.UserId, patientId: chat.Patient.Id));
    }

    [Fact]
    public async Task OnlyItsSenderWithdrawsAMessageAndOnlyWithinFiveMinutesAndBeforeItIsRead()
    {
        var chat = await ChatScenario.StartAsync(App);
        var patient = await chat.SignInPatientAsync();
        var frank = await App.SignInAsync(DemoData.Frank);
        var read = await chat.SendAsync(chat.Staff, "Read before the recall");
        (await patient.Http.PostAsJsonAsync($"/api/v1/conversations/{chat.ThreadId}/receipts", new { readUpToSeq = read.Seq })).EnsureSuccessStatusCode();
        var late = await chat.SendAsync(chat.Staff, "Recalled too late");
        var fromPatient = await chat.SendAsync(patient, "A patient's own message");

        var afterRead = await WithdrawAsync(chat.Staff, chat.ThreadId, read.Seq);
        var byColleague = await WithdrawAsync(frank, chat.ThreadId, late.Seq);
        var byPatient = await WithdrawAsync(patient, chat.ThreadId, fromPatient.Seq);
        var patientsMessage = await WithdrawAsync(chat.Staff, chat.ThreadId, fromPatient.Seq);
        var unknown = await WithdrawAsync(chat.Staff, chat.ThreadId, 999);
        fixture.Clock.Offset += TimeSpan.FromMinutes(5) + TimeSpan.FromSeconds(1);
        var afterWindow = await WithdrawAsync(chat.Staff, chat.ThreadId, late.Seq);

        Assert.Equal((HttpStatusCode.Conflict, "recall_closed"), (afterRead.StatusCode, (await TestData.ProblemAsync(afterRead)).Code));
        Assert.Equal(HttpStatusCode.Forbidden, byColleague.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, byPatient.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, patientsMessage.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Equal((HttpStatusCode.Conflict, "recall_closed"), (afterWindow.StatusCode, (await TestData.ProblemAsync(afterWindow)).Code));
        Assert.DoesNotContain((await chat.PageAsync(patient)).Messages, m => m.Withdrawn);
    }

    /// <summary>The patient reads while the sender withdraws: whichever the thread takes first decides, and the other agrees.</summary>
    [Fact]
    public async Task AReadAndARecallAtOnceEndInOneConsistentOutcome()
    {
        var chat = await ChatScenario.StartAsync(App);
        var patient = await chat.SignInPatientAsync();
        var message = await chat.SendAsync(chat.Staff, "Sent to the wrong patient");

        var answers = await Task.WhenAll(
            WithdrawAsync(chat.Staff, chat.ThreadId, message.Seq),
            patient.Http.PostAsJsonAsync($"/api/v1/conversations/{chat.ThreadId}/receipts", new { readUpToSeq = message.Seq }));
        var page = await chat.PageAsync(patient);
        var patientsCopy = page.Messages.Single(m => m.Seq == message.Seq);

        Assert.Equal(HttpStatusCode.OK, answers[1].StatusCode);
        Assert.True(page.PatientReceipts.ReadUpToSeq >= message.Seq);
        if (answers[0].StatusCode == HttpStatusCode.OK)
        {
            // The recall came first: the read that followed found the message withdrawn.
            Assert.Equal((true, string.Empty), (patientsCopy.Withdrawn, patientsCopy.Text));
        }
        else
        {
            // The read came first: the message stays as sent.
            Assert.Equal((HttpStatusCode.Conflict, "recall_closed"), (answers[0].StatusCode, (await TestData.ProblemAsync(answers[0])).Code));
            Assert.Equal((false, "Sent to the wrong patient"), (patientsCopy.Withdrawn, patientsCopy.Text));
        }
    }

    private static Task<HttpResponseMessage> WithdrawAsync(ApiSession session, Guid thread, long seq) =>
        session.Http.PostAsync($"/api/v1/conversations/{thread}/messages/{seq}/withdraw", content: null);
}
