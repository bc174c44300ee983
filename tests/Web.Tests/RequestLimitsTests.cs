using ClinicChat.Web.Hosting;

namespace ClinicChat.Web.Tests;

/// <summary>Bodies, nesting, query lengths and page sizes beyond the limits: a coded 4xx, never a 5xx, and nothing stored.</summary>
[Collection(AppCollection.Name)]
public sealed class RequestLimitsTests(AppFixture fixture)
{
    private ClinicChatApp App => fixture.App;

    [Fact]
    public async Task AJsonBodyOverTheLimitIsRefusedWith413BeforeItIsRead()
    {
        var alice = await App.SignInAsync(DemoData.Alice);
        var before = (await TestData.PageAsync(alice, TestData.PatThreadAtNorthside)).LastSeq;
        var body = $$"""{"clientMessageId":"big-1","text":"hi","padding":"{{new string('x', (int)BodyLimits.JsonMaxBytes)}}"}""";

        var response = await alice.Http.PostAsync($"/api/v1/conversations/{TestData.PatThreadAtNorthside}/messages", new StringContent(body, Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Equal(ApiErrors.RequestTooLarge, (await TestData.ProblemAsync(response)).Code);
        Assert.Equal(before, (await TestData.PageAsync(alice, TestData.PatThreadAtNorthside)).LastSeq);
    }

    /// <summary>
    /// Without a Content-Length the limit applies while reading: over real Kestrel and sockets, because
    /// the in-memory test server does not enforce body size limits.
    /// </summary>
    [Fact]
    public async Task AChunkedJsonBodyOverTheLimitIsRefusedWith413()
    {
        var port = ClinicChatApp.FreePort();
        await using var kestrel = new ClinicChatApp();
        try
        {
            kestrel.UseKestrel(options => options.Listen(IPAddress.Loopback, port));
            kestrel.StartServer();
            using var alice = new HttpClient(new HttpClientHandler { CookieContainer = new CookieContainer() }) { BaseAddress = new Uri($"http://127.0.0.1:{port}") }.WithRequestHeader();
            (await alice.PostAsJsonAsync("/api/v1/auth/login", new { email = DemoData.Alice, password = DemoData.Password })).EnsureSuccessStatusCode();
            var messages = $"/api/v1/conversations/{TestData.PatThreadAtNorthside}/messages";
            var body = Encoding.UTF8.GetBytes($$"""{"clientMessageId":"big-2","text":"hi","padding":"{{new string('x', 2 * (int)BodyLimits.JsonMaxBytes)}}"}""");
            var content = new StreamContent(new MemoryStream(body));
            content.Headers.ContentType = new("application/json");
            using var request = new HttpRequestMessage(HttpMethod.Post, messages) { Content = content };
            request.Headers.TransferEncodingChunked = true;

            var response = await alice.SendAsync(request);

            Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
            Assert.Equal(ApiErrors.RequestTooLarge, (await TestData.ProblemAsync(response)).Code);
            var page = await alice.GetFromJsonAsync<MessagePageDto>(messages);
            Assert.DoesNotContain(page!.Messages, m => m.ClientMessageId == "big-2");
        }
        finally
        {
            kestrel.DeleteData();
        }
    }

    [Theory]
    [InlineData(20)]
    [InlineData(5000)]
    public async Task DeeplyNestedJsonIsRefusedAsMalformed(int depth)
    {
        var alice = await App.SignInAsync(DemoData.Alice);
        var before = (await TestData.PageAsync(alice, TestData.PatThreadAtNorthside)).LastSeq;
        var nested = new string('[', depth) + new string(']', depth);
        var body = $$"""{"clientMessageId":"deep-1","text":"hi","attachmentIds":{{nested}}}""";

        var response = await alice.Http.PostAsync($"/api/v1/conversations/{TestData.PatThreadAtNorthside}/messages", new StringContent(body, Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("malformed_request", (await TestData.ProblemAsync(response)).Code);
        Assert.Equal(before, (await TestData.PageAsync(alice, TestData.PatThreadAtNorthside)).LastSeq);
    }

    [Theory]
    [InlineData(DemoData.Alice, "/api/v1/patients?query={long}", "query")]
    [InlineData(DemoData.Alice, "/api/v1/patients?query=an&limit=51", "limit")]
    [InlineData(DemoData.Alice, "/api/v1/conversations?search={long}", "search")]
    [InlineData(DemoData.Alice, "/api/v1/conversations?limit=101", "limit")]
    [InlineData(DemoData.Alice, "/api/v1/conversations/{pat}/messages?limit=201", "limit")]
    [InlineData(DemoData.Olga, "/api/v1/clinics/{northside}/audit?limit=201", "limit")]
    [InlineData(DemoData.Olga, "/api/v1/clinics/{northside}/audit?actorId={long}", "actorId")]
    [InlineData(DemoData.Olga, "/api/v1/clinics/{northside}/audit?action={long}", "action")]
    public async Task SearchTextsAndPageSizesOverTheLimitAreRefusedNamingTheField(string email, string path, string field)
    {
        var session = await App.SignInAsync(email);
        var url = path.Replace("{long}", new string('a', 200), StringComparison.Ordinal)
            .Replace("{pat}", TestData.PatThreadAtNorthside.ToString(), StringComparison.Ordinal)
            .Replace("{northside}", DemoData.Northside.ToString(), StringComparison.Ordinal);

        var response = await session.Http.GetAsync(url);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(("validation_failed", field), await TestData.ProblemAsync(response));
    }
}
