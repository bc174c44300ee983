using System.Net.Sockets;

namespace ClinicChat.Tests.Notices;

/// <summary>
/// The other side of an SMTP conversation, by hand, for replies the loopback server never gives: a fixed answer to
/// RCPT TO (550, 451, …), or a relay that hangs up after every message (as relays do with idle connections).
/// Speaks just enough of RFC 5321 for MailKit: greeting, EHLO, MAIL, RCPT, DATA, RSET, NOOP, QUIT.
/// </summary>
public sealed class SmtpStubServer : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stop = new();
    private readonly string _recipientReply;
    private readonly bool _hangUpAfterEachMessage;
    private readonly Task _accepting;
    private int _connections;
    private int _messages;

    /// <param name="recipientReply">The reply to every RCPT TO, e.g. "550 5.1.1 Mailbox unavailable".</param>
    /// <param name="hangUpAfterEachMessage">Close the connection after accepting a message.</param>
    public SmtpStubServer(string recipientReply = "250 2.1.5 OK", bool hangUpAfterEachMessage = false)
    {
        _recipientReply = recipientReply;
        _hangUpAfterEachMessage = hangUpAfterEachMessage;
        _listener.Start();
        _accepting = AcceptAsync();
    }

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    public int Connections => Volatile.Read(ref _connections);

    /// <summary>Messages accepted (DATA answered 250).</summary>
    public int Messages => Volatile.Read(ref _messages);

    private async Task AcceptAsync()
    {
        var conversations = new List<Task>();
        try
        {
            while (!_stop.IsCancellationRequested)
            {
                var client = await _listener.AcceptTcpClientAsync(_stop.Token);
                Interlocked.Increment(ref _connections);
                conversations.Add(ConverseAsync(client));
            }
        }
        catch (OperationCanceledException)
        {
            // Disposed.
        }

        await Task.WhenAll(conversations);
    }

    private async Task ConverseAsync(TcpClient client)
    {
        using var _ = client;
        try
        {
            var stream = client.GetStream();
            using var reader = new StreamReader(stream, Encoding.ASCII);
            await using var writer = new StreamWriter(stream, Encoding.ASCII) { NewLine = "\r\n", AutoFlush = true };
            await writer.WriteLineAsync("220 stub.example ESMTP");
            while (await reader.ReadLineAsync(_stop.Token) is { } line)
            {
                var verb = line.Split(' ', 2)[0].ToUpperInvariant();
                switch (verb)
                {
                    case "EHLO":
                        await writer.WriteLineAsync("250-stub.example");
                        await writer.WriteLineAsync("250 8BITMIME");
                        break;
                    case "HELO" or "MAIL" or "RSET" or "NOOP":
                        await writer.WriteLineAsync("250 2.0.0 OK");
                        break;
                    case "RCPT":
                        await writer.WriteLineAsync(_recipientReply);
                        break;
                    case "DATA":
                        await writer.WriteLineAsync("354 End data with <CR><LF>.<CR><LF>");
                        while (await reader.ReadLineAsync(_stop.Token) is { } data && data != ".")
                        {
                        }

                        Interlocked.Increment(ref _messages);
                        await writer.WriteLineAsync("250 2.0.0 Queued");
                        if (_hangUpAfterEachMessage)
                        {
                            return;
                        }

                        break;
                    case "QUIT":
                        await writer.WriteLineAsync("221 2.0.0 Bye");
                        return;
                    default:
                        await writer.WriteLineAsync("502 5.5.2 Command not implemented");
                        break;
                }
            }
        }
        catch (Exception failure) when (failure is IOException or SocketException or OperationCanceledException or ObjectDisposedException)
        {
            // The client went away, or the stub is being disposed.
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        await _accepting;
        _stop.Dispose();
    }
}
