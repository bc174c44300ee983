using System.Security.Cryptography;
using System.Xml.Linq;
using ClinicChat.Access;
using ClinicChat.Notices;
using ClinicChat.Storage;
using ClinicChat.Web.Identity;
using Microsoft.AspNetCore.Identity;
using Microsoft.Data.Sqlite;

namespace ClinicChat.Web.Tests.Notices;

/// <summary>The app with Twilio configured (sending to a local Messages API endpoint) and a public address Twilio signs.</summary>
public sealed class TwilioWebhookFixture : IAsyncLifetime
{
    public const string PublicBaseUrl = "https://chat.example-clinic.test";

    public TwilioApiEndpoint Twilio { get; private set; } = null!;

    public ClinicChatApp App { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Twilio = await TwilioApiEndpoint.StartAsync();
        App = new ClinicChatApp(configure: web =>
        {
            web.UseSetting("ClinicChat:Sms:Twilio:AccountSid", TwilioApiEndpoint.AccountSid);
            web.UseSetting("ClinicChat:Sms:Twilio:AuthToken", TwilioApiEndpoint.AuthToken);
            web.UseSetting("ClinicChat:Sms:Twilio:From", "+15005550006");
            web.UseSetting("ClinicChat:Sms:Twilio:BaseUrl", Twilio.BaseUrl.ToString());
            web.UseSetting("ClinicChat:Notifications:PublicBaseUrl", PublicBaseUrl);
        });
        await App.StartReadyAsync();
    }

    public async Task DisposeAsync()
    {
        await App.DisposeAndDeleteDataAsync();
        await Twilio.DisposeAsync();
    }
}

/// <summary>
/// Twilio's webhooks: inbound STOP/START/HELP and delivery reports, each with a valid, an invalid and a missing
/// <c>X-Twilio-Signature</c>, against the real app (grains, database, audit chain).
/// </summary>
public sealed class TwilioWebhookTests(TwilioWebhookFixture fixture) : IClassFixture<TwilioWebhookFixture>
{
    private const string Inbound = "/webhooks/twilio/inbound";
    private const string Status = "/webhooks/twilio/status";
    private static int _nextNumber = Random.Shared.Next(1000, 9000);

    private ClinicChatApp App => fixture.App;

    [Fact]
    public async Task StopFromAPatientsVerifiedNumberTurnsSmsOffAndIsAuditedAtEachOfTheirClinics()
    {
        var (number, patientId, _) = await PatientWithVerifiedNumberAsync(DemoData.Northside, DemoData.Lakeview);

        var response = await PostSignedAsync(Inbound, InboundForm(number, " stop "));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Empty(await TwiMLMessagesAsync(response));
        Assert.True(await IsStoppedAsync(number));
        var audited = await AuditAsync(AuditActions.SmsStopped, patientId);
        Assert.Equal([DemoData.Northside, DemoData.Lakeview], audited.Select(a => a.ClinicId).Order());
        Assert.All(audited, a => Assert.Equal($"number=***{number[^4..]}", a.Detail));
    }

