using ClinicChat.Onboarding;

namespace ClinicChat.Tests.Rules;

public sealed class InvitationRulesTests
{
    private static readonly DateTimeOffset Noon = new(2026, 12, 3, 12, 0, 0, TimeSpan.Zero);
    private static readonly string Secret = InvitationRules.NewSecret();

    private static StoredInvitation Stored(DateTimeOffset? used = null, DateTimeOffset? revoked = null) => new(
        new InvitationView(Guid.NewGuid(), Guid.NewGuid(), "Riverside", "a@clinic.test", "A", InviteeRole.Admin, Noon.AddDays(7)),
        InvitationRules.Hash(Secret), used, revoked);

    [Fact]
    public void AnUnusedLinkWithTheRightSecretIsValidUntilTheMomentItExpires()
    {
        Assert.Equal(InvitationStanding.Valid, InvitationRules.StandingOf(Stored(), Secret, Noon.AddDays(7).AddTicks(-1), clinicEnabled: true));
        Assert.Equal(InvitationStanding.Expired, InvitationRules.StandingOf(Stored(), Secret, Noon.AddDays(7), clinicEnabled: true));
    }

    [Fact]
    public void AWrongSecretOrNoInvitationAtAllLearnsNothingElse()
    {
        var usedLongAgo = Stored(used: Noon);

        Assert.Equal(InvitationStanding.Unknown, InvitationRules.StandingOf(Stored(), InvitationRules.NewSecret(), Noon, clinicEnabled: true));
        Assert.Equal(InvitationStanding.Unknown, InvitationRules.StandingOf(usedLongAgo, Secret[..^1], Noon.AddYears(1), clinicEnabled: false));
        Assert.Equal(InvitationStanding.Unknown, InvitationRules.StandingOf(null, Secret, Noon, clinicEnabled: true));
    }

    [Fact]
    public void UsedAndRevokedLinksSaySoEvenAfterTheyWouldHaveExpired()
    {
        Assert.Equal(InvitationStanding.Used, InvitationRules.StandingOf(Stored(used: Noon), Secret, Noon.AddDays(30), clinicEnabled: true));
        Assert.Equal(InvitationStanding.Revoked, InvitationRules.StandingOf(Stored(revoked: Noon), Secret, Noon.AddDays(30), clinicEnabled: true));
    }

    [Fact]
    public void TheLinkAResendReplacedSaysSoUnlessTheInvitationWasUsedOrRevokedSinceAndOnlyThatLink()
    {
        var newer = InvitationRules.NewSecret();
        StoredInvitation Resent(DateTimeOffset? used = null, DateTimeOffset? revoked = null) =>
            Stored(used, revoked) with { TokenHash = InvitationRules.Hash(newer), ReplacedTokenHash = InvitationRules.Hash(Secret) };

        Assert.Equal(InvitationStanding.Replaced, InvitationRules.StandingOf(Resent(), Secret, Noon, clinicEnabled: true));
        Assert.Equal(InvitationStanding.Replaced, InvitationRules.StandingOf(Resent(), Secret, Noon.AddDays(30), clinicEnabled: false));
        Assert.Equal(InvitationStanding.Valid, InvitationRules.StandingOf(Resent(), newer, Noon, clinicEnabled: true));
        Assert.Equal(InvitationStanding.Used, InvitationRules.StandingOf(Resent(used: Noon), Secret, Noon, clinicEnabled: true));
        Assert.Equal(InvitationStanding.Revoked, InvitationRules.StandingOf(Resent(revoked: Noon), Secret, Noon, clinicEnabled: true));
        Assert.Equal(InvitationStanding.Unknown, InvitationRules.StandingOf(Resent(), InvitationRules.NewSecret(), Noon, clinicEnabled: true));
    }

    [Fact]
    public void ALinkToADisabledClinicDoesNotWork()
    {
        Assert.Equal(InvitationStanding.ClinicDisabled, InvitationRules.StandingOf(Stored(), Secret, Noon, clinicEnabled: false));
    }

    [Fact]
    public void TheStoredHashIsNotTheSecretAndSecretsDoNotRepeat()
    {
        Assert.NotEqual(Secret, InvitationRules.Hash(Secret));
        Assert.Equal(64, InvitationRules.Hash(Secret).Length);
        Assert.Equal(43, Secret.Length);
        Assert.NotEqual(Secret, InvitationRules.NewSecret());
    }

    [Theory]
    [InlineData("0123456789abcdef0123456789abcdef.s3cret", true)]
    [InlineData("0123456789abcdef0123456789abcdef.", false)]
    [InlineData("0123456789abcdef0123456789abcdeX.s3cret", false)]
    [InlineData("not-a-token", false)]
    [InlineData(null, false)]
    public void ATokenIsAnInvitationIdAndASecret(string? token, bool valid)
    {
        Assert.Equal(valid, InvitationToken.TryParse(token, out var id, out var secret));
        if (valid)
        {
            Assert.Equal((Guid.Parse("0123456789abcdef0123456789abcdef"), "s3cret"), (id, secret));
        }
    }

    [Theory]
    [InlineData("Europe/Berlin", true)]
    [InlineData("America/New_York", true)]
    [InlineData("W. Europe Standard Time", false)]
    [InlineData("Mars/Olympus_Mons", false)]
    [InlineData("", false)]
    [InlineData(null, false)]
    public void AClinicsTimeZoneIsAnIanaIdTheServerKnows(string? timeZone, bool valid)
    {
        Assert.Equal(valid, ClinicAccountRules.TimeZoneProblem(timeZone) is null);
    }
}
