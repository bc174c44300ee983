using ClinicChat.Web.Integration;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http;
using OpenIddict.Server.AspNetCore;
using OpenIddict.Validation.AspNetCore;

namespace ClinicChat.Web.Tests;

/// <summary>
/// An EHR signs in the way health IT does (issue 21): its Admin registers it with its public key and scopes; it trades a
/// signed client assertion for a five-minute token (SMART Backend Services) and imports with that token alone (no cookie,
/// no CSRF header), within its scopes, audited as itself; revoking it stops it at once.
/// </summary>
[Collection(AppCollection.Name)]
public sealed class SmartBackendServicesTests(AppFixture fixture)
{
    private const string PatientAndAppointments = "system/Patient.write system/Appointment.write";

    private ClinicChatApp App => fixture.App;

    /// <summary>The EHR's own HTTP client: nothing of the web app's (no cookie, no CSRF header).</summary>
    private HttpClient Ehr() => App.Server.CreateClient();

    [Fact]
    public async Task TheSmartConfigurationSaysHowToGetAToken()
    {
        var configuration = await Ehr().GetFromJsonAsync<JsonElement>("/.well-known/smart-configuration");

        Assert.Equal("http://localhost/oauth2/token", configuration.GetProperty("token_endpoint").GetString());
        Assert.Equal(["private_key_jwt"], Strings(configuration, "token_endpoint_auth_methods_supported"));
        Assert.Equal(["RS384", "ES384"], Strings(configuration, "token_endpoint_auth_signing_alg_values_supported"));
        Assert.Equal(["client_credentials"], Strings(configuration, "grant_types_supported"));
        Assert.Contains("system/Patient.write", Strings(configuration, "scopes_supported"));
        Assert.Contains("client-confidential-asymmetric", Strings(configuration, "capabilities"));
    }

    [Fact]
    public async Task ARegisteredEhrImportsPatientsAndAppointmentsWithABearerTokenAndIsAuditedAsItself()
    {
        using var ehr = SmartClient.Rsa();
        var registered = await RegisterAsync(ehr, PatientAndAppointments);
        var tag = Guid.NewGuid().ToString("N")[..8];
        var http = Ehr();

        var tokenResponse = await SmartClient.RequestTokenAsync(http, ehr.Assertion(SmartClient.TokenEndpoint(http), DateTimeOffset.UtcNow), PatientAndAppointments);
        var token = await tokenResponse.Content.ReadFromJsonAsync<JsonElement>();
        var import = await ImportAsync(http, token.GetProperty("access_token").GetString()!, PatientWithAppointment(tag));

        Assert.Equal(HttpStatusCode.OK, tokenResponse.StatusCode);
        Assert.Equal(("Bearer", PatientAndAppointments), (token.GetProperty("token_type").GetString(), token.GetProperty("scope").GetString()));
        Assert.InRange(token.GetProperty("expires_in").GetInt32(), 1, 300);
        Assert.True(import.IsSuccessStatusCode, await import.Content.ReadAsStringAsync());
        Assert.Equal(new ImportSummaryDto(1, 0, 0, 0, null, PatientsCreated: 1), await import.Content.ReadFromJsonAsync<ImportSummaryDto>());
        var actor = $"integration:{registered.ClientId}";
        Assert.Equal(1, await TestData.AuditCountAsync(App, AuditActions.IntegrationRegistered, registered.ClientId, actorId: (await App.SignInAsync(DemoData.Olga)).UserId));
        Assert.Equal(1, await TestData.AuditCountAsync(App, AuditActions.IntegrationSignedIn, "system/Patient.write", actorId: actor));
        Assert.Equal(1, await TestData.AuditCountAsync(App, AuditActions.PatientCreated, "source=fhir", actorId: actor));
        var auditPage = await (await App.SignInAsync(DemoData.Olga)).Http.GetFromJsonAsync<JsonElement>(
            $"/api/v1/clinics/{DemoData.Northside}/audit?actorId={Uri.EscapeDataString(actor)}&limit=5");
        Assert.All(auditPage.GetProperty("events").EnumerateArray(), e => Assert.Equal("Integration (Test EHR)", e.GetProperty("actorName").GetString()));
    }

