using Microsoft.Data.Sqlite;

namespace ClinicChat.Web.Tests.Upgrade;

/// <summary>
/// The current build started on a data folder written by an earlier release (Fixtures/upgrade-a1020c1):
/// it brings the schema up to date and loses, doubles or changes nothing that was there.
/// </summary>
[Trait("Category", "Slow")] // two starts of the app on a copied database
public sealed class UpgradeFromFixtureTests
{
    [Fact]
    public async Task ADatabaseFromReleaseA1020c1IsUpgradedWithEveryMessageReceiptAttachmentAndAuditRowIntact()
    {
        var expected = DataFingerprint.Load(Path.Combine(DataFolder.FixturePath, "fingerprint.json"));
        var scenario = UpgradeFixtureScenario.Load(Path.Combine(DataFolder.FixturePath, "scenario.json"));
        var data = DataFolder.CopyOfFixture();

        // First start: migrations only, no requests, so that the data can be compared exactly.
        IReadOnlyList<string> pending;
        await using (var upgrade = new ClinicChatApp(data))
        {
            _ = upgrade.Server;
            pending = await DataFolder.PendingMigrationsAsync(upgrade);
        }

        var upgraded = DataFingerprint.Like(expected, data);
        var identityCreated = IdentityCreateRecords(data);

        // Second start: the upgraded app at work on the old data.
        await using var app = new ClinicChatApp(data);
        var alice = await app.SignInAsync(scenario.StaffEmail);
        var patient = await app.SignInAsync(scenario.PatientEmail);
        var page = await TestData.PageAsync(patient, scenario.ConversationId);
        var attachment = page.Messages.SelectMany(m => m.Attachments ?? []).Single();
        var file = await patient.Http.GetByteArrayAsync(attachment.Url);
        var sent = await TestData.SendAsync(alice, scenario.ConversationId, "Still here after the upgrade.");
        var broken = await DataFolder.BrokenAuditChainsAsync(app);
        await app.DisposeAsync();
        DataFolder.Delete(data);

        Assert.Empty(pending);
        Assert.Equal(1, identityCreated);
        Assert.All(expected.Tables, table => Assert.Equal(table, upgraded.Table(table.Name)));
        Assert.Equal(expected.Files, upgraded.Files);
        Assert.Equal(scenario.LastSeq, page.LastSeq);
        Assert.Contains(DataFolder.Sha256(file), expected.Files.Keys.Select(Path.GetFileName));
        Assert.Equal(scenario.LastSeq + 1, sent.Seq);
        Assert.Empty(broken);
    }

    private static long IdentityCreateRecords(string data)
    {
        using var connection = new SqliteConnection($"Data Source={Path.Combine(data, "clinicchat.db")};Mode=ReadOnly;Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT COUNT(*) FROM schema_migrations WHERE id = 'identity.0001_create'";
        return (long)command.ExecuteScalar()!;
    }
}
