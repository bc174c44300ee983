using ClinicChat.Notices.Sms;
using ClinicChat.Web.Notices;
using Microsoft.Extensions.Configuration;

namespace ClinicChat.Web.Tests.Notices;

/// <summary>The SMS channel's plain rules, without a host: keywords, numbers, delivery statuses.</summary>
public sealed class TwilioRulesTests
{
    [Theory]
    [InlineData("STOP", SmsKeyword.Stop)]
    [InlineData(" stop ", SmsKeyword.Stop)]
    [InlineData("Stop.", SmsKeyword.Stop)]
    [InlineData("STOPALL", SmsKeyword.Stop)]
    [InlineData("unsubscribe", SmsKeyword.Stop)]
    [InlineData("CANCEL", SmsKeyword.Stop)]
    [InlineData("End", SmsKeyword.Stop)]
    [InlineData("QUIT!", SmsKeyword.Stop)]
    [InlineData("START", SmsKeyword.Start)]
    [InlineData("yes", SmsKeyword.Start)]
    [InlineData("UNSTOP", SmsKeyword.Start)]
    [InlineData("HELP", SmsKeyword.Help)]
    [InlineData("info", SmsKeyword.Help)]
    [InlineData("please stop", SmsKeyword.None)]
    [InlineData("stopp", SmsKeyword.None)]
    [InlineData("", SmsKeyword.None)]
    [InlineData(null, SmsKeyword.None)]
    public void OnlyAWholeMessageOfOneOfTwiliosKeywordsCounts(string? body, SmsKeyword expected) =>
        Assert.Equal(expected, SmsKeywords.Parse(body));

    [Theory]
    [InlineData("+14155550123", true)]
    [InlineData("+447700900123", true)]
    [InlineData("14155550123", false)]
    [InlineData("+1 415 555 0123", false)]
    [InlineData("+0123456789", false)]
    [InlineData("+1234567", false)]
    [InlineData(null, false)]
    public void NumbersAreKeptInE164(string? number, bool valid) => Assert.Equal(valid, SmsNumbers.IsE164(number));

    [Fact]
    public void AMaskedNumberShowsOnlyItsLastFourDigits()
    {
        Assert.Equal("***0123", SmsNumbers.Mask("+14155550123"));
        Assert.Equal("***", SmsNumbers.Mask("+12"));
        Assert.Equal("***", SmsNumbers.Mask(null));
    }

    [Theory]
    [InlineData(null, "queued", true)]
    [InlineData("queued", "sent", true)]
    [InlineData("sent", "delivered", true)]
    [InlineData("sent", "undelivered", true)]
    [InlineData("delivered", "sent", false)]
    [InlineData("failed", "delivered", false)]
    [InlineData("sent", "sent", false)]
    public void AFinalStatusIsNeverReplacedByALateReport(string? current, string next, bool replaces) =>
        Assert.Equal(replaces, DeliveryStatuses.Replaces(current, next));

    [Theory]
    [InlineData("30003", "twilio_30003")]
    [InlineData("", null)]
    [InlineData(null, null)]
    [InlineData("30003; DROP TABLE", null)]
    [InlineData("12345678901", null)]
    public void OnlyANumericTwilioErrorCodeIsStored(string? code, string? stored) => Assert.Equal(stored, DeliveryStatuses.ErrorCode(code));

    [Theory]
    [InlineData("undelivered", true)]
    [InlineData("partially_delivered", true)]
    [InlineData("Delivered", false)]
    [InlineData("<script>", false)]
    public void OnlyStatusNamesShapedLikeTwiliosAreTaken(string status, bool taken) => Assert.Equal(taken, DeliveryStatuses.IsWellFormed(status));

    [Fact]
    public void AWebNodeWithoutTwilioNeedsNoTwilioSettings() =>
        Assert.Empty(new TwilioWebhookSetting(Configuration([])).Problems());

    [Fact]
    public void AWebNodeOfAnSmsDeploymentWithoutTheAuthTokenOrThePublicAddressRefusesToStartNamingBoth()
    {
        var problems = new TwilioWebhookSetting(Configuration([("ClinicChat:Sms:Twilio:AccountSid", "AC00000000000000000000000000000001")])).Problems().ToList();

        Assert.Equal(2, problems.Count);
        Assert.Contains(problems, p => p.StartsWith("ClinicChat:Sms:Twilio:AuthToken is not set", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.StartsWith("ClinicChat:Notifications:PublicBaseUrl is not set", StringComparison.Ordinal));
    }

    [Fact]
    public void AWebNodeWithTheTokenAndTheOnboardingAddressIsReady() =>
        Assert.Empty(new TwilioWebhookSetting(Configuration([
            ("ClinicChat:Sms:Twilio:AccountSid", "AC00000000000000000000000000000001"),
            ("ClinicChat:Sms:Twilio:AuthToken", "token"),
            ("ClinicChat:Onboarding:PublicBaseUrl", "https://chat.example-clinic.test"),
        ])).Problems());

    private static IConfiguration Configuration(IEnumerable<(string Key, string Value)> settings) =>
        new ConfigurationBuilder().AddInMemoryCollection(settings.Select(s => new KeyValuePair<string, string?>(s.Key, s.Value))).Build();
}
