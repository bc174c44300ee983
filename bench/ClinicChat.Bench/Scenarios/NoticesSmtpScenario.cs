using System.Diagnostics;
using ClinicChat.Notices;
using ClinicChat.Notices.Email;
using ClinicChat.Storage;
using Microsoft.Extensions.Hosting.Internal;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace ClinicChat.Bench.Scenarios;

/// <param name="CpuSeconds">This process's CPU meanwhile: the dispatcher, SQLite, the sender and the SMTP sink together.</param>
/// <param name="SingleNoticeP50Ms">One notice alone, from its decision's commit to the SMTP server having it (median).</param>
public sealed record NoticesResult(
    int Notices, int Sent, int Received, double WallSeconds, double NoticesPerSecond, double CpuSeconds, double CpuPercent,
    double SingleNoticeP50Ms = 0, double SingleNoticeP99Ms = 0)
{
    public double CpuMillisecondsPerNotice => Notices == 0 ? 0 : CpuSeconds * 1000 / Notices;
}

/// <summary>
/// Email notices the way a node sends them: a backlog of decided notices in the outbox (SQLite, durable), drained by the
/// real <see cref="NoticeDispatcher"/> (lease a batch, send each through <see cref="SmtpNoticeSender"/> over one kept
/// connection, commit the batch's outcomes with their audit rows) to an SMTP sink on loopback in this process
/// (<see cref="SmtpSink"/>). Then single notices, one at a time, from commit to the server: the dispatch part of a
/// notice's delay (the rest is the configured unread delay plus at most one sweep interval).
/// </summary>
public sealed class NoticesSmtpScenario(BenchOptions options)
{
    private const int WarmUp = 100;
    private const int Singles = 50;

    public int Count => options.IsSmoke ? 200 : 10_000;

    public async Task<NoticesResult> RunAsync()
    {
        var folder = Directory.CreateTempSubdirectory("clinicchat-bench-notices-").FullName;
        try
        {
            return await RunInAsync(folder);
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(folder, recursive: true);
        }
    }

    private async Task<NoticesResult> RunInAsync(string folder)
    {
        var database = new ChatDatabase(StorageProvider.Sqlite, $"Data Source={Path.Combine(folder, "clinicchat.db")};Pooling=True");
        await new SchemaMigrator(database, NullLogger<SchemaMigrator>.Instance).MigrateAsync();
        await using var writer = new GroupCommitWriter(database, 500, NullLogger<GroupCommitWriter>.Instance);
        await using var sink = new SmtpSink();
        await using var sender = new SmtpNoticeSender(
            Options.Create(new SmtpOptions { Host = "127.0.0.1", Port = sink.Port, UseTls = false, From = "notices@bench.example" }),
            NullLogger<SmtpNoticeSender>.Instance);
        var dispatcher = new NoticeDispatcher(
            new NoticeStore(database), writer, database, [sender], new NoticeLinks("https://chat.example-clinic.com"),
            Options.Create(new NotificationOptions()), new HostingEnvironment { EnvironmentName = "Production" }, TimeProvider.System,
            NullLogger<NoticeDispatcher>.Instance);
        var clinicId = Guid.NewGuid();

        // JIT, the connection's set-up and the first leases are not what a backlog of notices costs.
        await QueueAsync(writer, clinicId, WarmUp);
        await DrainAsync(dispatcher);
        await sink.WaitForAsync(WarmUp);

        await QueueAsync(writer, clinicId, Count);
        var meter = new ProcessMeter(Environment.ProcessId);
        var cpuBefore = meter.CpuSeconds();
        var started = Stopwatch.GetTimestamp();
        var handled = await DrainAsync(dispatcher);
        await sink.WaitForAsync(WarmUp + Count);
        var wall = Stopwatch.GetElapsedTime(started).TotalSeconds;
        var cpu = meter.CpuSeconds() - cpuBefore;
        var sent = await SentCountAsync(database) - WarmUp;

        List<double> singles = [];
        for (var i = 0; i < Singles; i++)
        {
            var queued = Stopwatch.GetTimestamp();
            await QueueAsync(writer, clinicId, 1);
            await DrainAsync(dispatcher);
            await sink.WaitForAsync(WarmUp + Count + i + 1);
            singles.Add(Stopwatch.GetElapsedTime(queued).TotalMilliseconds);
        }

        singles.Sort();
        var result = new NoticesResult(Count, (int)sent, sink.Received - WarmUp - Singles, wall, handled / wall, cpu, cpu / wall * 100,
            singles[singles.Count / 2], singles[(int)Math.Ceiling(singles.Count * 0.99) - 1]);
        Console.WriteLine($"  {result.Sent:N0} of {result.Notices:N0} sent, {result.Received:N0} received in {wall:F2} s: " +
                          $"{result.NoticesPerSecond:N0} notices/s, CPU {result.CpuPercent:F0} % of one core ({result.CpuMillisecondsPerNotice:F2} ms per notice); " +
                          $"one notice from commit to server p50 {result.SingleNoticeP50Ms:F1} ms, p99 {result.SingleNoticeP99Ms:F1} ms");
        return result;
    }

    private static Task QueueAsync(GroupCommitWriter writer, Guid clinicId, int count)
    {
        var now = DateTimeOffset.UtcNow;
        return writer.WriteAsync(NoticeStore.Queue([.. Enumerable.Range(0, count).Select(i => new OutboxRow(
            Guid.NewGuid(), Guid.NewGuid(), null, clinicId, Guid.NewGuid(), 1, NoticeChannel.Email, NoticeTemplates.NewMessage,
            $"patient{i:D5}@example.com", "https://chat.example-clinic.com/#/inbox", null, now, now, NoticeState.Pending))]));
    }

    private static async Task<int> DrainAsync(NoticeDispatcher dispatcher)
    {
        var handled = 0;
        for (int pass; (pass = await dispatcher.DispatchDueAsync()) > 0;)
        {
            handled += pass;
        }

        return handled;
    }

    private static async Task<long> SentCountAsync(ChatDatabase database)
    {
        await using var connection = await database.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT COUNT(*) FROM notice_outbox WHERE state = 1";
        return Convert.ToInt64(await command.ExecuteScalarAsync());
    }
}
