using System.Net.Sockets;
using ClinicChat.Tests.Notices;
using Microsoft.Data.Sqlite;

namespace ClinicChat.Web.Tests.Notices;

/// <summary>
/// The outbox across a kill -9: a notice decided while its send hangs (the SMTP server accepted the connection and says
/// nothing) is sent once after the restart, to the server configured then, and recorded as sent once.
/// </summary>
[Trait("Category", "Slow")] // two app processes
public sealed class NoticeOutboxCrashTests
{
    [Fact]
    public async Task AKillNineBetweenDecidingAndSendingNeitherLosesNorDoublesTheNotice()
    {
        var dataDirectory = Path.Combine(Path.GetTempPath(), "clinicchat-notice-kill-" + Guid.NewGuid().ToString("N"));
        var patient = TestData.PortalPatient(43);
        Guid threadId;
        using (var silentServer = new SilentSmtpServer())
        {
            using var first = await AppProcess.StartAsync(dataDirectory, NoticeSettings(silentServer.Port));
            using var alice = await first.SignInAsync(DemoData.Alice);
            threadId = (await (await alice.PostAsJsonAsync("/api/v1/conversations", new { patientId = patient.Id })).Content.ReadFromJsonAsync<ConversationDto>())!.Id;
            var sent = await alice.PostAsJsonAsync($"/api/v1/conversations/{threadId}/messages", new { clientMessageId = "notice-kill", text = "Your results are in" });
            sent.EnsureSuccessStatusCode();

            // Decided and handed to the dispatcher: its row exists and the dispatcher is stuck talking to the server.
            await WaitUntilAsync(async () => await NoticeRowsAsync(dataDirectory, threadId) is [{ State: 0 }], "the notice to be decided");
            await silentServer.WaitForConnectionAsync();
            first.Kill();
        }

        using var smtp = LoopbackSmtpServer.Start();
        using var second = await AppProcess.StartAsync(dataDirectory, NoticeSettings(smtp.Port));
        var row = Assert.Single(await NoticeRowsAsync(dataDirectory, threadId));
        await WaitUntilAsync(async () => (await NoticeRowsAsync(dataDirectory, threadId)).Single().State == 1, "the notice to be sent after the restart");

        var ours = smtp.Received.Where(mail => mail.Message.MessageId == $"{row.Id:N}@northside.test").ToList();
        Assert.Single(ours);
        Assert.Single(await NoticeRowsAsync(dataDirectory, threadId));
        Assert.Equal(1L, await ScalarAsync(dataDirectory, $"SELECT COUNT(*) FROM audit_log WHERE action = 'notice.sent' AND conversation_id = '{threadId}'"));
    }

    /// <summary>Email notices to <paramref name="smtpPort"/> on loopback, decided one second after an unread message.</summary>
    private static Dictionary<string, string> NoticeSettings(int smtpPort) => new()
    {
        ["ClinicChat__Email__Smtp__Host"] = "127.0.0.1",
        ["ClinicChat__Email__Smtp__Port"] = smtpPort.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["ClinicChat__Email__Smtp__UseTls"] = "false",
        ["ClinicChat__Email__Smtp__From"] = "notices@northside.test",
        ["ClinicChat__Notifications__UnreadDelay"] = "00:00:01",
        ["ClinicChat__Notifications__SweepInterval"] = "00:00:00.200",
    };

    private static async Task<IReadOnlyList<(Guid Id, long State)>> NoticeRowsAsync(string dataDirectory, Guid threadId)
    {
        await using var connection = new SqliteConnection($"Data Source={Path.Combine(dataDirectory, "clinicchat.db")};Mode=ReadOnly;Pooling=False");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT id, state FROM notice_outbox WHERE conversation_id = $id AND channel <> 0";
        command.Parameters.AddWithValue("$id", threadId.ToString());
        List<(Guid, long)> rows = [];
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            rows.Add((Guid.Parse(reader.GetString(0)), reader.GetInt64(1)));
        }

        return rows;
    }

    private static async Task<long> ScalarAsync(string dataDirectory, string sql)
    {
        await using var connection = new SqliteConnection($"Data Source={Path.Combine(dataDirectory, "clinicchat.db")};Mode=ReadOnly;Pooling=False");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        return (long)(await command.ExecuteScalarAsync())!;
    }

    private static async Task WaitUntilAsync(Func<Task<bool>> condition, string what)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"Waited 60 s for {what}.");
            }

            await Task.Delay(100);
        }
    }

    /// <summary>Accepts SMTP connections and never greets: a sender that reaches it is stuck mid-send until it gives up.</summary>
    private sealed class SilentSmtpServer : IDisposable
    {
        private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
        private readonly List<TcpClient> _held = [];

        public SilentSmtpServer() => _listener.Start();

        public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

        public async Task WaitForConnectionAsync() =>
            _held.Add(await _listener.AcceptTcpClientAsync().WaitAsync(TimeSpan.FromSeconds(60)));

        public void Dispose()
        {
            _held.ForEach(client => client.Dispose());
            _listener.Stop();
        }
    }
}
