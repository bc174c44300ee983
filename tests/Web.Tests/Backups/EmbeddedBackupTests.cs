using System.Collections.Concurrent;
using System.Diagnostics;
using ClinicChat.Storage;
using ClinicChat.Storage.Backup;
using ClinicChat.Web.Tests.Upgrade;
using Microsoft.Data.Sqlite;

namespace ClinicChat.Web.Tests.Backups;

/// <summary>The embedded data folder's online backup and its restore (<see cref="EmbeddedBackup"/>, the <c>backup</c>/<c>restore</c> verbs).</summary>
[Trait("Category", "Slow")] // a running app under load, restores, and verb processes
public sealed class EmbeddedBackupTests(Xunit.Abstractions.ITestOutputHelper output)
{
    [Fact]
    public async Task ABackupTakenWhileMessagesAndFilesAreBeingSentRestoresEveryMessageAcknowledgedBeforeItExactlyOnce()
    {
        var app = new ClinicChatApp();
        _ = app.Server;
        var patient = await TestPatients.NewAsync(app);
        var alice = await app.SignInAsync(DemoData.Alice);
        var pat = await app.SignInAsync(patient.Email);
        var thread = (await TestData.StartAsync(alice, patient.Id)).Id;
        var acknowledged = new ConcurrentQueue<string>();
        using var stop = new CancellationTokenSource();

        async Task SendUntilStoppedAsync(ApiSession sender, string side, bool withFiles)
        {
            for (var i = 0; !stop.IsCancellationRequested; i++)
            {
                var id = $"{side}-{i}";
                Guid[] files = [];
                if (withFiles)
                {
                    var upload = await AttachmentsApiTests.UploadAsync(sender, thread, $"reading-{i}.csv", Encoding.UTF8.GetBytes($"date,systolic\n2026-12-03,{100 + i}\n"));
                    upload.EnsureSuccessStatusCode();
                    files = [(await upload.Content.ReadFromJsonAsync<Attachments.AttachmentDto>())!.AttachmentId];
                }

                var sent = await sender.Http.PostAsJsonAsync($"/api/v1/conversations/{thread}/messages", new { clientMessageId = id, text = $"{side} {i}", attachmentIds = files });
                sent.EnsureSuccessStatusCode();
                acknowledged.Enqueue(id);
            }
        }

        var load = Task.WhenAll(SendUntilStoppedAsync(alice, "staff", withFiles: false), SendUntilStoppedAsync(pat, "patient", withFiles: true));
        while (acknowledged.Count < 40 && !load.IsCompleted)
        {
            await Task.Delay(20); // polling the condition, not a wait for time to pass
        }

        var acknowledgedBeforeBackup = acknowledged.ToArray();
        var backup = DataFolder.NewTemp("backup");
        var clock = Stopwatch.StartNew();
        var manifest = await EmbeddedBackup.TakeAsync(
            app.Services.GetRequiredService<ChatDatabase>().ConnectionString, app.DataDirectory, backup, TimeProvider.System);
        var backupTime = clock.Elapsed;
        var acknowledgedDuringBackup = acknowledged.Count - acknowledgedBeforeBackup.Length;
        await stop.CancelAsync();
        await load;
        await app.DisposeAndDeleteDataAsync();

        var restored = DataFolder.NewTemp("restored");
        await EmbeddedBackup.RestoreAsync(backup, restored);
        var stored = StoredClientIds(restored, thread);
        await using var again = new ClinicChatApp(restored);
        var aliceAgain = await again.SignInAsync(DemoData.Alice);
        var page = await TestData.PageAsync(aliceAgain, thread, "limit=1");
        var lastFile = (await TestData.PageAsync(aliceAgain, thread, "limit=200")).Messages.SelectMany(m => m.Attachments ?? []).Last();
        var file = await aliceAgain.Http.GetAsync(lastFile.Url);
        var sentAfterRestore = await TestData.SendAsync(aliceAgain, thread, "After the restore.");
        var broken = await DataFolder.BrokenAuditChainsAsync(again);
        await again.DisposeAsync();
        DataFolder.Delete(restored);
        DataFolder.Delete(backup);
        output.WriteLine($"{acknowledgedBeforeBackup.Length} sends acknowledged before the backup, {acknowledgedDuringBackup} during it ({backupTime.TotalMilliseconds:0} ms); {manifest.Counts["messages"]} messages and {manifest.Files.Count - 1} attachment files in the backup.");

        Assert.All(acknowledgedBeforeBackup, id => Assert.Equal(1, stored.GetValueOrDefault(id)));
        Assert.All(stored, entry => Assert.Equal(1, entry.Value));
        Assert.Equal(System.Net.HttpStatusCode.OK, file.StatusCode);
        Assert.Equal(page.LastSeq + 1, sentAfterRestore.Seq);
        Assert.Empty(broken);
    }

