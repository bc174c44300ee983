namespace ClinicChat.Web.Tests;

[Collection(AppCollection.Name)]
public sealed class HostingTests(AppFixture fixture)
{
    [Fact]
    public async Task ReadinessAnswersWithoutSignIn()
    {
        var response = await GetAsync("/readyz");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("Healthy", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task LivenessAnswersWithoutSignInWithTheVersionAndCommitOfTheBuild()
    {
        var response = await GetAsync("/healthz");
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("Healthy", body.RootElement.GetProperty("status").GetString());
        Assert.Equal(Hosting.BuildInfo.Current.Version, body.RootElement.GetProperty("version").GetString());
        Assert.Equal(Hosting.BuildInfo.Current.Commit, body.RootElement.GetProperty("commit").GetString());
    }

    [Theory]
    [InlineData("1.2.3+0123456789abcdef0123456789abcdef01234567", "1.2.3", "0123456789abcdef0123456789abcdef01234567")]
    [InlineData("1.2.3", "1.2.3", "unknown")]
    [InlineData(null, "unknown", "unknown")]
    public void TheBuildsVersionAndCommitComeFromTheInformationalVersion(string? informational, string version, string commit) =>
        Assert.Equal(new Hosting.BuildInfo(version, commit), Hosting.BuildInfo.Parse(informational));

    [Theory]
    [InlineData("/chat")]
    [InlineData("/inbox/settings")]
    public async Task APagePathServesTheWebApp(string path)
    {
        var response = await GetAsync(path);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("<script type=\"module\"", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/api/v1/no-such-thing")]
    [InlineData("/hubs/no-such-hub")]
    public async Task AnUnknownServerPathIsAProblemNotTheWebApp(string path)
    {
        var response = await GetAsync(path);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task TheOpenApiDocumentDescribesEveryEndpoint()
    {
        using var client = fixture.App.CreateClient();

        using var document = JsonDocument.Parse(await client.GetStringAsync("/openapi/v1.json"));
        var paths = document.RootElement.GetProperty("paths").EnumerateObject().Select(p => p.Name).ToHashSet();

        Assert.Superset(
            new HashSet<string>
            {
                "/api/v1/auth/login", "/api/v1/auth/logout", "/api/v1/me", "/api/v1/me/preferences", "/api/v1/patients",
                "/api/v1/conversations", "/api/v1/conversations/{id}", "/api/v1/conversations/{id}/messages",
                "/api/v1/conversations/{id}/receipts", "/api/v1/conversations/{id}/pin", "/api/v1/conversations/{id}/mute",
            },
            paths);
    }

    [Fact]
    public async Task TheDatabaseRunsInWalModeWithFullSync()
    {
        var database = (Storage.ChatDatabase)fixture.App.Services.GetService(typeof(Storage.ChatDatabase))!;
        await using var connection = await database.OpenAsync();
        await using var command = connection.CreateCommand();

        command.CommandText = "PRAGMA journal_mode;";
        var journal = (string?)await command.ExecuteScalarAsync();
        command.CommandText = "PRAGMA synchronous;";
        var synchronous = Convert.ToInt64(await command.ExecuteScalarAsync());

        Assert.Equal("wal", journal);
        Assert.Equal(2, synchronous); // FULL
    }

    [Fact]
    public async Task SchemaScriptsAreRecordedOnce()
    {
        var database = (Storage.ChatDatabase)fixture.App.Services.GetService(typeof(Storage.ChatDatabase))!;
        await using var connection = await database.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT id FROM schema_migrations ORDER BY id";
        var applied = new List<string>();
        await using (var reader = await command.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                applied.Add(reader.GetString(0));
            }
        }

        Assert.Equal(["0001_orleans_grain_storage", "0002_reminders", "0003_chat", "0004_receipts", "0005_unread_index", "0006_attachments", "0007_message_attachments", "0008_attachment_names", "0009_records", "0010_data_protection", "0011_sensitive", "0012_audit_checkpoints", "0013_attachment_sent", "0014_sensitive_records", "0015_clinic_security", "0016_onboarding", "0017_notices", "0018_patient_admin", "0019_staff", "0020_chat_opt_in", "0021_record_state", "0022_ehr_patients", "0023_integrations", "0024_team", "0025_clinic_profile", "0026_topics", "0027_lookup_indexes", "0028_needs_reply", "0029_name_index_order", "0030_pending_staff_invitations", "0031_receipt_events_by_reader", "0032_needs_reply_open_only", "0033_replaced_invitation_links", "0034_clinic_country", "identity.0001_create", "identity.0002_passkeys", "identity.0003_lookups", "seed.demo", "seed.demo.records"], applied);
    }

    /// <summary>A GET without sign-in; the answer's body is read before the client is let go.</summary>
    private async Task<HttpResponseMessage> GetAsync(string path)
    {
        using var client = fixture.App.CreateClient();
        return await client.GetAsync(path);
    }
}
