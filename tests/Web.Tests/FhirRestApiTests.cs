namespace ClinicChat.Web.Tests;

/// <summary>
/// The FHIR REST base an EHR talks to (issue 21): <c>/fhir/r4</c> answers as a FHIR server does: a CapabilityStatement
/// naming SMART's token endpoint, transaction- and batch-response Bundles with a status, location, ETag and last-modified
/// time per entry, updates and reads by id with ETags and <c>If-Match</c>, and a transaction stored whole or not at all.
/// </summary>
[Collection(AppCollection.Name)]
public sealed class FhirRestApiTests(AppFixture fixture)
{
    private const string Base = "/fhir/r4";
    private const string ReadAndWrite = "system/Patient.read system/Patient.write system/Appointment.read system/Appointment.write";
    private static readonly DateTimeOffset Monday = new(2027, 5, 3, 14, 0, 0, TimeSpan.Zero);

    private ClinicChatApp App => fixture.App;

    [Fact]
    public async Task MetadataIsACapabilityStatementThatNamesTheSmartTokenEndpointAndWhatEachTypeSupports()
    {
        var http = App.Server.CreateClient();

        var metadata = await http.GetAsync($"{Base}/metadata");
        var smart = await http.GetFromJsonAsync<JsonElement>($"{Base}/.well-known/smart-configuration");

        Assert.Equal(HttpStatusCode.OK, metadata.StatusCode);
        Assert.Equal("application/fhir+json", metadata.Content.Headers.ContentType?.MediaType);
        var statement = await metadata.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(("CapabilityStatement", "4.0.1", "instance"), (
            statement.GetProperty("resourceType").GetString(), statement.GetProperty("fhirVersion").GetString(), statement.GetProperty("kind").GetString()));
        var rest = statement.GetProperty("rest")[0];
        var oauth = rest.GetProperty("security").GetProperty("extension")[0];
        Assert.Equal("http://fhir-registry.smarthealthit.org/StructureDefinition/oauth-uris", oauth.GetProperty("url").GetString());
        Assert.Equal(("token", "http://localhost/oauth2/token"), (oauth.GetProperty("extension")[0].GetProperty("url").GetString(), oauth.GetProperty("extension")[0].GetProperty("valueUri").GetString()));
        Assert.Equal("SMART-on-FHIR", rest.GetProperty("security").GetProperty("service")[0].GetProperty("coding")[0].GetProperty("code").GetString());
        Assert.Equal(["Patient", "Appointment", "MedicationRequest", "Invoice"], rest.GetProperty("resource").EnumerateArray().Select(r => r.GetProperty("type").GetString()));
        Assert.All(rest.GetProperty("resource").EnumerateArray(), r => Assert.Equal(["read", "update"], r.GetProperty("interaction").EnumerateArray().Select(i => i.GetProperty("code").GetString())));
        Assert.Equal(["transaction", "batch"], rest.GetProperty("interaction").EnumerateArray().Select(i => i.GetProperty("code").GetString()));
        Assert.Equal("http://localhost/oauth2/token", smart.GetProperty("token_endpoint").GetString());
    }

    [Fact]
    public async Task ATransactionAnswersEachEntryWithItsStatusLocationEtagAndLastModified()
    {
        var (http, token) = await SignInAsync(ReadAndWrite);
        var tag = Tag();

        var first = await PostAsync(http, token, Transaction(tag, "Check-up"));
        var again = await PostAsync(http, token, Transaction(tag, "Check-up and cleaning"));

        Assert.True(first.IsSuccessStatusCode, await first.Content.ReadAsStringAsync());
        var created = await first.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(("Bundle", "transaction-response"), (created.GetProperty("resourceType").GetString(), created.GetProperty("type").GetString()));
        var (patient, appointment, practitioner) = (Response(created, 0), Response(created, 1), Response(created, 2));
        Assert.Equal("201 Created", patient.GetProperty("status").GetString());
        var patientId = Guid.Parse(patient.GetProperty("location").GetString()!["Patient/".Length..]);
        Assert.Equal(("201 Created", $"Appointment/rest-appt-{tag}/_history/1", "W/\"1\""), (
            appointment.GetProperty("status").GetString(), appointment.GetProperty("location").GetString(), appointment.GetProperty("etag").GetString()));
        Assert.True(appointment.TryGetProperty("lastModified", out _));
        Assert.Equal($"http://localhost{Base}/Appointment/rest-appt-{tag}", created.GetProperty("entry")[1].GetProperty("fullUrl").GetString());
        Assert.Equal(("200 OK", "information"), (practitioner.GetProperty("status").GetString(), practitioner.GetProperty("outcome").GetProperty("issue")[0].GetProperty("severity").GetString()));

        var updated = await again.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(("200 OK", $"Patient/{patientId}"), (Response(updated, 0).GetProperty("status").GetString(), Response(updated, 0).GetProperty("location").GetString()));
        Assert.Equal(("200 OK", "W/\"2\""), (Response(updated, 1).GetProperty("status").GetString(), Response(updated, 1).GetProperty("etag").GetString()));
    }

