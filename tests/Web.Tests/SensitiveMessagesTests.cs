namespace ClinicChat.Web.Tests;

/// <summary>
/// Sensitive content reaches a patient's session only inside the window a re-authentication opens:
/// asserted on the raw payloads of every channel (pages, sync, pushes, inbox previews, files).
/// </summary>
[Collection(AppCollection.Name)]
public sealed class SensitiveMessagesTests(AppFixture fixture)
{
    private const string Secret = "Your biopsy result: benign";

    private ClinicChatApp App => fixture.App;

    [Fact]
    public async Task WithoutVerifyingAPatientNeverReceivesSensitiveContentThroughAnyChannel()
    {
        var (_, alice, patient, thread) = await ChatScenario.StartAsync(App);
        var session = await App.SignInAsync(patient.Email);
        await using var hub = App.CreateHubConnection(session.Cookie);
        var subscribed = new TaskCompletionSource();
        var pushed = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        hub.On(nameof(IChatClient.Subscribed), () => { subscribed.TrySetResult(); });
        hub.On<JsonElement>(nameof(IChatClient.MessageAdded), m => { pushed.TrySetResult(m.GetRawText()); });
        await ClinicChatApp.ConnectAsync(hub);
        await subscribed.Task.WaitAsync(TimeSpan.FromSeconds(30));
        var file = await UploadAsync(alice, thread);

        var sent = await SendAsync(alice, thread, "s-110", sensitive: true, attachmentIds: [file]);
        var rawPush = await pushed.Task.WaitAsync(TimeSpan.FromSeconds(30));
        var rawPage = await session.Http.GetStringAsync($"/api/v1/conversations/{thread}/messages?limit=50");
        var rawSync = await session.Http.GetStringAsync($"/api/v1/conversations/{thread}/messages?afterSeq=0&limit=50");
        var rawInbox = await session.Http.GetStringAsync("/api/v1/conversations");
        var rawThread = await session.Http.GetStringAsync($"/api/v1/conversations/{thread}");
        var download = await session.Http.GetAsync($"/api/v1/attachments/{file}");
        var preview = await session.Http.GetAsync($"/api/v1/attachments/{file}/preview");

        Assert.Equal(HttpStatusCode.Created, sent.StatusCode);
        Assert.All([rawPush, rawPage, rawSync, rawInbox, rawThread], raw => Assert.DoesNotContain("biopsy", raw, StringComparison.OrdinalIgnoreCase));
        Assert.All([rawPush, rawPage, rawSync], raw => Assert.DoesNotContain(file.ToString(), raw, StringComparison.OrdinalIgnoreCase));
        var message = Assert.Single(JsonSerializer.Deserialize<MessagePageDto>(rawPage, JsonSerializerOptions.Web)!.Messages);
        Assert.Equal((true, true, "", 0), (message.Sensitive, message.Locked, message.Text, message.Attachments!.Count));
        Assert.Contains(SensitiveRulesPreview, rawInbox, StringComparison.Ordinal);
        Assert.All([download, preview], r => Assert.Equal(HttpStatusCode.Forbidden, r.StatusCode));
        Assert.Equal("sensitive_locked", (await TestData.ProblemAsync(download)).Code);
    }

    [Fact]
    public async Task StaffOfTheClinicAlwaysSeeSensitiveMessagesMarkedAsSuch()
    {
        var (_, alice, patient, thread) = await ChatScenario.StartAsync(App);
        var frank = await App.SignInAsync(DemoData.Frank);

        await SendAsync(alice, thread, "s-111", sensitive: true);
        var seenByFrank = Assert.Single((await TestData.PageAsync(frank, thread)).Messages);

        Assert.Equal((Secret, true, false), (seenByFrank.Text, seenByFrank.Sensitive, seenByFrank.Locked));
    }

