using ClinicChat.Notices;

namespace ClinicChat.Tests.Notices;

/// <summary>The notice rules on plain values: channels, quiet hours (in the clinic's own zone), masking, back-off.</summary>
public sealed class NoticeRulesTests
{
    private static readonly TimeOnly Nine = new(21, 0);
    private static readonly TimeOnly Eight = new(8, 0);
    private static readonly NoticeContact Both = new("pat@example.com", "+15551230000", MobileStopped: false);

    [Fact]
    public void ByDefaultEmailGoesToAVerifiedAddressAndSmsWaitsForConsent()
    {
        var (channels, suppressed) = NoticeRules.Channels(NoticeChoice.Default, Both);

        Assert.Equal([NoticeChannel.Email], channels);
        Assert.Null(suppressed);
    }

    [Fact]
    public void SmsNeedsConsentAVerifiedNumberAndNoStop()
    {
        var consented = new NoticeChoice(Email: false, Sms: true, SmsConsentAt: DateTimeOffset.UnixEpoch);

        Assert.Equal([NoticeChannel.Sms], NoticeRules.Channels(consented, Both).Channels);
        Assert.Equal(SuppressedBecause.NoVerifiedContact, NoticeRules.Channels(consented with { SmsConsentAt = null }, Both).Suppressed);
        Assert.Equal(SuppressedBecause.NoVerifiedContact, NoticeRules.Channels(consented, Both with { VerifiedMobile = null }).Suppressed);
        Assert.Equal(SuppressedBecause.SmsStopped, NoticeRules.Channels(consented, Both with { MobileStopped = true }).Suppressed);
    }

    [Fact]
    public void NothingChosenOrNothingVerifiedSuppressesWithTheReason()
    {
        Assert.Equal(SuppressedBecause.NoChannelChosen, NoticeRules.Channels(new NoticeChoice(false, false, null), Both).Suppressed);
        Assert.Equal(SuppressedBecause.NoVerifiedContact, NoticeRules.Channels(NoticeChoice.Default, NoticeContact.None).Suppressed);
    }

    [Theory]
    [InlineData(2, false)]
    [InlineData(3, true)]
    [InlineData(7, true)]
    public void TheDailyCapCountsNoticesInTheWindow(int sent, bool reached) =>
        Assert.Equal(reached, NoticeRules.CapReached(sent, cap: 3));

    [Fact]
    public void SmsOutsideQuietHoursLeavesAtOnce()
    {
        var noonInNewYork = new DateTimeOffset(2026, 12, 3, 17, 0, 0, TimeSpan.Zero);

        Assert.Equal(noonInNewYork, NoticeRules.SmsSendAt(noonInNewYork, Zone("America/New_York"), Nine, Eight));
    }

    [Fact]
    public void SmsLateInTheClinicsEveningWaitsUntilItsMorning()
    {
        // 13:30 UTC is 22:30 in Tokyo (UTC+9): quiet until 08:00 there, which is 23:00 UTC the same day.
        var lateInTokyo = new DateTimeOffset(2026, 12, 3, 13, 30, 0, TimeSpan.Zero);

        var sendAt = NoticeRules.SmsSendAt(lateInTokyo, Zone("Asia/Tokyo"), Nine, Eight);

        Assert.Equal(new DateTimeOffset(2026, 12, 3, 23, 0, 0, TimeSpan.Zero), sendAt.ToUniversalTime());
    }

    [Fact]
    public void SmsAfterMidnightButBeforeMorningWaitsUntilThatMorning()
    {
        // 06:00 UTC is 01:00 in New York (UTC-5 in December): held until 08:00 there, 13:00 UTC.
        var smallHours = new DateTimeOffset(2026, 12, 3, 6, 0, 0, TimeSpan.Zero);

        Assert.Equal(new DateTimeOffset(2026, 12, 3, 13, 0, 0, TimeSpan.Zero), NoticeRules.SmsSendAt(smallHours, Zone("America/New_York"), Nine, Eight).ToUniversalTime());
    }

    [Fact]
    public void QuietHoursWithinOneDayAreHonouredToo()
    {
        var lunch = new DateTimeOffset(2026, 12, 3, 12, 30, 0, TimeSpan.Zero);

        Assert.Equal(new DateTimeOffset(2026, 12, 3, 13, 0, 0, TimeSpan.Zero),
            NoticeRules.SmsSendAt(lunch, TimeZoneInfo.Utc, new TimeOnly(12, 0), new TimeOnly(13, 0)).ToUniversalTime());
    }

    [Fact]
    public void AQuietEndInTheSpringForwardGapMovesToTheFirstRealMinute()
    {
        // Europe/Berlin skips 02:00–03:00 on 2026-03-29; quiet hours ending at 02:30 end at 03:00 local (01:00 UTC).
        var night = new DateTimeOffset(2026, 3, 28, 23, 30, 0, TimeSpan.Zero);

        var sendAt = NoticeRules.SmsSendAt(night, Zone("Europe/Berlin"), new TimeOnly(22, 0), new TimeOnly(2, 30));

        Assert.Equal(new DateTimeOffset(2026, 3, 29, 1, 0, 0, TimeSpan.Zero), sendAt.ToUniversalTime());
    }

    [Fact]
    public void AnUnknownClinicZoneMeansUtc() => Assert.Equal(TimeZoneInfo.Utc, NoticeRules.ZoneOf("Mars/Olympus_Mons"));

    [Theory]
    [InlineData(NoticeChannel.Email, "pat.portal@example.com", "p***@example.com")]
    [InlineData(NoticeChannel.Sms, "+15551234567", "***4567")]
    [InlineData(NoticeChannel.Email, "not-an-address", "***")]
    public void AddressesAreMaskedForAuditAndLogs(NoticeChannel channel, string address, string masked) =>
        Assert.Equal(masked, ContactMasks.Mask(channel, address));

    [Fact]
    public void RetriesBackOffAndAreCapped()
    {
        Assert.Equal(TimeSpan.FromSeconds(30), NoticeRules.Backoff(1));
        Assert.Equal(TimeSpan.FromMinutes(2), NoticeRules.Backoff(3));
        Assert.Equal(TimeSpan.FromHours(1), NoticeRules.Backoff(20));
    }

    private static TimeZoneInfo Zone(string id) => TimeZoneInfo.FindSystemTimeZoneById(id);
}
