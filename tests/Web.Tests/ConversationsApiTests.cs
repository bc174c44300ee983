using ClinicChat.Conversations;

namespace ClinicChat.Web.Tests;

[Collection(AppCollection.Name)]
public sealed class ConversationsApiTests(AppFixture fixture)
{
    private ClinicChatApp App => fixture.App;

    [Fact]
    public async Task StaffStartAThreadAndBothSidesExchangeMessagesInSeqOrder()
    {
        var patient = TestData.PortalPatient(10);
        var alice = await App.SignInAsync(DemoData.Alice);
        var patientSession = await App.SignInAsync(patient.Email!);

        var thread = await TestData.StartAsync(alice, patient.Id);
        var again = await TestData.StartAsync(alice, patient.Id);
        var first = await TestData.SendAsync(alice, thread.Id, "Your results are in.");
        var reply = await TestData.SendAsync(patientSession, thread.Id, "Thank you!");
        var page = await TestData.PageAsync(patientSession, thread.Id);

        Assert.Equal(thread.Id, again.Id);
        Assert.Equal(ConversationId.For(DemoData.Northside, patient.Id), thread.Id);
        Assert.Equal((1, 2), (first.Seq, reply.Seq));
        Assert.Equal(("staff", "patient"), (first.SenderKind, reply.SenderKind));
        Assert.Equal(["Your results are in.", "Thank you!"], page.Messages.Select(m => m.Text));
        Assert.Equal(2, page.LastSeq);
    }

    [Fact]
    public async Task ARetriedSendIsStoredOnceAndReturnsTheOriginalSeq()
    {
        var (_, frank, patient, thread) = await ChatScenario.StartAsync(App, DemoData.Frank);

        var first = await frank.Http.PostAsJsonAsync($"/api/v1/conversations/{thread}/messages", new { clientMessageId = "retry-1", text = "Booked for 3pm" });
        var retry = await frank.Http.PostAsJsonAsync($"/api/v1/conversations/{thread}/messages", new { clientMessageId = "retry-1", text = "Booked for 3pm" });
        var page = await TestData.PageAsync(frank, thread);

        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        Assert.Equal(HttpStatusCode.OK, retry.StatusCode);
        Assert.Equal((await first.Content.ReadFromJsonAsync<MessageDto>())!.Seq, (await retry.Content.ReadFromJsonAsync<MessageDto>())!.Seq);
        Assert.Single(page.Messages);
    }