    [Fact]
    public async Task AWrongPasswordOpensNothingIsAuditedAndLocksTheAccountAfterFiveTries()
    {
        var (_, alice, patient, thread) = await ChatScenario.StartAsync(App);
        var session = await App.SignInAsync(patient.Email);
        await SendAsync(alice, thread, "s-112", sensitive: true);

        var attempts = new List<HttpResponseMessage>();
        for (var i = 0; i < 5; i++)
        {
            attempts.Add(await session.Http.PostAsJsonAsync("/api/v1/auth/reauth", new { password = "not-my-password" }));
        }

        var rightPasswordWhileLocked = await session.Http.PostAsJsonAsync("/api/v1/auth/reauth", new { password = DemoData.Password });
        var page = await TestData.PageAsync(session, thread);

        Assert.All(attempts.Take(4), r => Assert.Equal(HttpStatusCode.Unauthorized, r.StatusCode));
        Assert.Equal("invalid_credentials", (await TestData.ProblemAsync(attempts[0])).Code);
        Assert.Equal((HttpStatusCode.Forbidden, "account_locked"), (attempts[4].StatusCode, (await TestData.ProblemAsync(attempts[4])).Code));
        Assert.Equal((HttpStatusCode.Forbidden, "account_locked"), (rightPasswordWhileLocked.StatusCode, (await TestData.ProblemAsync(rightPasswordWhileLocked)).Code));
        Assert.True(Assert.Single(page.Messages).Locked);
        Assert.Equal(6, await TestData.AuditCountAsync(App, "reauth", actorId: session.UserId, outcome: "failure"));
    }

    [Fact]
    public async Task ReauthenticatingWhileLockedSaysSoAndUntilWhenEvenToTheRightPassword()
    {
        var patient = TestData.PortalPatient(127);
        var session = await App.SignInAsync(patient.Email!);
        for (var i = 0; i < 5; i++)
        {
            await session.Http.PostAsJsonAsync("/api/v1/auth/reauth", new { password = "not-my-password" });
        }

        var rightPassword = await session.Http.PostAsJsonAsync("/api/v1/auth/reauth", new { password = DemoData.Password });
        using var problem = JsonDocument.Parse(await rightPassword.Content.ReadAsStringAsync());

        Assert.Equal((HttpStatusCode.Forbidden, "account_locked"), (rightPassword.StatusCode, problem.RootElement.GetProperty("code").GetString()));
        var lockedUntil = problem.RootElement.GetProperty("lockedUntil").GetDateTimeOffset();
        Assert.InRange(lockedUntil - DateTimeOffset.UtcNow, TimeSpan.FromMinutes(14), TimeSpan.FromMinutes(15));
        Assert.Null((await session.Http.GetFromJsonAsync<MeDto>("/api/v1/me"))!.SensitiveUntil);
    }

    [Fact]
    public async Task APatientsReadWithoutVerifyingLeavesASensitiveMessageOpenedLockedAndAReadAfterVerifyingMakesItRead()
    {
        var (_, alice, patient, thread) = await ChatScenario.StartAsync(App);
        var session = await App.SignInAsync(patient.Email);
        await SendAsync(alice, thread, "s-128", sensitive: true);

        // The client claims a read; the server counts it as a read of sensitive content only inside the window.
        (await session.Http.PostAsJsonAsync($"/api/v1/conversations/{thread}/receipts", new { readUpToSeq = 1 })).EnsureSuccessStatusCode();
        using var lockedPage = JsonDocument.Parse(await alice.Http.GetStringAsync($"/api/v1/conversations/{thread}/messages?limit=50"));
        var reauth = await session.Http.PostAsJsonAsync("/api/v1/auth/reauth", new { password = DemoData.Password });
        session = App.Continue(session, reauth);
        (await session.Http.PostAsJsonAsync($"/api/v1/conversations/{thread}/receipts", new { readUpToSeq = 1 })).EnsureSuccessStatusCode();
        using var readPage = JsonDocument.Parse(await alice.Http.GetStringAsync($"/api/v1/conversations/{thread}/messages?limit=50"));

        Assert.Equal(("opened_locked", true), StatusAndReadByLocked(lockedPage));
        Assert.Equal(("read", false), StatusAndReadByLocked(readPage));
    }

    /// <summary>The one message's status for its sender, and whether its one reader opened it only locked.</summary>
    private static (string? Status, bool Locked) StatusAndReadByLocked(JsonDocument page)
    {
        var message = Assert.Single(page.RootElement.GetProperty("messages").EnumerateArray());
        var reader = Assert.Single(message.GetProperty("readBy").EnumerateArray());
        return (message.GetProperty("status").GetString(), reader.TryGetProperty("locked", out var locked) && locked.GetBoolean());
    }

