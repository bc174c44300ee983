using System.Text.RegularExpressions;
using ClinicChat.Notices.Email;
using MimeKit;
using netDumbster.smtp;

namespace ClinicChat.Tests.Notices;

/// <summary>
/// A real SMTP server (netDumbster) on a free loopback port, for tests that send email. Received messages are parsed
/// back with MimeKit, and a test waits for the count it expects (a deadline, never a sleep).
/// </summary>
public sealed partial class LoopbackSmtpServer : IDisposable
{
    private static readonly TimeSpan DefaultDeadline = TimeSpan.FromSeconds(30);

    private readonly SimpleSmtpServer _server;
    private readonly List<ReceivedEmail> _received = [];
    private readonly List<(int Count, TaskCompletionSource Reached)> _waiters = [];

    private LoopbackSmtpServer(SimpleSmtpServer server)
    {
        _server = server;
        _server.MessageReceived += (_, args) => Receive(args.Message);
    }

    public static LoopbackSmtpServer Start() =>
        new(Configuration.Configure().WithAddress(IPAddress.Loopback).WithRandomPort().Build());

    public int Port => _server.Configuration.Port;

    public IReadOnlyList<ReceivedEmail> Received
    {
        get
        {
            lock (_received)
            {
                return [.. _received];
            }
        }
    }

    /// <summary>Settings that send to this server: clear text, no authentication.</summary>
    public SmtpOptions Options(string from = "notices@clinic.example") =>
        new() { Host = "127.0.0.1", Port = Port, UseTls = false, From = from };

    /// <summary>Completes when at least <paramref name="count"/> messages have arrived; fails after the deadline.</summary>
    public async Task<IReadOnlyList<ReceivedEmail>> WaitForAsync(int count, TimeSpan? deadline = null)
    {
        TaskCompletionSource reached;
        lock (_received)
        {
            if (_received.Count >= count)
            {
                return [.. _received];
            }

            reached = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            _waiters.Add((count, reached));
        }

        try
        {
            await reached.Task.WaitAsync(deadline ?? DefaultDeadline);
        }
        catch (TimeoutException)
        {
            throw new TimeoutException($"Expected {count} message(s) at the loopback SMTP server; {Received.Count} arrived.");
        }

        return Received;
    }

    /// <summary>The first message that matches, once it arrives (other tests may send to the same server meanwhile).</summary>
    public async Task<ReceivedEmail> WaitForAsync(Func<ReceivedEmail, bool> match, TimeSpan? deadline = null)
    {
        var until = DateTime.UtcNow + (deadline ?? DefaultDeadline);
        for (var count = 1; ; count++)
        {
            var received = await WaitForAsync(count, until - DateTime.UtcNow is { Ticks: > 0 } left ? left : TimeSpan.Zero);
            if (received.FirstOrDefault(match) is { } found)
            {
                return found;
            }

            count = received.Count;
        }
    }

    private void Receive(SmtpMessage message)
    {
        // netDumbster keeps DATA as sent, dot-stuffing included (RFC 5321 4.5.2: a line starting with "." is sent with
        // one more): a real server removes that dot, and so does this wrapper, or a quoted-printable line that starts
        // with "." would read as "..".
        var raw = DotStuffing().Replace(message.Data, ".");
        var email = new ReceivedEmail(
            raw,
            MimeMessage.Load(new MemoryStream(Encoding.UTF8.GetBytes(raw))),
            [.. message.ToAddresses.Select(a => a.ToString())],
            message.RemotePort);
        lock (_received)
        {
            _received.Add(email);
            foreach (var waiter in _waiters.Where(w => _received.Count >= w.Count).ToList())
            {
                _waiters.Remove(waiter);
                waiter.Reached.TrySetResult();
            }
        }
    }

    public void Dispose() => _server.Dispose();

    [GeneratedRegex(@"(?m)^\.\.")]
    private static partial Regex DotStuffing();
}

/// <param name="Raw">The message as the server received it after DATA: every header and part, encoded.</param>
/// <param name="EnvelopeRecipients">RCPT TO addresses.</param>
/// <param name="ClientPort">The sender's TCP port: the same for messages sent over one connection.</param>
public sealed record ReceivedEmail(string Raw, MimeMessage Message, IReadOnlyList<string> EnvelopeRecipients, int ClientPort);
