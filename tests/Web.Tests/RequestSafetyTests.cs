using ClinicChat.Web.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;

namespace ClinicChat.Web.Tests;

/// <summary>CSRF header and cross-origin refusals, on the shared app (no allow-listed origins).</summary>
[Collection(AppCollection.Name)]
public sealed class RequestSafetyTests(AppFixture fixture)
{
    private const string OtherSite = "https://evil.example";

    private ClinicChatApp App => fixture.App;

    [Fact]
    public async Task ASendWithTheCookieButWithoutTheHeaderIsRefusedAndNothingIsStored()
    {
        var alice = await App.SignInAsync(DemoData.Alice);
        var before = (await TestData.PageAsync(alice, TestData.PatThreadAtNorthside)).LastSeq;
        using var forged = WithoutHeader(alice);

        var response = await forged.PostAsJsonAsync($"/api/v1/conversations/{TestData.PatThreadAtNorthside}/messages", new { clientMessageId = "csrf-1", text = "from another site" });

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal(ApiErrors.CsrfHeaderMissing, (await TestData.ProblemAsync(response)).Code);
        Assert.Equal(before, (await TestData.PageAsync(alice, TestData.PatThreadAtNorthside)).LastSeq);
    }

    /// <summary>What an HTML form on another site can send: urlencoded or multipart, never a custom header.</summary>
    [Theory]
    [InlineData("PUT", "/api/v1/me/preferences", """{"chatOptIn":false}""")]
    [InlineData("POST", "/api/v1/auth/logout", "")]
    [InlineData("DELETE", "/api/v1/auth/reauth", "")]
    [InlineData("POST", "/api/v1/conversations", "patientId=00000000-0000-0000-0000-000000000001")]
    public async Task EveryStateChangingEndpointRequiresTheHeader(string method, string path, string body)
    {
        var session = await App.SignInAsync(DemoData.Pat);
        using var forged = WithoutHeader(session);

        var response = await forged.SendAsync(new HttpRequestMessage(new HttpMethod(method), path)
        {
            Content = new StringContent(body, Encoding.UTF8, body.StartsWith('{') ? "application/json" : "application/x-www-form-urlencoded"),
        });

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal(ApiErrors.CsrfHeaderMissing, (await TestData.ProblemAsync(response)).Code);
        // Still signed in (logout did not run) and still opted in (preferences unchanged).
        var preferences = await session.Http.GetFromJsonAsync<PreferencesDto>("/api/v1/me/preferences");
        Assert.True(preferences!.ChatOptIn);
    }

    [Fact]
    public async Task SignInWithoutTheHeaderIsRefusedSoAnotherSiteCannotSignAVictimIntoItsAccount()
    {
        using var client = App.CreateClient(new WebApplicationFactoryClientOptions { HandleCookies = false });
        client.DefaultRequestHeaders.Remove(RequestSafety.HeaderName);

        var response = await client.PostAsJsonAsync("/api/v1/auth/login", new { email = DemoData.Frank, password = DemoData.Password });

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal(ApiErrors.CsrfHeaderMissing, (await TestData.ProblemAsync(response)).Code);
        Assert.False(response.Headers.Contains("Set-Cookie"));
    }