    [Fact]
    public async Task AnEcKeyServedAtAJwksUrlSignsInToo()
    {
        using var ehr = SmartClient.EcP384();
        await using var jwksServer = await JwksServer.StartAsync(ehr.PublicJwks);
        var registered = await RegisterAsync(ehr, "system/Appointment.write", jwksUrl: jwksServer.Url);

        var token = await ehr.TokenAsync(Ehr(), "system/Appointment.write", DateTimeOffset.UtcNow);

        Assert.Equal(jwksServer.Url, registered.JwksUrl);
        Assert.NotEmpty(token);
    }

    [Fact]
    public async Task TokenRequestsAreRefusedForAWrongKeyAReplayAnExpiredOrOverlongAssertionAWeakAlgorithmAndAnUnknownClient()
    {
        using var ehr = SmartClient.Rsa();
        using var impostor = SmartClient.Rsa();
        await RegisterAsync(ehr, PatientAndAppointments);
        impostor.ClientId = ehr.ClientId;
        var http = Ehr();
        var audience = SmartClient.TokenEndpoint(http);
        var now = DateTimeOffset.UtcNow;
        var once = ehr.Assertion(audience, now);

        var first = await SmartClient.RequestTokenAsync(http, once, PatientAndAppointments);
        var refused = new Dictionary<string, HttpResponseMessage>
        {
            ["replayed"] = await SmartClient.RequestTokenAsync(http, once, PatientAndAppointments),
            ["signed by another key"] = await SmartClient.RequestTokenAsync(http, impostor.Assertion(audience, now), PatientAndAppointments),
            ["expired"] = await SmartClient.RequestTokenAsync(http, ehr.Assertion(audience, now - TimeSpan.FromMinutes(10), TimeSpan.FromMinutes(5)), PatientAndAppointments),
            ["valid for an hour"] = await SmartClient.RequestTokenAsync(http, ehr.Assertion(audience, now, TimeSpan.FromHours(1)), PatientAndAppointments),
            ["RS256"] = await SmartClient.RequestTokenAsync(http, ehr.Assertion(audience, now, algorithm: "RS256"), PatientAndAppointments),
            ["for another server"] = await SmartClient.RequestTokenAsync(http, ehr.Assertion("https://other.example/token", now), PatientAndAppointments),
            ["unknown client"] = await SmartClient.RequestTokenAsync(http, ehr.Assertion(audience, now, clientId: Guid.NewGuid().ToString("N")), PatientAndAppointments),
        };

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal(1, await TestData.AuditCountAsync(App, AuditActions.AccessDenied, "integrations.token;replayed", actorId: $"integration:{ehr.ClientId}"));
        foreach (var (why, response) in refused)
        {
            var body = await response.Content.ReadFromJsonAsync<JsonElement>();
            Assert.True(response.StatusCode is HttpStatusCode.BadRequest or HttpStatusCode.Unauthorized, $"{why}: {(int)response.StatusCode} {body}");
            // OpenIddict answers invalid_token for an assertion made for another audience, invalid_client otherwise.
            Assert.True(body.GetProperty("error").GetString() is "invalid_client" or "invalid_grant" or "invalid_token", $"{why}: {body}");
            Assert.False(body.TryGetProperty("access_token", out _), why);
        }
    }

