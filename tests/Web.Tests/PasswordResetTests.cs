using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Identity;
using static ClinicChat.Web.Tests.SessionTestKit;

namespace ClinicChat.Web.Tests;

/// <summary>
/// "Forgot password?": one answer whether or not the address has an account, a one-time emailed link, a new password
/// that ends every session; and sign-in's lockout, which says "locked until" for any address.
/// </summary>
public sealed partial class PasswordResetTests(MailingApp fixture) : IClassFixture<MailingApp>
{
    private const string NewPassword = "Fresh!Start-2026";

    private ClinicChatApp App => fixture.App;

    [Fact]
    public async Task AKnownAndAnUnknownAddressGetTheSameAnswerAndOnlyTheAccountGetsMail()
    {
        var known = await CreatePatientAsync(App);
        var unknown = $"nobody-{Guid.NewGuid():N}@tests.example";
        using var client = Client(App);

        var unknownRequestsBefore = await TestData.AuditCountAsync(App, "password.reset_requested", "no_account", actorId: "unknown", outcome: "failure");
        var forUnknown = await client.PostAsJsonAsync("/api/v1/auth/password-reset", new { email = unknown });
        var forKnown = await client.PostAsJsonAsync("/api/v1/auth/password-reset", new { email = known });
        await fixture.Smtp.WaitForAsync(mail => mail.EnvelopeRecipients.Contains(known));

        Assert.Equal((HttpStatusCode.Accepted, HttpStatusCode.Accepted), (forUnknown.StatusCode, forKnown.StatusCode));
        Assert.Equal(await forUnknown.Content.ReadAsStringAsync(), await forKnown.Content.ReadAsStringAsync());
        Assert.Equal(HeaderNames(forUnknown), HeaderNames(forKnown));
        Assert.Equal(0, await OutboxRowsToAsync(unknown));
        Assert.True(await TestData.AuditCountAsync(App, "password.reset_requested", "no_account", actorId: "unknown", outcome: "failure") > unknownRequestsBefore);
    }

    [Fact]
    public async Task TheEmailedLinkSetsANewPasswordEndsEverySessionAndKeepsNoSecretAtRest()
    {
        var email = await CreatePatientAsync(App);
        var laptop = await App.SignInAsync(email);
        var phone = await App.SignInAsync(email);
        await using var phoneHub = App.CreateHubConnection(phone.Cookie);
        await ClinicChatApp.ConnectAsync(phoneHub);
        var phoneClosed = ClosedAsync(phoneHub);

        var token = await RequestLinkAsync(email);
        using var anonymous = Client(App);
        var confirm = await anonymous.PostAsJsonAsync("/api/v1/auth/password-reset/confirm", new { token, newPassword = NewPassword });
        await phoneClosed.WaitAsync(TimeSpan.FromSeconds(15));
        var oldPassword = await anonymous.PostAsJsonAsync("/api/v1/auth/login", new { email, password = DemoData.Password });
        var newPassword = await anonymous.PostAsJsonAsync("/api/v1/auth/login", new { email, password = NewPassword });

        Assert.Equal(HttpStatusCode.NoContent, confirm.StatusCode);
        Assert.Null(SetCookie(confirm, IdentityCookie));
        Assert.Equal((HttpStatusCode.Unauthorized, HttpStatusCode.Unauthorized), (await StatusOfMeAsync(laptop.Http), await StatusOfMeAsync(phone.Http)));
        Assert.Equal((HttpStatusCode.Unauthorized, HttpStatusCode.OK), (oldPassword.StatusCode, newPassword.StatusCode));
        Assert.Equal(1, await TestData.AuditCountAsync(App, "password.reset_requested", "address=", actorId: laptop.UserId, outcome: "success"));
        Assert.Equal(1, await TestData.AuditCountAsync(App, "password.reset", actorId: laptop.UserId, outcome: "success"));
        // The dispatcher drops the link's secret from the outbox once the mail is handed over.
        await WaitUntilAsync(async () => await OutboxRowsToAsync(email, withCode: true) == 0);
        // The address is told the password changed (a reset the holder did not ask for would not go unseen).
        var told = await fixture.Smtp.WaitForAsync(mail => mail.EnvelopeRecipients.Contains(email) && mail.Message.Subject == "Your ClinicChat password was changed");
        Assert.DoesNotMatch(ResetLink(), told.Message.TextBody ?? string.Empty);
        Assert.Equal(2, await OutboxRowsToAsync(email));
    }

