using ClinicChat.Storage;
using ClinicChat.Storage.Backup;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;

namespace ClinicChat.Hosting;

/// <summary>
/// <c>ClinicChat.Silo backup &lt;new-folder&gt;</c> and <c>ClinicChat.Silo restore &lt;backup&gt; &lt;new-data-folder&gt;</c>:
/// the embedded (SQLite) data folder's online backup and its restore (see <see cref="EmbeddedBackup"/>).
/// They read the same settings as the server (<c>ClinicChat:Storage</c>, from appsettings, the environment
/// or <c>--ClinicChat:Storage:DataDirectory=…</c>), so run them from the server's folder. Exit code 0 on
/// success, 1 when the backup or restore could not be made, 2 on bad arguments.
/// </summary>
internal static class BackupVerbs
{
    public static async Task<int> BackupAsync(string[] args)
    {
        if (args is not [var destination, .. var rest] || destination.StartsWith('-'))
        {
            await Console.Error.WriteLineAsync("usage: backup <new-folder> [--ClinicChat:Storage:DataDirectory=<data-folder>]");
            return 2;
        }

        var builder = Host.CreateApplicationBuilder(rest);
        builder.Configuration.AddClinicChatSecretFiles();

        var storage = builder.Configuration.GetSection(ChatStorageOptions.Section).Get<ChatStorageOptions>() ?? new ChatStorageOptions();
        if (storage.Provider != StorageProvider.Sqlite)
        {
            await Console.Error.WriteLineAsync("backup: this is the embedded (SQLite) backup; back up PostgreSQL with pg_dump (docs/operations.md).");
            return 2;
        }

        var contentRoot = builder.Environment.ContentRootPath;
        return await ReportAsync("backup", async () =>
        {
            var manifest = await EmbeddedBackup.TakeAsync(
                storage.ResolveConnectionString(contentRoot), Path.GetFullPath(storage.DataDirectory, contentRoot), Path.GetFullPath(destination), TimeProvider.System);
            Console.WriteLine($"Backed up to {Path.GetFullPath(destination)} at {manifest.TakenAt:O}: {Summary(manifest)}.");
        });
    }

    public static async Task<int> RestoreAsync(string[] args)
    {
        if (args is not [var backup, var target, ..] || backup.StartsWith('-') || target.StartsWith('-'))
        {
            await Console.Error.WriteLineAsync("usage: restore <backup-folder> <new-data-folder>");
            return 2;
        }

        return await ReportAsync("restore", async () =>
        {
            var manifest = await EmbeddedBackup.RestoreAsync(Path.GetFullPath(backup), Path.GetFullPath(target));
            Console.WriteLine($"Restored the backup of {manifest.TakenAt:O} into {Path.GetFullPath(target)}: {Summary(manifest)}, every checksum verified.");
            Console.WriteLine($"Start ClinicChat with ClinicChat__Storage__DataDirectory={Path.GetFullPath(target)}.");
        });
    }

    private static async Task<int> ReportAsync(string verb, Func<Task> run)
    {
        try
        {
            await run();
            return 0;
        }
        catch (BackupException e)
        {
            await Console.Error.WriteLineAsync($"{verb}: {e.Message}");
            return 1;
        }
    }

    private static string Summary(BackupManifest manifest) =>
        $"{manifest.Counts["messages"]} messages, {manifest.Counts["attachments"]} attachments, {manifest.Counts["audit_log"]} audit rows, {manifest.Files.Count} files";
}
