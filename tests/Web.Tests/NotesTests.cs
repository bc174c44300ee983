namespace ClinicChat.Web.Tests;

/// <summary>
/// Internal notes (issue 22): staff of the clinic write notes in a thread that only they see, and a colleague a note
/// mentions is told: a push to their tabs and an email that says only where, never the note or the patient.
/// </summary>
public sealed class NotesTests(MailingApp fixture) : IClassFixture<MailingApp>
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(15);

    private ClinicChatApp App => fixture.App;

    [Fact]
    public async Task AMentionedColleagueIsToldInTheirTabsAndByEmailWithoutTheNote()
    {
        var chat = await ChatScenario.StartAsync(App);
        var frank = await App.SignInAsync(DemoData.Frank);
        await using var franksHub = App.CreateHubConnection(frank.Cookie);
        var mentioned = new TaskCompletionSource<MentionDto>(TaskCreationOptions.RunContinuationsAsynchronously);
        franksHub.On<MentionDto>(nameof(IChatClient.Mentioned), m => mentioned.TrySetResult(m));
        await ClinicChatApp.ConnectAsync(franksHub);
        const string Words = "@Frank Foster please call about the allergy before Thursday";

        var added = await NoteAsync(chat.Staff, chat.ThreadId, "note-1", Words, frank.Me.UserId);
        var retried = await NoteAsync(chat.Staff, chat.ThreadId, "note-1", Words, frank.Me.UserId);
        var push = await mentioned.Task.WaitAsync(Patience);
        var mail = await fixture.Smtp.WaitForAsync(m => m.EnvelopeRecipients.Contains(DemoData.Frank) && (m.Message.Subject ?? string.Empty).Contains("mentioned you", StringComparison.Ordinal));
        var page = await chat.PageAsync(frank);

        Assert.Equal(HttpStatusCode.Created, added.StatusCode);
        Assert.Equal(HttpStatusCode.OK, retried.StatusCode);
        var note = (await added.Content.ReadFromJsonAsync<StaffItemDto>())!;
        Assert.Equal(note.ItemSeq, (await retried.Content.ReadFromJsonAsync<StaffItemDto>())!.ItemSeq);
        Assert.Equal(("note", Words, frank.Me.UserId), (note.Kind, note.Text, Assert.Single(note.Mentions).UserId));
        Assert.Equal((chat.ThreadId, note.ItemSeq, "Alice Carter"), (push.ConversationId, push.ItemSeq, push.ByName));
        Assert.Equal(note.ItemSeq, Assert.Single(page.StaffItems!).ItemSeq);
        var body = mail.Message.TextBody;
        Assert.Contains($"{MailingApp.PublicBaseUrl}/#/chat/{chat.ThreadId}", body, StringComparison.Ordinal);
        Assert.DoesNotContain("allergy", body, StringComparison.Ordinal);
        Assert.DoesNotContain(chat.Patient.Name, mail.Raw, StringComparison.Ordinal);
        Assert.Equal(1, await TestData.AuditCountAsync(App, AuditActions.NoteAdded, $"mentions={frank.Me.UserId}", chat.Staff.Me.UserId));
    }

    [Fact]
    public async Task OnlyTheClinicsChatStaffWriteNotesAndOnlyColleaguesWhoChatAreMentioned()
    {
        var chat = await ChatScenario.StartAsync(App);
        var patient = await chat.SignInPatientAsync();
        var lara = await App.SignInAsync(DemoData.Lara);
        var bill = await App.SignInAsync(DemoData.Bill);

        var byPatient = await NoteAsync(patient, chat.ThreadId, "n1", "hello");
        var byOtherClinic = await NoteAsync(lara, chat.ThreadId, "n2", "hello");
        var byBilling = await NoteAsync(bill, chat.ThreadId, "n3", "hello");
        var mentionsBilling = await NoteAsync(chat.Staff, chat.ThreadId, "n4", "@Bill", bill.Me.UserId);
        var mentionsOtherClinic = await NoteAsync(chat.Staff, chat.ThreadId, "n5", "@Lara", lara.Me.UserId);
        var empty = await NoteAsync(chat.Staff, chat.ThreadId, "n6", "  ");
        var badId = await NoteAsync(chat.Staff, chat.ThreadId, "not an id!", "hello");

        Assert.Equal(HttpStatusCode.NotFound, byPatient.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, byOtherClinic.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, byBilling.StatusCode);
        Assert.Equal((HttpStatusCode.BadRequest, "mentions"), (mentionsBilling.StatusCode, (await TestData.ProblemAsync(mentionsBilling)).Field));
        Assert.Equal((HttpStatusCode.BadRequest, "mentions"), (mentionsOtherClinic.StatusCode, (await TestData.ProblemAsync(mentionsOtherClinic)).Field));
        Assert.Equal((HttpStatusCode.BadRequest, "text"), (empty.StatusCode, (await TestData.ProblemAsync(empty)).Field));
        Assert.Equal((HttpStatusCode.BadRequest, "clientNoteId"), (badId.StatusCode, (await TestData.ProblemAsync(badId)).Field));
        Assert.Empty((await chat.PageAsync(chat.Staff)).StaffItems!);
    }

    private static Task<HttpResponseMessage> NoteAsync(ApiSession writer, Guid thread, string clientNoteId, string text, params string[] mentions) =>
        writer.Http.PostAsJsonAsync($"/api/v1/conversations/{thread}/notes", new { clientNoteId, text, mentions });
}
