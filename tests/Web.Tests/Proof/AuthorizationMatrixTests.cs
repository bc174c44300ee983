namespace ClinicChat.Web.Tests.Proof;

/// <summary>
/// Every endpoint of the OpenAPI document × every caller × own resource, another clinic's resource
/// and an unknown id, through real HTTP, real grains and the real database (see <see cref="EndpointMatrix"/>).
/// </summary>
[Trait("Category", "Slow")] // every endpoint for every caller
[Collection(ProofCollection.Name)]
public sealed class AuthorizationMatrixTests(ProofFixture fixture)
{
    public static TheoryData<string> Endpoints() => new(EndpointMatrix.Entries.Select(e => e.Endpoint));

    [Fact]
    public void EveryEndpointInTheOpenApiDocumentHasAMatrixEntry()
    {
        var documented = fixture.Operations.Select(o => o.Key).ToHashSet();
        var listed = EndpointMatrix.Entries.Select(e => e.Endpoint).ToHashSet();

        var uncovered = documented.Except(listed).Order().ToList();
        var stale = listed.Except(documented).Order().ToList();

        Assert.True(uncovered.Count == 0, "Endpoints without an entry in EndpointMatrix (add one saying who may call it):\n" + string.Join('\n', uncovered));
        Assert.True(stale.Count == 0, "EndpointMatrix entries for endpoints the OpenAPI document no longer has:\n" + string.Join('\n', stale));
        Assert.Equal(listed.Count, EndpointMatrix.Entries.Count);
    }

    [Theory]
    [MemberData(nameof(Endpoints))]
    public async Task EveryCallerGetsTheExpectedStatusForEveryScope(string endpoint)
    {
        var entry = EndpointMatrix.Find(endpoint)!;
        var world = fixture.MatrixWorld;
        var failures = new List<string>();

        foreach (var (scope, expected) in entry.Expected)
        {
            var resources = scope == Scope.None ? null : world.Resources[scope];
            foreach (var caller in Enum.GetValues<Caller>())
            {
                var session = await fixture.SessionAsync(world, caller);
                var body = entry.Body?.Invoke(new BodyContext(world, caller, resources));
                using var response = await fixture.Api.SendAsync(CellRequests.Build(entry, resources, body), session);
                fixture.Follow(world, caller, response);

                var status = (int)response.StatusCode;
                if (status != expected.For(caller))
                {
                    failures.Add($"{scope} × {caller}: expected {expected.For(caller)}, got {status} {await response.Content.ReadAsStringAsync()}");
                }
                else if (status >= 400 && await ProblemCodeAsync(response) is var code && (code is null || (status == 404 && code != ApiErrors.NotFound)))
                {
                    failures.Add($"{scope} × {caller}: {status} without the expected ProblemDetails code (got '{code}')");
                }
            }
        }

        Assert.True(failures.Count == 0, $"{endpoint}:\n" + string.Join('\n', failures));
    }

    [Fact]
    public async Task StaffOfAnotherClinicNeverSeeThisClinicsPatientsOrThreads()
    {
        var lara = await fixture.SessionAsync(fixture.MatrixWorld, Caller.OtherClinicStaff);

        using var search = await fixture.Api.GetAsync("/api/v1/patients?query=nora", lara);
        using var list = await fixture.Api.GetAsync("/api/v1/conversations?limit=100", lara);
        var patients = await search.Content.ReadFromJsonAsync<List<PatientDto>>();
        var threads = await list.Content.ReadFromJsonAsync<ThreadPageDto>();

        Assert.Empty(patients!);
        Assert.NotEmpty(threads!.Threads);
        Assert.All(threads.Threads, t => Assert.Equal(DemoData.Lakeview, t.ClinicId));
    }

    [Fact]
    public async Task APatientSeesOnlyTheirOwnThreadsAndPreferences()
    {
        var world = fixture.MatrixWorld;
        var other = await fixture.SessionAsync(world, Caller.OtherPatient);
        var oscar = await fixture.Api.SignInAsync(DemoData.Oscar);

        using var otherInbox = await fixture.Api.GetAsync("/api/v1/conversations", other);
        using var oscarPreferences = await fixture.Api.GetAsync("/api/v1/me/preferences", oscar);

        Assert.Empty((await otherInbox.Content.ReadFromJsonAsync<ThreadPageDto>())!.Threads);
        Assert.False((await oscarPreferences.Content.ReadFromJsonAsync<PreferencesDto>())!.ChatOptIn);
    }

    /// <summary>A ProblemDetails' <c>code</c>, or (FHIR endpoints) the ClinicChat code an OperationOutcome carries in <c>issue.details</c>.</summary>
    private static async Task<string?> ProblemCodeAsync(HttpResponseMessage response)
    {
        switch (response.Content.Headers.ContentType?.MediaType)
        {
            case "application/problem+json":
                using (var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync()))
                {
                    return json.RootElement.TryGetProperty("code", out var code) ? code.GetString() : null;
                }

            case "application/fhir+json":
                return (await FhirFeed.OutcomeAsync(response)).ErrorCode;
            default:
                return null;
        }
    }
}
