using ClinicChat.Access;
using static ClinicChat.Web.Tests.SessionTestKit;

namespace ClinicChat.Web.Tests;

/// <summary>
/// Two-step sign-in for staff (authenticator codes, RFC 6238) and the per-clinic requirement. Each test
/// uses new staff accounts at a new clinic id, so that turning the requirement on touches no one else.
/// </summary>
[Collection(AppCollection.Name)]
public sealed class TotpTests(AppFixture fixture)
{
    private ClinicChatApp App => fixture.App;

    /// <summary>Signs in with the password; the answer should ask for the code. Returns the half-way cookie.</summary>
    private async Task<string> PasswordStepAsync(HttpClient client, string email)
    {
        var response = await client.PostAsJsonAsync("/api/v1/auth/login", new { email, password = DemoData.Password });
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        Assert.Equal(LoginChallengeDto.Totp, (await response.Content.ReadFromJsonAsync<LoginChallengeDto>())!.Next);
        Assert.Null(SetCookie(response, "clinicchat.auth"));
        return SetCookie(response, "clinicchat.2fa")!;
    }

    private async Task<(string Email, string Key)> EnrolledStaffAsync()
    {
        var email = await CreateStaffAsync(App, Guid.NewGuid(), StaffRole.Clinician);
        var (key, session) = await SetUpTotpAsync(await App.SignInAsync(email));
        var enable = await session.Http.PostAsJsonAsync("/api/v1/auth/totp/enable", new { code = Totp.Code(key.SharedKey) });
        Assert.Equal(HttpStatusCode.OK, enable.StatusCode);
        return (email, key.SharedKey);
    }

    [Fact]
    public async Task StaffSetUpAnAuthenticatorByConfirmingACodeFromIt()
    {
        var email = await CreateStaffAsync(App, Guid.NewGuid(), StaffRole.FrontDesk);
        var session = await App.SignInAsync(email);
        var before = await session.Http.GetFromJsonAsync<TotpStatusDto>("/api/v1/auth/totp");

        var (key, current) = await SetUpTotpAsync(session);
        var wrong = await current.Http.PostAsJsonAsync("/api/v1/auth/totp/enable", new { code = Totp.WrongCode(key.SharedKey) });
        var notDigits = await current.Http.PostAsJsonAsync("/api/v1/auth/totp/enable", new { code = "12ab56" });
        var right = await current.Http.PostAsJsonAsync("/api/v1/auth/totp/enable", new { code = Totp.Code(key.SharedKey) });
        current = App.Continue(current, right);
        var after = await current.Http.GetFromJsonAsync<TotpStatusDto>("/api/v1/auth/totp");
        var setupAgain = await current.Http.PostAsync("/api/v1/auth/totp/setup", null);

        Assert.Equal(new TotpStatusDto(false, false), before);
        Assert.Matches("^[A-Z2-7]{32}$", key.SharedKey);
        Assert.StartsWith($"otpauth://totp/ClinicChat%3A{Uri.EscapeDataString(email)}?secret={key.SharedKey}&issuer=ClinicChat", key.OtpauthUri);
        Assert.Equal((HttpStatusCode.BadRequest, ("invalid_totp_code", "code")), (wrong.StatusCode, await TestData.ProblemAsync(wrong)));
        Assert.Equal((HttpStatusCode.BadRequest, ("validation_failed", "code")), (notDigits.StatusCode, await TestData.ProblemAsync(notDigits)));
        Assert.Equal(HttpStatusCode.OK, right.StatusCode);
        Assert.Equal(new TotpStatusDto(true, false), after);
        Assert.Equal((HttpStatusCode.Conflict, "totp_already_enabled"), (setupAgain.StatusCode, (await TestData.ProblemAsync(setupAgain)).Code));
        Assert.Equal(1, await TestData.AuditCountAsync(App, "totp.enabled", actorId: current.UserId, outcome: "success"));
    }

