using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Globalization;
using ClinicChat.Diagnostics;
using Microsoft.AspNetCore.Mvc.Testing;

namespace ClinicChat.Web.Tests;

/// <summary>The operator's views: the Orleans Dashboard (operator accounts only) and the Prometheus scrape endpoint.</summary>
[Collection(AppCollection.Name)]
public sealed class OperationsTests(AppFixture fixture)
{
    private const string Dashboard = "/ops/orleans";
    private const string DashboardData = "/ops/orleans/DashboardCounters";
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);

    private ClinicChatApp App => fixture.App;

    /// <summary>
    /// Start-up builds the dashboard's asset provider (it gzips every asset, ~0.5 s) on the thread pool by its internal
    /// type name (<see cref="Hosting.OperationsExtensions.StartBuildingDashboardAssets"/>); a package upgrade that renamed
    /// it or stopped sharing one instance would silently put that time back on the main thread of every start.
    /// </summary>
    [Fact]
    public void TheDashboardAssetProviderThatStartUpBuildsEarlyIsStillOneSharedInstance()
    {
        var assets = Hosting.OperationsExtensions.DashboardAssetProviderType;

        Assert.NotNull(assets);
        var built = App.Services.GetService(assets);
        Assert.NotNull(built);
        Assert.Same(built, App.Services.GetService(assets));
    }

    [Fact]
    public async Task AnAnonymousBrowserIsSentToSignInWithAWayBackToTheDashboard()
    {
        using var browser = App.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        using var request = new HttpRequestMessage(HttpMethod.Get, Dashboard);
        request.Headers.Accept.ParseAdd("text/html,application/xhtml+xml,*/*;q=0.8");

        var response = await browser.SendAsync(request);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/?returnUrl=%2Fops%2Forleans", response.Headers.Location?.OriginalString);
    }

    [Theory]
    [InlineData(Dashboard)]
    [InlineData(DashboardData)]
    public async Task AnAnonymousRequestForTheDashboardOrItsDataIsUnauthenticated(string path)
    {
        using var client = App.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });

        var response = await client.GetAsync(path);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal(ApiErrors.Unauthenticated, (await TestData.ProblemAsync(response)).Code);
    }

    /// <summary>
    /// The dashboard is for operator accounts only (see <c>OnboardingTests</c> for the operator's way in):
    /// every clinic account, its Admin included, gets the 404 of a page that does not exist.
    /// </summary>
    [Theory]
    [InlineData(DemoData.Alice)]
    [InlineData(DemoData.Frank)]
    [InlineData(DemoData.Bill)]
    [InlineData(DemoData.Olga)]
    [InlineData(DemoData.Pat)]
    public async Task NoClinicAccountNotEvenAClinicAdminFindsTheDashboardOrItsData(string email)
    {
        var session = await App.SignInAsync(email);

        var page = await session.Http.GetAsync(Dashboard);
        var data = await session.Http.GetAsync(DashboardData);

        Assert.Equal((HttpStatusCode.NotFound, HttpStatusCode.NotFound), (page.StatusCode, data.StatusCode));
        Assert.Equal(ApiErrors.NotFound, (await TestData.ProblemAsync(page)).Code);
        Assert.Equal(ApiErrors.NotFound, (await TestData.ProblemAsync(data)).Code);
    }

    [Theory]
    [InlineData("/ops/orleans/Trace")]
    [InlineData("/ops/orleans/GrainState?grainType=ClinicChat.Conversations.ConversationGrain&grainId=00000000-0000-0000-0000-000000000001")]
    public async Task TheLiveLogStreamAndGrainStateAreSwitchedOffEvenForAdmins(string path)
    {
        var olga = await App.SignInAsync(DemoData.Olga);
        var alice = await App.SignInAsync(DemoData.Alice);

        var asAdmin = await olga.Http.GetAsync(path);
        var asClinician = await alice.Http.GetAsync(path);

        Assert.Equal(HttpStatusCode.NotFound, asAdmin.StatusCode);
        Assert.Equal(ApiErrors.NotFound, (await TestData.ProblemAsync(asAdmin)).Code);
        Assert.Equal(HttpStatusCode.NotFound, asClinician.StatusCode);
    }

    [Fact]
    public async Task TheScrapeEndpointCountsSentDeliveredAndPushedMessagesWithoutPatientData()
    {
        var (_, alice, patient, thread) = await ChatScenario.StartAsync(App);
        var patientSession = await App.SignInAsync(patient.Email);
        await using var patientHub = App.CreateHubConnection(patientSession.Cookie);
        var pushed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        patientHub.OnMessage(message =>
        {
            if (message.ConversationId == thread)
            {
                pushed.TrySetResult();
            }
        });
        await ClinicChatApp.ConnectAsync(patientHub);
        const string text = "Metrics canary: your test results are ready.";

        var sent = await TestData.SendAsync(alice, thread, text);
        // The relay records the push latency before it hands the message to SignalR.
        await pushed.Task.WaitAsync(Patience);
        var receipt = await patientSession.Http.PostAsJsonAsync($"/api/v1/conversations/{thread}/receipts", new { deliveredUpToSeq = sent.Seq });
        receipt.EnsureSuccessStatusCode();
        using var prometheus = new HttpClient();
        var scrape = await prometheus.GetStringAsync(App.MetricsUri);

        Assert.True(PrometheusText.Sum(scrape, "clinicchat_messages_sent_total") >= 1, "messages sent");
        Assert.True(PrometheusText.Sum(scrape, "clinicchat_receipts_delivered_total") >= 1, "delivery receipts");
        Assert.True(PrometheusText.Sum(scrape, "clinicchat_storage_commit_duration_milliseconds_count") >= 1, "group commits timed");
        Assert.True(PrometheusText.Sum(scrape, "clinicchat_storage_commit_units_sum") >= 1, "units in group commits");
        Assert.True(PrometheusText.Sum(scrape, "clinicchat_push_latency_milliseconds_count") >= 1, "push latency samples");
        Assert.True(PrometheusText.Sum(scrape, "clinicchat_signalr_connections") >= 1, "open connections");
        Assert.True(PrometheusText.Sum(scrape, "orleans_catalog_activations") >= 1, "Orleans' grain activations");
        Assert.True(PrometheusText.Sum(scrape, "http_server_request_duration_seconds_count") >= 1, "ASP.NET Core requests");
        Assert.Contains("dotnet_gc_", scrape, StringComparison.Ordinal);
        foreach (var secret in new[] { text, patient.Name, patient.Email, patient.Id.ToString(), thread.ToString(), patientSession.UserId })
        {
            Assert.DoesNotContain(secret, scrape, StringComparison.OrdinalIgnoreCase);
        }
    }

    /// <summary>
    /// .NET's MeterListener hears every meter of the process by name, so a second host in the same process (the tests'
    /// other apps, a silo and a web node side by side) would add its counts to this one's scrape: its closed connections
    /// took this host's open-connection count below zero, now and then, under the suite's parallel apps.
    /// </summary>
    [Fact]
    public async Task TheScrapeCountsOnlyThisHostsInstrumentsNotThoseOfAnotherHostInTheSameProcess()
    {
        using var neighbour = new ServiceCollection().AddMetrics().BuildServiceProvider();
        using var meter = neighbour.GetRequiredService<IMeterFactory>().Create(ChatMetrics.MeterName);
        meter.CreateUpDownCounter<long>("clinicchat.signalr.connections", "{connection}").Add(-1_000);
        meter.CreateCounter<long>("clinicchat.neighbour.only").Add(1);
        using var prometheus = new HttpClient();

        var scrape = await prometheus.GetStringAsync(App.MetricsUri);

        Assert.True(PrometheusText.Sum(scrape, "clinicchat_signalr_connections") >= 0, "the neighbour's closed connections are not this host's");
        Assert.DoesNotContain("clinicchat_neighbour_only", scrape, StringComparison.Ordinal);
    }

    /// <summary>
    /// Activity propagation is always on; spans exist only while someone listens. Here the test
    /// listens (as the OpenTelemetry SDK does when an OTLP endpoint is configured).
    /// </summary>
    [Fact]
    public async Task ASentMessageIsTracedFromTheRequestThroughTheGrainToTheGroupCommit()
    {
        var patient = TestData.PortalPatient(161);
        var alice = await App.SignInAsync(DemoData.Alice);
        var thread = await TestData.StartAsync(alice, patient.Id);
        var stopped = new ConcurrentQueue<Activity>();
        var complete = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name is "Microsoft.AspNetCore" or "Microsoft.Orleans.Application" or "ClinicChat",
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = activity =>
            {
                stopped.Enqueue(activity);
                if (TraceOfSend(stopped, thread.Id) is { } trace && stopped.Any(a => a.Source.Name == "Microsoft.AspNetCore" && a.TraceId == trace)
                    && stopped.Any(a => a.Source.Name == "ClinicChat" && a.Links.Any(link => link.Context.TraceId == trace)))
                {
                    complete.TrySetResult();
                }
            },
        };
        ActivitySource.AddActivityListener(listener);

        await TestData.SendAsync(alice, thread.Id, "Traced, but never into a span.");
        await complete.Task.WaitAsync(Patience);

        var trace = TraceOfSend(stopped, thread.Id)!.Value;
        var request = stopped.Single(a => a.Source.Name == "Microsoft.AspNetCore" && a.TraceId == trace);
        var commit = stopped.First(a => a.Source.Name == "ClinicChat" && a.Links.Any(link => link.Context.TraceId == trace));
        Assert.Null(request.Parent);
        Assert.Equal(ActivityKind.Internal, commit.Kind);
        Assert.Equal(default, commit.ParentSpanId);
        Assert.True((int)commit.GetTagItem("clinicchat.batch.size")! >= 1);
        Assert.DoesNotContain(stopped.Where(a => a.TraceId == trace).SelectMany(a => a.TagObjects), tag => tag.Value?.ToString()?.Contains("never into a span", StringComparison.Ordinal) == true);
    }

    /// <summary>The trace of the conversation grain's SendAsync call on this thread (Orleans tags the target grain id).</summary>
    private static ActivityTraceId? TraceOfSend(IEnumerable<Activity> activities, Guid conversationId) =>
        activities.FirstOrDefault(a => a.Source.Name == "Microsoft.Orleans.Application" && a.Kind == ActivityKind.Server
            && a.DisplayName.Contains("SendAsync", StringComparison.Ordinal)
            && a.TagObjects.Any(tag => tag.Value is string value && value.EndsWith(conversationId.ToString("N"), StringComparison.Ordinal)))?.TraceId;
}

/// <summary>Reads Prometheus' text exposition format as a scraper would.</summary>
public static class PrometheusText
{
    /// <summary>The sum of every series of a metric (all label sets); 0 when it is absent.</summary>
    public static double Sum(string scrape, string metric) =>
        scrape.Split('\n')
            .Where(line => line.StartsWith(metric + "{", StringComparison.Ordinal) || line.StartsWith(metric + " ", StringComparison.Ordinal))
            .Select(line => line[(line.LastIndexOf('}') is var end and >= 0 ? end + 1 : metric.Length)..].Trim().Split(' ')[0])
            .Sum(value => double.Parse(value, CultureInfo.InvariantCulture));
}
