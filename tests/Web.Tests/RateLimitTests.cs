using System.Net.Http.Headers;
using System.Security.Claims;
using ClinicChat.Web.Identity;
using ClinicChat.Web.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.Options;

namespace ClinicChat.Web.Tests;

/// <summary>
/// An app of its own with low limits (and hour-long windows, so no test depends on the clock). The
/// in-memory test server has no client address; <see cref="ClientAddressFromTestHeader"/> gives each
/// request the address a test names, as a network would.
/// </summary>
public sealed class RateLimitFixture : IAsyncLifetime
{
    public const string ClientHeader = "X-Test-Client-Address";
    public const string LoadBalancer = "10.9.9.9";

    public ClinicChatApp App { get; } = new(configure: builder =>
    {
        Limit(builder, "SignIn", perUser: 3, perIp: 3);
        Limit(builder, "Reauth", perUser: 2, perIp: 100);
        Limit(builder, "Send", perUser: 3, perIp: 4);
        Limit(builder, "Upload", perUser: 1, perIp: 100);
        Limit(builder, "Search", perUser: 2, perIp: 100);
        // Above what any other test here reads as one user; the read-limit test spends its own user's 20.
        Limit(builder, "Read", perUser: 20, perIp: 1000);
        Limit(builder, "Token", perUser: 1, perIp: 3);
        builder.UseSetting("ClinicChat:Realtime:MaxConnectionsPerUser", "3");
        builder.UseSetting("ClinicChat:Proxy:KnownProxies:0", LoadBalancer);
        builder.ConfigureTestServices(services => services.AddSingleton<IStartupFilter, ClientAddressFromTestHeader>());
    });

    public Task InitializeAsync() => App.StartReadyAsync();

    public Task DisposeAsync() => App.DisposeAndDeleteDataAsync();

    /// <summary>A client whose requests come from <paramref name="address"/>.</summary>
    public HttpClient From(string address)
    {
        var client = App.CreateClient(new WebApplicationFactoryClientOptions { HandleCookies = false });
        client.DefaultRequestHeaders.Add(ClientHeader, address);
        return client;
    }

    /// <summary>Signs in from <paramref name="address"/>; the returned client carries the cookie and comes from the same address.</summary>
    public async Task<HttpClient> SignInFromAsync(string address, string email)
    {
        var client = From(address);
        var response = await client.PostAsJsonAsync("/api/v1/auth/login", new { email, password = DemoData.Password });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        client.DefaultRequestHeaders.Add("Cookie", response.Headers.GetValues("Set-Cookie").Select(c => c.Split(';')[0]).Single(c => c.StartsWith("clinicchat.auth=", StringComparison.Ordinal)));
        return client;
    }

    private static void Limit(IWebHostBuilder builder, string rule, int perUser, int perIp)
    {
        builder.UseSetting($"{RateLimitOptions.Section}:{rule}:PerUser", perUser.ToString(System.Globalization.CultureInfo.InvariantCulture));
        builder.UseSetting($"{RateLimitOptions.Section}:{rule}:PerIp", perIp.ToString(System.Globalization.CultureInfo.InvariantCulture));
        builder.UseSetting($"{RateLimitOptions.Section}:{rule}:Window", "01:00:00");
    }

    /// <summary>Stands in for the network: sets the peer address before anything of the app runs.</summary>
    private sealed class ClientAddressFromTestHeader : IStartupFilter
    {
        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            app.Use((context, nextMiddleware) =>
            {
                if (IPAddress.TryParse(context.Request.Headers[ClientHeader].ToString(), out var address))
                {
                    context.Connection.RemoteIpAddress = address;
                }

                return nextMiddleware(context);
            });
            next(app);
        };
    }
}

public sealed class RateLimitTests(RateLimitFixture fixture) : IClassFixture<RateLimitFixture>
{
    private const int HourInSeconds = 3600;

