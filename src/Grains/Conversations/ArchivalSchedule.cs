namespace ClinicChat.Conversations;

/// <summary>What one archival reminder tick does.</summary>
internal enum ArchivalStep
{
    /// <summary>No thread, or archived already: nothing left to watch.</summary>
    Disarm,

    /// <summary>Activity since the reminder was armed: wait again from the last activity.</summary>
    Rearm,

    Archive,
}

/// <summary>
/// A conversation's one archival reminder (see <see cref="ArchivalPolicy"/>): when to arm it, what a tick does, and how
/// an activation reconciles an archival that a later message undid.
/// </summary>
internal sealed class ArchivalSchedule(IGrainBase grain, TimeProvider time)
{
    public static bool IsArchivalReminder(string reminderName) => reminderName == ArchivalPolicy.ReminderName;

    public static ArchivalStep OnTick(bool exists, bool archived, DateTimeOffset lastActivity, DateTimeOffset now) =>
        !exists || archived ? ArchivalStep.Disarm
        : ArchivalPolicy.ShouldArchive(lastActivity, now) ? ArchivalStep.Archive
        : ArchivalStep.Rearm;

    /// <summary>Disarms or re-arms as a tick decides (<see cref="OnTick"/>); true when the thread is to be archived now.</summary>
    public async Task<bool> TickAsync(bool exists, bool archived, DateTimeOffset lastActivity)
    {
        switch (OnTick(exists, archived, lastActivity, time.GetUtcNow()))
        {
            case ArchivalStep.Disarm:
                await DisarmAsync();
                return false;
            case ArchivalStep.Rearm:
                await ArmAsync(lastActivity);
                return false;
            default:
                return true;
        }
    }

    /// <summary>A message after the archival reopened the thread, even if saving that reopening failed.</summary>
    public static bool WasReopened(ConversationState state, DateTimeOffset lastActivity) =>
        state.Archived && lastActivity > state.ArchivedAt;

    /// <summary>
    /// Registers (or moves) the reminder to the next look from <paramref name="lastActivity"/>. One reminder per thread,
    /// never one per message: each registration is a database write.
    /// </summary>
    public Task ArmAsync(DateTimeOffset lastActivity) =>
        grain.RegisterOrUpdateReminder(ArchivalPolicy.ReminderName, ArchivalPolicy.NextCheckIn(lastActivity, time.GetUtcNow()), ArchivalPolicy.MaxWait);

    public async Task DisarmAsync()
    {
        if (await grain.GetReminder(ArchivalPolicy.ReminderName) is { } reminder)
        {
            await grain.UnregisterReminder(reminder);
        }
    }
}
