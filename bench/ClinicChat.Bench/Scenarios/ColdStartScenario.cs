using System.Diagnostics;

namespace ClinicChat.Bench.Scenarios;

public sealed record ColdStartResult(double ProcessStartToReadyMs, double ProcessStartToFirstSignInMs, double RestartToFirstSignInMs);

/// <summary>
/// From launching the process to the first successful sign-in, polling as fast as a browser
/// retrying would: first on a fresh data folder (schema creation and demo seeding included), then a
/// restart on the same folder, which is what an operator's restart or an upgrade costs.
/// </summary>
public sealed class ColdStartScenario(BenchTarget target)
{
    public async Task<ColdStartResult> RunAsync()
    {
        await using var first = target.LaunchEmbedded();
        var (ready, signedIn) = await TimeStartAsync(first.FirstWebNode);
        var restarted = await first.RestartFirstWebNodeAsync();
        var (_, signedInAgain) = await TimeStartAsync(restarted);

        var result = new ColdStartResult(ready, signedIn, signedInAgain);
        Console.WriteLine($"  fresh folder: start → ready {result.ProcessStartToReadyMs:F0} ms, → first sign-in {result.ProcessStartToFirstSignInMs:F0} ms; " +
                          $"restart → first sign-in {result.RestartToFirstSignInMs:F0} ms");
        return result;
    }

    private static async Task<(double Ready, double SignedIn)> TimeStartAsync(ChatProcess web)
    {
        await web.WaitUntilReadyAsync();
        var ready = Stopwatch.GetElapsedTime(web.StartedAt).TotalMilliseconds;
        while (!web.HasExited)
        {
            try
            {
                using var client = await ChatClient.SignInAsync(web.BaseAddress!, DemoAccounts.Alice);
                break;
            }
            catch (Exception exception) when (exception is HttpRequestException or InvalidOperationException)
            {
                await Task.Delay(20);
            }
        }

        return (ready, Stopwatch.GetElapsedTime(web.StartedAt).TotalMilliseconds);
    }
}
