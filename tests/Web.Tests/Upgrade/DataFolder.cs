using System.Security.Cryptography;
using ClinicChat.Storage;

namespace ClinicChat.Web.Tests.Upgrade;

/// <summary>Helpers for tests that carry a data folder across releases, backups and restores.</summary>
internal static class DataFolder
{
    public static string FixturePath => Path.Combine(AppContext.BaseDirectory, "Fixtures", "upgrade-a1020c1");

    public static string NewTemp(string purpose) => Path.Combine(Path.GetTempPath(), $"clinicchat-{purpose}-{Guid.NewGuid():N}");

    /// <summary>A private copy of the committed fixture's data (the database and attachments, not its notes).</summary>
    public static string CopyOfFixture()
    {
        var copy = NewTemp("upgrade");
        foreach (var file in Directory.EnumerateFiles(FixturePath, "*", SearchOption.AllDirectories))
        {
            var relative = Path.GetRelativePath(FixturePath, file);
            if (relative is "fingerprint.json" or "scenario.json")
            {
                continue;
            }

            Directory.CreateDirectory(Path.GetDirectoryName(Path.Combine(copy, relative))!);
            File.Copy(file, Path.Combine(copy, relative));
        }

        return copy;
    }

    /// <summary>Every audit chain of the app's database, verified as <c>verify-audit</c> does; the failures, if any.</summary>
    public static async Task<IReadOnlyList<string>> BrokenAuditChainsAsync(ClinicChatApp app)
    {
        var store = app.Services.GetRequiredService<AuditStore>();
        var signer = app.Services.GetRequiredService<AuditCheckpointSigner>();
        var broken = new List<string>();
        var chains = await store.ChainsAsync();
        Assert.NotEmpty(chains);
        foreach (var chain in chains)
        {
            var result = await store.VerifyAsync(chain, signer);
            if (!result.Ok)
            {
                broken.Add($"{chain}: {result.Problem} at {result.BrokenAtId}");
            }
        }

        return broken;
    }

    public static async Task<IReadOnlyList<string>> PendingMigrationsAsync(ClinicChatApp app) =>
        await app.Services.GetRequiredService<SchemaMigrator>().PendingAsync();

    public static string Sha256(byte[] bytes) => Convert.ToHexStringLower(SHA256.HashData(bytes));

    public static void Delete(string folder)
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(folder, recursive: true);
        }
        catch (IOException)
        {
            // Best effort: a temp folder left behind is harmless.
        }
    }
}