    /// <summary>The OAuth token endpoint answers inside authentication, before the endpoint limiter: it has its own, per address.</summary>
    [Fact]
    public async Task TokenRequestsFromOneAddressAreLimitedWhileOtherAddressesCarryOn()
    {
        using var guesser = fixture.From("192.0.2.30");
        using var neighbour = fixture.From("192.0.2.31");
        using var ehr = SmartClient.Rsa();
        ehr.ClientId = Guid.NewGuid().ToString("N");

        var tries = new List<HttpResponseMessage>();
        for (var i = 0; i < 4; i++)
        {
            tries.Add(await SmartClient.RequestTokenAsync(guesser, ehr.Assertion(SmartClient.TokenEndpoint(guesser), DateTimeOffset.UtcNow), "system/Patient.write"));
        }

        var other = await SmartClient.RequestTokenAsync(neighbour, ehr.Assertion(SmartClient.TokenEndpoint(neighbour), DateTimeOffset.UtcNow), "system/Patient.write");

        // An unknown client: refused by OpenIddict (invalid_client) until the limit, then 429 before it is read at all.
        Assert.All(tries.Take(3).Append(other), r => Assert.True(r.StatusCode is HttpStatusCode.BadRequest or HttpStatusCode.Unauthorized, r.StatusCode.ToString()));
        await AssertRateLimitedAsync(tries[3]);
    }

    [Fact]
    public async Task SignInAttemptsFromOneAddressAreLimitedWhileOtherAddressesCarryOn()
    {
        using var attacker = fixture.From("192.0.2.10");
        using var neighbour = fixture.From("192.0.2.11");

        var tries = new List<HttpResponseMessage>();
        for (var i = 0; i < 4; i++)
        {
            tries.Add(await attacker.PostAsJsonAsync("/api/v1/auth/login", new { email = $"guess{i}@example.com", password = "wrong-password" }));
        }

        var other = await neighbour.PostAsJsonAsync("/api/v1/auth/login", new { email = "someone@example.com", password = "wrong-password" });

        Assert.All(tries.Take(3), r => Assert.Equal(HttpStatusCode.Unauthorized, r.StatusCode));
        await AssertRateLimitedAsync(tries[3]);
        Assert.Equal(HttpStatusCode.Unauthorized, other.StatusCode);
    }

    [Fact]
    public async Task SignInAttemptsAtOneAccountAreLimitedFromEveryAddressEvenWithTheRightPassword()
    {
        var victim = TestData.PortalPatient(20).Email!;
        var responses = new List<HttpResponseMessage>();
        for (var i = 0; i < 3; i++)
        {
            using var client = fixture.From($"198.51.100.{i + 1}");
            responses.Add(await client.PostAsJsonAsync("/api/v1/auth/login", new { email = victim, password = "wrong-password" }));
        }

        using var fresh = fixture.From("198.51.100.50");
        var rightPassword = await fresh.PostAsJsonAsync("/api/v1/auth/login", new { email = victim.ToUpperInvariant(), password = DemoData.Password });

        Assert.All(responses, r => Assert.Equal(HttpStatusCode.Unauthorized, r.StatusCode));
        await AssertRateLimitedAsync(rightPassword);
        Assert.False(rightPassword.Headers.Contains("Set-Cookie"));
    }

    [Fact]
    public async Task BehindAKnownLoadBalancerEachForwardedClientIsCountedOnItsOwn()
    {
        async Task<HttpResponseMessage> TryAsync(string peer, string forwardedFor)
        {
            using var client = fixture.From(peer);
            client.DefaultRequestHeaders.Add("X-Forwarded-For", forwardedFor);
            return await client.PostAsJsonAsync("/api/v1/auth/login", new { email = $"{Guid.NewGuid():N}@example.com", password = "wrong-password" });
        }

        var throughBalancer = new List<HttpResponseMessage>();
        for (var i = 0; i < 4; i++)
        {
            throughBalancer.Add(await TryAsync(RateLimitFixture.LoadBalancer, "203.0.113.7"));
        }

        var anotherClient = await TryAsync(RateLimitFixture.LoadBalancer, "203.0.113.8");
        // Anyone else's X-Forwarded-For is ignored: a client cannot pick a fresh address per request.
        var spoofed = new List<HttpResponseMessage>();
        for (var i = 0; i < 4; i++)
        {
            spoofed.Add(await TryAsync("192.0.2.99", $"203.0.113.{100 + i}"));
        }

        Assert.All(throughBalancer.Take(3), r => Assert.Equal(HttpStatusCode.Unauthorized, r.StatusCode));
        await AssertRateLimitedAsync(throughBalancer[3]);
        Assert.Equal(HttpStatusCode.Unauthorized, anotherClient.StatusCode);
        await AssertRateLimitedAsync(spoofed[3]);
    }