    /// <summary>A transaction is one commit: a record refused after its new patient was accepted leaves no patient behind.</summary>
    [Fact]
    public async Task ATransactionRefusedAtItsLastRecordStoresNothingOfIt()
    {
        var (http, token) = await SignInAsync(ReadAndWrite);
        var tag = Tag();
        var taken = await PostAsync(http, token, Transaction(tag, "Check-up"));
        Assert.True(taken.IsSuccessStatusCode, await taken.Content.ReadAsStringAsync());

        // A new patient, and the appointment already stored for the first one: a record never moves between patients.
        var other = Tag();
        var moved = Transaction(other, "Check-up").Replace($"rest-appt-{other}", $"rest-appt-{tag}", StringComparison.Ordinal);
        var refused = await PostAsync(http, token, moved);

        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Equal(("invalid", null), await FhirFeed.OutcomeAsync(refused));
        var alice = await App.SignInAsync(DemoData.Alice);
        var found = await alice.Http.GetFromJsonAsync<JsonElement>($"/api/v1/patients?query=Rest{other}&clinicId={DemoData.Northside}");
        Assert.Equal(0, found.GetArrayLength());
        Assert.Equal(HttpStatusCode.NotFound, (await Send(http, HttpMethod.Get, $"{Base}/Patient/rest-{other}", token)).StatusCode);
        Assert.Equal(1, await TestData.AuditCountAsync(App, AuditActions.PatientCreated, "source=fhir", actorId: $"integration:{token.ClientId}"));
    }

    [Fact]
    public async Task ABatchAppliesEachEntryOnItsOwnAndAnswersEachInOrder()
    {
        var (http, token) = await SignInAsync(ReadAndWrite);
        var tag = Tag();
        var existing = await PostAsync(http, token, Transaction(tag, "Check-up"));
        Assert.True(existing.IsSuccessStatusCode, await existing.Content.ReadAsStringAsync());

        var batch = $$"""
            {
              "resourceType": "Bundle",
              "type": "batch",
              "entry": [
                { "resource": {{AppointmentJson($"rest-batch-{tag}", $"Patient/rest-{tag}", "Follow-up")}},
                  "request": { "method": "PUT", "url": "Appointment/rest-batch-{{tag}}" } },
                { "resource": {{AppointmentJson($"rest-nobody-{tag}", "Patient/nobody-at-all", "Follow-up")}},
                  "request": { "method": "PUT", "url": "Appointment/rest-nobody-{{tag}}" } },
                { "request": { "method": "GET", "url": "Appointment/rest-appt-{{tag}}" } },
                { "request": { "method": "DELETE", "url": "Appointment/rest-appt-{{tag}}" } }
              ]
            }
            """;
        var response = await PostAsync(http, token, batch);

        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
        var answer = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("batch-response", answer.GetProperty("type").GetString());
        Assert.Equal(("201 Created", "W/\"1\""), (Response(answer, 0).GetProperty("status").GetString(), Response(answer, 0).GetProperty("etag").GetString()));
        Assert.Equal(("400 Bad Request", "not-found"), (Response(answer, 1).GetProperty("status").GetString(),
            Response(answer, 1).GetProperty("outcome").GetProperty("issue")[0].GetProperty("code").GetString()));
        Assert.Equal("200 OK", Response(answer, 2).GetProperty("status").GetString());
        Assert.Equal(("Appointment", "Check-up"), (
            answer.GetProperty("entry")[2].GetProperty("resource").GetProperty("resourceType").GetString(),
            answer.GetProperty("entry")[2].GetProperty("resource").GetProperty("description").GetString()));
        Assert.Equal("405 Method Not Allowed", Response(answer, 3).GetProperty("status").GetString());
        var nobody = await Send(http, HttpMethod.Get, $"{Base}/Appointment/rest-nobody-{tag}", token);
        Assert.Equal(HttpStatusCode.NotFound, nobody.StatusCode);
    }

