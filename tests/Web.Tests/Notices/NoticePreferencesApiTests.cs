using System.Globalization;
using ClinicChat.Notices;
using ClinicChat.Storage;
using ClinicChat.Web.Notices;

namespace ClinicChat.Web.Tests.Notices;

/// <summary>
/// A patient's notice preferences and the change of the email address and mobile number notices go to, through the
/// real API, Identity's token providers, the notice grain, the outbox and its dispatcher (codes are read where the
/// provider receives them).
/// </summary>
public sealed class NoticePreferencesApiTests(NoticePreferencesApp fixture) : IClassFixture<NoticePreferencesApp>
{
    private ClinicChatApp App => fixture.App;

    [Fact]
    public async Task StaffAreRefusedNoticePreferencesAndContactChanges()
    {
        var alice = await App.SignInAsync(DemoData.Alice);

        var get = await alice.Http.GetAsync("/api/v1/me/notices");
        var put = await alice.Http.PutAsJsonAsync($"/api/v1/me/notices/{DemoData.Northside}", new { email = true, sms = false });
        var mobile = await alice.Http.PostAsJsonAsync("/api/v1/me/contact/mobile", new { number = "+12015550100" });
        var email = await alice.Http.PostAsJsonAsync("/api/v1/me/contact/email", new { email = $"staff-{Guid.NewGuid():N}@tests.example" });

        foreach (var response in new[] { get, put, mobile, email })
        {
            Assert.Equal((HttpStatusCode.Forbidden, "forbidden"), (response.StatusCode, (await TestData.ProblemAsync(response)).Code));
        }
    }

    [Fact]
    public async Task WithoutASessionEveryNoticeEndpointAsksToSignIn()
    {
        using var anonymous = App.CreateClient();

        var get = await anonymous.GetAsync("/api/v1/me/notices");
        var mobile = await anonymous.PostAsJsonAsync("/api/v1/me/contact/mobile", new { number = "+12015550100" });
        var verify = await anonymous.PostAsJsonAsync("/api/v1/me/contact/email/verify", new { email = "someone@tests.example", code = "123456" });

        Assert.All(new[] { get, mobile, verify }, r => Assert.Equal(HttpStatusCode.Unauthorized, r.StatusCode));
    }

    [Fact]
    public async Task APatientSeesTheirOwnAddressAndChoosesPerClinicButNotAtAnotherClinic()
    {
        var patient = await TestPatients.NewAsync(App);
        var session = await App.SignInAsync(patient.Email);

        var settings = await session.Http.GetFromJsonAsync<NoticeSettingsDto>("/api/v1/me/notices");
        var off = await session.Http.PutAsJsonAsync($"/api/v1/me/notices/{DemoData.Northside}", new { email = false, sms = false });
        var elsewhere = await session.Http.PutAsJsonAsync($"/api/v1/me/notices/{DemoData.Lakeview}", new { email = true, sms = false });

        Assert.Equal(patient.Email, settings!.Email);
        Assert.Null(settings.Mobile);
        Assert.Equal([DemoData.Northside], settings.Clinics.Select(c => c.ClinicId));
        Assert.Equal(HttpStatusCode.OK, off.StatusCode);
        Assert.False((await off.Content.ReadFromJsonAsync<NoticeSettingsDto>())!.Clinics.Single().Email);
        Assert.Equal((HttpStatusCode.NotFound, "not_found"), (elsewhere.StatusCode, (await TestData.ProblemAsync(elsewhere)).Code));
    }

    [Fact]
    public async Task TextMessagesCannotBeTurnedOnWithoutAVerifiedMobileNumber()
    {
        var patient = await TestPatients.NewAsync(App);
        var session = await App.SignInAsync(patient.Email);

        var refused = await session.Http.PutAsJsonAsync($"/api/v1/me/notices/{DemoData.Northside}", new { email = true, sms = true });
        var settings = await session.Http.GetFromJsonAsync<NoticeSettingsDto>("/api/v1/me/notices");

        Assert.Equal((HttpStatusCode.Conflict, "contact_not_verified"), (refused.StatusCode, (await TestData.ProblemAsync(refused)).Code));
        Assert.False(settings!.Clinics.Single().Sms);
    }

