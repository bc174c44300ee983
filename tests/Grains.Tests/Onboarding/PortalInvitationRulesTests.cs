using ClinicChat.Notices;
using ClinicChat.Onboarding;
using ClinicChat.Onboarding.Portal;

namespace ClinicChat.Tests.Onboarding;

public sealed class PortalInvitationRulesTests
{
    private static readonly DateTimeOffset Noon = new(2026, 12, 3, 12, 0, 0, TimeSpan.Zero);
    private static readonly string Secret = InvitationRules.NewSecret();

    private static StoredPortalInvitation Stored(DateTimeOffset? used = null, DateTimeOffset? cancelled = null, DateTimeOffset? locked = null, int failed = 0) => new(
        Guid.NewGuid(), Guid.NewGuid(), "Northside", Guid.NewGuid(), "Ines Invited", NoticeChannel.Sms, "+12015550123", InvitationRules.Hash(Secret),
        Noon, Noon + PortalInvitations.Lifetime, used, cancelled, locked, failed);

    [Fact]
    public void AnUnusedLinkIsPendingForSevenDaysAndThenExpired()
    {
        Assert.Equal(PortalInvitationState.Pending, PortalInvitationRules.StateOf(Stored(), Noon.AddDays(7).AddTicks(-1)));
        Assert.Equal(PortalInvitationState.Expired, PortalInvitationRules.StateOf(Stored(), Noon.AddDays(7)));
        Assert.Equal(ActivationStanding.Valid, PortalInvitationRules.StandingOf(Stored(), Secret, Noon.AddDays(7).AddTicks(-1)));
        Assert.Equal(ActivationStanding.Expired, PortalInvitationRules.StandingOf(Stored(), Secret, Noon.AddDays(7)));
    }

    [Fact]
    public void UsedLockedAndCancelledLinksSaySoEvenAfterTheyWouldHaveExpired()
    {
        var later = Noon.AddDays(30);

        Assert.Equal(ActivationStanding.Used, PortalInvitationRules.StandingOf(Stored(used: Noon), Secret, later));
        Assert.Equal(ActivationStanding.Locked, PortalInvitationRules.StandingOf(Stored(locked: Noon, failed: 3), Secret, later));
        Assert.Equal(ActivationStanding.Cancelled, PortalInvitationRules.StandingOf(Stored(cancelled: Noon), Secret, later));
        Assert.Equal(PortalInvitationState.Locked, PortalInvitationRules.StateOf(Stored(locked: Noon, failed: 3), later));
    }

    [Fact]
    public void AWrongSecretOrNoInvitationLearnsNothingElse()
    {
        Assert.Equal(ActivationStanding.Unknown, PortalInvitationRules.StandingOf(Stored(), InvitationRules.NewSecret(), Noon));
        Assert.Equal(ActivationStanding.Unknown, PortalInvitationRules.StandingOf(Stored(locked: Noon), Secret[..^1], Noon));
        Assert.Equal(ActivationStanding.Unknown, PortalInvitationRules.StandingOf(null, Secret, Noon));
    }

    [Fact]
    public void EachWrongBirthDateCostsOneOfThreeAttempts()
    {
        Assert.Equal(3, PortalInvitationRules.AttemptsLeft(Stored()));
        Assert.Equal(1, PortalInvitationRules.AttemptsLeft(Stored(failed: 2)));
        Assert.Equal(0, PortalInvitationRules.AttemptsLeft(Stored(failed: 3)));
    }

    [Fact]
    public void StaffSeeTheAddressMaskedNeverWhole()
    {
        var status = PortalInvitationRules.StatusOf(Stored(), Noon);

        Assert.Equal(("***0123", PortalInvitationState.Pending, NoticeChannel.Sms), (status.MaskedAddress, status.State, status.Channel));
    }
}
