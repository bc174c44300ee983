namespace ClinicChat.Sessions;

/// <summary>One sign-in session as stored. <see cref="ReplacedBy"/>: the id it was rotated to, if any.</summary>
public sealed class SessionRecord
{
    public string Id { get; set; } = string.Empty;

    public DateTimeOffset StartedAt { get; set; }

    public DateTimeOffset LastSeenAt { get; set; }

    public TimeSpan IdleTimeout { get; set; }

    public TimeSpan AbsoluteLifetime { get; set; }

    public string? ReplacedBy { get; set; }

    /// <summary>When it was rotated; null for sessions rotated before this was recorded (no grace for them).</summary>
    public DateTimeOffset? ReplacedAt { get; set; }
}

public sealed class UserSessionsState
{
    public List<SessionRecord> Sessions { get; set; } = [];
}

/// <summary>
/// The rules of a user's sessions, without a silo: when a session is alive, what rotation keeps,
/// and what is forgotten. The list stays bounded: dead sessions are pruned on every change and at
/// most <see cref="MaxSessions"/> live ones are kept (the least recently used ends first).
/// </summary>
public sealed class SessionBook(List<SessionRecord> sessions)
{
    public const int MaxSessions = 20;

    /// <summary>
    /// How long a rotated id still serves requests. Re-authenticating (and hiding sensitive messages)
    /// rotates the session while the browser has requests under way with the old cookie (a receipt, a
    /// page of history); refused, each would answer 401 and clear the cookie the browser has just been
    /// given, signing the person out (seen in a browser test on a loaded machine). Not after a password
    /// change, which must evict at once whoever holds a copy of the old cookie. The old cookie never
    /// carries more than the new one except after "Hide sensitive messages", whose old window therefore
    /// stays usable for this long by whoever holds that cookie: the same browser.
    /// </summary>
    public static readonly TimeSpan RotationGrace = TimeSpan.FromSeconds(30);

    /// <summary>Rotations are rare (a few per sign-in); a longer chain can only be a bug, so it is cut off.</summary>
    private const int MaxChain = 64;

    public static bool IsAlive(SessionRecord session, DateTimeOffset now) =>
        session.ReplacedBy is null && now < session.StartedAt + session.AbsoluteLifetime && now < session.LastSeenAt + session.IdleTimeout;

    public SessionRecord? Find(string id) => sessions.Find(s => s.Id == id);

    public static SessionRecord Copy(SessionRecord s) => new()
    {
        Id = s.Id, StartedAt = s.StartedAt, LastSeenAt = s.LastSeenAt, IdleTimeout = s.IdleTimeout, AbsoluteLifetime = s.AbsoluteLifetime,
        ReplacedBy = s.ReplacedBy, ReplacedAt = s.ReplacedAt,
    };

    /// <summary>What a request with this session's cookie stands for, without counting as activity.</summary>
    public SessionStanding Standing(string id, DateTimeOffset now) => Find(id) is { } session ? Standing(session, now) : SessionStanding.Ended;

    /// <summary>
    /// Activity of the session: its standing, and a current session's idle clock restarts. A rotated
    /// id within <see cref="RotationGrace"/> restarts nothing: its successor's requests do that.
    /// </summary>
    public SessionStanding Touch(string id, DateTimeOffset now)
    {
        if (Find(id) is not { } session)
        {
            return SessionStanding.Ended;
        }

        var standing = Standing(session, now);
        if (standing == SessionStanding.Current)
        {
            session.LastSeenAt = now;
        }

        return standing;
    }

    private SessionStanding Standing(SessionRecord session, DateTimeOffset now) =>
        IsAlive(session, now) ? SessionStanding.Current
        : IsInRotationGrace(session, now) ? SessionStanding.Rotated
        : SessionStanding.Ended;

    private bool IsInRotationGrace(SessionRecord session, DateTimeOffset now) =>
        session.ReplacedAt is { } replacedAt && now < replacedAt + RotationGrace && Head(session) is { } head && IsAlive(head, now);

    /// <summary>A new session. Returns the ids of sessions ended to keep the list bounded.</summary>
    public IReadOnlyList<string> Start(string id, SessionPolicy policy, DateTimeOffset now)
    {
        sessions.Add(new SessionRecord { Id = id, StartedAt = now, LastSeenAt = now, IdleTimeout = policy.IdleTimeout, AbsoluteLifetime = policy.AbsoluteLifetime });
        return Prune(now);
    }

    /// <summary>
    /// Replaces <paramref name="currentId"/> by <paramref name="newId"/> with the same sign-in time and
    /// policy. Null when the current session is not alive; otherwise the ids of the sessions ended.
    /// </summary>
    public IReadOnlyList<string>? Rotate(string currentId, string newId, bool endOthers, DateTimeOffset now)
    {
        if (Find(currentId) is not { } current || !IsAlive(current, now))
        {
            return null;
        }

        current.ReplacedBy = newId;
        current.ReplacedAt = now;
        sessions.Add(new SessionRecord
        {
            Id = newId, StartedAt = current.StartedAt, LastSeenAt = now, IdleTimeout = current.IdleTimeout, AbsoluteLifetime = current.AbsoluteLifetime,
        });
        if (!endOthers)
        {
            return Prune(now);
        }

        // A password change is how a person evicts whoever may hold a copy of a cookie of theirs, this
        // browser's earlier ones included: none keeps its grace. They stay in the list as this browser's
        // predecessors, for its push connection.
        foreach (var predecessor in sessions.Where(s => s.ReplacedBy is not null))
        {
            predecessor.ReplacedAt = null;
        }

        var ended = sessions.Where(s => Head(s)?.Id != newId).Select(s => s.Id).ToList();
        sessions.RemoveAll(s => ended.Contains(s.Id));
        return [.. ended, .. Prune(now)];
    }

    /// <summary>Whether a push connection opened by <paramref name="id"/> may stay open: its session, or the one it was rotated to, is alive.</summary>
    public bool IsAliveForConnection(string id, DateTimeOffset now) =>
        Find(id) is { } session && Head(session) is { } head && IsAlive(head, now);

    public IReadOnlyList<string> EndAll()
    {
        var ended = sessions.Select(s => s.Id).ToList();
        sessions.Clear();
        return ended;
    }

    public int CountAlive(DateTimeOffset now) => sessions.Count(s => IsAlive(s, now));

    /// <summary>
    /// Forgets sessions whose chain no longer ends in a live session, then ends the least recently
    /// used live ones beyond <see cref="MaxSessions"/>. Returns the ids of live sessions it ended.
    /// </summary>
    public IReadOnlyList<string> Prune(DateTimeOffset now)
    {
        sessions.RemoveAll(s => Head(s) is not { } head || !IsAlive(head, now));
        var evicted = sessions.Where(s => s.ReplacedBy is null)
            .OrderByDescending(s => s.LastSeenAt)
            .Skip(MaxSessions)
            .Select(s => s.Id)
            .ToHashSet();
        if (evicted.Count == 0)
        {
            return [];
        }

        var ended = sessions.Where(s => Head(s) is { } head && evicted.Contains(head.Id)).Select(s => s.Id).ToList();
        sessions.RemoveAll(s => ended.Contains(s.Id));
        return ended;
    }

    /// <summary>The session <paramref name="session"/> was (eventually) rotated to; null when the chain breaks.</summary>
    private SessionRecord? Head(SessionRecord session)
    {
        for (var step = 0; step < MaxChain; step++)
        {
            if (session.ReplacedBy is not { } next)
            {
                return session;
            }

            if (Find(next) is not { } successor)
            {
                return null;
            }

            session = successor;
        }

        return null;
    }
}
