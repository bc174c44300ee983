using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;

namespace ClinicChat.Web.Tests;

/// <summary>
/// A Production-configured app on an empty database (no demo data) and the real operator command, run
/// as an Orleans client of the app's gateway exactly as an operator runs it beside the server.
/// </summary>
public sealed partial class EmptyProductionApp : IAsyncLifetime
{
    public const string AuditKey = "an-operator-chosen-audit-checkpoint-key-for-tests";
    public const string BaseUrl = "https://chat.example-clinic.test";

    public ShiftableClock Clock { get; } = new();

    public ClinicChatApp App { get; }

    public EmptyProductionApp() => App = new ClinicChatApp(clock: Clock, configure: builder =>
    {
        builder.UseEnvironment("Production");
        builder.UseSetting("ClinicChat:Seed:Demo", "false");
        builder.UseSetting("ClinicChat:Audit:CheckpointKey", AuditKey);
        builder.UseSetting("AllowedHosts", "localhost");
        // Onboarding links are printed, not sent: this production app needs no notice channel.
        builder.UseSetting("ClinicChat:Notifications:Enabled", "false");
        builder.UseDataProtectionCertificate();
    });

    public Task InitializeAsync() => App.StartReadyAsync();

    public Task DisposeAsync() => App.DisposeAndDeleteDataAsync();

    /// <summary>Runs <c>operator …</c> with the server's settings (its data folder and gateway), as an operator would.</summary>
    public Task<CommandResult> OperatorAsync(params string[] args) =>
        InProcessOperator.RunAsync(App, [.. args, $"--ClinicChat:Audit:CheckpointKey={AuditKey}", $"--ClinicChat:Onboarding:PublicBaseUrl={BaseUrl}"]);

    /// <summary>
    /// Creates a clinic (named "Riverside Physio" and a number: no two clinics share a name) and returns its id, name and
    /// the first Admin's email and token, read from the printed link.
    /// </summary>
    public async Task<(Guid ClinicId, string Name, string Email, string Token)> CreateClinicAsync(string timeZone = "Europe/Berlin")
    {
        var email = $"admin-{Guid.NewGuid():N}@clinic.test";
        var name = $"Riverside Physio {Interlocked.Increment(ref _clinics)}";
        var created = await OperatorAsync("create-clinic", "--name", name, "--time-zone", timeZone, "--admin-email", email, "--admin-name", "Rita Admin");
        Assert.True(created.ExitCode == 0, created.Error);
        return (Guid.Parse(ClinicIdPattern().Match(created.Output).Groups[1].Value), name, email, created.Token);
    }

    private int _clinics;

    [GeneratedRegex("Created clinic ([0-9a-f-]{36})")]
    private static partial Regex ClinicIdPattern();
}

/// <summary>The operator command's own code, run in the test process against an app's gateway (no process start: fast enough for every test).</summary>
public static class InProcessOperator
{
    public static async Task<CommandResult> RunAsync(ClinicChatApp app, params string[] args)
    {
        var configuration = app.Services.GetRequiredService<IConfiguration>();
        using var output = new StringWriter();
        using var error = new StringWriter();
        var exitCode = await OperatorCommand.RunAsync(
            [.. args, $"--ClinicChat:Storage:DataDirectory={app.DataDirectory}", $"--ClinicChat:Orleans:GatewayPort={configuration["ClinicChat:Orleans:GatewayPort"]}",
                $"--environment={app.Services.GetRequiredService<IHostEnvironment>().EnvironmentName}"],
            output, error);
        return new CommandResult(exitCode, output.ToString(), error.ToString());
    }

    /// <summary>An operator account, invited by the command, with its password set and its authenticator enrolled.</summary>
    public static async Task<ApiSession> OperatorSessionAsync(ClinicChatApp app, string password, params string[] settings)
    {
        var invited = await RunAsync(app, ["invite-operator", "--email", $"ops-{Guid.NewGuid():N}@hosting.test", "--name", "Otto Operator", "--base-url", "https://ops.test", .. settings]);
        Assert.True(invited.ExitCode == 0, invited.Error);
        using var anonymous = SessionTestKit.Client(app);
        var accepted = await anonymous.PostAsJsonAsync("/api/v1/invitations/accept", new { token = invited.Token, password });
        Assert.Equal(HttpStatusCode.OK, accepted.StatusCode);
        var me = (await accepted.Content.ReadFromJsonAsync<MeDto>())!;
        var cookie = SessionTestKit.SetCookie(accepted, "clinicchat.auth")!;
        var client = SessionTestKit.Client(app, cookie);
        var (key, setUp) = await SessionTestKit.SetUpTotpAsync(new ApiSession(app, client, cookie, me));
        var enable = await setUp.Http.PostAsJsonAsync("/api/v1/auth/totp/enable", new { code = Totp.Code(key.SharedKey) });
        Assert.Equal(HttpStatusCode.OK, enable.StatusCode);
        return app.Continue(setUp, enable);
    }
}

