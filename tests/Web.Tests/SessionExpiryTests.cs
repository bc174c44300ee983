using Microsoft.AspNetCore.Identity;
using static ClinicChat.Web.Tests.SessionTestKit;

namespace ClinicChat.Web.Tests;

/// <summary>One app whose product clock the tests move forward (never back): each test signs in its own sessions.</summary>
public class ClockedAppFixture : IAsyncLifetime
{
    public ShiftableClock Clock { get; } = new();

    public ClinicChatApp App { get; }

    public ClockedAppFixture()
        : this(null)
    {
    }

    /// <param name="configure">Settings of the fixture's own app, applied after the test defaults.</param>
    protected ClockedAppFixture(Action<Microsoft.AspNetCore.Hosting.IWebHostBuilder>? configure) => App = new ClinicChatApp(clock: Clock, configure: configure);

    public Task InitializeAsync() => App.CreateClient().GetAsync("/readyz");

    public Task DisposeAsync() => App.DisposeAndDeleteDataAsync();
}

/// <summary>Idle timeouts per account kind (staff 30 min, patients 15 min) and the 12-hour absolute lifetime, on the product clock.</summary>
public sealed class SessionExpiryTests(ClockedAppFixture fixture) : IClassFixture<ClockedAppFixture>
{
    private ClinicChatApp App => fixture.App;

    private void Advance(TimeSpan by) => fixture.Clock.Offset += by;

    [Fact]
    public async Task AStaffSessionEndsAfterThirtyIdleMinutesAndActivityRestartsTheClock()
    {
        var staff = await App.SignInAsync(await CreateStaffAsync(App, Guid.NewGuid(), Access.StaffRole.Clinician));

        Advance(TimeSpan.FromMinutes(29));
        var beforeIdleLimit = await StatusOfMeAsync(staff.Http);
        Advance(TimeSpan.FromMinutes(29));
        var activeAgainInTime = await StatusOfMeAsync(staff.Http);
        Advance(TimeSpan.FromMinutes(31));
        var afterIdleLimit = await StatusOfMeAsync(staff.Http);

        Assert.Equal((HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.Unauthorized), (beforeIdleLimit, activeAgainInTime, afterIdleLimit));
    }

    [Fact]
    public async Task APatientSessionEndsAfterFifteenIdleMinutesWhileStaffStaySignedIn()
    {
        var patient = await App.SignInAsync(await CreatePatientAsync(App));
        var staff = await App.SignInAsync(await CreateStaffAsync(App, Guid.NewGuid(), Access.StaffRole.FrontDesk));

        Advance(TimeSpan.FromMinutes(16));

        Assert.Equal(HttpStatusCode.Unauthorized, await StatusOfMeAsync(patient.Http));
        Assert.Equal(HttpStatusCode.OK, await StatusOfMeAsync(staff.Http));
    }

    [Fact]
    public async Task ReceiptsTheAppPostsOnItsOwnDoNotKeepAnUnattendedSessionOpen()
    {
        var patient = await App.SignInAsync(await CreatePatientAsync(App));
        var receipt = new { deliveredUpToSeq = 1 };

        Advance(TimeSpan.FromMinutes(10));
        var receiptWhileAlive = await patient.Http.PostAsJsonAsync($"/api/v1/conversations/{Guid.NewGuid()}/receipts", receipt);
        Advance(TimeSpan.FromMinutes(6));
        var afterFifteenMinutesWithoutTheUser = await StatusOfMeAsync(patient.Http);

        // The receipt was accepted as the session's (a 404 for an unknown thread, not a 401)...
        Assert.Equal(HttpStatusCode.NotFound, receiptWhileAlive.StatusCode);
        // ...but did not restart the idle clock: 16 minutes after the last thing the patient did, it is over.
        Assert.Equal(HttpStatusCode.Unauthorized, afterFifteenMinutesWithoutTheUser);
    }

    [Fact]
    public async Task ASessionEndsTwelveHoursAfterSignInHoweverActiveAndReauthenticationDoesNotExtendIt()
    {
        var staff = await App.SignInAsync(await CreateStaffAsync(App, Guid.NewGuid(), Access.StaffRole.Clinician));
        var statuses = new List<HttpStatusCode>();
        for (var elapsed = TimeSpan.Zero; elapsed < TimeSpan.FromHours(11.5); elapsed += TimeSpan.FromMinutes(25))
        {
            Advance(TimeSpan.FromMinutes(25));
            statuses.Add(await StatusOfMeAsync(staff.Http));
            if (statuses.Count == 12)
            {
                var reauth = await staff.Http.PostAsJsonAsync("/api/v1/auth/reauth", new { password = DemoData.Password });
                Assert.Equal(HttpStatusCode.OK, reauth.StatusCode);
                staff = App.Continue(staff, reauth);
            }
        }

        // 28 × 25 min = 11 h 40 min after sign-in; 25 more minutes pass the 12 hours.
        Advance(TimeSpan.FromMinutes(25));
        var afterTwelveHours = await StatusOfMeAsync(staff.Http);

        Assert.All(statuses, status => Assert.Equal(HttpStatusCode.OK, status));
        Assert.Equal(HttpStatusCode.Unauthorized, afterTwelveHours);
    }

