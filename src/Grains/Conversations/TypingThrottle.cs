namespace ClinicChat.Conversations;

/// <summary>
/// At most one "typing" push per user per conversation per <see cref="Interval"/>: the indicator shows
/// for a few seconds, so more say nothing new, while a script calling Typing in a loop would otherwise
/// fan every call out to each of the clinic's staff connections. Extra calls are dropped silently.
/// Bounded: entries older than the interval are forgotten as new ones arrive.
/// </summary>
public sealed class TypingThrottle
{
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(2);

    private readonly Dictionary<string, DateTimeOffset> _lastPushed = [];

    /// <summary>Whether <paramref name="userId"/>'s typing at <paramref name="now"/> is pushed (and then remembered).</summary>
    public bool ShouldPush(string userId, DateTimeOffset now)
    {
        if (_lastPushed.TryGetValue(userId, out var last) && now - last < Interval && now >= last)
        {
            return false;
        }

        if (_lastPushed.Count >= 64)
        {
            foreach (var stale in _lastPushed.Where(pair => now - pair.Value >= Interval).Select(pair => pair.Key).ToList())
            {
                _lastPushed.Remove(stale);
            }
        }

        _lastPushed[userId] = now;
        return true;
    }
}