    [Fact]
    public async Task AMobileNumberIsVerifiedWithTheCodeTextedToItAndThenTextMessagesCanBeTurnedOn()
    {
        var patient = await TestPatients.NewAsync(App);
        var session = await App.SignInVerifiedAsync(patient.Email);

        var requested = await session.Http.PostAsJsonAsync("/api/v1/me/contact/mobile", new { number = "(201) 555-0123" });
        var sent = await requested.Content.ReadFromJsonAsync<ContactCodeSentDto>();
        var code = await fixture.Delivered.CodeSentToAsync("+12015550123");
        var verified = await session.Http.PostAsJsonAsync("/api/v1/me/contact/mobile/verify", new { number = sent!.Address, code });
        var continued = App.Continue(session, verified);
        var smsOn = await continued.Http.PutAsJsonAsync($"/api/v1/me/notices/{DemoData.Northside}", new { email = true, sms = true });

        Assert.Equal(HttpStatusCode.OK, requested.StatusCode);
        Assert.Equal(new ContactCodeSentDto("sms", "+12015550123", "+1 201-555-0123"), sent);
        Assert.Equal(HttpStatusCode.OK, verified.StatusCode);
        var settings = (await verified.Content.ReadFromJsonAsync<NoticeSettingsDto>())!;
        Assert.Equal(("+12015550123", "+1 201-555-0123"), (settings.Mobile, settings.MobileDisplay));
        Assert.Equal(HttpStatusCode.OK, smsOn.StatusCode);
        var choice = (await smsOn.Content.ReadFromJsonAsync<NoticeSettingsDto>())!.Clinics.Single();
        Assert.True(choice.Sms);
        Assert.NotNull(choice.SmsConsentAt);
        Assert.True(await TestData.AuditCountAsync(App, AuditActions.ContactVerified, "channel=sms address=***0123", session.UserId) >= 1);
    }