    [Fact]
    public async Task SignInWithAnAuthenticatorNeedsThePasswordAndThenTheCode()
    {
        var (email, key) = await EnrolledStaffAsync();
        using var client = Client(App);

        var halfWay = await PasswordStepAsync(client, email);
        using var halfWayClient = Client(App, halfWay);
        var apiWithHalfWayCookie = await halfWayClient.GetAsync("/api/v1/me");
        var wrongCode = await halfWayClient.PostAsJsonAsync("/api/v1/auth/login/totp", new { code = Totp.WrongCode(key) });
        var rightCode = await halfWayClient.PostAsJsonAsync("/api/v1/auth/login/totp", new { code = Totp.Code(key) });
        var me = await rightCode.Content.ReadFromJsonAsync<MeDto>();
        var cookie = SetCookie(rightCode, "clinicchat.auth");
        using var signedIn = Client(App, cookie!);
        var codeWithoutPasswordStep = await client.PostAsJsonAsync("/api/v1/auth/login/totp", new { code = Totp.Code(key) });

        Assert.Equal(HttpStatusCode.Unauthorized, apiWithHalfWayCookie.StatusCode);
        Assert.Equal((HttpStatusCode.Unauthorized, "invalid_credentials"), (wrongCode.StatusCode, (await TestData.ProblemAsync(wrongCode)).Code));
        Assert.Equal(HttpStatusCode.OK, rightCode.StatusCode);
        Assert.Equal(("staff", "Test Staff"), (me!.Kind, me.DisplayName));
        Assert.Equal(HttpStatusCode.OK, await StatusOfMeAsync(signedIn));
        Assert.Equal((HttpStatusCode.Unauthorized, "invalid_credentials"), (codeWithoutPasswordStep.StatusCode, (await TestData.ProblemAsync(codeWithoutPasswordStep)).Code));
    }

    /// <summary>
    /// A lost phone: staff who made recovery codes sign in with the password and one of them instead of a code. Each works
    /// once (typed in any case), a wrong or used one fails like a wrong code and is audited, and the stored codes are
    /// hashes, not the codes.
    /// </summary>
    [Fact]
    public async Task ARecoveryCodeSignsInOnceInsteadOfTheAuthenticator()
    {
        var email = await CreateStaffAsync(App, Guid.NewGuid(), StaffRole.Clinician);
        var beforeSetup = await (await App.SignInAsync(email)).Http.PostAsync("/api/v1/auth/totp/recovery-codes", null);
        var (key, session) = await SetUpTotpAsync(await App.SignInAsync(email));
        var enrolled = App.Continue(session, await session.Http.PostAsJsonAsync("/api/v1/auth/totp/enable", new { code = Totp.Code(key.SharedKey) }));
        var made = await enrolled.Http.PostAsync("/api/v1/auth/totp/recovery-codes", null);
        var codes = (await made.Content.ReadFromJsonAsync<RecoveryCodesDto>())!.Codes;
        var status = await enrolled.Http.GetFromJsonAsync<TotpStatusDto>("/api/v1/auth/totp");

        using var first = Client(App);
        using var halfWay = Client(App, await PasswordStepAsync(first, email));
        var wrong = await halfWay.PostAsJsonAsync("/api/v1/auth/login/recovery-code", new { code = "AAAAA-BBBBB" });
        var right = await halfWay.PostAsJsonAsync("/api/v1/auth/login/recovery-code", new { code = $" {codes[0].ToLowerInvariant()} " });
        using var signedIn = Client(App, SetCookie(right, "clinicchat.auth")!);
        var afterUse = await signedIn.GetFromJsonAsync<TotpStatusDto>("/api/v1/auth/totp");
        using var second = Client(App);
        using var halfWayAgain = Client(App, await PasswordStepAsync(second, email));
        var reused = await halfWayAgain.PostAsJsonAsync("/api/v1/auth/login/recovery-code", new { code = codes[0] });

        Assert.Equal((HttpStatusCode.Conflict, "totp_not_set_up"), (beforeSetup.StatusCode, (await TestData.ProblemAsync(beforeSetup)).Code));
        Assert.Equal(HttpStatusCode.OK, made.StatusCode);
        Assert.Equal(10, codes.Distinct().Count());
        Assert.Equal(10, status!.RecoveryCodesLeft);
        Assert.Equal((HttpStatusCode.Unauthorized, "invalid_credentials"), (wrong.StatusCode, (await TestData.ProblemAsync(wrong)).Code));
        Assert.Equal(HttpStatusCode.OK, right.StatusCode);
        Assert.Equal("staff", (await right.Content.ReadFromJsonAsync<MeDto>())!.Kind);
        Assert.Equal(9, afterUse!.RecoveryCodesLeft);
        Assert.Equal((HttpStatusCode.Unauthorized, "invalid_credentials"), (reused.StatusCode, (await TestData.ProblemAsync(reused)).Code));
        Assert.Equal(1, await TestData.AuditCountAsync(App, "signin", "recovery_code", actorId: enrolled.UserId, outcome: "success"));
        Assert.Equal(2, await TestData.AuditCountAsync(App, "signin", "recovery_code", actorId: enrolled.UserId, outcome: "failure"));
        Assert.Equal(1, await TestData.AuditCountAsync(App, "totp.recovery_codes_issued", "count=10", enrolled.UserId, "success"));
        var stored = await StoredRecoveryCodesAsync(enrolled.UserId);
        Assert.Equal(9, stored.Split(';').Length);
        Assert.DoesNotContain(codes[1], stored, StringComparison.OrdinalIgnoreCase);
    }

