using Orleans.Concurrency;

namespace ClinicChat.Sessions;

/// <summary>How long a session may live: idle (since its last request) and absolute (since the original sign-in).</summary>
[GenerateSerializer, Immutable, Alias("ClinicChat.SessionPolicy")]
public sealed record SessionPolicy([property: Id(0)] TimeSpan IdleTimeout, [property: Id(1)] TimeSpan AbsoluteLifetime);

/// <summary>What a request's session id stands for now.</summary>
public enum SessionStanding
{
    /// <summary>Signed out, expired, or never started: the request is refused.</summary>
    Ended,

    /// <summary>The session in use.</summary>
    Current,

    /// <summary>
    /// Replaced by re-authentication moments ago: a request the browser sent before it got the new
    /// cookie is served, but nothing re-issues the old cookie (it would replace the new one).
    /// </summary>
    Rotated,
}

/// <summary>
/// The server-side record of one user's sign-in sessions (keyed by the Identity user id). The auth
/// cookie only names a session; whether it is still alive is decided here, so that signing out or
/// changing the password ends every session at once on every web node.
/// </summary>
public interface IUserSessionsGrain : IGrainWithStringKey
{
    /// <summary>Records a new session (a sign-in).</summary>
    Task StartAsync(string sessionId, SessionPolicy policy);

    /// <summary>
    /// Replaces a live session by a new id that keeps its original sign-in time (re-authentication,
    /// password change). The old id stops authenticating requests after a short grace for requests
    /// already under way (<see cref="SessionStanding.Rotated"/>). False when the old one is not alive.
    /// With <paramref name="endOthers"/>, every other session of the user ends too.
    /// </summary>
    Task<bool> RotateAsync(string currentSessionId, string newSessionId, bool endOthers);

    /// <summary>
    /// One request of the session: its standing, and while it is current its idle clock restarts.
    /// Interleaves: it never awaits, so it cannot observe a half-done change, and a slow storage write
    /// (start, rotation, sign-out) must not hold up every request of the user.
    /// </summary>
    [AlwaysInterleave]
    Task<SessionStanding> TouchAsync(string sessionId);

    /// <summary>
    /// The session's standing, without counting as activity: for requests a browser makes on
    /// its own (delivery receipts as pushes arrive), which must not keep an unattended session open.
    /// </summary>
    [AlwaysInterleave]
    Task<SessionStanding> StandingAsync(string sessionId);

    /// <summary>
    /// Of the sessions that hold push connections, those still alive; a rotated-away session counts
    /// as alive while its successor is (the browser that rotated keeps its connection). Not activity.
    /// </summary>
    [AlwaysInterleave]
    Task<IReadOnlyList<string>> LiveForConnectionsAsync(IReadOnlyList<string> sessionIds);

    /// <summary>Ends every session of the user (sign-out) and tells the web nodes to close their push connections.</summary>
    Task EndAllAsync();

    /// <summary>How many sessions are alive now (operations and tests).</summary>
    [AlwaysInterleave]
    Task<int> CountLiveAsync();
}