    [Fact]
    public async Task AnUpdateByIdAnswersWithLocationAndEtagAndIfMatchRefusesAStaleVersion()
    {
        var (http, token) = await SignInAsync(ReadAndWrite);
        var tag = Tag();
        var patient = await PostAsync(http, token, Transaction(tag, "Check-up"));
        Assert.True(patient.IsSuccessStatusCode, await patient.Content.ReadAsStringAsync());
        var path = $"{Base}/Appointment/rest-put-{tag}";

        var created = await Send(http, HttpMethod.Put, path, token, AppointmentJson($"rest-put-{tag}", $"Patient/rest-{tag}", "First visit"));
        var changed = await Send(http, HttpMethod.Put, path, token, AppointmentJson($"rest-put-{tag}", $"Patient/rest-{tag}", "Second visit"), ifMatch: "W/\"1\"");
        var stale = await Send(http, HttpMethod.Put, path, token, AppointmentJson($"rest-put-{tag}", $"Patient/rest-{tag}", "Lost update"), ifMatch: "W/\"1\"");
        var minimal = await Send(http, HttpMethod.Put, path, token, AppointmentJson($"rest-put-{tag}", $"Patient/rest-{tag}", "Second visit"), prefer: "return=minimal");
        var wrongId = await Send(http, HttpMethod.Put, path, token, AppointmentJson($"rest-other-{tag}", $"Patient/rest-{tag}", "First visit"));
        var read = await Send(http, HttpMethod.Get, path, token);

        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.Equal($"http://localhost{path}/_history/1", created.Headers.Location?.ToString());
        Assert.Equal("W/\"1\"", created.Headers.ETag?.ToString());
        var body = await created.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(("Appointment", "1", "First visit"), (
            body.GetProperty("resourceType").GetString(), body.GetProperty("meta").GetProperty("versionId").GetString(), body.GetProperty("description").GetString()));
        Assert.Equal((HttpStatusCode.OK, "W/\"2\""), (changed.StatusCode, changed.Headers.ETag?.ToString()));
        Assert.Equal(HttpStatusCode.PreconditionFailed, stale.StatusCode);
        Assert.Equal(("conflict", "version_conflict"), await FhirFeed.OutcomeAsync(stale));
        Assert.Equal((HttpStatusCode.OK, 0L), (minimal.StatusCode, minimal.Content.Headers.ContentLength ?? (await minimal.Content.ReadAsByteArrayAsync()).Length));
        Assert.Equal(HttpStatusCode.BadRequest, wrongId.StatusCode);
        Assert.Equal(HttpStatusCode.OK, read.StatusCode);
        Assert.True(read.Headers.CacheControl?.NoStore, "Health data is never kept by a cache.");
        Assert.Equal("W/\"2\"", read.Headers.ETag?.ToString());
        Assert.NotNull(read.Content.Headers.LastModified);
        Assert.Equal("Second visit", (await read.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("description").GetString());
    }

    [Fact]
    public async Task APatientIsReadByTheEhrsIdOrByClinicChatsIdAndTheReadIsAuditedAsTheIntegration()
    {
        var (http, token) = await SignInAsync(ReadAndWrite);
        var tag = Tag();
        var created = await (await PostAsync(http, token, Transaction(tag, "Check-up"))).Content.ReadFromJsonAsync<JsonElement>();
        var location = Response(created, 0).GetProperty("location").GetString()!;

        var byEhrId = await Send(http, HttpMethod.Get, $"{Base}/Patient/rest-{tag}", token);
        var byOurId = await Send(http, HttpMethod.Get, $"{Base}/{location}", token);

        Assert.Equal(HttpStatusCode.OK, byEhrId.StatusCode);
        var (theirs, ours) = (await byEhrId.Content.ReadFromJsonAsync<JsonElement>(), await byOurId.Content.ReadFromJsonAsync<JsonElement>());
        Assert.Equal(location["Patient/".Length..], theirs.GetProperty("id").GetString());
        Assert.Equal(theirs.GetProperty("id").GetString(), ours.GetProperty("id").GetString());
        Assert.Equal(($"Rest{tag}", "1991-06-15"), (theirs.GetProperty("name")[0].GetProperty("family").GetString(), theirs.GetProperty("birthDate").GetString()));
        Assert.Equal(2, await TestData.AuditCountAsync(App, AuditActions.FhirRead, "type=Patient", actorId: $"integration:{token.ClientId}"));
    }

    [Fact]
    public async Task TheBaseTakesBearerTokensOnlyWithinTheirScopesAndTheirClinic()
    {
        var (http, token) = await SignInAsync("system/Appointment.write");
        var tag = Tag();
        var olga = await App.SignInAsync(DemoData.Olga);
        var appointment = FhirFeed.Appointment($"rest-scope-{tag}", DemoData.PatPortal, Monday);
        var put = await Send(http, HttpMethod.Put, $"{Base}/Appointment/rest-scope-{tag}", token, appointment);

        var anonymous = await http.GetAsync($"{Base}/Appointment/rest-scope-{tag}");
        var staffSession = await olga.Http.GetAsync($"{Base}/Appointment/rest-scope-{tag}");
        var withoutReadScope = await Send(http, HttpMethod.Get, $"{Base}/Appointment/rest-scope-{tag}", token);
        var patientWithoutScope = await Send(http, HttpMethod.Put, $"{Base}/Patient/rest-{tag}", token, PatientJson(tag));
        var unknownType = await Send(http, HttpMethod.Get, $"{Base}/Observation/1", token);
        var notABundle = await PostAsync(http, token, appointment);

        Assert.Equal(HttpStatusCode.Created, put.StatusCode);
        Assert.NotNull(put.Headers.ETag);
        // An outcome, not the resource: this token may not read it.
        Assert.Equal("OperationOutcome", (await put.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("resourceType").GetString());
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        Assert.Equal(("login", "unauthenticated"), await FhirFeed.OutcomeAsync(anonymous));
        Assert.Equal(HttpStatusCode.Unauthorized, staffSession.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, withoutReadScope.StatusCode);
        Assert.Equal(("forbidden", "forbidden"), await FhirFeed.OutcomeAsync(withoutReadScope));
        Assert.Equal(HttpStatusCode.Forbidden, patientWithoutScope.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, unknownType.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, notABundle.StatusCode);
        var entries = string.Join(",", Enumerable.Repeat("""{ "request": { "method": "GET", "url": "Appointment/x" } }""", 1001));
        var tooBig = await PostAsync(http, token, $$"""{ "resourceType": "Bundle", "type": "batch", "entry": [{{entries}}] }""");
        Assert.Equal((HttpStatusCode.BadRequest, ("too-costly", null)), (tooBig.StatusCode, await FhirFeed.OutcomeAsync(tooBig)));

        // Lakeview's patients are not Northside's integration's to read: the same answer as no patient at all.
        var (_, reader) = await SignInAsync("system/Patient.read");
        var lakeviewOnly = await TestPatients.NewAsync(App, DemoData.Lakeview);
        var otherClinics = await Send(http, HttpMethod.Get, $"{Base}/Patient/{lakeviewOnly.Id}", reader);
        var nobody = await Send(http, HttpMethod.Get, $"{Base}/Patient/{Guid.NewGuid()}", reader);
        Assert.Equal((HttpStatusCode.NotFound, HttpStatusCode.NotFound), (otherClinics.StatusCode, nobody.StatusCode));
        Assert.Equal(await nobody.Content.ReadAsStringAsync(), await otherClinics.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task PreferAsksATransactionToAnswerWithTheResourcesAsKeptOrWithAnOutcomePerEntry()
    {
        var (http, token) = await SignInAsync(ReadAndWrite);
        var tag = Tag();

        var represented = await Send(http, HttpMethod.Post, Base, token, Transaction(tag, "Check-up"), prefer: "return=representation");
        var outcomes = await Send(http, HttpMethod.Post, Base, token, Transaction(tag, "Check-up"), prefer: "return=OperationOutcome");

        var withResources = await represented.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(($"Rest{tag}", "Check-up"), (
            withResources.GetProperty("entry")[0].GetProperty("resource").GetProperty("name")[0].GetProperty("family").GetString(),
            withResources.GetProperty("entry")[1].GetProperty("resource").GetProperty("description").GetString()));
        Assert.False(withResources.GetProperty("entry")[2].TryGetProperty("resource", out _)); // a practitioner is not kept
        var withOutcomes = await outcomes.Content.ReadFromJsonAsync<JsonElement>();
        Assert.All(withOutcomes.GetProperty("entry").EnumerateArray(), entry =>
            Assert.Equal("OperationOutcome", entry.GetProperty("response").GetProperty("outcome").GetProperty("resourceType").GetString()));
    }

    [Fact]
    public async Task EveryErrorUnderTheBaseIsAnOperationOutcome()
    {
        var (http, token) = await SignInAsync(ReadAndWrite);

        var unknownPath = await Send(http, HttpMethod.Get, $"{Base}/Appointment/a/b/c", token);
        var wrongMethod = await Send(http, HttpMethod.Delete, $"{Base}/Appointment/a", token);
        var wrongMediaType = await http.SendAsync(new HttpRequestMessage(HttpMethod.Post, Base)
        {
            Headers = { Authorization = new("Bearer", token.Value) },
            Content = new StringContent("<Bundle/>", System.Text.Encoding.UTF8, "application/fhir+xml"),
        });

        Assert.Equal((HttpStatusCode.NotFound, ("not-found", "not_found")), (unknownPath.StatusCode, await FhirFeed.OutcomeAsync(unknownPath)));
        Assert.Equal((HttpStatusCode.MethodNotAllowed, ("not-supported", "method_not_allowed")), (wrongMethod.StatusCode, await FhirFeed.OutcomeAsync(wrongMethod)));
        Assert.Equal((HttpStatusCode.UnsupportedMediaType, ("not-supported", "unsupported_media_type")), (wrongMediaType.StatusCode, await FhirFeed.OutcomeAsync(wrongMediaType)));
    }

    private async Task<(HttpClient Http, Token Token)> SignInAsync(string scopes)
    {
        using var ehr = SmartClient.Rsa();
        var (clientId, _) = await ehr.RegisterAsync(App, scopes, "REST EHR");
        var http = App.Server.CreateClient();
        return (http, new Token(await ehr.TokenAsync(http, scopes, DateTimeOffset.UtcNow), clientId));
    }

    private static Task<HttpResponseMessage> PostAsync(HttpClient http, Token token, string json) => Send(http, HttpMethod.Post, Base, token, json);

    private static Task<HttpResponseMessage> Send(HttpClient http, HttpMethod method, string path, Token token, string? json = null, string? ifMatch = null, string? prefer = null) =>
        SmartClient.SendAsync(http, method, path, token.Value, json, [.. ifMatch is null ? [] : new[] { ("If-Match", ifMatch) }, .. prefer is null ? [] : new[] { ("Prefer", prefer) }]);

    private static JsonElement Response(JsonElement bundle, int entry) => bundle.GetProperty("entry")[entry].GetProperty("response");

    private static string Tag() => Guid.NewGuid().ToString("N")[..8];

    private static string PatientJson(string tag) =>
        $$"""{ "resourceType": "Patient", "id": "rest-{{tag}}", "name": [{ "given": ["Robin"], "family": "Rest{{tag}}" }], "birthDate": "1991-06-15" }""";

    private static string AppointmentJson(string id, string patientReference, string description) => $$"""
        { "resourceType": "Appointment", "id": "{{id}}", "status": "booked", "description": "{{description}}",
          "start": "{{Monday.UtcDateTime:O}}", "end": "{{Monday.AddMinutes(30).UtcDateTime:O}}",
          "participant": [{ "actor": { "reference": "{{patientReference}}" }, "status": "accepted" }] }
        """;

    /// <summary>A new patient with an appointment, and the practitioner the appointment names (only read, never kept).</summary>
    private static string Transaction(string tag, string description) => $$"""
        {
          "resourceType": "Bundle",
          "type": "transaction",
          "entry": [
            { "fullUrl": "urn:uuid:{{Guid.NewGuid()}}", "resource": {{PatientJson(tag)}}, "request": { "method": "PUT", "url": "Patient/rest-{{tag}}" } },
            { "resource": {{AppointmentJson($"rest-appt-{tag}", $"Patient/rest-{tag}", description)}}, "request": { "method": "PUT", "url": "Appointment/rest-appt-{{tag}}" } },
            { "resource": { "resourceType": "Practitioner", "id": "dr-{{tag}}", "name": [{ "family": "Carter" }] }, "request": { "method": "PUT", "url": "Practitioner/dr-{{tag}}" } }
          ]
        }
        """;

    private sealed record Token(string Value, string ClientId);
}
