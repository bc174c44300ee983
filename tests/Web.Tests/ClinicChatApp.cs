using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;

namespace ClinicChat.Web.Tests;

/// <summary>
/// The real app (co-hosted silo, SQLite file, demo seed) in-process through WebApplicationFactory,
/// on its own data folder and its own silo/gateway ports.
/// </summary>
public sealed class ClinicChatApp : WebApplicationFactory<Program>
{
    private readonly TimeProvider? _clock;
    private readonly Action<IServiceCollection>? _services;
    private readonly Action<IWebHostBuilder>? _configure;

    /// <param name="clock">The product clock (<c>ChatTime.Key</c>), for tests about time windows; real time otherwise.</param>
    /// <param name="services">Extra service registrations, for tests that observe a framework service (wrap it, never fake it).</param>
    /// <param name="configure">Applied after the test defaults: settings of one test's own app (low rate limits, another environment).</param>
    public ClinicChatApp(string? dataDirectory = null, TimeProvider? clock = null, Action<IServiceCollection>? services = null, Action<IWebHostBuilder>? configure = null)
    {
        DataDirectory = dataDirectory ?? Path.Combine(Path.GetTempPath(), "clinicchat-web-" + Guid.NewGuid().ToString("N"));
        _clock = clock;
        _services = services;
        _configure = configure;
    }

    public string DataDirectory { get; }

    /// <summary>The Prometheus scrape endpoint: a real loopback listener, outside the test server.</summary>
    public Uri MetricsUri { get; } = new($"http://127.0.0.1:{FreePort()}/metrics");

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Development");
        builder.UseSetting("ClinicChat:Storage:DataDirectory", DataDirectory);
        builder.UseSetting("ClinicChat:Orleans:SiloPort", FreePort().ToString());
        builder.UseSetting("ClinicChat:Orleans:GatewayPort", FreePort().ToString());
        builder.UseSetting("ClinicChat:Seed:Demo", "true");
        builder.UseSetting("ClinicChat:Metrics:Port", MetricsUri.Port.ToString());
        // Check the security stamp on every request, so that session-ending tests need no clock.
        builder.UseSetting("ClinicChat:Auth:SecurityStampValidationInterval", "00:00:00");
        // Push connections of expired sessions close within a second, so that tests wait on the close itself.
        builder.UseSetting("ClinicChat:Auth:ConnectionCheckInterval", "00:00:01");
        foreach (var (key, value) in TestHttp.GenerousRateLimits)
        {
            builder.UseSetting(key, value);
        }

        if (_clock is { } clock)
        {
            builder.ConfigureTestServices(services => services.AddKeyedSingleton(Access.ChatTime.Key, clock));
        }

        if (_services is { } configure)
        {
            builder.ConfigureTestServices(configure);
        }

