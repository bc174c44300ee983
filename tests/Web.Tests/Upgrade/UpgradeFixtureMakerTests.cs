namespace ClinicChat.Web.Tests.Upgrade;

/// <summary>
/// Makes the upgrade fixture (see Fixtures/README.md). Every run proves the scenario writes each kind
/// of record; with CLINICCHAT_FIXTURE_OUT set it also copies the data folder there, which is how the
/// committed fixture was made (and how to remake it from an older commit).
/// </summary>
public sealed class UpgradeFixtureMakerTests
{
    public const string OutputVariable = "CLINICCHAT_FIXTURE_OUT";

    [Fact]
    [Trait("Category", "Slow")]
    public async Task TheFixtureScenarioWritesMessagesReceiptsAnAttachmentAndAuditRows()
    {
        UpgradeFixtureScenario scenario;
        var app = new ClinicChatApp(configure: builder => builder.UseSetting("ClinicChat:Seed:GeneratedPatients", "40"));
        await using (app)
        {
            _ = app.Server;
            scenario = await UpgradeFixtureScenario.WriteAsync(app);
        }

        var fingerprint = DataFingerprint.Of(app.DataDirectory);
        Assert.Equal(5, scenario.LastSeq);
        Assert.True(fingerprint.Table("messages").Rows >= scenario.LastSeq);
        Assert.Equal(1, fingerprint.Table("attachments").Rows);
        Assert.True(fingerprint.Table("receipt_events").Rows > 0);
        Assert.True(fingerprint.Table("audit_log").Rows > 0);
        Assert.Contains(fingerprint.Files.Keys, name => !name.EndsWith(".preview.jpg", StringComparison.Ordinal));
        Assert.Equal(DemoData.Alice, scenario.StaffEmail);

        if (Environment.GetEnvironmentVariable(OutputVariable) is { Length: > 0 } output)
        {
            CopyData(app.DataDirectory, output);
            fingerprint.Save(Path.Combine(output, "fingerprint.json"));
            scenario.Save(Path.Combine(output, "scenario.json"));
        }

        app.DeleteData();
    }

    private static void CopyData(string from, string to)
    {
        Directory.CreateDirectory(to);
        File.Copy(Path.Combine(from, "clinicchat.db"), Path.Combine(to, "clinicchat.db"), overwrite: true);
        foreach (var file in Directory.EnumerateFiles(Path.Combine(from, "attachments"), "*", SearchOption.AllDirectories))
        {
            var relative = Path.GetRelativePath(from, file);
            if (relative.Contains("uploads", StringComparison.Ordinal))
            {
                continue;
            }

            Directory.CreateDirectory(Path.GetDirectoryName(Path.Combine(to, relative))!);
            File.Copy(file, Path.Combine(to, relative), overwrite: true);
        }
    }
}