    [Fact]
    public async Task SendsArePerUserAndARefusedSendIsNotStored()
    {
        var alice = await fixture.SignInFromAsync("192.0.2.20", DemoData.Alice);
        var frank = await fixture.SignInFromAsync("192.0.2.21", DemoData.Frank);
        var thread = await StartAsync(alice, TestData.PortalPatient(21).Id);

        var sends = new List<HttpResponseMessage>();
        for (var i = 0; i < 4; i++)
        {
            sends.Add(await alice.PostAsJsonAsync($"/api/v1/conversations/{thread}/messages", new { clientMessageId = $"rl-{i}", text = $"message {i}" }));
        }

        var frankSends = await frank.PostAsJsonAsync($"/api/v1/conversations/{thread}/messages", new { clientMessageId = "rl-frank", text = "from the front desk" });

        Assert.All(sends.Take(3), r => Assert.Equal(HttpStatusCode.Created, r.StatusCode));
        await AssertRateLimitedAsync(sends[3]);
        Assert.Equal(HttpStatusCode.Created, frankSends.StatusCode);
        var page = await (await frank.GetAsync($"/api/v1/conversations/{thread}/messages")).Content.ReadFromJsonAsync<MessagePageDto>();
        Assert.Equal(["rl-0", "rl-1", "rl-2", "rl-frank"], page!.Messages.Select(m => m.ClientMessageId));
    }

    [Fact]
    public async Task AddingPatientsIsLimitedPerUserAndARefusedAddStoresNothing()
    {
        var olga = await fixture.SignInFromAsync("192.0.2.60", DemoData.Olga);
        var before = await TestData.AuditCountAsync(fixture.App, "patient.created");

        var adds = new List<HttpResponseMessage>();
        for (var i = 0; i < 4; i++)
        {
            adds.Add(await olga.PostAsJsonAsync($"/api/v1/clinics/{DemoData.Northside}/patients",
                new { givenName = "Rita", familyName = $"Limit{i}{Guid.NewGuid():N}"[..20], birthDate = "1970-01-0" + (i + 1) }));
        }

        Assert.All(adds.Take(3), r => Assert.Equal(HttpStatusCode.Created, r.StatusCode));
        await AssertRateLimitedAsync(adds[3]);
        Assert.Equal(before + 3, await TestData.AuditCountAsync(fixture.App, "patient.created"));
    }

    [Fact]
    public async Task SendsFromOneAddressAreLimitedAcrossUsers()
    {
        // Limits are per user too, and shared by the tests of this class: these three send at most three each.
        var lara = await fixture.SignInFromAsync("192.0.2.30", DemoData.Lara);
        var mo = await fixture.SignInFromAsync("192.0.2.30", DemoData.Mo);
        var frank = await fixture.SignInFromAsync("192.0.2.30", DemoData.Frank);
        var moElsewhere = await fixture.SignInFromAsync("192.0.2.31", DemoData.Mo);
        var unknown = $"/api/v1/conversations/{Guid.NewGuid()}/messages";
        object Message() => new { clientMessageId = Guid.NewGuid().ToString("N"), text = "hello" };

        // Counted before the endpoint runs, whatever it answers (here 404: no such thread).
        var answers = new List<HttpResponseMessage>
        {
            await lara.PostAsJsonAsync(unknown, Message()),
            await lara.PostAsJsonAsync(unknown, Message()),
            await mo.PostAsJsonAsync(unknown, Message()),
            await mo.PostAsJsonAsync(unknown, Message()),
        };
        var fifth = await frank.PostAsJsonAsync(unknown, Message());
        var elsewhere = await moElsewhere.PostAsJsonAsync(unknown, Message());

        Assert.All(answers, r => Assert.Equal(HttpStatusCode.NotFound, r.StatusCode));
        await AssertRateLimitedAsync(fifth);
        Assert.Equal(HttpStatusCode.NotFound, elsewhere.StatusCode);
    }