    [Fact]
    public async Task AReplacedCookieIsRefusedThirtySecondsAfterReauthenticationOrHidingSensitiveMessagesWhileItsSuccessorLives()
    {
        var patient = await App.SignInAsync(await CreatePatientAsync(App));
        var reauth = await patient.Http.PostAsJsonAsync("/api/v1/auth/reauth", new { password = DemoData.Password });
        var reauthenticated = App.Continue(patient, reauth);
        var hide = await reauthenticated.Http.DeleteAsync("/api/v1/auth/reauth");
        var hidden = App.Continue(reauthenticated, hide);

        Advance(TimeSpan.FromSeconds(29));
        var withinGrace = (await StatusOfMeAsync(patient.Http), await StatusOfMeAsync(reauthenticated.Http));
        Advance(TimeSpan.FromSeconds(2));

        Assert.Equal((HttpStatusCode.OK, HttpStatusCode.OK), withinGrace);
        Assert.Equal(HttpStatusCode.Unauthorized, await StatusOfMeAsync(patient.Http));
        Assert.Equal(HttpStatusCode.Unauthorized, await StatusOfMeAsync(reauthenticated.Http));
        Assert.Equal(HttpStatusCode.OK, await StatusOfMeAsync(hidden.Http));
    }

    [Fact]
    public async Task AnIdleSessionsPushConnectionIsClosedByTheServer()
    {
        var patient = await App.SignInAsync(await CreatePatientAsync(App));
        var staff = await App.SignInAsync(await CreateStaffAsync(App, Guid.NewGuid(), Access.StaffRole.Clinician));
        await using var patientHub = App.CreateHubConnection(patient.Cookie);
        await ClinicChatApp.ConnectAsync(patientHub);
        await using var staffHub = App.CreateHubConnection(staff.Cookie);
        await ClinicChatApp.ConnectAsync(staffHub);
        var closed = ClosedAsync(patientHub);

        Advance(TimeSpan.FromMinutes(16));
        await closed.WaitAsync(TimeSpan.FromSeconds(15));

        Assert.Equal(Microsoft.AspNetCore.SignalR.Client.HubConnectionState.Disconnected, patientHub.State);
        Assert.Equal(Microsoft.AspNetCore.SignalR.Client.HubConnectionState.Connected, staffHub.State);
    }

    [Fact]
    public async Task AServerSentEventsPushConnectionDoesNotKeepAnIdleSessionOpen()
    {
        var patient = await App.SignInAsync(await CreatePatientAsync(App));
        await using var hub = App.CreateHubConnection(patient.Cookie, Microsoft.AspNetCore.Http.Connections.HttpTransportType.ServerSentEvents);
        await ClinicChatApp.ConnectAsync(hub);
        var closed = ClosedAsync(hub);

        Advance(TimeSpan.FromMinutes(10));
        // Over Server-Sent Events every client-to-server frame (keep-alive pings, invocations) is an HTTP POST to the hub.
        await hub.InvokeAsync(nameof(Realtime.ChatHub.Typing), Guid.NewGuid());
        Advance(TimeSpan.FromMinutes(6));

        // Sixteen minutes after sign-in, the last thing the patient did: the server ends the session and closes the connection.
        await closed.WaitAsync(TimeSpan.FromSeconds(15));
        Assert.Equal(HttpStatusCode.Unauthorized, await StatusOfMeAsync(patient.Http));
    }
}

/// <summary>Timing must not tell which accounts exist: an unknown or locked account costs the same password hash as a wrong password.</summary>
public sealed class SignInTimingTests
{
    /// <summary>The real hasher, counted.</summary>
    private sealed class CountingHasher : IPasswordHasher<Identity.ClinicChatUser>
    {
        private readonly PasswordHasher<Identity.ClinicChatUser> _inner = new();
        private int _verifications;

        public int Verifications => Volatile.Read(ref _verifications);

        public string HashPassword(Identity.ClinicChatUser user, string password) => _inner.HashPassword(user, password);