    [Fact]
    public async Task StartAfterStopTurnsSmsBackOnAndASecondStopChangesNothing()
    {
        var (number, patientId, _) = await PatientWithVerifiedNumberAsync(DemoData.Northside);
        await PostSignedAsync(Inbound, InboundForm(number, "UNSUBSCRIBE"));
        await PostSignedAsync(Inbound, InboundForm(number, "STOP"));

        var response = await PostSignedAsync(Inbound, InboundForm(number, "Start"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Empty(await TwiMLMessagesAsync(response));
        Assert.False(await IsStoppedAsync(number));
        Assert.Single(await AuditAsync(AuditActions.SmsStopped, patientId));
        Assert.Single(await AuditAsync(AuditActions.SmsStarted, patientId));
    }

    [Fact]
    public async Task HelpIsAnsweredWithTheHelpLineAndChangesNothing()
    {
        var (number, patientId, _) = await PatientWithVerifiedNumberAsync(DemoData.Northside);

        var response = await PostSignedAsync(Inbound, InboundForm(number, "help"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(["ClinicChat secure-message notices. Help: https://chat.example-clinic.test. Reply STOP to opt out."], await TwiMLMessagesAsync(response));
        await AssertNothingChangedAsync(number, patientId);
    }

    [Fact]
    public async Task OtherTextIsNotTakenAndAnsweredWithNothing()
    {
        var (number, patientId, _) = await PatientWithVerifiedNumberAsync(DemoData.Northside);

        var response = await PostSignedAsync(Inbound, InboundForm(number, "please stop sending these"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Empty(await TwiMLMessagesAsync(response));
        await AssertNothingChangedAsync(number, patientId);
    }

    [Fact]
    public async Task AnInvalidSignatureIsRefusedAndNothingChanges()
    {
        var (number, patientId, _) = await PatientWithVerifiedNumberAsync(DemoData.Northside);
        var form = InboundForm(number, "STOP");

        var response = await PostAsync(Inbound, form, Sign($"{TwilioWebhookFixture.PublicBaseUrl}{Inbound}", form, "some-other-token"));

        await AssertRefusedAndNothingChangedAsync(response, number, patientId);
    }

    [Fact]
    public async Task AMissingSignatureIsRefusedAndNothingChanges()
    {
        var (number, patientId, _) = await PatientWithVerifiedNumberAsync(DemoData.Northside);

        var response = await PostAsync(Inbound, InboundForm(number, "STOP"), signature: null);

        await AssertRefusedAndNothingChangedAsync(response, number, patientId);
    }

    [Fact]
    public async Task ASignatureOfTheNodesOwnUrlIsRefusedBecauseTwilioSignsThePublicOne()
    {
        var (number, _, _) = await PatientWithVerifiedNumberAsync(DemoData.Northside);
        var form = InboundForm(number, "STOP");

        var response = await PostAsync(Inbound, form, Sign($"http://localhost{Inbound}", form));

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.False(await IsStoppedAsync(number));
    }

    [Fact]
    public async Task ATamperedFieldBreaksTheSignature()
    {
        var (number, _, _) = await PatientWithVerifiedNumberAsync(DemoData.Northside);
        var signed = InboundForm(number, "HELP");
        var signature = Sign($"{TwilioWebhookFixture.PublicBaseUrl}{Inbound}", signed);

        var response = await PostAsync(Inbound, InboundForm(number, "STOP"), signature);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.False(await IsStoppedAsync(number));
    }

    [Fact]
    public async Task StopFromANumberNoPatientVerifiedIsRecordedOnTheChainOfNoClinic()
    {
        var number = $"+1202555{Interlocked.Increment(ref _nextNumber) % 10_000:D4}";

        await PostSignedAsync(Inbound, InboundForm(number, "STOP"));

        Assert.True(await IsStoppedAsync(number));
        Assert.Equal(1L, await ScalarAsync(
            "SELECT COUNT(*) FROM audit_log WHERE action = $action AND chain = '' AND clinic_id IS NULL AND detail = $detail",
            ("$action", AuditActions.SmsStopped), ("$detail", $"number=***{number[^4..]}")));
    }

    [Fact]
    public async Task ASignedJsonBodyIsNotATwilioFormAndIsRefused()
    {
        var (number, _, _) = await PatientWithVerifiedNumberAsync(DemoData.Northside);
        using var client = App.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, Inbound)
        {
            Content = JsonContent.Create(new { From = number, Body = "STOP" }),
        };
        request.Headers.Add("X-Twilio-Signature", Sign($"{TwilioWebhookFixture.PublicBaseUrl}{Inbound}", []));

        var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.False(await IsStoppedAsync(number));
    }

    [Fact]
    public async Task AFailedDeliveryReportUpdatesTheOutboxRowAndIsAuditedOnItsClinicsChain()
    {
        var notice = await SentNoticeAsync(DemoData.Northside, providerId: "SM" + Guid.NewGuid().ToString("N"));

        var response = await PostSignedAsync(Status, StatusForm(notice.ProviderId!, "failed", "30003"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(("failed", "twilio_30003"), await DeliveryOfAsync(notice.Id));
        var audited = Assert.Single(await AuditAsync(AuditActions.NoticeDeliveryReported, notice.PatientId));
        Assert.Equal(DemoData.Northside, audited.ClinicId);
        Assert.Equal(AuditOutcomes.Failure, audited.Outcome);
        Assert.Equal("channel=sms template=new-message to=***0199 status=failed error=twilio_30003", audited.Detail);
    }

    [Fact]
    public async Task AReportFindsItsRowByTheNoticeIdBeforeTheSidIsStored()
    {
        var notice = await SentNoticeAsync(DemoData.Lakeview, providerId: null);

        var response = await PostSignedAsync($"{Status}?notice={notice.Id:D}", StatusForm("SM" + Guid.NewGuid().ToString("N"), "undelivered", "30005"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(("undelivered", "twilio_30005"), await DeliveryOfAsync(notice.Id));
        Assert.Equal(DemoData.Lakeview, Assert.Single(await AuditAsync(AuditActions.NoticeDeliveryReported, notice.PatientId)).ClinicId);
    }

    [Fact]
    public async Task ADeliveredReportIsRecordedWithoutAnAuditRowAndALateSentDoesNotUndoIt()
    {
        var notice = await SentNoticeAsync(DemoData.Northside, providerId: "SM" + Guid.NewGuid().ToString("N"));

        await PostSignedAsync(Status, StatusForm(notice.ProviderId!, "delivered", null));
        var late = await PostSignedAsync(Status, StatusForm(notice.ProviderId!, "sent", null));

        Assert.Equal(HttpStatusCode.OK, late.StatusCode);
        Assert.Equal(("delivered", null), await DeliveryOfAsync(notice.Id));
        Assert.Empty(await AuditAsync(AuditActions.NoticeDeliveryReported, notice.PatientId));
    }

    [Fact]
    public async Task AReportOnAnUnknownMessageIsAnsweredOkAndChangesNothing()
    {
        var before = await AuditRowCountAsync();

        var response = await PostSignedAsync(Status, StatusForm("SM" + Guid.NewGuid().ToString("N"), "failed", "30003"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(before, await AuditRowCountAsync());
    }

    [Fact]
    public async Task AnUnsignedReportIsRefusedAndTheRowIsUntouched()
    {
        var notice = await SentNoticeAsync(DemoData.Northside, providerId: "SM" + Guid.NewGuid().ToString("N"));

        var response = await PostAsync(Status, StatusForm(notice.ProviderId!, "failed", "30003"), signature: null);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal(ApiErrors.WebhookSignatureInvalid, (await TestData.ProblemAsync(response)).Code);
        Assert.Equal((null, null), await DeliveryOfAsync(notice.Id));
    }

    [Fact]
    public async Task ATestSmsNoticeGoesOutThroughTwilioAndItsDeliveryReportComesBackToItsRow()
    {
        var (number, patientId, userId) = await PatientWithVerifiedNumberAsync(DemoData.Northside);

        var queued = await NoticesOf(patientId).SendTestAsync(PatientActor(userId, patientId), DemoData.Northside, NoticeChannel.Sms);

        var notice = Assert.IsType<QueuedNotice>(queued.Value);
        var sent = await fixture.Twilio.WaitForAsync(r => r.StatusCallback?.EndsWith($"?notice={notice.Id:D}", StringComparison.Ordinal) == true);
        Assert.True(sent.Authenticated);
        Assert.Equal(number, sent.To);
        Assert.Equal("+15005550006", sent.From);
        Assert.Equal($"{TwilioWebhookFixture.PublicBaseUrl}{Status}?notice={notice.Id:D}", sent.StatusCallback);
        Assert.Matches(@"^Test notice from [^.]+\. Secure-message notices will look like this\. Reply STOP to opt out\.$", sent.Body);
        await UntilAsync(async () => await ProviderIdOfAsync(notice.Id) == sent.AnsweredSid);

        var report = await PostSignedAsync(Status, StatusForm(sent.AnsweredSid!, "delivered", null));

        Assert.Equal(HttpStatusCode.OK, report.StatusCode);
        Assert.Equal(("delivered", null), await DeliveryOfAsync(notice.Id));
    }

    [Fact]
    public async Task AfterStopNoSmsNoticeIsQueuedForTheNumberAndAfterStartOneIs()
    {
        var (number, patientId, userId) = await PatientWithVerifiedNumberAsync(DemoData.Northside);
        var patient = PatientActor(userId, patientId);
        await PostSignedAsync(Inbound, InboundForm(number, "STOP"));

        var whileStopped = await NoticesOf(patientId).SendTestAsync(patient, DemoData.Northside, NoticeChannel.Sms);
        await PostSignedAsync(Inbound, InboundForm(number, "START"));
        var afterStart = await NoticesOf(patientId).SendTestAsync(patient, DemoData.Northside, NoticeChannel.Sms);

        Assert.False(whileStopped.Succeeded);
        Assert.True((await NoticesOf(patientId).GetSettingsAsync(patient)).Value is { MobileStopped: false });
        var notice = Assert.IsType<QueuedNotice>(afterStart.Value);
        Assert.Equal(number, (await fixture.Twilio.WaitForAsync(r => r.StatusCallback?.EndsWith($"?notice={notice.Id:D}", StringComparison.Ordinal) == true)).To);
    }

    private async Task<(string Number, Guid PatientId, string UserId)> PatientWithVerifiedNumberAsync(params Guid[] clinics)
    {
        var patient = await TestPatients.NewAsync(App, clinics);
        var number = $"+1202555{Interlocked.Increment(ref _nextNumber) % 10_000:D4}";
        using var scope = App.Services.CreateScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<ClinicChatUser>>();
        var user = (await users.FindByEmailAsync(patient.Email))!;
        user.PhoneNumber = number;
        user.PhoneNumberConfirmed = true;
        Assert.True((await users.UpdateAsync(user)).Succeeded);
        return (number, patient.Id, user.Id);
    }

    /// <summary>An SMS notice the dispatcher has sent (its row as the outbox keeps it), to a patient of <paramref name="clinicId"/>.</summary>
    private async Task<(Guid Id, Guid PatientId, string? ProviderId)> SentNoticeAsync(Guid clinicId, string? providerId)
    {
        var patient = await TestPatients.NewAsync(App, clinicId);
        var id = Guid.NewGuid();
        var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        await ExecuteAsync(
            """
            INSERT INTO notice_outbox (id, patient_id, clinic_id, conversation_id, up_to_seq, channel, template, address, decided_at_ms, due_at_ms, state, attempts, provider_id, sent_at_ms)
            VALUES ($id, $patient, $clinic, $conversation, 1, 2, 'new-message', '+14155550199', $now, $now, $state, 1, $provider, $now)
            """,
            ("$id", id.ToString()), ("$patient", patient.Id.ToString()), ("$clinic", clinicId.ToString()),
            ("$conversation", Guid.NewGuid().ToString()), ("$now", now), ("$state", (long)NoticeState.Sent), ("$provider", providerId));
        return (id, patient.Id, providerId);
    }

    private IPatientNoticeGrain NoticesOf(Guid patientId) => App.Services.GetRequiredService<IGrainFactory>().GetGrain<IPatientNoticeGrain>(patientId);

    private static Actor PatientActor(string userId, Guid patientId) => new(userId, ActorKind.Patient, "Robin Testcase", patientId, []);

    private async Task<string?> ProviderIdOfAsync(Guid noticeId) =>
        await ScalarAsync("SELECT provider_id FROM notice_outbox WHERE id = $id", ("$id", noticeId.ToString())) as string;

    /// <summary>Waits for a condition the app reaches in the background (the dispatcher's commit), checking it every few milliseconds.</summary>
    private static async Task UntilAsync(Func<Task<bool>> condition)
    {
        using var patience = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (!await condition())
        {
            await Task.Delay(TimeSpan.FromMilliseconds(20), patience.Token);
        }
    }

    private static Dictionary<string, string> InboundForm(string from, string body) => new()
    {
        ["ToCountry"] = "US",
        ["SmsMessageSid"] = "SM" + Guid.NewGuid().ToString("N"),
        ["NumMedia"] = "0",
        ["SmsSid"] = "SM" + Guid.NewGuid().ToString("N"),
        ["SmsStatus"] = "received",
        ["Body"] = body,
        ["To"] = "+15005550006",
        ["NumSegments"] = "1",
        ["MessageSid"] = "SM" + Guid.NewGuid().ToString("N"),
        ["AccountSid"] = TwilioApiEndpoint.AccountSid,
        ["From"] = from,
        ["ApiVersion"] = "2010-04-01",
    };

    private static Dictionary<string, string> StatusForm(string messageSid, string status, string? errorCode)
    {
        var form = new Dictionary<string, string>
        {
            ["SmsSid"] = messageSid,
            ["SmsStatus"] = status,
            ["MessageStatus"] = status,
            ["To"] = "+14155550199",
            ["MessageSid"] = messageSid,
            ["AccountSid"] = TwilioApiEndpoint.AccountSid,
            ["From"] = "+15005550006",
            ["ApiVersion"] = "2010-04-01",
        };
        if (errorCode is not null)
        {
            form["ErrorCode"] = errorCode;
        }

        return form;
    }

    private Task<HttpResponseMessage> PostSignedAsync(string pathAndQuery, Dictionary<string, string> form) =>
        PostAsync(pathAndQuery, form, Sign($"{TwilioWebhookFixture.PublicBaseUrl}{pathAndQuery}", form));

    private async Task<HttpResponseMessage> PostAsync(string pathAndQuery, Dictionary<string, string> form, string? signature)
    {
        // As Twilio calls: no cookie, no CSRF header.
        using var client = App.CreateClient();
        client.DefaultRequestHeaders.Remove(Hosting.RequestSafety.HeaderName);
        using var request = new HttpRequestMessage(HttpMethod.Post, pathAndQuery) { Content = new FormUrlEncodedContent(form) };
        if (signature is not null)
        {
            request.Headers.Add("X-Twilio-Signature", signature);
        }

        var response = await client.SendAsync(request);
        await response.Content.LoadIntoBufferAsync();
        return response;
    }

    /// <summary>Twilio's signature, computed here from its documentation (not with the SDK the app uses): HMAC-SHA1 of the URL and the sorted fields.</summary>
    private static string Sign(string url, Dictionary<string, string> form, string authToken = TwilioApiEndpoint.AuthToken)
    {
        var data = new StringBuilder(url);
        foreach (var (key, value) in form.OrderBy(f => f.Key, StringComparer.Ordinal))
        {
            data.Append(key).Append(value);
        }

        return Convert.ToBase64String(HMACSHA1.HashData(Encoding.UTF8.GetBytes(authToken), Encoding.UTF8.GetBytes(data.ToString())));
    }

    private static async Task<IReadOnlyList<string>> TwiMLMessagesAsync(HttpResponseMessage response)
    {
        Assert.Equal("application/xml", response.Content.Headers.ContentType?.MediaType);
        var twiml = XDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal("Response", twiml.Root!.Name.LocalName);
        return [.. twiml.Root.Elements("Message").Select(m => m.Value)];
    }

    /// <summary>The webhook was refused as not signed by Twilio, and the number is as it was.</summary>
    private async Task AssertRefusedAndNothingChangedAsync(HttpResponseMessage response, string number, Guid patientId)
    {
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal(ApiErrors.WebhookSignatureInvalid, (await TestData.ProblemAsync(response)).Code);
        await AssertNothingChangedAsync(number, patientId);
    }

    /// <summary>SMS is still on for the number, and no STOP was audited for its patient.</summary>
    private async Task AssertNothingChangedAsync(string number, Guid patientId)
    {
        Assert.False(await IsStoppedAsync(number));
        Assert.Empty(await AuditAsync(AuditActions.SmsStopped, patientId));
    }

    private async Task<bool> IsStoppedAsync(string number) =>
        (long)(await ScalarAsync("SELECT COUNT(*) FROM sms_opt_outs WHERE number = $number", ("$number", number)))! == 1;

    private async Task<(string? Status, string? ErrorCode)> DeliveryOfAsync(Guid noticeId)
    {
        await using var connection = await App.Services.GetRequiredService<ChatDatabase>().OpenAsync();
        await using var command = Command(connection, "SELECT delivery_status, error_code FROM notice_outbox WHERE id = $id", ("$id", noticeId.ToString()));
        await using var reader = await command.ExecuteReaderAsync();
        Assert.True(await reader.ReadAsync());
        return (reader.IsDBNull(0) ? null : reader.GetString(0), reader.IsDBNull(1) ? null : reader.GetString(1));
    }

    private async Task<IReadOnlyList<(Guid ClinicId, string Outcome, string? Detail)>> AuditAsync(string action, Guid patientId)
    {
        await using var connection = await App.Services.GetRequiredService<ChatDatabase>().OpenAsync();
        await using var command = Command(connection, "SELECT clinic_id, outcome, detail FROM audit_log WHERE action = $action AND patient_id = $patient ORDER BY id",
            ("$action", action), ("$patient", patientId.ToString()));
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new List<(Guid, string, string?)>();
        while (await reader.ReadAsync())
        {
            rows.Add((Guid.Parse(reader.GetString(0)), reader.GetString(1), reader.IsDBNull(2) ? null : reader.GetString(2)));
        }

        return rows;
    }

    private async Task<long> AuditRowCountAsync() => (long)(await ScalarAsync("SELECT COUNT(*) FROM audit_log"))!;

    private async Task<object?> ScalarAsync(string sql, params (string Name, object? Value)[] parameters)
    {
        await using var connection = await App.Services.GetRequiredService<ChatDatabase>().OpenAsync();
        await using var command = Command(connection, sql, parameters);
        return await command.ExecuteScalarAsync();
    }

    private async Task ExecuteAsync(string sql, params (string Name, object? Value)[] parameters)
    {
        await using var connection = await App.Services.GetRequiredService<ChatDatabase>().OpenAsync();
        await using var command = Command(connection, sql, parameters);
        await command.ExecuteNonQueryAsync();
    }

    private static System.Data.Common.DbCommand Command(System.Data.Common.DbConnection connection, string sql, params (string Name, object? Value)[] parameters)
    {
        var command = connection.CreateCommand();
        command.CommandText = sql;
        foreach (var (name, value) in parameters)
        {
            command.Parameters.Add(new SqliteParameter(name, value ?? DBNull.Value));
        }

        return command;
    }
}