        _configure?.Invoke(builder);
    }

    /// <summary>Every client this app creates sends the request header the API requires (CSRF protection), as the web app does.</summary>
    protected override void ConfigureClient(HttpClient client)
    {
        base.ConfigureClient(client);
        client.WithRequestHeader();
    }

    /// <summary>Signs in through the API and returns a client that carries the auth cookie.</summary>
    public async Task<ApiSession> SignInAsync(string email, string password = Seeding.DemoData.Password)
    {
        var client = CreateClient(new WebApplicationFactoryClientOptions { HandleCookies = false });
        var response = await client.PostAsJsonAsync("/api/v1/auth/login", new { email, password });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var cookie = response.Headers.GetValues("Set-Cookie").Select(c => c.Split(';')[0]).Single(c => c.StartsWith("clinicchat.auth=", StringComparison.Ordinal));
        client.DefaultRequestHeaders.Add("Cookie", cookie);
        var me = await response.Content.ReadFromJsonAsync<MeDto>();
        return new ApiSession(this, client, cookie, me!);
    }

    /// <summary>Signs in, then "Verify it's you" (the password again): what sensitive messages and contact changes need.</summary>
    public async Task<ApiSession> SignInVerifiedAsync(string email)
    {
        var session = await SignInAsync(email);
        var reauthenticated = await session.Http.PostAsJsonAsync("/api/v1/auth/reauth", new { password = Seeding.DemoData.Password });
        Assert.Equal(HttpStatusCode.OK, reauthenticated.StatusCode);
        return Continue(session, reauthenticated);
    }

    /// <summary>The same user's session carried on with the cookie <paramref name="response"/> issued (after a re-authentication, say).</summary>
    public ApiSession Continue(ApiSession session, HttpResponseMessage response)
    {
        var cookie = response.Headers.GetValues("Set-Cookie").Select(c => c.Split(';')[0]).Single(c => c.StartsWith("clinicchat.auth=", StringComparison.Ordinal));
        var client = CreateClient(new WebApplicationFactoryClientOptions { HandleCookies = false });
        client.DefaultRequestHeaders.Add("Cookie", cookie);
        return session with { Http = client, Cookie = cookie };
    }

    /// <summary>Connects and waits for the server's "Subscribed": from then on no push can be missed.</summary>
    public static async Task ConnectAsync(HubConnection connection)
    {
        var subscribed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var registration = connection.On(nameof(Realtime.IChatClient.Subscribed), () => subscribed.TrySetResult());
        await connection.StartAsync();
        await subscribed.Task.WaitAsync(TimeSpan.FromSeconds(15));
    }

    /// <param name="transport">WebSockets, as the web app uses; the others for tests of what a client could choose.</param>
    public HubConnection CreateHubConnection(string cookie, HttpTransportType transport = HttpTransportType.WebSockets) =>
        new HubConnectionBuilder()
            .WithUrl(new Uri(Server.BaseAddress, "/hubs/chat"), options =>
            {
                options.Transports = transport;
                options.HttpMessageHandlerFactory = _ => Server.CreateHandler();
                if (cookie.Length > 0)
                {
                    options.Headers["Cookie"] = cookie;
                }

                options.WebSocketFactory = async (context, cancellationToken) =>
                {
                    var webSockets = Server.CreateWebSocketClient();
                    webSockets.ConfigureRequest = request => request.Headers.Cookie = cookie;
                    return await webSockets.ConnectAsync(context.Uri, cancellationToken);
                };
            })
            // Ping as the web app does (ChatHub.KeepAlive), so a dead connection is noticed in seconds.
            .WithKeepAliveInterval(Realtime.ChatHub.KeepAlive)
            .Build();

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
    }

    /// <summary>Starts the host (silo, migrations, seeding) and waits until it answers ready: what a fixture does first.</summary>
    public async Task StartReadyAsync()
    {
        using var client = CreateClient();
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/readyz")).StatusCode);
    }

    /// <summary>Stops the host and deletes its data folder: what a fixture does last.</summary>
    public async Task DisposeAndDeleteDataAsync()
    {
        await DisposeAsync();
        DeleteData();
    }

    public void DeleteData()
    {
        try
        {
            Directory.Delete(DataDirectory, recursive: true);
        }
        catch (IOException)
        {
            // Best effort: a temp folder left behind is harmless.
        }
    }

    public static int FreePort() => ClinicChat.Tests.Shared.TestPorts.Free();
}

public sealed record ApiSession(ClinicChatApp App, HttpClient Http, string Cookie, MeDto Me)
{
    public string UserId => Me.UserId;
}

/// <summary>One seeded app shared by a collection; tests that change shared demo data use fresh patients instead.</summary>
public sealed class AppFixture : IAsyncLifetime
{
    public ClinicChatApp App { get; } = new();

    // Starts the host (silo, migrations, seeding) before the first test.
    public Task InitializeAsync() => App.StartReadyAsync();

    public Task DisposeAsync() => App.DisposeAndDeleteDataAsync();
}

[CollectionDefinition(Name)]
public sealed class AppCollection : ICollectionFixture<AppFixture>
{
    public const string Name = "app";
}