    [Fact]
    public async Task RestoreRefusesAFolderThatIsNotEmptyAndADamagedBackupAndRestoresNothingThen()
    {
        var data = DataFolder.CopyOfFixture();
        var backup = DataFolder.NewTemp("backup");
        var manifest = await EmbeddedBackup.TakeAsync($"Data Source={Path.Combine(data, EmbeddedBackup.DatabaseFile)};Pooling=False", data, backup, TimeProvider.System);

        var intoLiveFolder = await Assert.ThrowsAsync<BackupException>(() => EmbeddedBackup.RestoreAsync(backup, data));
        var attachment = manifest.Files.Single(f => f.Path.StartsWith("attachments/", StringComparison.Ordinal));
        await File.AppendAllTextAsync(Path.Combine(backup, attachment.Path), "tampered");
        var target = DataFolder.NewTemp("restored");
        var fromDamaged = await Assert.ThrowsAsync<BackupException>(() => EmbeddedBackup.RestoreAsync(backup, target));
        var backupIntoBackup = await Assert.ThrowsAsync<BackupException>(() =>
            EmbeddedBackup.TakeAsync($"Data Source={Path.Combine(data, EmbeddedBackup.DatabaseFile)};Pooling=False", data, backup, TimeProvider.System));
        DataFolder.Delete(data);
        DataFolder.Delete(backup);

        Assert.Contains("not empty", intoLiveFolder.Message, StringComparison.Ordinal);
        Assert.Contains(attachment.Path, fromDamaged.Message, StringComparison.Ordinal);
        Assert.False(Directory.Exists(target));
        Assert.Contains("not empty", backupIntoBackup.Message, StringComparison.Ordinal);
        Assert.Equal(DataFingerprint.Load(Path.Combine(DataFolder.FixturePath, "fingerprint.json")).Table("messages").Rows, manifest.Counts["messages"]);
    }

    [Fact]
    public async Task TheBackupAndRestoreVerbsRoundTripTheDataFolderAndTheRestoredCopyMatchesTheOriginal()
    {
        var data = DataFolder.CopyOfFixture();
        var backup = DataFolder.NewTemp("backup");
        var restored = DataFolder.NewTemp("restored");

        var backedUp = await SiloVerbAsync(["backup", backup, $"--ClinicChat:Storage:DataDirectory={data}"]);
        var restoredCode = await SiloVerbAsync(["restore", backup, restored]);
        var again = await SiloVerbAsync(["restore", backup, restored]);
        var expected = DataFingerprint.Of(data);
        var copy = DataFingerprint.Like(expected, restored);
        DataFolder.Delete(data);
        DataFolder.Delete(backup);
        DataFolder.Delete(restored);

        Assert.Equal((0, 0, 1), (backedUp, restoredCode, again));
        Assert.All(expected.Tables, table => Assert.Equal(table, copy.Table(table.Name)));
        Assert.Equal(expected.Files.Where(f => !f.Key.EndsWith(".preview.jpg", StringComparison.Ordinal)), copy.Files);
    }

    private async Task<int> SiloVerbAsync(string[] arguments)
    {
        var start = new ProcessStartInfo("dotnet", [Path.Combine(AppContext.BaseDirectory, "ClinicChat.Silo.dll"), .. arguments])
        {
            WorkingDirectory = AppContext.BaseDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            Environment = { ["DOTNET_ENVIRONMENT"] = "Development" },
        };
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        output.WriteLine($"{arguments[0]}: {await stdout}{await stderr}");
        return process.ExitCode;
    }

    /// <summary>How many times each client message id is stored in the thread, read from the restored file itself.</summary>
    private static Dictionary<string, long> StoredClientIds(string dataDirectory, Guid thread)
    {
        using var connection = new SqliteConnection($"Data Source={Path.Combine(dataDirectory, EmbeddedBackup.DatabaseFile)};Mode=ReadOnly;Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT client_message_id, COUNT(*) FROM messages WHERE conversation_id = $thread GROUP BY client_message_id";
        command.Parameters.AddWithValue("$thread", thread.ToString());
        using var reader = command.ExecuteReader();
        var counts = new Dictionary<string, long>(StringComparer.Ordinal);
        while (reader.Read())
        {
            counts[reader.GetString(0)] = reader.GetInt64(1);
        }

        return counts;
    }
}
