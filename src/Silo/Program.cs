using ClinicChat.Audit;
using ClinicChat.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace ClinicChat.Hosting;

/// <summary>
/// A silo on its own: hosts the grains for web nodes that run as Orleans clients
/// (ClinicChat:Hosting:Mode = Client). Embedded mode co-hosts this same silo inside src/Web.
/// </summary>
public static class SiloProgram
{
    public static async Task<int> Main(string[] args)
    {
        if (args is ["migrate", .. var rest])
        {
            return await MigrateAsync(rest);
        }

        if (args is ["verify-audit", .. var verifyArgs])
        {
            return await VerifyAuditAsync(verifyArgs);
        }

        if (args is ["backup", .. var backupArgs])
        {
            return await BackupVerbs.BackupAsync(backupArgs);
        }

        if (args is ["restore", .. var restoreArgs])
        {
            return await BackupVerbs.RestoreAsync(restoreArgs);
        }

        var builder = Host.CreateApplicationBuilder(args);
        builder.Configuration.AddClinicChatSecretFiles();
        // Before the silo: the scrape endpoint is up by the time the gateway opens.
        builder.Services.AddClinicChatTelemetry(builder.Configuration, "clinicchat-silo");
        builder.UseOrleans(silo => silo.AddClinicChatSilo(builder.Configuration, builder.Environment.ContentRootPath));
        return await builder.Build().RunOrExplainAsync();
    }

    /// <summary><c>ClinicChat.Silo migrate</c>: applies the schema scripts of this build, then exits (a release step in cluster mode).</summary>
    private static async Task<int> MigrateAsync(string[] args)
    {
        var builder = Host.CreateApplicationBuilder(args);
        builder.Configuration.AddClinicChatSecretFiles();
        builder.Services.AddClinicChatStorage(builder.Configuration, builder.Environment.ContentRootPath);
        using var host = builder.Build();
        await host.Services.GetRequiredService<SchemaMigrator>().MigrateAsync();
        return 0;
    }

    /// <summary>
    /// <c>ClinicChat.Silo verify-audit [clinicId]</c>: walks one clinic's audit chain (or every chain)
    /// and prints the first broken link. Exit code 0 when intact, 1 when broken, 2 on bad arguments.
    /// Reads only; writes no checkpoint, so it can run against a copy of the database.
    /// </summary>
    private static async Task<int> VerifyAuditAsync(string[] args)
    {
        string? chain = null;
        if (args is [var first, ..] && !first.StartsWith('-'))
        {
            if (!Guid.TryParse(first, out var clinicId))
            {
                await Console.Error.WriteLineAsync($"verify-audit: '{first}' is not a clinic id (a GUID).");
                return 2;
            }

            chain = AuditLog.ChainOf(clinicId);
            args = args[1..];
        }

        var builder = Host.CreateApplicationBuilder(args);
        builder.Configuration.AddClinicChatSecretFiles();

        builder.Services.AddClinicChatStorage(builder.Configuration, builder.Environment.ContentRootPath);
        using var host = builder.Build();
        var store = host.Services.GetRequiredService<AuditStore>();
        var signer = host.Services.GetRequiredService<AuditCheckpointSigner>();
        var chains = chain is null ? await store.ChainsAsync() : [chain];
        var broken = false;
        foreach (var name in chains)
        {
            var result = await store.VerifyAsync(name, signer);
            var label = name.Length == 0 ? "(no clinic)" : name;
            if (result.Ok)
            {
                Console.WriteLine($"{label}: intact, {result.Rows} rows, {result.Checkpoints} checkpoints.");
            }
            else
            {
                broken = true;
                Console.WriteLine($"{label}: BROKEN at row {result.BrokenAtId} (position {result.Position}): {result.Problem}. {result.Detail}");
            }
        }

        return broken ? 1 : 0;
    }
}
