using ClinicChat.Web.Integration;

namespace ClinicChat.Web.Tests;

/// <summary>Bodies the fuzz test found answered 500: each is the client's fault and now a coded 4xx that stores nothing.</summary>
[Collection(AppCollection.Name)]
public sealed class MalformedRequestTests(AppFixture fixture)
{
    private const string Boundary = "regression";

    [Theory]
    [InlineData("truncated part", "--regression\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.txt\"\r\n\r\nhello")]
    [InlineData("no parts at all", "garbage")]
    [InlineData("only a boundary line", "--regression\r\n")]
    [InlineData("a part header over 16 KB", "--regression\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.txt\"\r\nX-Long: {long}\r\n\r\nhello\r\n--regression--\r\n")]
    public async Task AMalformedMultipartUploadIs400AndStoresNothing(string because, string body)
    {
        var alice = await fixture.App.SignInAsync(DemoData.Alice);
        var uploadsBefore = await TestData.AuditCountAsync(fixture.App, "attachment.uploaded", actorId: alice.UserId);
        using var content = new ByteArrayContent(Encoding.UTF8.GetBytes(body.Replace("{long}", new string('a', 20_000), StringComparison.Ordinal)));
        content.Headers.TryAddWithoutValidation("Content-Type", $"multipart/form-data; boundary={Boundary}");

        var response = await alice.Http.PostAsync($"/api/v1/conversations/{TestData.PatThreadAtNorthside}/attachments", content);

        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{because}: {(int)response.StatusCode}");
        Assert.Equal(ApiErrors.MalformedRequest, (await TestData.ProblemAsync(response)).Code);
        Assert.Equal(uploadsBefore, await TestData.AuditCountAsync(fixture.App, "attachment.uploaded", actorId: alice.UserId));
    }

    [Fact]
    public async Task JsonInACharsetThatDoesNotExistIs415AndSendsNothing()
    {
        var alice = await fixture.App.SignInAsync(DemoData.Alice);
        var before = await TestData.PageAsync(alice, TestData.PatThreadAtNorthside);
        using var content = new StringContent("""{"clientMessageId":"charset-1","text":"hello"}""");
        content.Headers.Remove("Content-Type");
        content.Headers.TryAddWithoutValidation("Content-Type", "application/json; charset=bogus");

        var response = await alice.Http.PostAsync($"/api/v1/conversations/{TestData.PatThreadAtNorthside}/messages", content);
        var after = await TestData.PageAsync(alice, TestData.PatThreadAtNorthside);

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
        Assert.Equal(ApiErrors.UnsupportedMediaType, (await TestData.ProblemAsync(response)).Code);
        Assert.Equal(before.LastSeq, after.LastSeq);
    }

    [Theory]
    [InlineData("an id that is a number", "{\"resourceType\":\"Appointment\",\"id\":7,\"status\":\"booked\",\"participant\":[{\"actor\":{\"reference\":\"Patient/{patient}\"},\"status\":\"accepted\"}]}")]
    [InlineData("participants that are not objects", "{\"resourceType\":\"Appointment\",\"id\":\"regression-1\",\"status\":\"booked\",\"participant\":[1,\"two\",null]}")]
    [InlineData("bundle entries that are not objects", "{\"resourceType\":\"Bundle\",\"type\":\"transaction\",\"entry\":[1,null]}")]
    [InlineData("an invoice identifier that is not an object", "{\"resourceType\":\"Invoice\",\"id\":\"regression-2\",\"status\":\"issued\",\"identifier\":[null],\"subject\":{\"reference\":\"Patient/{patient}\"}}")]
    public async Task FhirWithElementsOfTheWrongShapeIsAnOperationOutcomeAndImportsNothing(string because, string resource)
    {
        var olga = await fixture.App.SignInAsync(DemoData.Olga);
        var importsBefore = await TestData.AuditCountAsync(fixture.App, "record.imported");
        using var content = new StringContent(resource.Replace("{patient}", DemoData.PatPortal.ToString(), StringComparison.Ordinal), Encoding.UTF8, FhirImport.FhirJson);

        var response = await olga.Http.PostAsync($"/api/v1/clinics/{DemoData.Northside}/fhir", content);

        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{because}: {(int)response.StatusCode}");
        Assert.Equal(FhirImport.FhirJson, response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("OperationOutcome", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(importsBefore, await TestData.AuditCountAsync(fixture.App, "record.imported"));
    }

    [Fact]
    public async Task AnImageClaimingTenBillionPixelsIsRefusedBeforeItIsDecoded()
    {
        var alice = await fixture.App.SignInAsync(DemoData.Alice);
        var uploadsBefore = await TestData.AuditCountAsync(fixture.App, "attachment.uploaded", actorId: alice.UserId);
        using var content = new MultipartFormDataContent { { new ByteArrayContent(Proof.FuzzCorpus.PixelFlood()), "file", "flood.png" } };

        var response = await alice.Http.PostAsync($"/api/v1/conversations/{TestData.PatThreadAtNorthside}/attachments", content);

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
        Assert.Equal(ApiErrors.AttachmentTypeNotAllowed, (await TestData.ProblemAsync(response)).Code);
        Assert.Equal(uploadsBefore, await TestData.AuditCountAsync(fixture.App, "attachment.uploaded", actorId: alice.UserId));
    }

    [Theory]
    [InlineData("a noncharacter", "an\uFFFE")]
    [InlineData("another noncharacter", "an\uFDD0")]
    public async Task TextThatCannotBeNormalisedInASearchIs400NamingTheField(string because, string query)
    {
        var alice = await fixture.App.SignInAsync(DemoData.Alice);

        var patients = await alice.Http.GetAsync($"/api/v1/patients?query={Uri.EscapeDataString(query)}");
        var threads = await alice.Http.GetAsync($"/api/v1/conversations?search={Uri.EscapeDataString(query)}");

        Assert.True(patients.StatusCode == HttpStatusCode.BadRequest, $"{because}: {(int)patients.StatusCode}");
        Assert.Equal((ApiErrors.ValidationFailed, "query"), await TestData.ProblemAsync(patients));
        Assert.True(threads.StatusCode == HttpStatusCode.BadRequest, $"{because}: {(int)threads.StatusCode}");
        Assert.Equal((ApiErrors.ValidationFailed, "search"), await TestData.ProblemAsync(threads));
    }

    [Theory]
    [InlineData("a noncharacter", "alice\uFFFE@example.com")]
    [InlineData("another noncharacter", "alice\uFDD0@example.com")]
    public async Task ASignInEmailThatCannotBeNormalisedIs400NamingTheField(string because, string email)
    {
        using var client = fixture.App.CreateClient();
        using var content = new StringContent(System.Text.Json.JsonSerializer.Serialize(new { email, password = "wrong-password" }), Encoding.UTF8, "application/json");

        var response = await client.PostAsync("/api/v1/auth/login", content);

        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{because}: {(int)response.StatusCode}");
        Assert.Equal((ApiErrors.ValidationFailed, "email"), await TestData.ProblemAsync(response));
    }

    [Fact]
    public async Task AReauthenticationPasswordWithANoncharacterIsAWrongPasswordNotAServerError()
    {
        // Passwords are hashed as given, never normalised: the odd character is just a wrong password.
        var patient = await fixture.App.SignInAsync(TestData.PortalPatient(59).Email!);

        var response = await patient.Http.PostAsync("/api/v1/auth/reauth", new StringContent("{\"password\":\"wrong\uFFFE\"}", Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }
}
