using System.Collections.Concurrent;
using System.Diagnostics;
using ClinicChat.Conversations;
using ClinicChat.Web.Tests.Cluster;
using Npgsql;

namespace ClinicChat.Web.Tests.Backups;

/// <summary>
/// The cluster-mode restore drill of docs/operations.md ("Backups and restore"), with the machine's
/// PostgreSQL 15 tools: pg_dump -Fc of a database written under load, pg_restore into a fresh
/// database, ClinicChat started on the restored one.
/// </summary>
[Trait("Category", "Slow")] // a PostgreSQL server, a cluster of processes, then another
public sealed class PostgresRestoreDrillTests(Xunit.Abstractions.ITestOutputHelper output)
{
    private const string Tools = "/usr/lib/postgresql/15/bin";

    [Fact]
    public async Task ADumpTakenWhileMessagesAreBeingSentRestoresIntoAWorkingClusterWithEveryAcknowledgedMessageOnce()
    {
        await using var cluster = await LocalCluster.StartAsync();
        using var pat = await cluster.WebNodes[0].SignInAsync(DemoData.Pat);
        var thread = ConversationId.For(DemoData.Northside, DemoData.PatPortal);
        var acknowledged = new ConcurrentQueue<string>();
        using var stop = new CancellationTokenSource();
        var load = Task.Run(async () =>
        {
            for (var i = 0; !stop.IsCancellationRequested; i++)
            {
                var id = $"drill-{i}";
                (await pat.PostAsJsonAsync($"/api/v1/conversations/{thread}/messages", new { clientMessageId = id, text = $"Drill {i}" })).EnsureSuccessStatusCode();
                acknowledged.Enqueue(id);
            }
        });
        while (acknowledged.Count < 30 && !load.IsCompleted)
        {
            await Task.Delay(20); // polling the condition, not a wait for time to pass
        }

        var acknowledgedBeforeDump = acknowledged.ToArray();
        var dump = Path.Combine(Path.GetTempPath(), $"clinicchat-{Guid.NewGuid():N}.dump");
        var source = new NpgsqlConnectionStringBuilder(cluster.ConnectionString);
        await RunAsync("pg_dump", ["-Fc", "-h", source.Host!, "-p", source.Port.ToString(), "-U", source.Username!, "-d", source.Database!, "-f", dump]);
        await stop.CancelAsync();
        await load;

        var restored = await cluster.Postgres.CreateDatabaseAsync("restored") + ";Maximum Pool Size=20";
        await RunAsync("pg_restore", ["--no-owner", "-h", source.Host!, "-p", source.Port.ToString(), "-U", source.Username!, "-d", "restored", dump]);
        File.Delete(dump);
        var settings = new Dictionary<string, string>
        {
            ["ClinicChat__Storage__Provider"] = "PostgreSql",
            ["ClinicChat__Storage__ConnectionString"] = restored,
            // A new cluster id: the restored membership table still lists the old cluster's silos.
            ["ClinicChat__Orleans__ClusterId"] = "restored-" + Guid.NewGuid().ToString("N")[..8],
            ["ClinicChat__Orleans__SiloPort"] = ClinicChatApp.FreePort().ToString(),
            ["ClinicChat__Orleans__GatewayPort"] = ClinicChatApp.FreePort().ToString(),
        };
        var root = Path.Combine(Path.GetTempPath(), "clinicchat-drill-" + Guid.NewGuid().ToString("N"));
        var stored = await CopiesAsync(restored, thread);
        var verify = await SiloAsync(settings, "verify-audit");
        using var silo = await AppProcess.StartAsync(Path.Combine(root, "silo"), settings, "ClinicChat.Silo.dll");
        using var web = await AppProcess.StartAsync(Path.Combine(root, "web"), new Dictionary<string, string>(settings) { ["ClinicChat__Hosting__Mode"] = "Client", ["ClinicChat__Seed__Demo"] = "false" });
        using var patAgain = await web.SignInAsync(DemoData.Pat);
        var sent = await patAgain.PostAsJsonAsync($"/api/v1/conversations/{thread}/messages", new { clientMessageId = "after-restore", text = "After the restore" });
        var message = await sent.Content.ReadFromJsonAsync<MessageDto>();
        web.Dispose();
        silo.Dispose();
        if (Directory.Exists(root))
        {
            Directory.Delete(root, recursive: true);
        }
        output.WriteLine($"{acknowledgedBeforeDump.Length} sends acknowledged before pg_dump started, {acknowledged.Count} in all; {stored.Count} drill messages in the dump.");

        Assert.All(acknowledgedBeforeDump, id => Assert.Equal(1, stored.GetValueOrDefault(id)));
        Assert.All(stored, entry => Assert.Equal(1, entry.Value));
        Assert.Equal(0, verify);
        Assert.Equal("After the restore", message!.Text);
    }

    private static async Task<Dictionary<string, int>> CopiesAsync(string connectionString, Guid thread)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT client_message_id, COUNT(*) FROM messages WHERE conversation_id = @id AND client_message_id LIKE 'drill-%' GROUP BY client_message_id", connection);
        command.Parameters.AddWithValue("id", thread.ToString());
        var copies = new Dictionary<string, int>(StringComparer.Ordinal);
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            copies[reader.GetString(0)] = (int)reader.GetInt64(1);
        }

        return copies;
    }

    private async Task RunAsync(string tool, string[] arguments)
    {
        var start = new ProcessStartInfo(Path.Combine(Tools, tool), arguments) { RedirectStandardError = true, RedirectStandardOutput = true };
        using var process = Process.Start(start)!;
        var stderr = process.StandardError.ReadToEndAsync();
        await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();
        var errors = await stderr;
        output.WriteLine($"{tool}: exit {process.ExitCode} {errors}");
        Assert.True(process.ExitCode == 0, $"{tool} failed: {errors}");
    }

    private async Task<int> SiloAsync(IReadOnlyDictionary<string, string> settings, string verb)
    {
        var start = new ProcessStartInfo("dotnet", [Path.Combine(AppContext.BaseDirectory, "ClinicChat.Silo.dll"), verb])
        {
            WorkingDirectory = AppContext.BaseDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            Environment = { ["DOTNET_ENVIRONMENT"] = "Development" },
        };
        foreach (var (key, value) in settings)
        {
            start.Environment[key] = value;
        }

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        output.WriteLine($"{verb}: {await stdout}{await stderr}");
        return process.ExitCode;
    }
}
