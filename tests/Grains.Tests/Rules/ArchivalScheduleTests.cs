namespace ClinicChat.Tests.Rules;

public sealed class ArchivalScheduleTests
{
    private static readonly DateTimeOffset LastActivity = new(2025, 3, 31, 10, 15, 0, TimeSpan.Zero);

    [Fact]
    public void OnlyTheArchivalReminderIsTheSchedulesBusiness()
    {
        Assert.True(ArchivalSchedule.IsArchivalReminder(ArchivalPolicy.ReminderName));
        Assert.False(ArchivalSchedule.IsArchivalReminder("something-else"));
    }

    [Fact]
    public void ATickForAMissingOrArchivedThreadDisarms()
    {
        var longAfter = LastActivity.AddYears(2);

        Assert.Equal(ArchivalStep.Disarm, ArchivalSchedule.OnTick(exists: false, archived: false, LastActivity, longAfter));
        Assert.Equal(ArchivalStep.Disarm, ArchivalSchedule.OnTick(exists: true, archived: true, LastActivity, longAfter));
    }

    [Fact]
    public void ATickBeforeTwelveMonthsOfSilenceWaitsAgainAndOneAfterArchives()
    {
        var due = ArchivalPolicy.ArchivesAt(LastActivity);

        Assert.Equal(ArchivalStep.Rearm, ArchivalSchedule.OnTick(exists: true, archived: false, LastActivity, due.AddTicks(-1)));
        Assert.Equal(ArchivalStep.Archive, ArchivalSchedule.OnTick(exists: true, archived: false, LastActivity, due));
    }

    [Fact]
    public void AMessageAfterTheArchivalMeansTheThreadWasReopened()
    {
        var archived = new ConversationState { Archived = true, ArchivedAt = LastActivity };

        Assert.True(ArchivalSchedule.WasReopened(archived, LastActivity.AddSeconds(1)));
        Assert.False(ArchivalSchedule.WasReopened(archived, LastActivity));
        Assert.False(ArchivalSchedule.WasReopened(new ConversationState(), LastActivity.AddYears(1)));
    }
}
