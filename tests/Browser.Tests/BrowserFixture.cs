using System.Security.Claims;
using ClinicChat.Access;
using ClinicChat.Conversations;
using ClinicChat.Tests.Shared;
using ClinicChat.Web.Conversations;
using ClinicChat.Web.Identity;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;

namespace ClinicChat.Browser.Tests;

/// <summary>
/// The real app on real Kestrel (loopback, a free port) with its own data folder and demo seed, and
/// one headless Debian Chromium driven by Playwright. Browser downloads are impossible here, so
/// Playwright's bundled driver launches the system browser.
/// </summary>
public class BrowserFixture : IAsyncLifetime
{
    private readonly string _dataDirectory = Path.Combine(Path.GetTempPath(), "clinicchat-browser-" + Guid.NewGuid().ToString("N"));
    private App? _app;
    private IPlaywright? _playwright;

    public IBrowser Browser { get; private set; } = null!;

    public string BaseUrl { get; private set; } = string.Empty;

    /// <summary>The product clock: real time plus an offset a test may move (archival needs 12 months).</summary>
    public ShiftableClock Clock { get; } = new();

    public IGrainFactory Grains => _app!.Services.GetRequiredService<IGrainFactory>();

    /// <summary>The app's own data folder and Orleans gateway: what the operator command needs to reach it.</summary>
    public string DataDirectory => _dataDirectory;

    public int GatewayPort { get; } = FreePort();

    /// <summary>
    /// Where the app's email notices go: a real SMTP server on loopback. Notices are decided two seconds after an
    /// unread message (two minutes in the product), so every browser test's unread messages produce them.
    /// </summary>
    public ClinicChat.Tests.Notices.LoopbackSmtpServer Smtp { get; } = ClinicChat.Tests.Notices.LoopbackSmtpServer.Start();

    /// <summary>Whether the app starts with the demo clinic group; <see cref="EmptyBrowserFixture"/> starts with nothing.</summary>
    protected virtual bool SeedsDemo => true;

    /// <summary>A new staff account with one role at a clinic, for tests that change the account itself (its sign-in factors).</summary>
    public async Task<string> CreateStaffAsync(Guid clinicId, StaffRole role, string displayName = "Tess Staff")
    {
        var email = $"staff-{Guid.NewGuid():N}@tests.example";
        using var scope = _app!.Services.CreateScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<ClinicChatUser>>();
        var user = new ClinicChatUser { UserName = email, Email = email, EmailConfirmed = true, DisplayName = displayName };
        Assert.True((await users.CreateAsync(user, Web.Seeding.DemoData.Password)).Succeeded);
        Assert.True((await users.AddClaimsAsync(user, [
            new Claim(ChatClaims.Kind, ChatClaims.StaffKind), new Claim(ChatClaims.Name, displayName), ChatClaims.MembershipClaim(clinicId, role),
        ])).Succeeded);
        return email;
    }

    /// <summary>A new portal patient of Northside, opted in to chat, that no other test knows.</summary>
    public Task<ClinicChat.Tests.Shared.TestPatient> CreatePatientAsync() => ClinicChat.Tests.Shared.PortalPatients.NewAsync(_app!.Services);