    [Fact]
    public async Task TextIsStoredAndReturnedVerbatim()
    {
        var (_, alice, patient, thread) = await ChatScenario.StartAsync(App);
        const string Text = "<b>not bold</b> <script>alert('x')</script>\r\n\ttabs & ünïcödé 👩‍⚕️  ";

        await TestData.SendAsync(alice, thread, Text);
        var raw = await alice.Http.GetAsync($"/api/v1/conversations/{thread}/messages");
        var page = await TestData.PageAsync(alice, thread);

        Assert.Equal(Text, page.Messages.Single().Text);
        // Served as data, never as markup: the browser renders it as text.
        Assert.Equal("application/json", raw.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task HistoryPagesBySeqInBothDirections()
    {
        var (_, alice, patient, thread) = await ChatScenario.StartAsync(App);
        for (var i = 1; i <= 12; i++)
        {
            await TestData.SendAsync(alice, thread, $"message {i}");
        }

        var newest = await TestData.PageAsync(alice, thread, "limit=5");
        var older = await TestData.PageAsync(alice, thread, "beforeSeq=8&limit=5");
        var missed = await TestData.PageAsync(alice, thread, "afterSeq=10&limit=5");

        Assert.Equal([8L, 9, 10, 11, 12], newest.Messages.Select(m => m.Seq));
        Assert.True(newest.HasMore);
        Assert.Equal([3L, 4, 5, 6, 7], older.Messages.Select(m => m.Seq));
        Assert.Equal([11L, 12], missed.Messages.Select(m => m.Seq));
        Assert.False(missed.HasMore);
    }

    [Fact]
    public async Task APatientWithoutPortalAccountCannotBeChattedWith()
    {
        var alice = await App.SignInAsync(DemoData.Alice);

        var response = await alice.Http.PostAsJsonAsync("/api/v1/conversations", new { patientId = DemoData.NoraNoportal });
        var search = await alice.Http.GetFromJsonAsync<List<PatientDto>>("/api/v1/patients?query=nora");

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        Assert.Equal("patient_has_no_portal_account", (await TestData.ProblemAsync(response)).Code);
        var nora = Assert.Single(search!, p => p.Id == DemoData.NoraNoportal);
        Assert.False(nora.HasPortalAccount);
        Assert.Equal((DemoData.NoraDetails.Mobile, "+1 312-555-0103"), (nora.MobileNumber, nora.MobileNumberDisplay));
    }

    [Fact]
    public async Task AnOptedOutPatientReceivesNothing()
    {
        var alice = await App.SignInAsync(DemoData.Alice);

        var response = await alice.Http.PostAsJsonAsync("/api/v1/conversations", new { patientId = DemoData.OscarOptout });

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        Assert.Equal("patient_opted_out", (await TestData.ProblemAsync(response)).Code);
    }

    [Fact]
    public async Task OptingOutStopsDeliveryAtOnceAndOptingInRestoresIt()
    {
        var (_, alice, patient, thread) = await ChatScenario.StartAsync(App);
        var patientSession = await App.SignInAsync(patient.Email);

        var optOut = await patientSession.Http.PutAsJsonAsync("/api/v1/me/preferences", new { chatOptIn = false });
        var refused = await alice.Http.PostAsJsonAsync($"/api/v1/conversations/{thread}/messages", new { clientMessageId = "x1", text = "Are you there?" });
        var listed = await alice.Http.GetFromJsonAsync<ThreadPageDto>("/api/v1/conversations?search=" + Uri.EscapeDataString(patient.Name));
        await patientSession.Http.PutAsJsonAsync("/api/v1/me/preferences", new { chatOptIn = true });
        var delivered = await alice.Http.PostAsJsonAsync($"/api/v1/conversations/{thread}/messages", new { clientMessageId = "x2", text = "Welcome back" });

        Assert.Equal(HttpStatusCode.OK, optOut.StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);
        Assert.Equal("patient_opted_out", (await TestData.ProblemAsync(refused)).Code);
        Assert.False(listed!.Threads.Single(t => t.Id == thread).PatientChatOptIn);
        Assert.Equal(HttpStatusCode.Created, delivered.StatusCode);
        Assert.Equal(["Welcome back"], (await TestData.PageAsync(alice, thread)).Messages.Select(m => m.Text));
    }

    public static TheoryData<string, string, string> BadMessages => new()
    {
        { """{"clientMessageId":"b1","text":""}""", "validation_failed", "text" },
        { """{"clientMessageId":"b1","text":"   "}""", "validation_failed", "text" },
        { $$"""{"clientMessageId":"b1","text":"{{new string('x', 4001)}}"}""", "validation_failed", "text" },
        { """{"text":"hello"}""", "validation_failed", "clientMessageId" },
        { """{"clientMessageId":"has spaces","text":"hello"}""", "validation_failed", "clientMessageId" },
        { """{"clientMessageId":"b1","text":123}""", "malformed_request", "text" },
        { """{"clientMessageId":"b1","text":"hello\""", "malformed_request", "text" },
        { """["not","an","object"]""", "malformed_request", "" },
        { "", "malformed_request", "" },
    };

    [Theory]
    [MemberData(nameof(BadMessages))]
    public async Task BadMessagesAreRefusedWithACodeAndNothingIsStored(string body, string code, string field)
    {
        var (_, alice, patient, thread) = await ChatScenario.StartAsync(App);
        var before = (await TestData.PageAsync(alice, thread)).LastSeq;

        var response = await alice.Http.PostAsync($"/api/v1/conversations/{thread}/messages", new StringContent(body, Encoding.UTF8, "application/json"));
        var problem = await TestData.ProblemAsync(response);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(code, problem.Code);
        if (field.Length > 0)
        {
            Assert.Equal(field, problem.Field);
        }

        Assert.Equal(before, (await TestData.PageAsync(alice, thread)).LastSeq);
    }

    [Theory]
    [InlineData("limit=0", "limit")]
    [InlineData("limit=201", "limit")]
    [InlineData("limit=abc", "limit")]
    [InlineData("afterSeq=-1", "afterSeq")]
    [InlineData("beforeSeq=0", "beforeSeq")]
    public async Task BadPageQueriesAreRefusedNamingTheField(string query, string field)
    {
        var alice = await App.SignInAsync(DemoData.Alice);

        var response = await alice.Http.GetAsync($"/api/v1/conversations/{TestData.PatThreadAtNorthside}/messages?{query}");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(field, (await TestData.ProblemAsync(response)).Field);
    }

    [Fact]
    public async Task UnknownConversationsAndPatientsAnswer404()
    {
        var alice = await App.SignInAsync(DemoData.Alice);

        var messages = await alice.Http.GetAsync($"/api/v1/conversations/{Guid.NewGuid()}/messages");
        var send = await alice.Http.PostAsJsonAsync($"/api/v1/conversations/{Guid.NewGuid()}/messages", new { clientMessageId = "u1", text = "hi" });
        var start = await alice.Http.PostAsJsonAsync("/api/v1/conversations", new { patientId = Guid.NewGuid() });

        Assert.All([messages, send, start], r => Assert.Equal(HttpStatusCode.NotFound, r.StatusCode));
        Assert.Equal("not_found", (await TestData.ProblemAsync(send)).Code);
    }

    [Fact]
    public async Task SidebarShowsPinnedFirstThenMostRecentWithUnreadCounts()
    {
        var older = TestData.PortalPatient(16);
        var newer = TestData.PortalPatient(17);
        var frank = await App.SignInAsync(DemoData.Frank);
        var olderThread = await TestData.StartAsync(frank, older.Id);
        var newerThread = await TestData.StartAsync(frank, newer.Id);
        var olderPatient = await App.SignInAsync(older.Email!);
        await TestData.SendAsync(olderPatient, olderThread.Id, "question one");
        await TestData.SendAsync(olderPatient, olderThread.Id, "question two");
        await TestData.SendAsync(frank, newerThread.Id, "newest activity");

        var pin = await frank.Http.PutAsJsonAsync($"/api/v1/conversations/{olderThread.Id}/pin", new { value = true });
        var page = await frank.Http.GetFromJsonAsync<ThreadPageDto>("/api/v1/conversations?limit=100");
        await frank.Http.PostAsJsonAsync($"/api/v1/conversations/{olderThread.Id}/receipts", new { readUpToSeq = 2 });
        var afterRead = await frank.Http.GetFromJsonAsync<ThreadPageDto>("/api/v1/conversations?limit=100");
        var alicesView = await (await App.SignInAsync(DemoData.Alice)).Http.GetFromJsonAsync<ThreadPageDto>("/api/v1/conversations?limit=100");

        Assert.Equal(HttpStatusCode.OK, pin.StatusCode);
        var pinned = page!.Threads[0];
        Assert.Equal((olderThread.Id, true, 2, "question two"), (pinned.Id, pinned.Pinned, pinned.UnreadCount, pinned.LastMessagePreview));
        Assert.Equal(newerThread.Id, page.Threads[1].Id);
        Assert.Equal(0, afterRead!.Threads.Single(t => t.Id == olderThread.Id).UnreadCount);
        // Pins and read cursors are personal.
        var forAlice = alicesView!.Threads.Single(t => t.Id == olderThread.Id);
        Assert.Equal((false, 2), (forAlice.Pinned, forAlice.UnreadCount));
    }

    [Fact]
    public async Task PatientInboxHasOneThreadPerClinic()
    {
        var pat = await App.SignInAsync(DemoData.Pat);

        var inbox = await pat.Http.GetFromJsonAsync<ThreadPageDto>("/api/v1/conversations");

        Assert.Equal(["Lakeview Pediatrics", "Northside Family Dental"], inbox!.Threads.Select(t => t.ClinicName).Order());
        Assert.All(inbox.Threads, t => Assert.Equal(DemoData.PatPortal, t.PatientId));
    }

    /// <summary>The demo's patient answered each clinic's first message after opening it, so it shows Read, as in use.</summary>
    [Fact]
    public async Task TheDemoPatientReadEachClinicsFirstMessageBeforeAnsweringIt()
    {
        foreach (var (staff, clinic) in new[] { (DemoData.Alice, DemoData.Northside), (DemoData.Lara, DemoData.Lakeview) })
        {
            var session = await App.SignInAsync(staff);
            var page = await session.Http.GetFromJsonAsync<MessagePageDto>(
                $"/api/v1/conversations/{ConversationId.For(clinic, DemoData.PatPortal)}/messages?afterSeq=0&limit=2");

            Assert.Equal(["staff", "patient"], page!.Messages.Select(m => m.SenderKind));
            Assert.Equal("read", page.Messages[0].Status);
        }
    }

    [Fact]
    public async Task APatientsListLeavesOutAThreadWithoutMessagesUntilItsFirstMessage()
    {
        var patient = TestData.PortalPatient(164);
        var alice = await App.SignInAsync(DemoData.Alice);
        var patientSession = await App.SignInAsync(patient.Email!);
        var thread = await TestData.StartAsync(alice, patient.Id);

        var beforeList = await patientSession.Http.GetFromJsonAsync<ThreadPageDto>("/api/v1/conversations");
        var beforeOne = await patientSession.Http.GetAsync($"/api/v1/conversations/{thread.Id}");
        var forStaffBefore = await alice.Http.GetFromJsonAsync<ThreadDto>($"/api/v1/conversations/{thread.Id}");
        await TestData.SendAsync(alice, thread.Id, "Welcome to the portal");
        var afterList = await patientSession.Http.GetFromJsonAsync<ThreadPageDto>("/api/v1/conversations");

        Assert.DoesNotContain(beforeList!.Threads, t => t.Id == thread.Id);
        Assert.Equal(HttpStatusCode.NotFound, beforeOne.StatusCode);
        // Staff keep the draft thread in their list, so whoever opened it can come back to it.
        Assert.Equal((thread.Id, 0L), (forStaffBefore!.Id, forStaffBefore.LastSeq));
        Assert.Equal("Welcome to the portal", afterList!.Threads.Single(t => t.Id == thread.Id).LastMessagePreview);
    }

    [Fact]
    public async Task PatientSearchIsPrefixAndAccentInsensitive()
    {
        var alice = await App.SignInAsync(DemoData.Alice);

        var results = await alice.Http.GetFromJsonAsync<List<PatientDto>>("/api/v1/patients?query=zoe%20ander&limit=50");

        Assert.NotEmpty(results!);
        Assert.All(results!, p => Assert.StartsWith("Zoë Anderson", p.DisplayName, StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("obrien")]
    [InlineData("o'bri")]
    [InlineData("O\u2019Brien")]
    [InlineData("brien")]
    public async Task PatientSearchFindsOBrienHoweverTheApostropheIsTyped(string query)
    {
        var alice = await App.SignInAsync(DemoData.Alice);

        var results = await alice.Http.GetFromJsonAsync<List<PatientDto>>($"/api/v1/patients?query={Uri.EscapeDataString(query)}&limit=50");

        Assert.NotEmpty(results!);
        Assert.All(results!, p => Assert.EndsWith("O'Brien", p.DisplayName, StringComparison.Ordinal));
    }

    [Fact]
    public async Task SearchResultsSayWhoAlreadyHasAThreadAndTellSameNamedPatientsApart()
    {
        var patient = TestData.PortalPatient(145);
        var alice = await App.SignInAsync(DemoData.Alice);
        await TestData.StartAsync(alice, patient.Id);

        var results = await alice.Http.GetFromJsonAsync<List<PatientDto>>($"/api/v1/patients?query={Uri.EscapeDataString(patient.Name.Split(' ')[1])}&limit=50");

        Assert.Contains(results!, p => p.Id != patient.Id && !p.HasConversation);
        var found = results!.Single(p => p.Id == patient.Id);
        Assert.Equal((true, $"mobile ending {patient.Mobile[^4..]}"), (found.HasConversation, found.Hint));
        Assert.Null(found.MobileNumber);
    }

    [Fact]
    public async Task OneThreadReadsAsTheSidebarShowsIt()
    {
        var (_, alice, patient, thread) = await ChatScenario.StartAsync(App);
        var patientSession = await App.SignInAsync(patient.Email);
        await TestData.SendAsync(patientSession, thread, "Is the clinic open Saturday?");

        var forStaff = await alice.Http.GetFromJsonAsync<ThreadDto>($"/api/v1/conversations/{thread}");
        var forPatient = await patientSession.Http.GetFromJsonAsync<ThreadDto>($"/api/v1/conversations/{thread}");

        Assert.Equal((patient.Name, "Northside Family Dental", 1, "Is the clinic open Saturday?"), (forStaff!.PatientName, forStaff.ClinicName, forStaff.UnreadCount, forStaff.LastMessagePreview));
        Assert.Equal(0, forPatient!.UnreadCount);
    }

    [Theory]
    [InlineData("GET", "/api/v1/conversations/not-a-guid", HttpStatusCode.NotFound, "not_found")]
    [InlineData("DELETE", "/api/v1/conversations", HttpStatusCode.MethodNotAllowed, "method_not_allowed")]
    public async Task FrameworkErrorsCarryACodeToo(string method, string path, HttpStatusCode status, string code)
    {
        var alice = await App.SignInAsync(DemoData.Alice);

        var response = await alice.Http.SendAsync(new HttpRequestMessage(new HttpMethod(method), path));

        Assert.Equal(status, response.StatusCode);
        Assert.Equal(code, (await TestData.ProblemAsync(response)).Code);
    }
}
