using System.Collections.Concurrent;
using ClinicChat.Notices;
using ClinicChat.Notices.Sms;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Hosting.Internal;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ClinicChat.Web.Tests.Notices;

/// <summary>The Twilio sender against a local endpoint that speaks the Messages API (request and response shape, auth, errors).</summary>
public sealed class TwilioNoticeSenderTests : IAsyncLifetime
{
    private const string OurNumber = "+15005550006";
    private const string PatientNumber = "+14155550123";
    private const string StatusCallback = "https://chat.example-clinic.test/webhooks/twilio/status";

    private TwilioApiEndpoint _twilio = null!;

    public async Task InitializeAsync() => _twilio = await TwilioApiEndpoint.StartAsync();

    public async Task DisposeAsync() => await _twilio.DisposeAsync();

    [Fact]
    public async Task ANoticeIsPostedWithExactlyItsTemplateWordingFromOurNumberAndAuthenticated()
    {
        using var sender = Sender();
        var notice = Notice();

        var result = await sender.SendAsync(notice, CancellationToken.None);

        var request = Assert.Single(_twilio.Requests);
        Assert.Equal(NoticeSendStatus.Sent, result.Status);
        Assert.Equal(request.AnsweredSid, result.ProviderMessageId);
        Assert.StartsWith("SM", result.ProviderMessageId, StringComparison.Ordinal);
        Assert.True(request.Authenticated);
        Assert.Equal(TwilioApiEndpoint.AccountSid, request.AccountSid);
        Assert.Equal(PatientNumber, request.To);
        Assert.Equal(OurNumber, request.From);
        Assert.Null(request.MessagingServiceSid);
        Assert.Equal(NoticeText.Sms(notice), request.Body);
        Assert.Equal("Northside Family Dental sent you a secure message. Sign in to read it: https://chat.example-clinic.test/#/c/1. Reply STOP to opt out.", request.Body);
    }

    [Fact]
    public async Task AMessagingServiceSendsInsteadOfAFromNumber()
    {
        using var sender = Sender(o =>
        {
            o.From = null;
            o.MessagingServiceSid = "MG00000000000000000000000000000001";
        });

        var result = await sender.SendAsync(Notice(), CancellationToken.None);

        var request = Assert.Single(_twilio.Requests);
        Assert.Equal(NoticeSendStatus.Sent, result.Status);
        Assert.Equal("MG00000000000000000000000000000001", request.MessagingServiceSid);
        Assert.Null(request.From);
    }

    [Fact]
    public async Task TheStatusCallbackCarriesTheNoticeIdSoReportsFindTheRowBeforeItsSidIsStored()
    {
        using var sender = Sender();
        var notice = Notice();

        await sender.SendAsync(notice, CancellationToken.None);

        Assert.Equal($"{StatusCallback}?notice={notice.Id:D}", Assert.Single(_twilio.Requests).StatusCallback);
    }

    [Fact]
    public async Task WithoutAStatusCallbackUrlNoCallbackIsAskedFor()
    {
        using var sender = Sender(o => o.StatusCallbackUrl = null);

        await sender.SendAsync(Notice(), CancellationToken.None);

        Assert.Null(Assert.Single(_twilio.Requests).StatusCallback);
    }

    [Theory]
    [InlineData(400, 21211, "twilio_21211")] // invalid 'To' number
    [InlineData(400, 21610, "twilio_21610")] // the recipient replied STOP
    [InlineData(400, 21408, "twilio_21408")] // region not enabled
    public async Task ARefusalForGoodFailsWithTwilioCodeAndIsNotRetried(int status, int code, string expected)
    {
        using var sender = Sender();
        _twilio.Refuse(status, code);

        var result = await sender.SendAsync(Notice(), CancellationToken.None);

        Assert.Equal(NoticeSendStatus.Failed, result.Status);
        Assert.Equal(expected, result.ErrorCode);
        Assert.Null(result.ProviderMessageId);
    }

    [Theory]
    [InlineData(429, 20429, "twilio_20429")]
    [InlineData(500, 20500, "twilio_20500")]
    [InlineData(503, null, "twilio_unreadable_error")]
    public async Task RateLimitsAndTwilioFailuresAreRetriedLater(int status, int? code, string expected)
    {
        using var sender = Sender();
        _twilio.Refuse(status, code);

        var result = await sender.SendAsync(Notice(), CancellationToken.None);

        Assert.Equal(NoticeSendStatus.RetryLater, result.Status);
        Assert.Equal(expected, result.ErrorCode);
    }

    [Fact]
    public async Task WrongCredentialsFailWithTwilioAuthenticationCode()
    {
        using var sender = Sender(o => o.AuthToken = "not-the-token");

        var result = await sender.SendAsync(Notice(), CancellationToken.None);

        Assert.False(Assert.Single(_twilio.Requests).Authenticated);
        Assert.Equal(NoticeSendStatus.Failed, result.Status);
        Assert.Equal("twilio_20003", result.ErrorCode);
    }

    [Fact]
    public async Task AnUnreachableTwilioIsRetriedLater()
    {
        using var sender = Sender(o => o.BaseUrl = $"http://127.0.0.1:{ClinicChatApp.FreePort()}");

        var result = await sender.SendAsync(Notice(), CancellationToken.None);

        Assert.Equal(NoticeSendStatus.RetryLater, result.Status);
        Assert.Equal("twilio_unreachable", result.ErrorCode);
    }

