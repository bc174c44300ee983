using System.Net;
using System.Text.Json;

namespace ClinicChat.Web.Tests;

[Collection(AppCollection.Name)]
public sealed class HostingTests(AppFixture fixture)
{
    [Theory]
    [InlineData("/healthz")]
    [InlineData("/readyz")]
    public async Task HealthEndpointsAnswerWithoutSignIn(string path)
    {
        using var client = fixture.App.CreateClient();

        var response = await client.GetAsync(path);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("Healthy", await response.Content.ReadAsStringAsync());
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

        Assert.Equal(["0001_orleans_grain_storage", "0002_reminders", "0003_chat", "0004_receipts", "0005_unread_index", "0006_attachments", "0007_message_attachments", "0008_attachment_names", "0009_records", "0010_data_protection", "0011_sensitive", "0012_audit_checkpoints", "0013_attachment_sent", "0014_sensitive_records", "0015_onboarding", "identity.0001_create", "seed.demo", "seed.demo.records"], applied);
    }
}