    public async Task InitializeAsync()
    {
        var port = FreePort();
        BaseUrl = $"http://127.0.0.1:{port}";
        _app = new App(_dataDirectory, Clock, GatewayPort, SeedsDemo, BaseUrl, Smtp.Port, await MoreSettingsAsync());
        _app.UseKestrel(options => options.Listen(IPAddress.Loopback, port));
        _app.StartServer();

        _playwright = await Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = "/usr/bin/chromium",
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"],
        });
        Assertions.SetDefaultExpectTimeout(10_000);
    }

    /// <summary>Settings a derived fixture adds, for a provider it starts itself (see <see cref="SmsBrowserFixture"/>).</summary>
    protected virtual Task<IReadOnlyDictionary<string, string>> MoreSettingsAsync() => Task.FromResult<IReadOnlyDictionary<string, string>>(new Dictionary<string, string>());

    public virtual async Task DisposeAsync()
    {
        await Browser.DisposeAsync();
        _playwright?.Dispose();
        if (_app is not null)
        {
            await _app.DisposeAsync();
        }

        Smtp.Dispose();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(_dataDirectory, recursive: true);
        }
        catch (IOException)
        {
            // Best effort: a temp folder left behind is harmless.
        }
    }

    /// <summary>An API session for setting up data that a test is not about.</summary>
    public async Task<HttpClient> ApiAsync(string email)
    {
        var client = new HttpClient(new HttpClientHandler { CookieContainer = new CookieContainer() }) { BaseAddress = new Uri(BaseUrl) }.WithRequestHeader();
        var response = await client.PostAsJsonAsync("/api/v1/auth/login", new { email, password = Web.Seeding.DemoData.Password });
        response.EnsureSuccessStatusCode();
        return client;
    }

    public async Task<Guid> StartThreadAsync(HttpClient staff, Guid patientId)
    {
        var response = await staff.PostAsJsonAsync("/api/v1/conversations", new { patientId });
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<ConversationDto>())!.Id;
    }

    public static async Task SendAsync(HttpClient sender, Guid threadId, string text)
    {
        var response = await sender.PostAsJsonAsync($"/api/v1/conversations/{threadId}/messages", new { clientMessageId = Guid.NewGuid().ToString("N"), text });
        response.EnsureSuccessStatusCode();
    }

    /// <summary>Delivers the thread's archival reminder tick now, as the reminder service would.</summary>
    public Task TickArchivalAsync(Guid threadId) =>
        Grains.GetGrain<IConversationGrain>(threadId).AsReference<IRemindable>()
            .ReceiveReminder(ArchivalPolicy.ReminderName, new Orleans.Runtime.TickStatus(DateTime.UtcNow, TimeSpan.FromDays(30), DateTime.UtcNow));

    private static int FreePort() => ClinicChat.Tests.Shared.TestPorts.Free();

    private sealed class App(
        string dataDirectory, ShiftableClock clock, int gatewayPort, bool seedsDemo, string baseUrl, int smtpPort, IReadOnlyDictionary<string, string> moreSettings)
        : WebApplicationFactory<Program>
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            builder.UseEnvironment("Development");
            builder.UseSetting("ClinicChat:Storage:DataDirectory", dataDirectory);
            builder.UseSetting("ClinicChat:Orleans:SiloPort", FreePort().ToString());
            builder.UseSetting("ClinicChat:Orleans:GatewayPort", gatewayPort.ToString());
            builder.UseSetting("ClinicChat:Seed:Demo", seedsDemo ? "true" : "false");
            builder.UseSetting("ClinicChat:Notifications:PublicBaseUrl", baseUrl);
            builder.UseSetting("ClinicChat:Notifications:UnreadDelay", "00:00:02");
            builder.UseSetting("ClinicChat:Notifications:SweepInterval", "00:00:00.250");
            builder.UseSetting("ClinicChat:Email:Smtp:Host", "127.0.0.1");
            builder.UseSetting("ClinicChat:Email:Smtp:Port", smtpPort.ToString(System.Globalization.CultureInfo.InvariantCulture));
            builder.UseSetting("ClinicChat:Email:Smtp:UseTls", "false");
            builder.UseSetting("ClinicChat:Email:Smtp:From", "notices@clinicchat.test");
            foreach (var (key, value) in TestHttp.GenerousRateLimits.Concat(moreSettings))
            {
                builder.UseSetting(key, value);
            }

            builder.ConfigureTestServices(services => services.AddKeyedSingleton<TimeProvider>(ChatTime.Key, clock));
        }
    }
}

/// <summary>The same app on an empty database: no demo clinic, account or patient; what an operator starts from.</summary>
public sealed class EmptyBrowserFixture : BrowserFixture
{
    protected override bool SeedsDemo => false;
}

/// <summary>
/// The demo app with SMS on: texts go through the Twilio SDK to a local endpoint that speaks Twilio's Messages API,
/// where a test reads them as the patient's phone would. The shared fixture keeps SMS off (the development outbox).
/// </summary>
public sealed class SmsBrowserFixture : BrowserFixture
{
    public ClinicChat.Web.Tests.Notices.TwilioApiEndpoint Twilio { get; private set; } = null!;

    protected override async Task<IReadOnlyDictionary<string, string>> MoreSettingsAsync()
    {
        Twilio = await ClinicChat.Web.Tests.Notices.TwilioApiEndpoint.StartAsync();
        return new Dictionary<string, string>
        {
            ["ClinicChat:Sms:Twilio:AccountSid"] = ClinicChat.Web.Tests.Notices.TwilioApiEndpoint.AccountSid,
            ["ClinicChat:Sms:Twilio:AuthToken"] = ClinicChat.Web.Tests.Notices.TwilioApiEndpoint.AuthToken,
            ["ClinicChat:Sms:Twilio:From"] = "+15005550006",
            ["ClinicChat:Sms:Twilio:BaseUrl"] = Twilio.BaseUrl.ToString(),
        };
    }

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        await Twilio.DisposeAsync();
    }
}

[CollectionDefinition(Name)]
public sealed class BrowserCollection : ICollectionFixture<BrowserFixture>
{
    public const string Name = "browser";
}