        public PasswordVerificationResult VerifyHashedPassword(Identity.ClinicChatUser user, string hashedPassword, string providedPassword)
        {
            Interlocked.Increment(ref _verifications);
            return _inner.VerifyHashedPassword(user, hashedPassword, providedPassword);
        }
    }

    [Fact]
    public async Task UnknownLockedAndWrongPasswordSignInsEachVerifyOnePasswordHash()
    {
        var hasher = new CountingHasher();
        await using var app = new ClinicChatApp(services: services => services.AddSingleton<IPasswordHasher<Identity.ClinicChatUser>>(hasher));
        var locked = await CreatePatientAsync(app);
        var wrong = await CreatePatientAsync(app);
        using var client = Client(app);
        for (var attempt = 0; attempt < 5; attempt++)
        {
            await client.PostAsJsonAsync("/api/v1/auth/login", new { email = locked, password = "not-it" });
        }

        var costs = new List<int>();
        // A locked account is told so (403 account_locked, with until when), as an unknown address that locked would be.
        foreach (var (email, password, status) in new[]
                 {
                     ("nobody@tests.example", "not-it", HttpStatusCode.Unauthorized),
                     (locked, DemoData.Password, HttpStatusCode.Forbidden),
                     (wrong, "not-it", HttpStatusCode.Unauthorized),
                 })
        {
            var before = hasher.Verifications;
            var response = await client.PostAsJsonAsync("/api/v1/auth/login", new { email, password });
            Assert.Equal(status, response.StatusCode);
            costs.Add(hasher.Verifications - before);
        }

        app.DeleteData();
        Assert.Equal([1, 1, 1], costs);
    }
}

/// <summary>
/// A command sent over a push connection answers to the session as an HTTP request does, at the moment it is sent: this
/// app's periodic check of connections' sessions never comes during a test, so only the call's own check can refuse.
/// </summary>
public sealed class HubCommandSessionTests(HubCommandSessionTests.Fixture fixture) : IClassFixture<HubCommandSessionTests.Fixture>
{
    public sealed class Fixture() : ClockedAppFixture(web => web.UseSetting("ClinicChat:Auth:ConnectionCheckInterval", "01:00:00"));

    private ClinicChatApp App => fixture.App;

    [Fact]
    public async Task ADeliveryReceiptOnThePushConnectionDoesNotKeepAnIdleSessionOpenAndIsRefusedOnceItEnded()
    {
        var (_, alice, patient, thread) = await ChatScenario.StartAsync(App);
        var patientSession = await App.SignInAsync(patient.Email);
        await using var patientHub = App.CreateHubConnection(patientSession.Cookie);
        await ClinicChatApp.ConnectAsync(patientHub);
        var closed = ClosedAsync(patientHub);
        var first = await TestData.SendAsync(alice, thread, "One.");

        fixture.Clock.Offset += TimeSpan.FromMinutes(10);
        var whileAlive = await patientHub.InvokeAsync<HubReply<ReceiptsDto>>(nameof(Realtime.ChatHub.Delivered), thread, first.Seq);
        var second = await TestData.SendAsync(alice, thread, "Two.");
        fixture.Clock.Offset += TimeSpan.FromMinutes(6);
        // Sixteen minutes after the patient last did anything (the receipt is the device's, not the patient's): over.
        var afterTheSessionEnded = await AnswerOrCloseAsync(patientHub.InvokeAsync<HubReply<ReceiptsDto>>(nameof(Realtime.ChatHub.Delivered), thread, second.Seq));
        await closed.WaitAsync(TimeSpan.FromSeconds(15));
        var page = await TestData.PageAsync(alice, thread);

        Assert.Equal(first.Seq, whileAlive.Value?.DeliveredUpToSeq);
        // Refused, and the connection closed by that call: the client sees the refusal or the close, whichever comes first.
        Assert.Contains(afterTheSessionEnded, new[] { ApiErrors.Unauthenticated, "closed" });
        Assert.Equal(HttpStatusCode.Unauthorized, await StatusOfMeAsync(patientSession.Http));
        Assert.Equal(("delivered", "sent"), (page.Messages.Single(m => m.Seq == first.Seq).Status, page.Messages.Single(m => m.Seq == second.Seq).Status));
    }

    private static async Task<string?> AnswerOrCloseAsync(Task<HubReply<ReceiptsDto>> call)
    {
        try
        {
            return (await call).Error;
        }
        catch (Exception exception) when (exception is TaskCanceledException or InvalidOperationException)
        {
            return "closed";
        }
    }
}