    [Fact]
    public async Task LogsCarryTheNoticeIdAndCodesButNeverTheNumberOrTheText()
    {
        var logs = new ListLogger();
        using var sender = Sender(logger: logs);
        var sent = Notice();
        await sender.SendAsync(sent, CancellationToken.None);
        _twilio.Refuse(400, 21211);
        var refused = Notice();
        await sender.SendAsync(refused, CancellationToken.None);

        Assert.Contains(logs.Lines, l => l.Contains(sent.Id.ToString(), StringComparison.Ordinal));
        Assert.Contains(logs.Lines, l => l.Contains(refused.Id.ToString(), StringComparison.Ordinal) && l.Contains("twilio_21211", StringComparison.Ordinal));
        Assert.DoesNotContain(logs.Lines, l => l.Contains("4155550123", StringComparison.Ordinal) || l.Contains("Northside", StringComparison.Ordinal) || l.Contains("secure message", StringComparison.Ordinal));
    }

    [Fact]
    public void WithoutAnAccountSidNoSmsSenderIsRegistered()
    {
        using var services = Services(new() { ["ClinicChat:Notifications:PublicBaseUrl"] = "https://chat.example-clinic.test" });

        Assert.Empty(services.GetServices<INoticeSender>());
        Assert.False(TwilioNoticeServices.TwilioConfigured(Configuration([])));
    }

    [Fact]
    public void AConfiguredAccountRegistersTheSenderWithTheStatusCallbackUnderThePublicAddress()
    {
        using var services = Services(Settings());

        var sender = Assert.Single(services.GetServices<INoticeSender>());
        Assert.Equal(NoticeChannel.Sms, sender.Channel);
        var options = services.GetRequiredService<IOptions<TwilioOptions>>().Value;
        Assert.Equal(StatusCallback, options.StatusCallbackUrl);
        Assert.Equal("https://chat.example-clinic.test", options.PublicBaseUrl);
    }

    [Theory]
    [InlineData("AuthToken", null, "AuthToken is required")]
    [InlineData("From", null, "exactly one of ClinicChat:Sms:Twilio:From")]
    [InlineData("MessagingServiceSid", "MG00000000000000000000000000000001", "exactly one of ClinicChat:Sms:Twilio:From")]
    [InlineData("From", "555-0123", "From must be an E.164 number")]
    [InlineData("BaseUrl", "not a url", "BaseUrl must be an absolute http(s) URL")]
    public void ABadSettingStopsTheStartWithAMessageNamingIt(string key, string? value, string message)
    {
        var settings = Settings();
        settings[$"ClinicChat:Sms:Twilio:{key}"] = value;
        using var services = Services(settings);

        var refused = Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<IOptions<TwilioOptions>>().Value);

        Assert.Contains(message, refused.Message, StringComparison.Ordinal);
    }

    private TwilioNoticeSender Sender(Action<TwilioOptions>? configure = null, ILogger<TwilioNoticeSender>? logger = null)
    {
        var options = new TwilioOptions
        {
            AccountSid = TwilioApiEndpoint.AccountSid,
            AuthToken = TwilioApiEndpoint.AuthToken,
            From = OurNumber,
            BaseUrl = _twilio.BaseUrl.ToString(),
            StatusCallbackUrl = StatusCallback,
        };
        configure?.Invoke(options);
        return new TwilioNoticeSender(Options.Create(options), logger ?? new ListLogger());
    }

    private static OutgoingNotice Notice() => new(
        Guid.NewGuid(), NoticeChannel.Sms, NoticeTemplates.NewMessage, PatientNumber, "Northside Family Dental", "https://chat.example-clinic.test/#/c/1", null, null, 1);

    private Dictionary<string, string?> Settings() => new()
    {
        ["ClinicChat:Sms:Twilio:AccountSid"] = TwilioApiEndpoint.AccountSid,
        ["ClinicChat:Sms:Twilio:AuthToken"] = TwilioApiEndpoint.AuthToken,
        ["ClinicChat:Sms:Twilio:From"] = OurNumber,
        ["ClinicChat:Sms:Twilio:BaseUrl"] = _twilio.BaseUrl.ToString(),
        ["ClinicChat:Notifications:PublicBaseUrl"] = "https://chat.example-clinic.test/",
    };

    private static IConfiguration Configuration(Dictionary<string, string?> settings) => new ConfigurationBuilder().AddInMemoryCollection(settings).Build();

    private static ServiceProvider Services(Dictionary<string, string?> settings)
    {
        var configuration = Configuration(settings);
        return new ServiceCollection()
            .AddSingleton(configuration)
            .AddSingleton<IHostEnvironment>(new HostingEnvironment { EnvironmentName = Environments.Production })
            .AddLogging()
            .AddTwilioNotices(configuration)
            .BuildServiceProvider();
    }

    private sealed class ListLogger : ILogger<TwilioNoticeSender>
    {
        private readonly ConcurrentQueue<string> _lines = new();

        public IReadOnlyList<string> Lines => [.. _lines];

        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            _lines.Enqueue(formatter(state, exception));
    }
}
