using System.Net.Sockets;

namespace ClinicChat.Web.Tests;

/// <summary>Waiting for another process to finish starting: polling is the only way to know.</summary>
internal static class Readiness
{
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(200);

    /// <summary>Polls <c>/readyz</c> until it answers 200; false when <paramref name="gaveUp"/> (the process exited) or the limit passed.</summary>
    public static async Task<bool> ReadyzAsync(Uri baseAddress, Func<bool> gaveUp, TimeSpan limit)
    {
        using var client = new HttpClient { BaseAddress = baseAddress, Timeout = TimeSpan.FromSeconds(5) };
        var deadline = DateTime.UtcNow + limit;
        while (DateTime.UtcNow < deadline && !gaveUp())
        {
            try
            {
                if ((await client.GetAsync("/readyz")).StatusCode == HttpStatusCode.OK)
                {
                    return true;
                }
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
                // Not listening yet, or still starting and slower than the probe's timeout (a busy 2-core CI machine).
            }

            await Task.Delay(PollInterval);
        }

        return false;
    }

    /// <summary>Waits until a loopback port accepts connections (a silo's gateway, nginx); false as for <see cref="ReadyzAsync"/>.</summary>
    public static async Task<bool> PortOpenAsync(int port, Func<bool> gaveUp, TimeSpan limit)
    {
        var deadline = DateTime.UtcNow + limit;
        while (DateTime.UtcNow < deadline && !gaveUp())
        {
            try
            {
                using var tcp = new TcpClient();
                await tcp.ConnectAsync(IPAddress.Loopback, port);
                return true;
            }
            catch (SocketException)
            {
                await Task.Delay(PollInterval);
            }
        }

        return false;
    }
}
