namespace ClinicChat.Tests.Rules;

public sealed class ArchivalPolicyTests
{
    private static readonly DateTimeOffset LastActivity = new(2025, 3, 31, 10, 15, 0, TimeSpan.Zero);

    [Fact]
    public void AThreadArchivesExactlyTwelveCalendarMonthsAfterItsLastActivity()
    {
        var archivesAt = new DateTimeOffset(2026, 3, 31, 10, 15, 0, TimeSpan.Zero);

        Assert.False(ArchivalPolicy.ShouldArchive(LastActivity, archivesAt.AddTicks(-1)));
        Assert.True(ArchivalPolicy.ShouldArchive(LastActivity, archivesAt));
        Assert.True(ArchivalPolicy.ShouldArchive(LastActivity, archivesAt.AddYears(3)));
    }

    [Fact]
    public void TwelveMonthsAreCalendarMonthsNot365Days()
    {
        // 2023-03-01 to 2024-03-01 spans the leap day: 366 days.
        var lastActivity = new DateTimeOffset(2023, 3, 1, 0, 0, 0, TimeSpan.Zero);

        Assert.False(ArchivalPolicy.ShouldArchive(lastActivity, lastActivity.AddDays(365)));
        Assert.True(ArchivalPolicy.ShouldArchive(lastActivity, lastActivity.AddDays(366)));
    }

    [Fact]
    public void AThreadActiveTodayIsNotArchived()
    {
        Assert.False(ArchivalPolicy.ShouldArchive(LastActivity, LastActivity));
    }

    [Fact]
    public void TheNextCheckInIsCappedAtTheLongestReminderWait()
    {
        Assert.Equal(ArchivalPolicy.MaxWait, ArchivalPolicy.NextCheckIn(LastActivity, LastActivity));
        Assert.Equal(ArchivalPolicy.MaxWait, ArchivalPolicy.NextCheckIn(LastActivity, LastActivity.AddMonths(6)));
    }

    [Fact]
    public void TheNextCheckInIsTheTimeLeftWhenArchivalIsNearerThanTheCap()
    {
        var archivesAt = ArchivalPolicy.ArchivesAt(LastActivity);

        Assert.Equal(TimeSpan.FromDays(10), ArchivalPolicy.NextCheckIn(LastActivity, archivesAt.AddDays(-10)));
        Assert.Equal(TimeSpan.FromMinutes(1), ArchivalPolicy.NextCheckIn(LastActivity, archivesAt.AddMinutes(-1)));
    }

    [Theory]
    [InlineData(-30)]
    [InlineData(-1)]
    [InlineData(0)]
    [InlineData(3600)]
    public void TheNextCheckInIsNeverShorterThanOneMinute(int secondsFromArchival)
    {
        var now = ArchivalPolicy.ArchivesAt(LastActivity).AddSeconds(secondsFromArchival);

        Assert.Equal(TimeSpan.FromMinutes(1), ArchivalPolicy.NextCheckIn(LastActivity, now));
    }
}