    private async Task<string> StoredRecoveryCodesAsync(string userId) =>
        (string)(await TestData.ScalarAsync(App, "SELECT Value FROM AspNetUserTokens WHERE UserId = $user AND Name = 'RecoveryCodes'", ("$user", userId)))!;

    [Fact]
    public async Task WrongCodesCountTowardsLockout()
    {
        var (email, key) = await EnrolledStaffAsync();
        using var client = Client(App);
        var halfWay = await PasswordStepAsync(client, email);
        using var halfWayClient = Client(App, halfWay);
        for (var attempt = 0; attempt < 5; attempt++)
        {
            await halfWayClient.PostAsJsonAsync("/api/v1/auth/login/totp", new { code = Totp.WrongCode(key) });
        }

        var rightCodeWhileLocked = await halfWayClient.PostAsJsonAsync("/api/v1/auth/login/totp", new { code = Totp.Code(key) });
        var passwordWhileLocked = await client.PostAsJsonAsync("/api/v1/auth/login", new { email, password = DemoData.Password });

        // Locked, and told so at either step: neither the code nor the password is checked meanwhile.
        Assert.Equal((HttpStatusCode.Forbidden, "account_locked"), (rightCodeWhileLocked.StatusCode, (await TestData.ProblemAsync(rightCodeWhileLocked)).Code));
        Assert.Equal((HttpStatusCode.Forbidden, "account_locked"), (passwordWhileLocked.StatusCode, (await TestData.ProblemAsync(passwordWhileLocked)).Code));
    }

    [Fact]
    public async Task TurningTheAuthenticatorOffNeedsThePassword()
    {
        var (email, key) = await EnrolledStaffAsync();
        using var client = Client(App);
        using var halfWayClient = Client(App, await PasswordStepAsync(client, email));
        var signIn = await halfWayClient.PostAsJsonAsync("/api/v1/auth/login/totp", new { code = Totp.Code(key) });
        using var session = Client(App, SetCookie(signIn, "clinicchat.auth")!);

        var wrongPassword = await session.SendAsync(new HttpRequestMessage(HttpMethod.Delete, "/api/v1/auth/totp") { Content = JsonContent.Create(new { password = "not-it" }) });
        var off = await session.SendAsync(new HttpRequestMessage(HttpMethod.Delete, "/api/v1/auth/totp") { Content = JsonContent.Create(new { password = DemoData.Password }) });
        var passwordOnly = await client.PostAsJsonAsync("/api/v1/auth/login", new { email, password = DemoData.Password });

        Assert.Equal((HttpStatusCode.Unauthorized, "invalid_credentials"), (wrongPassword.StatusCode, (await TestData.ProblemAsync(wrongPassword)).Code));
        Assert.Equal(HttpStatusCode.NoContent, off.StatusCode);
        Assert.Equal(HttpStatusCode.OK, passwordOnly.StatusCode);
    }

    [Fact]
    public async Task PatientsHaveNoAuthenticatorSetup()
    {
        var patient = await App.SignInAsync(await CreatePatientAsync(App));

        var setup = await patient.Http.PostAsync("/api/v1/auth/totp/setup", null);

        Assert.Equal((HttpStatusCode.Forbidden, "forbidden"), (setup.StatusCode, (await TestData.ProblemAsync(setup)).Code));
    }

