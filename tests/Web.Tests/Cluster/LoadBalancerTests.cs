using System.Threading.Channels;
using Microsoft.AspNetCore.Http.Connections;

namespace ClinicChat.Web.Tests.Cluster;

/// <summary>
/// Two web nodes behind the nginx configuration we ship (deploy/nginx/clinicchat.conf.template): a client written
/// with the official SignalR client's defaults (negotiate, then the best transport) connects and receives pushes,
/// and so does one forced onto each transport. Without affinity for /hubs/ the negotiate request and the transport
/// land on different nodes and the connection fails ("the connection could not be found on the server").
/// </summary>
[Trait("Category", "Slow")] // real PostgreSQL, silos, web nodes and nginx as processes
[Collection(ClusterCollection.Name)]
public sealed class LoadBalancerTests(BalancedCluster balanced) : IClassFixture<BalancedCluster>
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(60);

    public static TheoryData<string> Transports => ["defaults", nameof(HttpTransportType.WebSockets), nameof(HttpTransportType.ServerSentEvents), nameof(HttpTransportType.LongPolling)];

    [Theory]
    [MemberData(nameof(Transports))]
    public async Task AClientConnectsThroughTheBalancerAndReceivesEveryPush(string transport)
    {
        var balancer = balanced.Balancer.BaseAddress;
        var patientCookies = new CookieContainer();
        using var patient = await AppProcess.SignInAsync(balancer, DemoData.Pat, patientCookies);
        using var alice = await AppProcess.SignInAsync(balancer, DemoData.Alice);
        var pushes = Channel.CreateUnbounded<MessageDto>();
        await using var hub = new HubConnectionBuilder()
            .WithUrl(new Uri(balancer, ChatHub.Path), options =>
            {
                // What a cookie-authenticated client does: the same cookie jar for its API calls and its connection.
                options.Cookies = patientCookies;
                if (transport != "defaults")
                {
                    options.Transports = Enum.Parse<HttpTransportType>(transport);
                }
            })
            .Build();
        hub.OnMessage(message => pushes.Writer.TryWrite(message));

        await ClinicChatApp.ConnectAsync(hub);
        // Several sends through the round-robin API path: over long polling each push is a poll of its own,
        // and every poll must reach the node that holds the connection.
        var texts = Enumerable.Range(1, 3).Select(n => $"Through the balancer over {transport}, {n}").ToList();
        var sent = new List<long>();
        foreach (var text in texts)
        {
            var response = await alice.PostAsJsonAsync($"/api/v1/conversations/{TestData.PatThreadAtNorthside}/messages",
                new { clientMessageId = Guid.NewGuid().ToString("N"), text });
            response.EnsureSuccessStatusCode();
            sent.Add((await response.Content.ReadFromJsonAsync<MessageDto>())!.Seq);
        }

        var received = await ReceiveAsync(pushes, sent);
        var apiStillWorks = (await patient.GetAsync("/api/v1/me")).StatusCode;

        Assert.Equal(texts, received);
        Assert.Equal(HubConnectionState.Connected, hub.State);
        Assert.Equal(HttpStatusCode.OK, apiStillWorks);
    }

    [Fact]
    public void TheServerWaitsForTwoOfTheOfficialClientsDefaultPingsBeforeDroppingAConnection()
    {
        var withDefaults = new HubConnectionBuilder().WithUrl("http://127.0.0.1/hubs/chat").Build();

        Assert.True(ChatHub.ClientTimeout >= 2 * withDefaults.KeepAliveInterval,
            $"A client pinging every {withDefaults.KeepAliveInterval} would be dropped after {ChatHub.ClientTimeout} of quiet.");
    }

    private static async Task<List<string>> ReceiveAsync(Channel<MessageDto> pushes, List<long> seqs)
    {
        using var timeout = new CancellationTokenSource(Bound);
        var bySeq = new Dictionary<long, string>();
        while (!seqs.All(bySeq.ContainsKey))
        {
            var message = await pushes.Reader.ReadAsync(timeout.Token);
            bySeq[message.Seq] = message.Text;
        }

        return seqs.Select(seq => bySeq[seq]).ToList();
    }
}

/// <summary>One cluster and one nginx for the class: starting them is most of the cost.</summary>
public sealed class BalancedCluster : IAsyncLifetime
{
    private LocalCluster? _cluster;

    internal NginxBalancer Balancer { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        _cluster = await LocalCluster.StartAsync(new Dictionary<string, string>
        {
            // Requests arrive from nginx: believe its X-Forwarded-For so rate limits count clients.
            ["ClinicChat__Proxy__KnownProxies__0"] = "127.0.0.1",
        });
        Balancer = await NginxBalancer.StartAsync(_cluster.WebNodes.Select(node => node.BaseAddress));
    }

    public async Task DisposeAsync()
    {
        if (Balancer is not null)
        {
            await Balancer.DisposeAsync();
        }

        if (_cluster is not null)
        {
            await _cluster.DisposeAsync();
        }
    }
}