    /// <summary>
    /// Changing the password on the Security page: the account's address is told, with what to do if it was not them; a
    /// wrong current password changes nothing and sends nothing.
    /// </summary>
    [Fact]
    public async Task ChangingThePasswordTellsTheAccountsAddressAndARefusedChangeSendsNothing()
    {
        var email = await CreatePatientAsync(App);
        var session = await App.SignInAsync(email);

        var refused = await session.Http.PostAsJsonAsync("/api/v1/auth/password", new { currentPassword = "Not-the-password-1", newPassword = NewPassword });
        var changed = await session.Http.PostAsJsonAsync("/api/v1/auth/password", new { currentPassword = DemoData.Password, newPassword = NewPassword });
        var told = await fixture.Smtp.WaitForAsync(mail => mail.EnvelopeRecipients.Contains(email) && mail.Message.Subject == "Your ClinicChat password was changed");

        Assert.Equal((HttpStatusCode.Unauthorized, "invalid_credentials"), (refused.StatusCode, (await TestData.ProblemAsync(refused)).Code));
        Assert.Equal(HttpStatusCode.NoContent, changed.StatusCode);
        Assert.Equal("ClinicChat", told.Message.From.Mailboxes.Single().Name);
        Assert.Contains("If it was not you, choose a new password at once", told.Message.TextBody, StringComparison.Ordinal);
        Assert.Contains(MailingApp.PublicBaseUrl, told.Message.TextBody, StringComparison.Ordinal);
        Assert.Null(told.Message.Headers[MimeKit.HeaderId.ListUnsubscribe]);
        Assert.Single(fixture.Smtp.Received, mail => mail.EnvelopeRecipients.Contains(email));
    }

    /// <summary>A refused password says what is wrong in the form's words, not the API's field name ("newPassword is required").</summary>
    [Fact]
    public async Task ARefusedPasswordChangeSaysWhatIsWrongInTheFormsWords()
    {
        var email = await CreatePatientAsync(App);
        var session = await App.SignInAsync(email);

        var tooLong = await session.Http.PostAsJsonAsync("/api/v1/auth/password", new { currentPassword = DemoData.Password, newPassword = new string('x', 300) });
        var noCurrent = await session.Http.PostAsJsonAsync("/api/v1/auth/password", new { currentPassword = "", newPassword = NewPassword });

        Assert.Equal((HttpStatusCode.BadRequest, "newPassword", "The new password is too long: at most 256 characters."), await DetailAsync(tooLong));
        Assert.Equal((HttpStatusCode.BadRequest, "currentPassword", "Enter the current password."), await DetailAsync(noCurrent));
        // Nothing changed: the old password still signs in.
        Assert.Equal(session.Me.UserId, (await App.SignInAsync(email, DemoData.Password)).Me.UserId);
    }