    [Fact]
    public async Task ReauthenticationIsLimitedPerUser()
    {
        var patient = await fixture.SignInFromAsync("192.0.2.40", TestData.PortalPatient(22).Email!);

        var first = await patient.PostAsJsonAsync("/api/v1/auth/reauth", new { password = "wrong-password" });
        var second = await patient.PostAsJsonAsync("/api/v1/auth/reauth", new { password = "wrong-password" });
        var third = await patient.PostAsJsonAsync("/api/v1/auth/reauth", new { password = DemoData.Password });

        Assert.Equal(HttpStatusCode.Unauthorized, first.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, second.StatusCode);
        await AssertRateLimitedAsync(third);
        // The right password did not open the sensitive window: the attempt never reached the check.
        Assert.Null((await patient.GetFromJsonAsync<MeDto>("/api/v1/me"))!.SensitiveUntil);
    }

    [Fact]
    public async Task PatientAndAuditSearchesAreLimitedPerUser()
    {
        var lara = await fixture.SignInFromAsync("192.0.2.50", DemoData.Lara);
        var olga = await fixture.SignInFromAsync("192.0.2.51", DemoData.Olga);

        var searches = new List<HttpResponseMessage>();
        for (var i = 0; i < 3; i++)
        {
            searches.Add(await lara.GetAsync("/api/v1/patients?query=an"));
        }

        var audits = new List<HttpResponseMessage>();
        for (var i = 0; i < 3; i++)
        {
            audits.Add(await olga.GetAsync($"/api/v1/clinics/{DemoData.Northside}/audit?limit=5"));
        }

        Assert.All(searches.Take(2), r => Assert.Equal(HttpStatusCode.OK, r.StatusCode));
        await AssertRateLimitedAsync(searches[2]);
        Assert.All(audits.Take(2), r => Assert.Equal(HttpStatusCode.OK, r.StatusCode));
        await AssertRateLimitedAsync(audits[2]);
    }

    [Fact]
    public async Task UploadsAreLimitedPerUser()
    {
        var frank = await fixture.SignInFromAsync("192.0.2.60", DemoData.Frank);
        var thread = await StartAsync(frank, TestData.PortalPatient(23).Id);

        var first = await frank.PostAsync($"/api/v1/conversations/{thread}/attachments", TextFile("notes.txt"));
        var second = await frank.PostAsync($"/api/v1/conversations/{thread}/attachments", TextFile("more.txt"));

        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        await AssertRateLimitedAsync(second);
    }

    [Fact]
    public async Task ReadsAreLimitedPerUserSoRefusedReadsCannotBeRepeatedWithoutEnd()
    {
        var patient = await fixture.SignInFromAsync("192.0.2.70", TestData.PortalPatient(24).Email!);
        var otherPatient = await fixture.SignInFromAsync("192.0.2.70", TestData.PortalPatient(25).Email!);

        var reads = new List<HttpResponseMessage>();
        for (var i = 0; i < 21; i++)
        {
            reads.Add(await patient.GetAsync($"/api/v1/clinics/{DemoData.Northside}/security"));
        }

        var others = await otherPatient.GetAsync($"/api/v1/clinics/{DemoData.Northside}/security");

        Assert.All(reads.Take(20), r => Assert.Equal(HttpStatusCode.NotFound, r.StatusCode));
        await AssertRateLimitedAsync(reads[20]);
        Assert.Equal(HttpStatusCode.NotFound, others.StatusCode);
    }

    [Fact]
    public async Task LookAlikeSpellingsOfOneAddressAreThrottledAsOneAccount()
    {
        // The Kelvin sign (U+212A) is 'K' after Identity's normalisation: Identity finds the account by either spelling.
        var local = $"kelvin-{Guid.NewGuid():N}";
        var email = $"{local}@tests.example";
        var lookAlike = $"\u212A{local[1..]}@tests.example";
        using (var scope = fixture.App.Services.CreateScope())
        {
            var users = scope.ServiceProvider.GetRequiredService<UserManager<Identity.ClinicChatUser>>();
            var user = new Identity.ClinicChatUser { UserName = email, Email = email, EmailConfirmed = true, DisplayName = "Test Patient" };
            Assert.True((await users.CreateAsync(user, DemoData.Password)).Succeeded);
            Assert.True((await users.AddClaimsAsync(user, [
                new Claim(ChatClaims.Kind, ChatClaims.PatientKind), new Claim(ChatClaims.Name, "Test Patient"), new Claim(ChatClaims.PatientId, Guid.NewGuid().ToString()),
            ])).Succeeded);
        }

        var tries = new List<HttpResponseMessage>();
        foreach (var (spelling, i) in new[] { email, lookAlike, email }.Select((s, i) => (s, i)))
        {
            using var client = fixture.From($"198.51.100.{100 + i}");
            tries.Add(await client.PostAsJsonAsync("/api/v1/auth/login", new { email = spelling, password = "wrong-password" }));
        }

        using var fresh = fixture.From("198.51.100.110");
        var rightPassword = await fresh.PostAsJsonAsync("/api/v1/auth/login", new { email = lookAlike, password = DemoData.Password });

        Assert.All(tries, r => Assert.Equal(HttpStatusCode.Unauthorized, r.StatusCode));
        await AssertRateLimitedAsync(rightPassword);
    }