public sealed partial record CommandResult(int ExitCode, string Output, string Error)
{
    /// <summary>The token of the printed link (<c>…/#/set-password/{token}</c>).</summary>
    public string Token => LinkPattern().Match(Output) is { Success: true } link ? link.Groups[1].Value : throw new InvalidOperationException("No link in: " + Output + Error);

    [GeneratedRegex(@"/#/set-password/(\S+)")]
    private static partial Regex LinkPattern();
}

public sealed class OnboardingTests(EmptyProductionApp fixture) : IClassFixture<EmptyProductionApp>
{
    private const string StrongPassword = "Riverside-Physio-2026";

    private ClinicChatApp App => fixture.App;

    [Fact]
    public async Task AnOperatorCreatesTheFirstClinicAndItsAdminSetsAPasswordFromTheLinkAndIsSignedIn()
    {
        var (clinicId, name, email, token) = await fixture.CreateClinicAsync();
        using var anonymous = SessionTestKit.Client(App);

        var lookup = await anonymous.PostAsJsonAsync("/api/v1/invitations/lookup", new { token });
        var invitation = await lookup.Content.ReadFromJsonAsync<InvitationDto>();
        var weak = await anonymous.PostAsJsonAsync("/api/v1/invitations/accept", new { token, password = "short" });
        var accepted = await anonymous.PostAsJsonAsync("/api/v1/invitations/accept", new { token, password = StrongPassword });
        var me = await accepted.Content.ReadFromJsonAsync<MeDto>();
        var signedIn = await App.SignInAsync(email, StrongPassword);

        Assert.Equal(HttpStatusCode.OK, lookup.StatusCode);
        Assert.Equal((name, email, "Rita Admin", "Admin", false, false),
            (invitation!.ClinicName, invitation.Email, invitation.DisplayName, invitation.Role, invitation.RequiresTotp, invitation.AccountExists));
        Assert.InRange(invitation.ExpiresAt - fixture.Clock.GetUtcNow(), TimeSpan.FromDays(6.9), TimeSpan.FromDays(7));
        Assert.Equal((HttpStatusCode.BadRequest, ("password_rejected", "password")), (weak.StatusCode, await TestData.ProblemAsync(weak)));
        // What to do, in words: not Identity's "Passwords must have at least one non alphanumeric character."
        var advice = (await weak.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString();
        Assert.Equal("Use at least 8 characters. Add a symbol, such as ! or #. Add a digit (0–9). Add a capital letter.", advice);
        Assert.Equal(HttpStatusCode.OK, accepted.StatusCode);
        Assert.NotNull(SessionTestKit.SetCookie(accepted, "clinicchat.auth"));
        Assert.Equal([new MembershipDto(clinicId, name, "Admin")], me!.Memberships);
        Assert.Equal(me.UserId, signedIn.UserId);
        Assert.Equal(1, await OnClinicChainAsync(clinicId, "clinic.created", OperatorCommand.CliActor));
        Assert.Equal(1, await OnClinicChainAsync(clinicId, "invitation.issued", OperatorCommand.CliActor));
        Assert.Equal(1, await OnClinicChainAsync(clinicId, "invitation.accepted", me.UserId));
        Assert.False(await StoredAnywhereAsync(token.Split('.')[1]), "the link's secret must be stored only as a hash");
    }

    [Fact]
    public async Task ALinkWorksOnceAndNeverAfterItExpires()
    {
        var (clinicId, _, _, token) = await fixture.CreateClinicAsync();
        using var anonymous = SessionTestKit.Client(App);
        var first = await anonymous.PostAsJsonAsync("/api/v1/invitations/accept", new { token, password = StrongPassword });
        var again = await anonymous.PostAsJsonAsync("/api/v1/invitations/accept", new { token, password = StrongPassword });
        var reinvited = await fixture.OperatorAsync("invite-admin", clinicId.ToString(), "--email", $"second-{Guid.NewGuid():N}@clinic.test", "--name", "Sam Second");
        var tampered = reinvited.Token[..^4] + "AAAA";

        HttpResponseMessage expired, expiredAccept;
        fixture.Clock.Offset = TimeSpan.FromDays(7) + TimeSpan.FromMinutes(1);
        try
        {
            expired = await anonymous.PostAsJsonAsync("/api/v1/invitations/lookup", new { token = reinvited.Token });
            expiredAccept = await anonymous.PostAsJsonAsync("/api/v1/invitations/accept", new { token = reinvited.Token, password = StrongPassword });
        }
        finally
        {
            fixture.Clock.Offset = TimeSpan.Zero;
        }

        var wrongSecret = await anonymous.PostAsJsonAsync("/api/v1/invitations/lookup", new { token = tampered });
        var madeUp = await anonymous.PostAsJsonAsync("/api/v1/invitations/lookup", new { token = "not-a-token" });

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal((HttpStatusCode.Gone, "invitation_used"), (again.StatusCode, (await TestData.ProblemAsync(again)).Code));
        Assert.Equal((HttpStatusCode.Gone, "invitation_expired"), (expired.StatusCode, (await TestData.ProblemAsync(expired)).Code));
        Assert.Equal((HttpStatusCode.Gone, "invitation_expired"), (expiredAccept.StatusCode, (await TestData.ProblemAsync(expiredAccept)).Code));
        Assert.Equal((HttpStatusCode.NotFound, "not_found"), (wrongSecret.StatusCode, (await TestData.ProblemAsync(wrongSecret)).Code));
        Assert.Equal((HttpStatusCode.NotFound, "not_found"), (madeUp.StatusCode, (await TestData.ProblemAsync(madeUp)).Code));
    }

    [Fact]
    public async Task ADisabledClinicsStaffAreRefusedAndSignedOutUntilItIsEnabledAgainWithNothingDeleted()
    {
        var (clinicId, _, email, token) = await fixture.CreateClinicAsync();
        using var anonymous = SessionTestKit.Client(App);
        Assert.Equal(HttpStatusCode.OK, (await anonymous.PostAsJsonAsync("/api/v1/invitations/accept", new { token, password = StrongPassword })).StatusCode);
        var session = await App.SignInAsync(email, StrongPassword);

        var disabled = await fixture.OperatorAsync("disable-clinic", clinicId.ToString());
        var sessionAfter = await session.Http.GetAsync("/api/v1/me");
        var refused = await anonymous.PostAsJsonAsync("/api/v1/auth/login", new { email, password = StrongPassword });
        var wrongPassword = await anonymous.PostAsJsonAsync("/api/v1/auth/login", new { email, password = "not the password" });
        var listed = await fixture.OperatorAsync("list-clinics");
        var enabled = await fixture.OperatorAsync("enable-clinic", clinicId.ToString());
        var again = await App.SignInAsync(email, StrongPassword);

        Assert.Equal(0, disabled.ExitCode);
        Assert.Contains("sessions of 1 staff ended", disabled.Output, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Unauthorized, sessionAfter.StatusCode);
        Assert.Equal((HttpStatusCode.Forbidden, "clinic_disabled"), (refused.StatusCode, (await TestData.ProblemAsync(refused)).Code));
        Assert.Equal((HttpStatusCode.Unauthorized, "invalid_credentials"), (wrongPassword.StatusCode, (await TestData.ProblemAsync(wrongPassword)).Code));
        Assert.Contains($"{clinicId}\tdisabled\tEurope/Berlin", listed.Output, StringComparison.Ordinal);
        Assert.Equal(0, enabled.ExitCode);
        Assert.Equal([clinicId], again.Me.Memberships.Select(m => m.ClinicId));
        Assert.Equal(1, await OnClinicChainAsync(clinicId, "clinic.disabled", OperatorCommand.CliActor));
        Assert.Equal(1, await OnClinicChainAsync(clinicId, "clinic.enabled", OperatorCommand.CliActor));
        Assert.Equal(1, await TestData.AuditCountAsync(App, "signin", "clinic_disabled", actorId: again.UserId, outcome: "failure"));
    }

    [Fact]
    public async Task OnlyAnOperatorReachesTheOperatorViewsAfterSettingUpTwoStepSignInAndAClinicAdminGets404()
    {
        var (_, _, adminEmail, adminToken) = await fixture.CreateClinicAsync();
        using var anonymous = SessionTestKit.Client(App);
        Assert.Equal(HttpStatusCode.OK, (await anonymous.PostAsJsonAsync("/api/v1/invitations/accept", new { token = adminToken, password = StrongPassword })).StatusCode);
        var admin = await App.SignInAsync(adminEmail, StrongPassword);
        var operatorEmail = $"ops-{Guid.NewGuid():N}@hosting.test";
        var invited = await fixture.OperatorAsync("invite-operator", "--email", operatorEmail, "--name", "Otto Operator");
        var lookup = await (await anonymous.PostAsJsonAsync("/api/v1/invitations/lookup", new { token = invited.Token })).Content.ReadFromJsonAsync<InvitationDto>();
        var accepted = await anonymous.PostAsJsonAsync("/api/v1/invitations/accept", new { token = invited.Token, password = StrongPassword });
        var enrolling = App.Continue(admin with { Me = (await accepted.Content.ReadFromJsonAsync<MeDto>())! }, accepted);

        var beforeEnrolment = await enrolling.Http.GetAsync("/ops/orleans");
        var (key, setUp) = await SessionTestKit.SetUpTotpAsync(enrolling);
        var enable = await setUp.Http.PostAsJsonAsync("/api/v1/auth/totp/enable", new { code = Totp.Code(key.SharedKey) });
        var operatorSession = App.Continue(setUp, enable);
        var asOperator = await operatorSession.Http.GetAsync("/ops/orleans");
        var operatorData = await operatorSession.Http.GetAsync("/ops/orleans/DashboardCounters");
        var asAdmin = await admin.Http.GetAsync("/ops/orleans");
        var adminData = await admin.Http.GetAsync("/ops/orleans/DashboardCounters");
        var asAnonymous = await anonymous.GetAsync("/ops/orleans/DashboardCounters");

        Assert.Equal(("Operator", null, true), (lookup!.Role, lookup.ClinicName, lookup.RequiresTotp));
        Assert.True(enrolling.Me.TotpEnrolmentRequired);
        Assert.Empty(enrolling.Me.Memberships);
        Assert.Equal((HttpStatusCode.Forbidden, "totp_enrolment_required"), (beforeEnrolment.StatusCode, (await TestData.ProblemAsync(beforeEnrolment)).Code));
        Assert.Equal(HttpStatusCode.OK, enable.StatusCode);
        Assert.Equal((HttpStatusCode.OK, HttpStatusCode.OK), (asOperator.StatusCode, operatorData.StatusCode));
        Assert.Equal((HttpStatusCode.NotFound, "not_found"), (asAdmin.StatusCode, (await TestData.ProblemAsync(asAdmin)).Code));
        Assert.Equal((HttpStatusCode.NotFound, "not_found"), (adminData.StatusCode, (await TestData.ProblemAsync(adminData)).Code));
        Assert.Equal(HttpStatusCode.Unauthorized, asAnonymous.StatusCode);
    }

    [Theory]
    [InlineData(new[] { "create-clinic", "--name", "X", "--time-zone", "Mars/Olympus_Mons", "--admin-email", "a@clinic.test", "--admin-name", "A" }, 1, "not an IANA time zone")]
    [InlineData(new[] { "create-clinic", "--name", "X", "--time-zone", "W. Europe Standard Time", "--admin-email", "a@clinic.test", "--admin-name", "A" }, 1, "not an IANA time zone")]
    [InlineData(new[] { "create-clinic", "--name", "X", "--time-zone", "Europe/Berlin", "--admin-email", "not an address", "--admin-name", "A" }, 1, "plain address")]
    [InlineData(new[] { "create-clinic", "--name", "X", "--time-zone", "Europe/London", "--admin-email", "a@clinic.test", "--admin-name", "A", "--country", "UK" }, 1, "not a country the numbering plans know")]
    [InlineData(new[] { "disable-clinic", "6b1e1d8e-0000-4000-8000-000000000000" }, 1, "No enabled clinic has that id")]
    [InlineData(new[] { "invite-admin", "6b1e1d8e-0000-4000-8000-000000000000", "--email", "a@clinic.test", "--name", "A" }, 1, "No enabled clinic has that id")]
    [InlineData(new[] { "create-clinic", "--name", "X" }, 2, "needs --time-zone, --admin-email, --admin-name")]
    [InlineData(new[] { "disable-clinic" }, 2, "needs the clinic's id")]
    [InlineData(new[] { "drop-everything" }, 2, "Unknown command")]
    public async Task TheCommandRefusesWhatItCannotDoAndSaysWhy(string[] args, int exitCode, string reason)
    {
        var result = await fixture.OperatorAsync(args);

        Assert.Equal(exitCode, result.ExitCode);
        Assert.Contains(reason, result.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("set-password", result.Output, StringComparison.Ordinal);
    }

    /// <summary>
    /// The operator gives the clinic's country with the clinic: its first Admin's own page reads numbers without + as that
    /// country's (a London clinic's 020 7946 0000), and the command says how numbers will be read.
    /// </summary>
    [Fact]
    public async Task AClinicCreatedWithItsCountryReadsItsNumbersAsThatCountrys()
    {
        var email = $"admin-{Guid.NewGuid():N}@clinic.test";
        var created = await fixture.OperatorAsync(
            "create-clinic", "--name", $"Thameside Physio {Guid.NewGuid():N}", "--time-zone", "Europe/London", "--admin-email", email, "--admin-name", "Tam Admin", "--country", "gb");
        var clinicId = Guid.Parse(Regex.Match(created.Output, "Created clinic ([0-9a-f-]{36})").Groups[1].Value);
        using var anonymous = SessionTestKit.Client(App);
        (await anonymous.PostAsJsonAsync("/api/v1/invitations/accept", new { token = created.Token, password = StrongPassword })).EnsureSuccessStatusCode();
        var admin = await App.SignInAsync(email, StrongPassword);

        var phone = await admin.Http.PutAsJsonAsync($"/api/v1/clinics/{clinicId}/profile", new { phone = "020 7946 0000" });

        Assert.Equal(0, created.ExitCode);
        Assert.Contains("Phone numbers without + are read as United Kingdom (+44) numbers.", created.Output, StringComparison.Ordinal);
        var profile = (await phone.Content.ReadFromJsonAsync<ClinicProfileDto>())!;
        Assert.Equal((HttpStatusCode.OK, "GB", "020 7946 0000"), (phone.StatusCode, profile.Country, profile.Phone));
        Assert.Equal(1L, await OnClinicChainAsync(clinicId, "clinic.profile_changed", OperatorCommand.CliActor));
    }

    /// <summary>
    /// Patients of two clinics see both in one Inbox and staff pick between them by name: a second clinic of a name in use
    /// (in any case) is refused, saying which clinic has it, and nothing is created.
    /// </summary>
    [Fact]
    public async Task ASecondClinicOfTheSameNameIsRefusedSayingWhichHasIt()
    {
        var (clinicId, name, _, _) = await fixture.CreateClinicAsync();
        var before = await fixture.OperatorAsync("list-clinics");

        var again = await fixture.OperatorAsync("create-clinic", "--name", $"  {name.ToUpperInvariant()} ", "--time-zone", "Europe/Berlin",
            "--admin-email", $"admin-{Guid.NewGuid():N}@clinic.test", "--admin-name", "Rita Admin");

        Assert.Equal(1, again.ExitCode);
        Assert.Contains($"A clinic named '{name}' exists already ({clinicId})", again.Error, StringComparison.Ordinal);
        Assert.Equal(before.Output, (await fixture.OperatorAsync("list-clinics")).Output);
    }

    [Theory]
    [InlineData("--help")]
    [InlineData("create-clinic", "--help")]
    [InlineData("help")]
    public async Task AskingForHelpPrintsTheUsageAndSucceeds(params string[] args)
    {
        var result = await fixture.OperatorAsync(args);

        Assert.Equal(0, result.ExitCode);
        Assert.Contains("Usage: ClinicChat.Web operator <command>", result.Output, StringComparison.Ordinal);
        Assert.Equal("", result.Error);
    }

    /// <summary>Audit rows of <paramref name="action"/> by <paramref name="actorId"/> on the clinic's own chain (other tests share the app).</summary>
    private async Task<long> OnClinicChainAsync(Guid clinicId, string action, string actorId)
    {
        var database = App.Services.GetRequiredService<Storage.ChatDatabase>();
        await using var connection = await database.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT COUNT(*) FROM audit_log WHERE chain = $chain AND action = $action AND actor_id = $actor";
        command.Parameters.Add(new Microsoft.Data.Sqlite.SqliteParameter("$chain", clinicId.ToString()));
        command.Parameters.Add(new Microsoft.Data.Sqlite.SqliteParameter("$action", action));
        command.Parameters.Add(new Microsoft.Data.Sqlite.SqliteParameter("$actor", actorId));
        return (long)(await command.ExecuteScalarAsync())!;
    }

    private async Task<bool> StoredAnywhereAsync(string secret)
    {
        var database = App.Services.GetRequiredService<Storage.ChatDatabase>();
        await using var connection = await database.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT COUNT(*) FROM invitations WHERE token_hash = $s OR id = $s";
        command.Parameters.Add(new Microsoft.Data.Sqlite.SqliteParameter("$s", secret));
        var inInvitations = (long)(await command.ExecuteScalarAsync())! > 0;
        command.CommandText = "SELECT COUNT(*) FROM audit_log WHERE COALESCE(detail, '') LIKE $like";
        command.Parameters.Add(new Microsoft.Data.Sqlite.SqliteParameter("$like", $"%{secret}%"));
        return inInvitations || (long)(await command.ExecuteScalarAsync())! > 0;
    }
}