    [Fact]
    public async Task AWrongCodeIsRefusedAndChangesNothing()
    {
        var patient = await TestPatients.NewAsync(App);
        var session = await App.SignInVerifiedAsync(patient.Email);
        (await session.Http.PostAsJsonAsync("/api/v1/me/contact/mobile", new { number = "+1 201 555 0145" })).EnsureSuccessStatusCode();
        var code = await fixture.Delivered.CodeSentToAsync("+12015550145");
        var wrong = ((int.Parse(code, CultureInfo.InvariantCulture) + 1) % 1_000_000).ToString("D6", CultureInfo.InvariantCulture);

        var refused = await session.Http.PostAsJsonAsync("/api/v1/me/contact/mobile/verify", new { number = "+12015550145", code = wrong });
        var otherNumber = await session.Http.PostAsJsonAsync("/api/v1/me/contact/mobile/verify", new { number = "+12015550146", code });
        var notACode = await session.Http.PostAsJsonAsync("/api/v1/me/contact/mobile/verify", new { number = "+12015550145", code = "12ab" });
        var notANumber = await session.Http.PostAsJsonAsync("/api/v1/me/contact/mobile", new { number = "12" });
        var settings = await session.Http.GetFromJsonAsync<NoticeSettingsDto>("/api/v1/me/notices");

        Assert.Equal((HttpStatusCode.BadRequest, ("verification_code_invalid", "code")), (refused.StatusCode, await TestData.ProblemAsync(refused)));
        Assert.Equal((HttpStatusCode.BadRequest, ("verification_code_invalid", "code")), (otherNumber.StatusCode, await TestData.ProblemAsync(otherNumber)));
        Assert.Equal((HttpStatusCode.BadRequest, ("validation_failed", "code")), (notACode.StatusCode, await TestData.ProblemAsync(notACode)));
        Assert.Equal((HttpStatusCode.BadRequest, ("validation_failed", "number")), (notANumber.StatusCode, await TestData.ProblemAsync(notANumber)));
        // The page shows the server's words: they name the country the deployment reads a number without + in.
        Assert.Contains("read as a United States (+1) number", (await notANumber.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString());
        Assert.Null(settings!.Mobile);
    }

    [Fact]
    public async Task ANewEmailAddressIsVerifiedWithTheCodeSentToItAndBecomesTheSignIn()
    {
        var patient = await TestPatients.NewAsync(App);
        var session = await App.SignInVerifiedAsync(patient.Email);
        var newEmail = $"moved-{Guid.NewGuid():N}@tests.example";

        var requested = await session.Http.PostAsJsonAsync("/api/v1/me/contact/email", new { email = newEmail });
        var code = await fixture.Delivered.CodeSentToAsync(newEmail);
        var verified = await session.Http.PostAsJsonAsync("/api/v1/me/contact/email/verify", new { email = newEmail, code });
        var continued = App.Continue(session, verified);
        using var anonymous = App.CreateClient();
        var oldSignIn = await anonymous.PostAsJsonAsync("/api/v1/auth/login", new { email = patient.Email, password = DemoData.Password });
        var newSignIn = await App.SignInAsync(newEmail);

        Assert.Equal(new ContactCodeSentDto("email", newEmail, newEmail), await requested.Content.ReadFromJsonAsync<ContactCodeSentDto>());
        Assert.Equal(HttpStatusCode.OK, verified.StatusCode);
        Assert.Equal(newEmail, (await verified.Content.ReadFromJsonAsync<NoticeSettingsDto>())!.Email);
        Assert.Equal(HttpStatusCode.OK, await SessionTestKit.StatusOfMeAsync(continued.Http));
        Assert.Equal(HttpStatusCode.Unauthorized, await SessionTestKit.StatusOfMeAsync(session.Http));
        Assert.Equal(HttpStatusCode.Unauthorized, oldSignIn.StatusCode);
        Assert.Equal(session.UserId, newSignIn.UserId);
        Assert.True(await TestData.AuditCountAsync(App, AuditActions.ContactVerified, "channel=email address=m***@tests.example", session.UserId) >= 1);
    }

    [Fact]
    public async Task AnAddressAnotherAccountHoldsGetsTheSameAnswerAndNoCode()
    {
        var patient = await TestPatients.NewAsync(App);
        var session = await App.SignInVerifiedAsync(patient.Email);
        var free = $"free-{Guid.NewGuid():N}@tests.example";

        var forFree = await session.Http.PostAsJsonAsync("/api/v1/me/contact/email", new { email = free });
        var forTaken = await session.Http.PostAsJsonAsync("/api/v1/me/contact/email", new { email = DemoData.Pat });
        var guessed = await session.Http.PostAsJsonAsync("/api/v1/me/contact/email/verify", new { email = DemoData.Pat, code = "123456" });
        var settings = await session.Http.GetFromJsonAsync<NoticeSettingsDto>("/api/v1/me/notices");

        Assert.Equal(forFree.StatusCode, forTaken.StatusCode);
        Assert.Equal(new ContactCodeSentDto("email", DemoData.Pat, DemoData.Pat), await forTaken.Content.ReadFromJsonAsync<ContactCodeSentDto>());
        Assert.Equal(1, await CodesSentToCountAsync(free));
        Assert.Equal(0, await CodesSentToCountAsync(DemoData.Pat));
        Assert.Equal((HttpStatusCode.BadRequest, "verification_code_invalid"), (guessed.StatusCode, (await TestData.ProblemAsync(guessed)).Code));
        Assert.Equal(patient.Email, settings!.Email);
    }

    [Fact]
    public async Task AskingForNoticesIsRateLimitedPerUser()
    {
        var patient = await TestPatients.NewAsync(App);
        var session = await App.SignInAsync(patient.Email);
        var other = await App.SignInAsync((await TestPatients.NewAsync(App)).Email);
        var test = new { clinicId = DemoData.Northside, channel = "email" };

        for (var i = 0; i < NoticePreferencesApp.NoticesPerUser; i++)
        {
            Assert.Equal(HttpStatusCode.OK, (await session.Http.PostAsJsonAsync("/api/v1/me/notices/test", test)).StatusCode);
        }

        var refused = await session.Http.PostAsJsonAsync("/api/v1/me/contact/mobile", new { number = "+12015550157" });
        var someoneElse = await other.Http.PostAsJsonAsync("/api/v1/me/notices/test", test);

        Assert.Equal((HttpStatusCode.TooManyRequests, "rate_limited"), (refused.StatusCode, (await TestData.ProblemAsync(refused)).Code));
        Assert.NotNull(refused.Headers.RetryAfter);
        Assert.Equal(HttpStatusCode.OK, someoneElse.StatusCode);
    }

    [Fact]
    public async Task MovingWhereNoticesAndSignInGoNeedsThePasswordAgain()
    {
        var patient = await TestPatients.NewAsync(App);
        var session = await App.SignInAsync(patient.Email);
        var newEmail = $"hijack-{Guid.NewGuid():N}@tests.example";

        var email = await session.Http.PostAsJsonAsync("/api/v1/me/contact/email", new { email = newEmail });
        var mobile = await session.Http.PostAsJsonAsync("/api/v1/me/contact/mobile", new { number = "+12015550177" });

        Assert.Equal((HttpStatusCode.Forbidden, "sensitive_locked"), (email.StatusCode, (await TestData.ProblemAsync(email)).Code));
        Assert.Equal((HttpStatusCode.Forbidden, "sensitive_locked"), (mobile.StatusCode, (await TestData.ProblemAsync(mobile)).Code));
        Assert.Equal(0, await CodesSentToCountAsync(newEmail));
        Assert.Equal(0, await CodesSentToCountAsync("+12015550177"));
    }

    /// <summary>Verification codes queued for <paramref name="address"/> (rows stay after sending; only the code goes).</summary>
    private async Task<long> CodesSentToCountAsync(string address)
    {
        var database = App.Services.GetRequiredService<ChatDatabase>();
        await using var connection = await database.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT COUNT(*) FROM notice_outbox WHERE template = $template AND address = $address";
        command.Parameters.Add(new Microsoft.Data.Sqlite.SqliteParameter("$template", NoticeTemplates.VerifyContact));
        command.Parameters.Add(new Microsoft.Data.Sqlite.SqliteParameter("$address", address));
        return (long)(await command.ExecuteScalarAsync())!;
    }
}