    private static async Task<(HttpStatusCode, string?, string?)> DetailAsync(HttpResponseMessage response)
    {
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        return (response.StatusCode, problem.GetProperty("field").GetString(), problem.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task ALinkWorksOnce()
    {
        var email = await CreatePatientAsync(App);
        var token = await RequestLinkAsync(email);
        using var client = Client(App);

        var first = await client.PostAsJsonAsync("/api/v1/auth/password-reset/confirm", new { token, newPassword = NewPassword });
        var again = await client.PostAsJsonAsync("/api/v1/auth/password-reset/confirm", new { token, newPassword = "Someone!Else-99" });
        var signIn = await client.PostAsJsonAsync("/api/v1/auth/login", new { email, password = NewPassword });

        Assert.Equal(HttpStatusCode.NoContent, first.StatusCode);
        Assert.Equal((HttpStatusCode.BadRequest, "reset_link_invalid"), (again.StatusCode, (await TestData.ProblemAsync(again)).Code));
        Assert.Equal(HttpStatusCode.OK, signIn.StatusCode);
    }

    [Fact]
    public async Task ItsPageLearnsWhetherALinkStillWorksWithoutUsingItUp()
    {
        var email = await CreatePatientAsync(App);
        var token = await RequestLinkAsync(email);
        using var client = Client(App);

        var fresh = await client.PostAsJsonAsync("/api/v1/auth/password-reset/check", new { token });
        var askedAgain = await client.PostAsJsonAsync("/api/v1/auth/password-reset/check", new { token });
        var confirm = await client.PostAsJsonAsync("/api/v1/auth/password-reset/confirm", new { token, newPassword = NewPassword });
        var used = await client.PostAsJsonAsync("/api/v1/auth/password-reset/check", new { token });
        var madeUp = await client.PostAsJsonAsync("/api/v1/auth/password-reset/check", new { token = "bm90LWEtbGluaw" });
        var missing = await client.PostAsJsonAsync("/api/v1/auth/password-reset/check", new { token = "" });

        Assert.Equal(HttpStatusCode.NoContent, fresh.StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, askedAgain.StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, confirm.StatusCode);
        Assert.Equal((HttpStatusCode.BadRequest, "reset_link_invalid"), (used.StatusCode, (await TestData.ProblemAsync(used)).Code));
        Assert.Equal((HttpStatusCode.BadRequest, "reset_link_invalid"), (madeUp.StatusCode, (await TestData.ProblemAsync(madeUp)).Code));
        Assert.Equal((HttpStatusCode.BadRequest, ("validation_failed", "token")), (missing.StatusCode, await TestData.ProblemAsync(missing)));
    }

    [Fact]
    public async Task AnOlderLinkStopsWorkingOnceTheAccountsPasswordChanges()
    {
        var email = await CreatePatientAsync(App);
        var older = await RequestLinkAsync(email);
        var session = await App.SignInAsync(email);
        (await session.Http.PostAsJsonAsync("/api/v1/auth/password", new { currentPassword = DemoData.Password, newPassword = NewPassword })).EnsureSuccessStatusCode();
        using var client = Client(App);

        var confirm = await client.PostAsJsonAsync("/api/v1/auth/password-reset/confirm", new { token = older, newPassword = "Someone!Else-99" });

        Assert.Equal((HttpStatusCode.BadRequest, "reset_link_invalid"), (confirm.StatusCode, (await TestData.ProblemAsync(confirm)).Code));
    }

    [Theory]
    [InlineData("bm90LWEtbGluaw")]
    [InlineData("%%%not-base64url%%%")]
    [InlineData("OnRva2VuLXdpdGhvdXQtdXNlcg")]
    public async Task AMadeUpLinkIsRefusedAsInvalid(string token)
    {
        using var client = Client(App);

        var confirm = await client.PostAsJsonAsync("/api/v1/auth/password-reset/confirm", new { token, newPassword = NewPassword });

        Assert.Equal((HttpStatusCode.BadRequest, "reset_link_invalid"), (confirm.StatusCode, (await TestData.ProblemAsync(confirm)).Code));
    }

    [Fact]
    public async Task AForgedTokenForARealAccountIsRefusedAndChangesNothing()
    {
        var email = await CreatePatientAsync(App);
        var userId = await UserIdOfAsync(email);
        using var client = Client(App);

        var forged = ResetLinkToken.Encode(userId, Convert.ToBase64String(Guid.NewGuid().ToByteArray()));
        var confirm = await client.PostAsJsonAsync("/api/v1/auth/password-reset/confirm", new { token = forged, newPassword = NewPassword });
        var oldPasswordStillWorks = await client.PostAsJsonAsync("/api/v1/auth/login", new { email, password = DemoData.Password });

        Assert.Equal((HttpStatusCode.BadRequest, "reset_link_invalid"), (confirm.StatusCode, (await TestData.ProblemAsync(confirm)).Code));
        Assert.Equal(HttpStatusCode.OK, oldPasswordStillWorks.StatusCode);
        Assert.Equal(1, await TestData.AuditCountAsync(App, "password.reset", "link_invalid", actorId: userId, outcome: "failure"));
    }

    [Fact]
    public async Task AnExpiredLinkIsRefused()
    {
        // Links here expire the moment they are made; the app keeps its notices (no email configured), code included.
        var app = new ClinicChatApp(configure: builder => builder.UseSetting(PasswordResetTokenProviderOptions.LifetimeKey, "00:00:00.0000001"));
        try
        {
            var email = await CreatePatientAsync(app);
            using var client = Client(app);
            Assert.Equal(HttpStatusCode.Accepted, (await client.PostAsJsonAsync("/api/v1/auth/password-reset", new { email })).StatusCode);
            var token = await StoredTokenAsync(app, email);

            var confirm = await client.PostAsJsonAsync("/api/v1/auth/password-reset/confirm", new { token, newPassword = NewPassword });
            var oldPasswordStillWorks = await client.PostAsJsonAsync("/api/v1/auth/login", new { email, password = DemoData.Password });

            Assert.Equal((HttpStatusCode.BadRequest, "reset_link_invalid"), (confirm.StatusCode, (await TestData.ProblemAsync(confirm)).Code));
            Assert.Equal(HttpStatusCode.OK, oldPasswordStillWorks.StatusCode);
        }
        finally
        {
            await app.DisposeAndDeleteDataAsync();
        }
    }

    [Fact]
    public async Task AWeakNewPasswordIsRefusedByThePolicyAndTheLinkStillWorks()
    {
        var email = await CreatePatientAsync(App);
        var token = await RequestLinkAsync(email);
        using var client = Client(App);

        var weak = await client.PostAsJsonAsync("/api/v1/auth/password-reset/confirm", new { token, newPassword = "short" });
        var missing = await client.PostAsJsonAsync("/api/v1/auth/password-reset/confirm", new { token });
        var good = await client.PostAsJsonAsync("/api/v1/auth/password-reset/confirm", new { token, newPassword = NewPassword });

        Assert.Equal((HttpStatusCode.BadRequest, ("password_rejected", "newPassword")), (weak.StatusCode, await TestData.ProblemAsync(weak)));
        Assert.Equal((HttpStatusCode.BadRequest, ("validation_failed", "newPassword")), (missing.StatusCode, await TestData.ProblemAsync(missing)));
        Assert.Equal(HttpStatusCode.NoContent, good.StatusCode);
    }

    [Fact]
    public async Task AnUnconfirmedAddressGetsNoLinkButTheSameAnswer()
    {
        var email = $"unconfirmed-{Guid.NewGuid():N}@tests.example";
        using (var scope = App.Services.CreateScope())
        {
            var users = scope.ServiceProvider.GetRequiredService<UserManager<Identity.ClinicChatUser>>();
            Assert.True((await users.CreateAsync(new Identity.ClinicChatUser { UserName = email, Email = email, DisplayName = "Una Confirmed" }, DemoData.Password)).Succeeded);
        }

        using var client = Client(App);
        var response = await client.PostAsJsonAsync("/api/v1/auth/password-reset", new { email });

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        Assert.Equal(PasswordResetApi.RequestedMessage, (await response.Content.ReadFromJsonAsync<PasswordResetRequestedDto>())!.Message);
        Assert.Equal(0, await OutboxRowsToAsync(email));
    }

    [Theory]
    [InlineData("""{"email":""}""", "email")]
    [InlineData("""{"email":"too-long-an-address-aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa@example.com"}""", "email")]
    [InlineData("""{}""", "email")]
    [InlineData("""{"newPassword":"Fresh!Start-2026"}""", "token")]
    public async Task MalformedRequestsAreRefusedWithTheFieldNamed(string body, string field)
    {
        using var client = Client(App);
        var path = field == "token" ? "/api/v1/auth/password-reset/confirm" : "/api/v1/auth/password-reset";

        var response = await client.PostAsync(path, new StringContent(body, System.Text.Encoding.UTF8, "application/json"));

        Assert.Equal((HttpStatusCode.BadRequest, ("validation_failed", field)), (response.StatusCode, await TestData.ProblemAsync(response)));
    }

    [Fact]
    public async Task ALockedAccountIsToldUntilWhenEvenForTheRightPasswordAndAResetUnlocksIt()
    {
        var email = await CreatePatientAsync(App);
        using var client = Client(App);
        for (var attempt = 0; attempt < 4; attempt++)
        {
            Assert.Equal(HttpStatusCode.Unauthorized, (await client.PostAsJsonAsync("/api/v1/auth/login", new { email, password = "not-it-at-all" })).StatusCode);
        }

        var locking = await client.PostAsJsonAsync("/api/v1/auth/login", new { email, password = "not-it-at-all" });
        var rightPassword = await client.PostAsJsonAsync("/api/v1/auth/login", new { email, password = DemoData.Password });
        var lockedUntil = await LockedUntilAsync(rightPassword);
        var token = await RequestLinkAsync(email);
        (await client.PostAsJsonAsync("/api/v1/auth/password-reset/confirm", new { token, newPassword = NewPassword })).EnsureSuccessStatusCode();
        var afterReset = await client.PostAsJsonAsync("/api/v1/auth/login", new { email, password = NewPassword });

        Assert.Equal((HttpStatusCode.Forbidden, "account_locked"), (locking.StatusCode, (await TestData.ProblemAsync(locking)).Code));
        Assert.Equal(HttpStatusCode.Forbidden, rightPassword.StatusCode);
        Assert.InRange(lockedUntil - DateTimeOffset.UtcNow, TimeSpan.FromMinutes(14), TimeSpan.FromMinutes(15));
        Assert.Equal(HttpStatusCode.OK, afterReset.StatusCode);
    }

    [Fact]
    public async Task AnUnknownAddressLocksExactlyLikeAnAccountSoLockedRevealsNothing()
    {
        var known = await CreatePatientAsync(App);
        var unknown = $"nobody-{Guid.NewGuid():N}@tests.example";
        using var client = Client(App);
        var answers = new Dictionary<string, List<(HttpStatusCode, string?)>> { [known] = [], [unknown] = [] };

        foreach (var email in answers.Keys)
        {
            for (var attempt = 0; attempt < 6; attempt++)
            {
                var response = await client.PostAsJsonAsync("/api/v1/auth/login", new { email, password = "not-it-at-all" });
                answers[email].Add((response.StatusCode, (await TestData.ProblemAsync(response)).Code));
            }
        }

        var knownLocked = await client.PostAsJsonAsync("/api/v1/auth/login", new { email = known, password = "not-it-at-all" });
        var unknownLocked = await client.PostAsJsonAsync("/api/v1/auth/login", new { email = unknown, password = "not-it-at-all" });

        Assert.Equal(answers[known], answers[unknown]);
        Assert.Equal([.. Enumerable.Repeat((HttpStatusCode.Unauthorized, (string?)"invalid_credentials"), 4), .. Enumerable.Repeat((HttpStatusCode.Forbidden, (string?)"account_locked"), 2)], answers[unknown]);
        Assert.Equal(BodyShape(await knownLocked.Content.ReadAsStringAsync()), BodyShape(await unknownLocked.Content.ReadAsStringAsync()));
        Assert.InRange(await LockedUntilAsync(unknownLocked) - DateTimeOffset.UtcNow, TimeSpan.FromMinutes(14), TimeSpan.FromMinutes(15));
    }

    private const string IdentityCookie = "clinicchat.auth";

    /// <summary>Asks for a link and reads it from the email that arrives at the SMTP server: the token is the link's last part.</summary>
    private async Task<string> RequestLinkAsync(string email)
    {
        using var client = Client(App);
        var earlier = fixture.Smtp.Received.Where(mail => mail.EnvelopeRecipients.Contains(email)).ToList();
        Assert.Equal(HttpStatusCode.Accepted, (await client.PostAsJsonAsync("/api/v1/auth/password-reset", new { email })).StatusCode);
        var received = await fixture.Smtp.WaitForAsync(mail =>
            mail.EnvelopeRecipients.Contains(email) && !earlier.Contains(mail) && mail.Message.Subject == "Reset your ClinicChat password");
        return ResetLink().Match(received.Message.TextBody ?? string.Empty).Groups[1].Value;
    }

    /// <summary>Waits for a stored outcome another part of the app commits on its own schedule (a deadline, never a fixed sleep).</summary>
    private static async Task WaitUntilAsync(Func<Task<bool>> condition)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(15);
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "The condition did not come true within 15 s.");
            await Task.Delay(50);
        }
    }

    private static async Task<DateTimeOffset> LockedUntilAsync(HttpResponseMessage response)
    {
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return json.RootElement.GetProperty("lockedUntil").GetDateTimeOffset();
    }

    /// <summary>The property names of a JSON body, and its code: what would differ if the two answers were told apart.</summary>
    private static string BodyShape(string json)
    {
        using var document = JsonDocument.Parse(json);
        return string.Join(',', document.RootElement.EnumerateObject().Select(p => p.Name).Where(n => n != "traceId").Order(StringComparer.Ordinal))
            + "|" + document.RootElement.GetProperty("code").GetString();
    }

    private static string HeaderNames(HttpResponseMessage response) =>
        string.Join(',', response.Headers.Select(h => h.Key).Concat(response.Content.Headers.Select(h => h.Key)).Where(n => n != "Date").Order(StringComparer.Ordinal));

    private async Task<string> UserIdOfAsync(string email)
    {
        using var scope = App.Services.CreateScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<Identity.ClinicChatUser>>();
        return (await users.FindByEmailAsync(email))!.Id;
    }

    /// <summary>Outbox rows addressed to <paramref name="email"/> (with a secret still in <c>code</c>, when asked).</summary>
    private async Task<long> OutboxRowsToAsync(string email, bool withCode = false)
    {
        var database = App.Services.GetRequiredService<Storage.ChatDatabase>();
        await using var connection = await database.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT COUNT(*) FROM notice_outbox WHERE address = $address AND ($withCode = 0 OR code IS NOT NULL)";
        command.Parameters.Add(new Microsoft.Data.Sqlite.SqliteParameter("$address", email));
        command.Parameters.Add(new Microsoft.Data.Sqlite.SqliteParameter("$withCode", withCode ? 1 : 0));
        return (long)(await command.ExecuteScalarAsync())!;
    }

    /// <summary>The link's secret as queued (an app without email keeps it for the development outbox).</summary>
    private static async Task<string> StoredTokenAsync(ClinicChatApp app, string email) =>
        (string)(await TestData.ScalarAsync(app, "SELECT code FROM notice_outbox WHERE address = $address AND template = 'password-reset'", ("$address", email)))!;

    [GeneratedRegex(@"#/reset-password/([A-Za-z0-9_\-]+)")]
    private static partial Regex ResetLink();
}
