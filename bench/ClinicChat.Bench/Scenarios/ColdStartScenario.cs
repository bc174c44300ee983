using System.Diagnostics;

namespace ClinicChat.Bench.Scenarios;

public sealed record ColdStartResult(double ProcessStartToReadyMs, double ProcessStartToFirstSignInMs);

/// <summary>
/// From launching the process (fresh data folder: schema creation and demo seeding included) to
/// the first successful sign-in, polling as fast as a browser retrying would.
/// </summary>
public sealed class ColdStartScenario(string webAssembly)
{
    public async Task<ColdStartResult> RunAsync()
    {
        await using var server = ClinicChatServer.Launch(webAssembly);
        await server.WaitUntilReadyAsync();
        var ready = Stopwatch.GetElapsedTime(server.StartedAt).TotalMilliseconds;
        while (!server.HasExited)
        {
            try
            {
                using var client = await ChatClient.SignInAsync(server.BaseAddress, DemoAccounts.Alice);
                break;
            }
            catch (Exception exception) when (exception is HttpRequestException or InvalidOperationException)
            {
                await Task.Delay(20);
            }
        }

        var result = new ColdStartResult(ready, Stopwatch.GetElapsedTime(server.StartedAt).TotalMilliseconds);
        Console.WriteLine($"  process start → ready {result.ProcessStartToReadyMs:F0} ms, → first sign-in {result.ProcessStartToFirstSignInMs:F0} ms");
        return result;
    }
}