    [Fact]
    public async Task APushConnectionOverTheUsersCapIsRefusedWhileTheEarlierOnesStayOpen()
    {
        var email = await SessionTestKit.CreatePatientAsync(fixture.App);
        var client = await fixture.SignInFromAsync("192.0.2.80", email);
        var cookie = client.DefaultRequestHeaders.GetValues("Cookie").Single();
        var open = new List<Microsoft.AspNetCore.SignalR.Client.HubConnection>();
        try
        {
            for (var i = 0; i < 3; i++)
            {
                var connection = fixture.App.CreateHubConnection(cookie);
                open.Add(connection);
                await ClinicChatApp.ConnectAsync(connection);
            }

            await using var overCap = fixture.App.CreateHubConnection(cookie);
            var refused = await Assert.ThrowsAsync<HttpRequestException>(() => overCap.StartAsync());

            Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
            Assert.All(open, c => Assert.Equal(Microsoft.AspNetCore.SignalR.Client.HubConnectionState.Connected, c.State));

            // The cap counts open connections: closing one makes room again, once the server has seen it
            // close (the client's StopAsync returns before the hub's OnDisconnectedAsync runs).
            await open[0].StopAsync();
            await WaitUntilRoomAsync(email, max: 3);
            await using var again = fixture.App.CreateHubConnection(cookie);
            await ClinicChatApp.ConnectAsync(again);
        }
        finally
        {
            foreach (var connection in open)
            {
                await connection.DisposeAsync();
            }
        }
    }

    [Fact]
    public void SwitchedOffNothingIsCounted()
    {
        using var throttle = new SignInThrottle(Options.Create(new RateLimitOptions { Enabled = false }));
        using var scope = fixture.App.Services.CreateScope();
        var identity = scope.ServiceProvider.GetRequiredService<UserManager<Identity.ClinicChatUser>>();

        Assert.All(Enumerable.Range(0, 1000), _ => Assert.True(throttle.Attempt(identity, "alice@example.com").IsAcquired));
    }

    private async Task WaitUntilRoomAsync(string email, int max)
    {
        string userId;
        using (var scope = fixture.App.Services.CreateScope())
        {
            var users = scope.ServiceProvider.GetRequiredService<UserManager<Identity.ClinicChatUser>>();
            userId = (await users.FindByEmailAsync(email))!.Id;
        }

        var sessions = fixture.App.Services.GetRequiredService<ClinicChat.Web.Realtime.SessionConnections>();
        using var patience = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (!sessions.HasRoomFor(userId, max))
        {
            await Task.Delay(TimeSpan.FromMilliseconds(20), patience.Token);
        }
    }

    private static async Task AssertRateLimitedAsync(HttpResponseMessage response)
    {
        Assert.Equal(HttpStatusCode.TooManyRequests, response.StatusCode);
        Assert.Equal(ApiErrors.RateLimited, (await TestData.ProblemAsync(response)).Code);
        var retryAfter = response.Headers.RetryAfter?.Delta;
        Assert.NotNull(retryAfter);
        Assert.InRange(retryAfter.Value.TotalSeconds, 1, HourInSeconds);
    }

    private static async Task<Guid> StartAsync(HttpClient staff, Guid patientId)
    {
        var response = await staff.PostAsJsonAsync("/api/v1/conversations", new { patientId });
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<ConversationDto>())!.Id;
    }

    private static MultipartFormDataContent TextFile(string name)
    {
        var file = new ByteArrayContent(Encoding.UTF8.GetBytes("Blood pressure 120/80, all fine."));
        file.Headers.ContentType = new MediaTypeHeaderValue("text/plain");
        return new MultipartFormDataContent { { file, "file", name } };
    }
}