    [Fact]
    public async Task StaffOfAClinicThatRequiresTwoStepSignInMayOnlyEnrolUntilTheyHave()
    {
        var clinic = Guid.NewGuid();
        var admin = await App.SignInAsync(await CreateStaffAsync(App, clinic, StaffRole.Admin));
        var email = await CreateStaffAsync(App, clinic, StaffRole.Clinician);
        var require = await admin.Http.PutAsJsonAsync($"/api/v1/clinics/{clinic}/security", new { requireStaffTotp = true });

        var staff = await App.SignInAsync(email);
        var conversations = await staff.Http.GetAsync("/api/v1/conversations");
        // The web app itself loads (a reload shows the set-up screen), only the API waits for enrolment.
        var page = await staff.Http.GetAsync("/");
        var deepLink = await staff.Http.GetAsync("/chat");
        var me = await staff.Http.GetFromJsonAsync<MeDto>("/api/v1/me");
        await using var hub = App.CreateHubConnection(staff.Cookie);
        var hubRefused = await Record.ExceptionAsync(() => hub.StartAsync());
        var (key, enrolling) = await SetUpTotpAsync(staff);
        var enable = await enrolling.Http.PostAsJsonAsync("/api/v1/auth/totp/enable", new { code = Totp.Code(key.SharedKey) });
        var enrolled = App.Continue(enrolling, enable);
        var afterEnrolment = await enrolled.Http.GetAsync("/api/v1/conversations");
        var turnOff = await enrolled.Http.SendAsync(new HttpRequestMessage(HttpMethod.Delete, "/api/v1/auth/totp") { Content = JsonContent.Create(new { password = DemoData.Password }) });
        using var client = Client(App);
        var nextSignIn = await client.PostAsJsonAsync("/api/v1/auth/login", new { email, password = DemoData.Password });

        Assert.Equal(HttpStatusCode.OK, require.StatusCode);
        Assert.True(staff.Me.TotpEnrolmentRequired);
        Assert.True(me!.TotpEnrolmentRequired);
        Assert.Equal((HttpStatusCode.Forbidden, "totp_enrolment_required"), (conversations.StatusCode, (await TestData.ProblemAsync(conversations)).Code));
        Assert.Equal((HttpStatusCode.OK, "text/html"), (page.StatusCode, page.Content.Headers.ContentType?.MediaType));
        Assert.Equal((HttpStatusCode.OK, "text/html"), (deepLink.StatusCode, deepLink.Content.Headers.ContentType?.MediaType));
        Assert.NotNull(hubRefused);
        Assert.False((await enable.Content.ReadFromJsonAsync<MeDto>())!.TotpEnrolmentRequired);
        Assert.Equal(HttpStatusCode.OK, afterEnrolment.StatusCode);
        Assert.Equal((HttpStatusCode.Conflict, "totp_required_by_clinic"), (turnOff.StatusCode, (await TestData.ProblemAsync(turnOff)).Code));
        Assert.Equal(HttpStatusCode.Accepted, nextSignIn.StatusCode);
    }

    [Fact]
    public async Task OnlyTheClinicsAdminsSeeAndChangeItsSecuritySettings()
    {
        var clinic = Guid.NewGuid();
        var admin = await App.SignInAsync(await CreateStaffAsync(App, clinic, StaffRole.Admin));
        var clinician = await App.SignInAsync(await CreateStaffAsync(App, clinic, StaffRole.Clinician));
        var otherClinicsAdmin = await App.SignInAsync(DemoData.Olga);
        var patient = await App.SignInAsync(await CreatePatientAsync(App));
        using var anonymous = Client(App);
        var path = $"/api/v1/clinics/{clinic}/security";

        var initially = await admin.Http.GetFromJsonAsync<ClinicSecurityDto>(path);
        var set = await admin.Http.PutAsJsonAsync(path, new { requireStaffTotp = true });
        var invalid = await admin.Http.PutAsJsonAsync(path, new { });
        var now = await admin.Http.GetFromJsonAsync<ClinicSecurityDto>(path);
        var refused = new List<HttpResponseMessage>
        {
            await clinician.Http.GetAsync(path),
            await clinician.Http.PutAsJsonAsync(path, new { requireStaffTotp = false }),
            await otherClinicsAdmin.Http.GetAsync(path),
            await otherClinicsAdmin.Http.PutAsJsonAsync(path, new { requireStaffTotp = false }),
            await patient.Http.GetAsync(path),
        };
        var anonymousAnswer = await anonymous.GetAsync(path);
        var afterRefusals = await admin.Http.GetFromJsonAsync<ClinicSecurityDto>(path);

        Assert.Equal(new ClinicSecurityDto(false), initially);
        Assert.Equal(HttpStatusCode.OK, set.StatusCode);
        Assert.Equal((HttpStatusCode.BadRequest, ("validation_failed", "requireStaffTotp")), (invalid.StatusCode, await TestData.ProblemAsync(invalid)));
        Assert.Equal(new ClinicSecurityDto(true), now);
        foreach (var response in refused)
        {
            Assert.Equal((HttpStatusCode.NotFound, "not_found"), (response.StatusCode, (await TestData.ProblemAsync(response)).Code));
        }

        Assert.Equal(HttpStatusCode.Unauthorized, anonymousAnswer.StatusCode);
        Assert.Equal(new ClinicSecurityDto(true), afterRefusals);
        Assert.Equal(1, await TestData.AuditCountAsync(App, "clinic.security_changed", "requireStaffTotp=true", admin.UserId, "success"));
        // The clinician's first refusal is written at once; the second is counted in the summary written when the minute closes.
        Assert.Equal(1, await TestData.AuditCountAsync(App, "access.denied", "clinic_security", clinician.UserId, "denied"));
    }
}