    [Fact]
    public async Task ReadsNeedNoHeader()
    {
        var alice = await App.SignInAsync(DemoData.Alice);
        using var plain = WithoutHeader(alice);

        var response = await plain.GetAsync("/api/v1/me");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task AStateChangingRequestFromAnotherOriginIsRefusedEvenWithTheHeader()
    {
        var alice = await App.SignInAsync(DemoData.Alice);
        var before = (await TestData.PageAsync(alice, TestData.PatThreadAtNorthside)).LastSeq;
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/api/v1/conversations/{TestData.PatThreadAtNorthside}/messages")
        {
            Content = JsonContent.Create(new { clientMessageId = "xo-1", text = "cross origin" }),
        };
        request.Headers.Add("Origin", OtherSite);

        var response = await alice.Http.SendAsync(request);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal(ApiErrors.CrossOriginRefused, (await TestData.ProblemAsync(response)).Code);
        Assert.False(response.Headers.Contains("Access-Control-Allow-Origin"));
        Assert.Equal(before, (await TestData.PageAsync(alice, TestData.PatThreadAtNorthside)).LastSeq);
    }

    [Fact]
    public async Task ASameOriginRequestWithTheHeaderIsAccepted()
    {
        var pat = await App.SignInAsync(DemoData.Pat);
        using var request = new HttpRequestMessage(HttpMethod.Delete, "/api/v1/auth/reauth");
        request.Headers.Add("Origin", App.Server.BaseAddress.GetLeftPart(UriPartial.Authority));

        var response = await pat.Http.SendAsync(request);

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
    }

    [Fact]
    public async Task OtherOriginsGetNoCorsHeadersOnReadsOrPreflights()
    {
        var alice = await App.SignInAsync(DemoData.Alice);
        using var read = new HttpRequestMessage(HttpMethod.Get, "/api/v1/me");
        read.Headers.Add("Origin", OtherSite);
        using var preflight = Preflight(OtherSite, "/api/v1/conversations");

        var readResponse = await alice.Http.SendAsync(read);
        var preflightResponse = await alice.Http.SendAsync(preflight);

        Assert.False(readResponse.Headers.Contains("Access-Control-Allow-Origin"));
        Assert.False(readResponse.Headers.Contains("Access-Control-Allow-Credentials"));
        Assert.False(preflightResponse.Headers.Contains("Access-Control-Allow-Origin"));
        Assert.False(preflightResponse.Headers.Contains("Access-Control-Allow-Headers"));
    }

    [Fact]
    public async Task AnAllowListedOriginMayCallTheApiWithCredentials()
    {
        const string Portal = "https://portal.example";
        await using var app = new ClinicChatApp(configure: builder => builder.UseSetting("ClinicChat:Cors:AllowedOrigins:0", Portal));
        try
        {
            var alice = await app.SignInAsync(DemoData.Alice);
            var thread = await TestData.StartAsync(alice, TestData.PortalPatient(0).Id);
            using var preflight = Preflight(Portal, $"/api/v1/conversations/{thread.Id}/messages");
            using var send = new HttpRequestMessage(HttpMethod.Post, $"/api/v1/conversations/{thread.Id}/messages")
            {
                Content = JsonContent.Create(new { clientMessageId = "al-1", text = "from the portal" }),
            };
            send.Headers.Add("Origin", Portal);
            using var stranger = Preflight(OtherSite, $"/api/v1/conversations/{thread.Id}/messages");

            var preflightResponse = await alice.Http.SendAsync(preflight);
            var sendResponse = await alice.Http.SendAsync(send);
            var strangerResponse = await alice.Http.SendAsync(stranger);

            Assert.Equal(Portal, preflightResponse.Headers.GetValues("Access-Control-Allow-Origin").Single());
            Assert.Equal("true", preflightResponse.Headers.GetValues("Access-Control-Allow-Credentials").Single());
            Assert.Contains(RequestSafety.HeaderName, preflightResponse.Headers.GetValues("Access-Control-Allow-Headers").Single(), StringComparison.OrdinalIgnoreCase);
            Assert.Equal(HttpStatusCode.Created, sendResponse.StatusCode);
            Assert.Equal(Portal, sendResponse.Headers.GetValues("Access-Control-Allow-Origin").Single());
            Assert.False(strangerResponse.Headers.Contains("Access-Control-Allow-Origin"));
        }
        finally
        {
            app.DeleteData();
        }
    }

    private HttpClient WithoutHeader(ApiSession session)
    {
        var client = App.CreateClient(new WebApplicationFactoryClientOptions { HandleCookies = false });
        client.DefaultRequestHeaders.Remove(RequestSafety.HeaderName);
        client.DefaultRequestHeaders.Add("Cookie", session.Cookie);
        return client;
    }

    private static HttpRequestMessage Preflight(string origin, string path)
    {
        var request = new HttpRequestMessage(HttpMethod.Options, path);
        request.Headers.Add("Origin", origin);
        request.Headers.Add("Access-Control-Request-Method", "POST");
        request.Headers.Add("Access-Control-Request-Headers", $"content-type,{RequestSafety.HeaderName.ToLowerInvariant()}");
        return request;
    }

    /// <summary>
    /// With any Host accepted, a page of an attacker's domain that resolves to this server (DNS rebinding) is "same
    /// origin" with itself: its Origin matches the Host it sent. An unknown Host is refused before anything else runs.
    /// </summary>
    [Fact]
    public async Task ARequestForAForeignHostIsRefusedSoItCannotPassTheSameOriginCheck()
    {
        var alice = await App.SignInAsync(DemoData.Alice);
        var before = (await TestData.PageAsync(alice, TestData.PatThreadAtNorthside)).LastSeq;
        using var send = new HttpRequestMessage(HttpMethod.Post, $"/api/v1/conversations/{TestData.PatThreadAtNorthside}/messages")
        {
            Content = JsonContent.Create(new { clientMessageId = "rebind-1", text = "rebound" }),
        };
        using var negotiate = new HttpRequestMessage(HttpMethod.Post, "/hubs/chat/negotiate?negotiateVersion=1");
        using var read = new HttpRequestMessage(HttpMethod.Get, "/api/v1/me");
        foreach (var request in new[] { send, negotiate, read })
        {
            request.Headers.Host = "rebound.evil.example";
            request.Headers.Add("Origin", "http://rebound.evil.example");
        }

        var responses = new[] { await alice.Http.SendAsync(send), await alice.Http.SendAsync(negotiate), await alice.Http.SendAsync(read) };
        using var probe = new HttpRequestMessage(HttpMethod.Get, "/healthz");
        probe.Headers.Host = "10.1.2.3";
        var probed = await alice.Http.SendAsync(probe);

        var codes = new List<string?>();
        foreach (var response in responses)
        {
            codes.Add((await TestData.ProblemAsync(response)).Code);
        }

        Assert.All(responses, response => Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode));
        Assert.All(codes, code => Assert.Equal(ApiErrors.HostNotAllowed, code));
        Assert.Equal(before, (await TestData.PageAsync(alice, TestData.PatThreadAtNorthside)).LastSeq);
        Assert.Equal(HttpStatusCode.OK, probed.StatusCode);
    }
}
