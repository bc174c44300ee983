namespace ClinicChat.Conversations;

/// <summary>
/// Threads archive after twelve calendar months without activity. The conversation grain keeps one
/// reminder and re-arms it from the last activity; it is never registered per message, because each
/// registration is a database write.
/// </summary>
public static class ArchivalPolicy
{
    public const string ReminderName = "archive";

    public const int InactiveMonths = 12;

    /// <summary>
    /// Longest wait we hand to the reminder service; Orleans timers are limited to about 49 days, so a
    /// far-off archival date is reached in steps, each tick re-arming from the last activity.
    /// </summary>
    public static readonly TimeSpan MaxWait = TimeSpan.FromDays(30);

    public static DateTimeOffset ArchivesAt(DateTimeOffset lastActivity) => lastActivity.AddMonths(InactiveMonths);

    public static bool ShouldArchive(DateTimeOffset lastActivity, DateTimeOffset now) => now >= ArchivesAt(lastActivity);

    /// <summary>How long the reminder should wait before its next look, from the last activity.</summary>
    public static TimeSpan NextCheckIn(DateTimeOffset lastActivity, DateTimeOffset now)
    {
        var remaining = ArchivesAt(lastActivity) - now;
        if (remaining < TimeSpan.FromMinutes(1))
        {
            return TimeSpan.FromMinutes(1);
        }

        return remaining < MaxWait ? remaining : MaxWait;
    }
}
