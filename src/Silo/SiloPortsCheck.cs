using System.Net;
using System.Net.Sockets;

namespace ClinicChat.Hosting;

/// <summary>
/// Refuses to start a silo whose silo or gateway port another process already listens on. Orleans
/// binds its listeners with SO_REUSEPORT on Linux, so a second ClinicChat on the same ports (two
/// <c>dotnet run</c>s, or the app and a test run) starts without any error, and because both use
/// the same cluster id the kernel then spreads silo-to-silo and gateway connections between the two
/// processes. A plain bind (no SO_REUSEPORT) fails while anyone listens on the port, which is exactly
/// the question; it runs before Orleans opens its own listeners.
/// </summary>
internal sealed class SiloPortsCheck(IPAddress address, int siloPort, int gatewayPort) : ILifecycleParticipant<ISiloLifecycle>
{
    public void Participate(ISiloLifecycle lifecycle) =>
        lifecycle.Subscribe(nameof(SiloPortsCheck), ServiceLifecycleStage.First, _ =>
        {
            ThrowIfInUse(address, siloPort, "SiloPort");
            ThrowIfInUse(address, gatewayPort, "GatewayPort");
            return Task.CompletedTask;
        });

    public static void ThrowIfInUse(IPAddress address, int port, string setting)
    {
        if (port == 0 || IsFree(address, port))
        {
            return;
        }

        throw new PortInUseException(
            $"Another process (probably another ClinicChat) already listens on {address}:{port}, this silo's {setting}. " +
            $"Stop it, or give this instance its own ports: ClinicChat:Orleans:SiloPort and ClinicChat:Orleans:GatewayPort " +
            $"(for example --ClinicChat:Orleans:SiloPort=11112 --ClinicChat:Orleans:GatewayPort=30001) and its own data directory.");
    }

    private static bool IsFree(IPAddress address, int port)
    {
        using var probe = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            probe.Bind(new IPEndPoint(address, port));
            return true;
        }
        catch (SocketException e) when (e.SocketErrorCode is SocketError.AddressAlreadyInUse or SocketError.AccessDenied)
        {
            return false;
        }
    }
}

/// <summary>A silo port is taken: the message says which and what to change.</summary>
public sealed class PortInUseException(string message) : InvalidOperationException(message);