    /// <summary>A fresh app with a clock the test can move: the window opens, content flows, and the window closes by itself.</summary>
    [Fact]
    public async Task VerifyingOpensSensitiveContentForThisSessionOnlyUntilTheWindowEnds()
    {
        var clock = new ShiftableClock();
        await using var app = new ClinicChatApp(clock: clock);
        var patient = TestData.PortalPatient(113);
        var alice = await app.SignInAsync(DemoData.Alice);
        var verified = await app.SignInAsync(patient.Email!);
        var otherDevice = await app.SignInAsync(patient.Email!);
        var thread = await TestData.StartAsync(alice, patient.Id);
        await SendAsync(alice, thread.Id, "s-113", sensitive: true);

        var reauth = await verified.Http.PostAsJsonAsync("/api/v1/auth/reauth", new { password = DemoData.Password });
        var window = await reauth.Content.ReadFromJsonAsync<ReauthDto>();
        verified = app.Continue(verified, reauth);
        var inside = Assert.Single((await TestData.PageAsync(verified, thread.Id)).Messages);
        var elsewhere = Assert.Single((await TestData.PageAsync(otherDevice, thread.Id)).Messages);
        var me = await verified.Http.GetFromJsonAsync<MeDto>("/api/v1/me");
        clock.Offset = TimeSpan.FromMinutes(5) + TimeSpan.FromSeconds(1);
        var after = Assert.Single((await TestData.PageAsync(verified, thread.Id)).Messages);
        app.DeleteData();

        Assert.Equal(HttpStatusCode.OK, reauth.StatusCode);
        Assert.InRange(window!.SensitiveUntil - DateTimeOffset.UtcNow, TimeSpan.FromMinutes(4), TimeSpan.FromMinutes(5));
        Assert.Equal(window.SensitiveUntil, me!.SensitiveUntil);
        Assert.Equal((Secret, false), (inside.Text, inside.Locked));
        Assert.Equal(("", true), (elsewhere.Text, elsewhere.Locked));
        Assert.Equal(("", true), (after.Text, after.Locked));
        Assert.Equal(1, await TestData.AuditCountAsync(app, "conversation.viewed", "sensitiveOpened=", verified.UserId, "success"));
    }

    [Fact]
    public async Task HidingSensitiveMessagesEndsTheWindowAtOnce()
    {
        var patient = TestData.PortalPatient(114);
        var alice = await App.SignInAsync(DemoData.Alice);
        var session = await App.SignInAsync(patient.Email!);
        var thread = await TestData.StartAsync(alice, patient.Id);
        await SendAsync(alice, thread.Id, "s-114", sensitive: true);
        var reauth = await session.Http.PostAsJsonAsync("/api/v1/auth/reauth", new { password = DemoData.Password });
        session = App.Continue(session, reauth);
        var open = Assert.Single((await TestData.PageAsync(session, thread.Id)).Messages);

        var ended = await session.Http.DeleteAsync("/api/v1/auth/reauth");
        session = App.Continue(session, ended);
        var closed = Assert.Single((await TestData.PageAsync(session, thread.Id)).Messages);

        Assert.Equal(HttpStatusCode.NoContent, ended.StatusCode);
        Assert.False(open.Locked);
        Assert.True(closed.Locked);
    }

    private const string SensitiveRulesPreview = "Sensitive message";

    private static Task<HttpResponseMessage> SendAsync(ApiSession sender, Guid thread, string clientId, bool sensitive, Guid[]? attachmentIds = null) =>
        sender.Http.PostAsJsonAsync($"/api/v1/conversations/{thread}/messages", new { clientMessageId = clientId, text = Secret, sensitive, attachmentIds = attachmentIds ?? [] });

    private static async Task<Guid> UploadAsync(ApiSession sender, Guid thread)
    {
        using var form = new MultipartFormDataContent { { new ByteArrayContent(SampleFiles.For("scan.png")), "file", "scan.png" } };
        var response = await sender.Http.PostAsync($"/api/v1/conversations/{thread}/attachments", form);
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<AttachmentDto>())!.AttachmentId;
    }
}
