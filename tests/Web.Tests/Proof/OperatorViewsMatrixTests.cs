namespace ClinicChat.Web.Tests.Proof;

/// <summary>
/// The operator/Admin split: every view of the Orleans Dashboard (the operator's cluster views; they are
/// not in the OpenAPI document, so not in <see cref="EndpointMatrix"/>) × every caller of the matrix and an
/// operator account. Only the operator gets in; every clinic account, its Admin included, gets 404.
/// </summary>
[Trait("Category", "Slow")] // every dashboard view for every caller
[Collection(ProofCollection.Name)]
public sealed class OperatorViewsMatrixTests(ProofFixture fixture)
{
    /// <summary>The dashboard's page and each of its data endpoints (Orleans.Dashboard 10.4.2).</summary>
    public static TheoryData<string> Views() => new(
        "/ops/orleans", "/ops/orleans/DashboardCounters", "/ops/orleans/ClusterStats", "/ops/orleans/Reminders", "/ops/orleans/TopGrainMethods",
        "/ops/orleans/GrainTypes", "/ops/orleans/LifecycleStages", "/ops/orleans/SiloStats/127.0.0.1");

    [Theory]
    [MemberData(nameof(Views))]
    public async Task OnlyAnOperatorOpensTheViewAndEveryClinicAccountGets404(string path)
    {
        var failures = new List<string>();
        foreach (var caller in Enum.GetValues<Caller>())
        {
            var session = await fixture.SessionAsync(fixture.MatrixWorld, caller);
            using var response = await fixture.Api.GetAsync(path, session);
            var expected = caller == Caller.Anonymous ? HttpStatusCode.Unauthorized : HttpStatusCode.NotFound;
            if (response.StatusCode != expected)
            {
                failures.Add($"{caller}: expected {(int)expected}, got {(int)response.StatusCode}");
            }
        }

        var operatorSession = await OperatorAsync();
        using var asOperator = await operatorSession.Http.GetAsync(path);

        Assert.True(failures.Count == 0, $"{path}:\n" + string.Join('\n', failures));
        Assert.Equal(HttpStatusCode.OK, asOperator.StatusCode);
    }

    private static ApiSession? _operator;

    private async Task<ApiSession> OperatorAsync() =>
        _operator ??= await InProcessOperator.OperatorSessionAsync(fixture.App, "Operator-Password-2026");
}
