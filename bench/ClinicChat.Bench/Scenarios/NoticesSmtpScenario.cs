using System.Diagnostics;
using ClinicChat.Notices;
using ClinicChat.Notices.Email;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace ClinicChat.Bench.Scenarios;

/// <param name="CpuSeconds">This process's CPU meanwhile: the sender and the SMTP sink together.</param>
public sealed record NoticesResult(int Notices, int Sent, int Received, double WallSeconds, double NoticesPerSecond, double CpuSeconds, double CpuPercent)
{
    public double CpuMillisecondsPerNotice => Notices == 0 ? 0 : CpuSeconds * 1000 / Notices;
}

/// <summary>
/// Email notices through the real sender (<see cref="SmtpNoticeSender"/>: MailKit, text + HTML, one kept connection),
/// one after another as the outbox dispatcher hands them over, to an SMTP sink on loopback in this process
/// (<see cref="SmtpSink"/>). Wall time from the first send to the last message received, and this process's CPU meanwhile.
/// </summary>
public sealed class NoticesSmtpScenario(BenchOptions options)
{
    private const int WarmUp = 100;

    public int Count => options.IsSmoke ? 200 : 10_000;

    public async Task<NoticesResult> RunAsync()
    {
        await using var sink = new SmtpSink();
        await using var sender = new SmtpNoticeSender(
            Options.Create(new SmtpOptions { Host = "127.0.0.1", Port = sink.Port, UseTls = false, From = "notices@bench.example" }),
            NullLogger<SmtpNoticeSender>.Instance);

        // JIT and the connection's set-up are not what a backlog of notices costs.
        await SendAsync(sender, WarmUp);
        await sink.WaitForAsync(WarmUp);

        var meter = new ProcessMeter(Environment.ProcessId);
        var cpuBefore = meter.CpuSeconds();
        var started = Stopwatch.GetTimestamp();
        var sent = await SendAsync(sender, Count);
        await sink.WaitForAsync(WarmUp + sent);
        var wall = Stopwatch.GetElapsedTime(started).TotalSeconds;
        var cpu = meter.CpuSeconds() - cpuBefore;

        var result = new NoticesResult(Count, sent, sink.Received - WarmUp, wall, Count / wall, cpu, cpu / wall * 100);
        Console.WriteLine($"  {result.Sent:N0} of {result.Notices:N0} sent, {result.Received:N0} received in {wall:F2} s: " +
                          $"{result.NoticesPerSecond:N0} notices/s, CPU {result.CpuPercent:F0} % of one core ({result.CpuMillisecondsPerNotice:F2} ms per notice)");
        return result;
    }

    private static async Task<int> SendAsync(SmtpNoticeSender sender, int count)
    {
        var sent = 0;
        for (var i = 0; i < count; i++)
        {
            var notice = new OutgoingNotice(
                Guid.NewGuid(), NoticeChannel.Email, NoticeTemplates.NewMessage, $"patient{i:D5}@example.com", "Northside Family Dental",
                "https://chat.example-clinic.com/#/signin", Code: null, "https://chat.example-clinic.com/#/preferences", Attempt: 1);
            if ((await sender.SendAsync(notice, CancellationToken.None)).Status == NoticeSendStatus.Sent)
            {
                sent++;
            }
        }

        return sent;
    }
}