    [Fact]
    public async Task ATokenCarriesOnlyGrantedScopesAndAnImportNeedsTheScopeOfEachResourceItHolds()
    {
        using var ehr = SmartClient.Rsa();
        await RegisterAsync(ehr, "system/Appointment.write system/Patient.read");
        var http = Ehr();
        var tag = Guid.NewGuid().ToString("N")[..8];

        var notGranted = await SmartClient.RequestTokenAsync(http, ehr.Assertion(SmartClient.TokenEndpoint(http), DateTimeOffset.UtcNow), "system/Patient.write");
        var token = await ehr.TokenAsync(http, "system/Appointment.write", DateTimeOffset.UtcNow);
        var patients = await ImportAsync(http, token, PatientWithAppointment(tag));
        var prescription = await ImportAsync(http, token, FhirFeed.Prescription($"rx-{tag}", TestData.PortalPatient(1).Id));

        Assert.Equal((HttpStatusCode.BadRequest, "invalid_scope"), (notGranted.StatusCode, (await notGranted.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("error").GetString()));
        Assert.Equal((HttpStatusCode.Forbidden, ("forbidden", "forbidden")), (patients.StatusCode, await FhirFeed.OutcomeAsync(patients)));
        Assert.Equal((HttpStatusCode.Forbidden, ("forbidden", "forbidden")), (prescription.StatusCode, await FhirFeed.OutcomeAsync(prescription)));
        Assert.Empty(await SearchAsync($"Smart{tag}"));
    }

    [Fact]
    public async Task RevokingTheClientStopsItsTokenAtOnceAndItCannotGetAnother()
    {
        using var ehr = SmartClient.Rsa();
        await RegisterAsync(ehr, PatientAndAppointments);
        var http = Ehr();
        var token = await ehr.TokenAsync(http, PatientAndAppointments, DateTimeOffset.UtcNow);
        var before = await ImportAsync(http, token, PatientWithAppointment(Guid.NewGuid().ToString("N")[..8]));

        var olga = await App.SignInAsync(DemoData.Olga);
        var revoked = await olga.Http.DeleteAsync($"/api/v1/clinics/{DemoData.Northside}/integrations/{ehr.ClientId}");
        var after = await ImportAsync(http, token, PatientWithAppointment(Guid.NewGuid().ToString("N")[..8]));
        var newToken = await SmartClient.RequestTokenAsync(http, ehr.Assertion(SmartClient.TokenEndpoint(http), DateTimeOffset.UtcNow), PatientAndAppointments);
        var listed = await olga.Http.GetFromJsonAsync<JsonElement>($"/api/v1/clinics/{DemoData.Northside}/integrations");

        Assert.True(before.IsSuccessStatusCode, await before.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.OK, revoked.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, after.StatusCode);
        Assert.Contains("invalid_token", after.Headers.WwwAuthenticate.ToString());
        Assert.Equal("invalid_client", (await newToken.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("error").GetString());
        var entry = listed.GetProperty("items").EnumerateArray().Single(c => c.GetProperty("clientId").GetString() == ehr.ClientId);
        Assert.Equal(JsonValueKind.String, entry.GetProperty("revokedAt").ValueKind);
        Assert.Equal(1, await TestData.AuditCountAsync(App, AuditActions.IntegrationRevoked, ehr.ClientId));
    }

    [Fact]
    public async Task ABearerTokenOpensTheFhirEndpointsOnlyAndAForgedOneNothing()
    {
        using var ehr = SmartClient.Rsa();
        await RegisterAsync(ehr, PatientAndAppointments);
        var http = Ehr();
        var token = await ehr.TokenAsync(http, PatientAndAppointments, DateTimeOffset.UtcNow);

        var me = await Send(http, HttpMethod.Get, "/api/v1/me", token);
        var threads = await Send(http, HttpMethod.Get, "/api/v1/conversations", token);
        var forged = await ImportAsync(http, token[..^4] + "AAAA", PatientWithAppointment(Guid.NewGuid().ToString("N")[..8]));
        var otherClinic = await Send(http, HttpMethod.Post, $"/api/v1/clinics/{DemoData.Lakeview}/fhir", token, PatientWithAppointment(Guid.NewGuid().ToString("N")[..8]));

        Assert.Equal(HttpStatusCode.Unauthorized, me.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, threads.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, forged.StatusCode);
        Assert.Equal((HttpStatusCode.NotFound, ("not-found", "not_found")), (otherClinic.StatusCode, await FhirFeed.OutcomeAsync(otherClinic)));
    }

    [Fact]
    public async Task OnlyTheClinicsAdminsRegisterClientsAndOnlyWithPublicKeysAndOfferedScopes()
    {
        using var ehr = SmartClient.Rsa();
        var (olga, alice, lara) = (await App.SignInAsync(DemoData.Olga), await App.SignInAsync(DemoData.Alice), await App.SignInAsync(DemoData.Lara));
        var path = $"/api/v1/clinics/{DemoData.Northside}/integrations";
        object Body(object? jwks = null, string[]? scopes = null, string? jwksUrl = null) =>
            new { name = "Test EHR", scopes = scopes ?? ["system/Appointment.write"], jwks = jwksUrl is null ? jwks ?? ehr.PublicJwks : null, jwksUrl };

        var byClinician = await alice.Http.PostAsJsonAsync(path, Body());
        var byOtherClinicsStaff = await lara.Http.PostAsJsonAsync(path, Body());
        var privateKey = await olga.Http.PostAsJsonAsync(path, Body(ehr.PrivateJwks()));
        var notAKey = await olga.Http.PostAsJsonAsync(path, Body(new { keys = new[] { new { kty = "oct", k = "c2VjcmV0" } } }));
        var unknownScope = await olga.Http.PostAsJsonAsync(path, Body(scopes: ["system/*.*"]));
        var plainHttpUrl = await olga.Http.PostAsJsonAsync(path, Body(jwksUrl: "http://ehr.example/jwks"));
        var listByClinician = await alice.Http.GetAsync(path);
        var listed = await olga.Http.GetFromJsonAsync<Integration.IntegrationClientListDto>(path);

        Assert.Equal((HttpStatusCode.Forbidden, "forbidden"), (byClinician.StatusCode, (await TestData.ProblemAsync(byClinician)).Code));
        Assert.Equal((HttpStatusCode.NotFound, "not_found"), (byOtherClinicsStaff.StatusCode, (await TestData.ProblemAsync(byOtherClinicsStaff)).Code));
        Assert.Equal((HttpStatusCode.BadRequest, "jwks"), (privateKey.StatusCode, (await TestData.ProblemAsync(privateKey)).Field));
        Assert.Contains("private key", await privateKey.Content.ReadAsStringAsync());
        Assert.Equal((HttpStatusCode.BadRequest, "jwks"), (notAKey.StatusCode, (await TestData.ProblemAsync(notAKey)).Field));
        Assert.Equal((HttpStatusCode.BadRequest, "scopes"), (unknownScope.StatusCode, (await TestData.ProblemAsync(unknownScope)).Field));
        Assert.Equal((HttpStatusCode.BadRequest, "jwksUrl"), (plainHttpUrl.StatusCode, (await TestData.ProblemAsync(plainHttpUrl)).Field));
        Assert.Equal(HttpStatusCode.Forbidden, listByClinician.StatusCode);
        // What an integrator needs, shown on the page for as long as it is open, not only after a registration.
        Assert.EndsWith("/fhir/r4", listed!.FhirBase, StringComparison.Ordinal);
        Assert.EndsWith(SmartBackendServices.TokenPath, listed.TokenEndpoint, StringComparison.Ordinal);
    }

    [Fact]
    public async Task OpenIddictLooksOnlyAtTheTokenEndpointTheFhirApiAndRequestsCarryingABearerToken()
    {
        var everyRequest = (await App.Services.GetRequiredService<IAuthenticationSchemeProvider>().GetRequestHandlerSchemesAsync()).Select(s => s.Name);

        // Not asked about every request any more (each ask built a transaction, a dispatcher and a finalizable weak reference)…
        Assert.DoesNotContain(OpenIddictServerAspNetCoreDefaults.AuthenticationScheme, everyRequest);
        Assert.DoesNotContain(OpenIddictValidationAspNetCoreDefaults.AuthenticationScheme, everyRequest);
        // …but about each request that is its own: the tests above walk all three for real.
        Assert.True(OpenIddictRequests.AreFor(Request("POST", SmartBackendServices.TokenPath)));
        Assert.True(OpenIddictRequests.AreFor(Request("GET", "/fhir/r4/Patient/1")));
        Assert.True(OpenIddictRequests.AreFor(Request("GET", "/FHIR/R4/metadata")));
        Assert.True(OpenIddictRequests.AreFor(Request("POST", $"/api/v1/clinics/{DemoData.Northside}/fhir", "Bearer abc")));
        Assert.False(OpenIddictRequests.AreFor(Request("POST", $"/api/v1/clinics/{DemoData.Northside}/fhir")));
        Assert.False(OpenIddictRequests.AreFor(Request("POST", "/api/v1/conversations/00000000-0000-0000-0000-000000000001/messages")));
        Assert.False(OpenIddictRequests.AreFor(Request("GET", "/fhir/r4x")));

        static HttpRequest Request(string method, string path, string? authorization = null)
        {
            var request = new DefaultHttpContext().Request;
            (request.Method, request.Path) = (method, path);
            if (authorization is not null)
            {
                request.Headers.Authorization = authorization;
            }

            return request;
        }
    }

    private Task<(string ClientId, string? JwksUrl)> RegisterAsync(SmartClient ehr, string scopes, string? jwksUrl = null) =>
        ehr.RegisterAsync(App, scopes, jwksUrl: jwksUrl);

    private static Task<HttpResponseMessage> ImportAsync(HttpClient http, string token, string fhirJson) => SmartClient.ImportAsync(http, token, fhirJson);

    private static Task<HttpResponseMessage> Send(HttpClient http, HttpMethod method, string path, string token, string? fhirJson = null) =>
        SmartClient.SendAsync(http, method, path, token, fhirJson);

    private async Task<List<Guid>> SearchAsync(string name)
    {
        var alice = await App.SignInAsync(DemoData.Alice);
        var found = await alice.Http.GetFromJsonAsync<JsonElement>($"/api/v1/patients?query={Uri.EscapeDataString(name)}&clinicId={DemoData.Northside}");
        return [.. found.EnumerateArray().Select(p => p.GetProperty("id").GetGuid())];
    }

    private static string[] Strings(JsonElement json, string property) => [.. json.GetProperty(property).EnumerateArray().Select(e => e.GetString()!)];

    private static string PatientWithAppointment(string tag) => $$"""
        {
          "resourceType": "Bundle",
          "type": "transaction",
          "entry": [
            { "fullUrl": "urn:uuid:{{Guid.NewGuid()}}",
              "resource": { "resourceType": "Patient", "id": "smart-{{tag}}", "name": [{ "given": ["Sam"], "family": "Smart{{tag}}" }], "birthDate": "1990-04-01" },
              "request": { "method": "PUT", "url": "Patient/smart-{{tag}}" } },
            { "resource": { "resourceType": "Appointment", "id": "smart-appt-{{tag}}", "status": "booked",
                "start": "2027-03-01T15:00:00Z", "end": "2027-03-01T15:30:00Z", "description": "Check-up",
                "participant": [{ "actor": { "reference": "Patient/smart-{{tag}}" }, "status": "accepted" }] },
              "request": { "method": "PUT", "url": "Appointment/smart-appt-{{tag}}" } }
          ]
        }
        """;
}

/// <summary>Time in SMART sign-in, on the product clock: a token's five minutes, and keys rotated at a client's JWKS URL.</summary>
public sealed class SmartTokenLifetimeTests(ClockedAppFixture fixture) : IClassFixture<ClockedAppFixture>
{
    /// <summary>An EHR that rotates its key at its JWKS URL signs in with the new key at once, not after the five-minute cache.</summary>
    [Fact]
    public async Task AKeyRotatedAtTheJwksUrlIsAcceptedWithoutWaitingForTheCache()
    {
        using var before = SmartClient.EcP384();
        using var after = SmartClient.EcP384();
        await using var keys = await JwksServer.StartAsync(before.PublicJwks);
        after.ClientId = (await before.RegisterAsync(fixture.App, "system/Appointment.write", "Rotating EHR", keys.Url)).ClientId;
        var http = fixture.App.Server.CreateClient();
        await before.TokenAsync(http, "system/Appointment.write", fixture.Clock.GetUtcNow());

        keys.Jwks = after.PublicJwks;
        fixture.Clock.Offset += TimeSpan.FromSeconds(11);
        var withNewKey = await SmartClient.RequestTokenAsync(http, after.Assertion(SmartClient.TokenEndpoint(http), fixture.Clock.GetUtcNow()), "system/Appointment.write");
        var withOldKey = await SmartClient.RequestTokenAsync(http, before.Assertion(SmartClient.TokenEndpoint(http), fixture.Clock.GetUtcNow()), "system/Appointment.write");

        Assert.Equal(HttpStatusCode.OK, withNewKey.StatusCode);
        Assert.NotEqual(HttpStatusCode.OK, withOldKey.StatusCode);
    }

    [Fact]
    public async Task AnAccessTokenStopsWorkingFiveMinutesAfterItWasIssued()
    {
        using var ehr = SmartClient.Rsa();
        await ehr.RegisterAsync(fixture.App, "system/Appointment.write", "Clocked EHR");
        var http = fixture.App.Server.CreateClient();
        var token = await ehr.TokenAsync(http, "system/Appointment.write", fixture.Clock.GetUtcNow());
        var appointment = FhirFeed.Appointment($"clocked-{Guid.NewGuid():N}", DemoData.PatPortal, fixture.Clock.GetUtcNow().AddDays(3));

        var fresh = await SmartClient.ImportAsync(http, token, appointment);
        fixture.Clock.Offset += TimeSpan.FromMinutes(4);
        var fourMinutesOn = await SmartClient.ImportAsync(http, token, appointment);
        fixture.Clock.Offset += TimeSpan.FromMinutes(2);
        var sixMinutesOn = await SmartClient.ImportAsync(http, token, appointment);

        Assert.True(fresh.IsSuccessStatusCode, await fresh.Content.ReadAsStringAsync());
        Assert.True(fourMinutesOn.IsSuccessStatusCode, await fourMinutesOn.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.Unauthorized, sixMinutesOn.StatusCode);
    }
}
