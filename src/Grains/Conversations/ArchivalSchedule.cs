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
/// A conversation's archival: its one reminder (see <see cref="ArchivalPolicy"/>), what a tick does, and the archived flag in
/// its grain state, which always changes after the reminder is armed (so no thread is left without one) and after storage.
/// An activation reconciles an archival that a later message undid (<see cref="WasReopened"/>).
/// </summary>
internal sealed class ArchivalSchedule(IGrainBase grain, IPersistentState<ConversationState> state, GroupCommitWriter writer, TimeProvider time)
{
    public static bool IsArchivalReminder(string reminderName) => reminderName == ArchivalPolicy.ReminderName;

    public static ArchivalStep OnTick(bool exists, bool archived, DateTimeOffset lastActivity, DateTimeOffset now) =>
        !exists || archived ? ArchivalStep.Disarm
        : ArchivalPolicy.ShouldArchive(lastActivity, now) ? ArchivalStep.Archive
        : ArchivalStep.Rearm;

    /// <summary>
    /// A tick: disarms or re-arms as <see cref="OnTick"/> decides, or archives the thread (<paramref name="archiving"/>, made
    /// for the time it happens, is its one commit) and disarms. True when it archived.
    /// </summary>
    public async Task<bool> TickAsync(DateTimeOffset lastActivity, Func<DateTimeOffset, WriteUnit> archiving)
    {
        switch (OnTick(state.RecordExists, state.State.Archived, lastActivity, time.GetUtcNow()))
        {
            case ArchivalStep.Disarm:
                await DisarmAsync();
                return false;
            case ArchivalStep.Rearm:
                await ArmAsync(lastActivity);
                return false;
        }

        var now = time.GetUtcNow();
        await writer.WriteAsync(archiving(now));
        state.State.Archive(now);
        try
        {
            await state.WriteStateAsync();
        }
        catch
        {
            // Keep memory equal to storage; the reminder stays armed and the next tick tries again.
            state.State.Reopen();
            throw;
        }

        await DisarmAsync();
        return true;
    }

    /// <summary>
    /// A new thread's state, saved after its reminder is armed: if saving fails, a retried start arms again, and a tick
    /// that finds no saved state simply disarms.
    /// </summary>
    public async Task SaveNewAsync(DateTimeOffset createdAt)
    {
        await ArmAsync(createdAt);
        await state.WriteStateAsync();
    }

    /// <summary>
    /// A message reopened the archived thread; it is stored already. Armed first: if saving the state fails, activation
    /// reconciles it from the message's time (<see cref="WasReopened"/>).
    /// </summary>
    public async Task SaveReopenedAsync(DateTimeOffset lastActivity)
    {
        await ArmAsync(lastActivity);
        state.State.Reopen();
        await state.WriteStateAsync();
    }

    /// <summary>A message after the archival reopened the thread, even if saving that reopening failed.</summary>
    public static bool WasReopened(ConversationState state, DateTimeOffset lastActivity) =>
        state.Archived && lastActivity > state.ArchivedAt;

    /// <summary>
    /// Registers (or moves) the reminder to the next look from <paramref name="lastActivity"/>. One reminder per thread,
    /// never one per message: each registration is a database write.
    /// </summary>
    private Task ArmAsync(DateTimeOffset lastActivity) =>
        grain.RegisterOrUpdateReminder(ArchivalPolicy.ReminderName, ArchivalPolicy.NextCheckIn(lastActivity, time.GetUtcNow()), ArchivalPolicy.MaxWait);

    private async Task DisarmAsync()
    {
        if (await grain.GetReminder(ArchivalPolicy.ReminderName) is { } reminder)
        {
            await grain.UnregisterReminder(reminder);
        }
    }
}
