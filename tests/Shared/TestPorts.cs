using System.Net.Sockets;

namespace ClinicChat.Tests.Shared;

/// <summary>
/// Loopback ports for servers the tests start on a port named in advance (a process's <c>--urls</c>, a silo's ports).
/// Taken below Linux's ephemeral range (32768–60999): asking the kernel for port 0 hands out a port from that range,
/// and so does every outgoing connection and every server that binds port 0 itself, so a port picked there could be
/// taken in the moment between picking and binding (it happened: a published app failed with "address already in use").
/// </summary>
public static class TestPorts
{
    private const int First = 20_000;
    private const int Count = 12_000;

    // Each test process starts somewhere else in the range, so that two running at once rarely meet.
    private static int _next = Random.Shared.Next(Count);

    public static int Free()
    {
        for (var attempt = 0; attempt < Count; attempt++)
        {
            var port = First + (int)((uint)Interlocked.Increment(ref _next) % Count);
            try
            {
                using var listener = new TcpListener(IPAddress.Loopback, port);
                listener.Start();
                return port;
            }
            catch (SocketException)
            {
                // In use: try the next one.
            }
        }

        throw new InvalidOperationException($"No free loopback port in {First}-{First + Count - 1}.");
    }
}
