using ClinicChat.Web.Hosting;

namespace ClinicChat.Web.Tests;

[Collection(AppCollection.Name)]
public sealed class SecurityHeadersTests(AppFixture fixture)
{
    [Theory]
    [InlineData("/")]
    [InlineData("/api/v1/auth/session")]
    [InlineData("/api/v1/conversations")]
    public async Task EveryResponseCarriesTheStrictBrowserPolicies(string path)
    {
        using var client = fixture.App.CreateClient();

        var response = await client.GetAsync(path);

        Assert.Equal(SecurityHeaders.ContentSecurityPolicy, response.Headers.GetValues("Content-Security-Policy").Single());
        Assert.Contains("frame-ancestors 'none'", SecurityHeaders.ContentSecurityPolicy, StringComparison.Ordinal);
        Assert.DoesNotContain("unsafe", SecurityHeaders.ContentSecurityPolicy, StringComparison.Ordinal);
        Assert.Equal("nosniff", response.Headers.GetValues("X-Content-Type-Options").Single());
        Assert.Equal("no-referrer", response.Headers.GetValues("Referrer-Policy").Single());
        Assert.Contains("camera=()", response.Headers.GetValues("Permissions-Policy").Single(), StringComparison.Ordinal);
    }

    /// <summary>
    /// The API reference (Development only) is the one page with inline script besides the Orleans Dashboard:
    /// it loads everything from this server (no CDN script, no web fonts, no telemetry) and still may not be framed.
    /// </summary>
    [Fact]
    public async Task TheApiReferenceLoadsNothingFromElsewhereAndCannotBeFramed()
    {
        using var client = fixture.App.CreateClient();

        var response = await client.GetAsync(ApiReference.Path + "/");
        var html = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.DoesNotContain("http", html.Replace("\"http", string.Empty, StringComparison.Ordinal), StringComparison.OrdinalIgnoreCase);
        Assert.Contains("\"withDefaultFonts\":false", html, StringComparison.Ordinal);
        Assert.Contains("\"telemetry\":false", html, StringComparison.Ordinal);
        Assert.Contains("frame-ancestors 'none'", response.Headers.GetValues("Content-Security-Policy").Single(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/openapi/v1.json")).StatusCode);
    }

    /// <summary>
    /// Health data must not stay in the browser's cache after sign-out or after the re-authentication window closes:
    /// reads, writes, refusals, file downloads and previews all say no-store, whatever the route set for itself.
    /// </summary>
    [Fact]
    public async Task NoApiResponseMayBeStoredByTheBrowserIncludingFilesPreviewsAndRefusals()
    {
        var patient = TestData.PortalPatient(178);
        var alice = await fixture.App.SignInAsync(DemoData.Alice);
        var thread = await TestData.StartAsync(alice, patient.Id);
        using var form = new MultipartFormDataContent { { new ByteArrayContent(SampleFiles.For("scan.png")), "file", "scan.png" } };
        var upload = await alice.Http.PostAsync($"/api/v1/conversations/{thread.Id}/attachments", form);
        var file = (await upload.Content.ReadFromJsonAsync<AttachmentDto>())!.AttachmentId;
        using var anonymous = fixture.App.CreateClient();

        HttpResponseMessage[] responses =
        [
            upload,
            await alice.Http.GetAsync("/api/v1/me"),
            await alice.Http.GetAsync("/api/v1/conversations"),
            await alice.Http.GetAsync($"/api/v1/conversations/{thread.Id}/messages?limit=10"),
            await alice.Http.PostAsJsonAsync($"/api/v1/conversations/{thread.Id}/messages", new { clientMessageId = "cache-183", text = "hello" }),
            await alice.Http.GetAsync($"/api/v1/attachments/{file}"),
            await alice.Http.GetAsync($"/api/v1/attachments/{file}/preview"),
            await alice.Http.GetAsync($"/api/v1/records/{Guid.NewGuid()}"),
            await anonymous.GetAsync("/api/v1/conversations"),
        ];

        Assert.Equal(
            [HttpStatusCode.Created, HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.Created, HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.NotFound, HttpStatusCode.Unauthorized],
            responses.Select(r => r.StatusCode));
        Assert.All(responses, response =>
        {
            Assert.True(response.Headers.CacheControl?.NoStore, $"{response.RequestMessage!.RequestUri}: Cache-Control {response.Headers.CacheControl}");
            Assert.Null(response.Headers.CacheControl!.MaxAge);
            Assert.False(response.Headers.CacheControl.Private);
        });
    }
}
