using System.Security.Claims;
using ClinicChat.Sessions;
using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.Options;

namespace ClinicChat.Web.Realtime;

/// <summary>
/// This web node's push connections by the session that opened them, so that a session's end closes
/// its connections promptly: at once when the user's grain announces it (sign-out, password change),
/// and within <see cref="AuthSessionOptions.ConnectionCheckInterval"/> when it expires (idle or
/// absolute) or an announcement was lost. SignalR's CloseOnAuthenticationExpiration only knows the
/// cookie's own expiry, which says nothing about server-side sessions.
/// </summary>
public sealed partial class SessionConnections(
    IGrainFactory grains,
    IOptions<AuthSessionOptions> options,
    ILogger<SessionConnections> logger) : BackgroundService
{
    private readonly Dictionary<string, Connection> _connections = [];
    private readonly Dictionary<string, int> _perUser = [];
    private readonly Lock _gate = new();

    private sealed record Connection(string UserId, string SessionId, HubCallerContext Context);

    /// <summary>
    /// Registers the connection unless its user already holds <paramref name="maxPerUser"/> on this node.
    /// False: the caller closes it (the cap is checked again here, atomically, because connections
    /// that negotiated at the same moment all passed <see cref="HasRoomFor"/>).
    /// </summary>
    public bool TryAdd(HubCallerContext context, int maxPerUser)
    {
        var userId = context.User?.FindFirstValue(ClaimTypes.NameIdentifier);
        var sessionId = context.User?.FindFirstValue(ChatClaims.Session);
        if (userId is null || sessionId is null)
        {
            // Authenticated without a session claim cannot happen (the cookie check refuses it); close rather than trust.
            context.Abort();
            return true;
        }

        lock (_gate)
        {
            var held = _perUser.GetValueOrDefault(userId);
            if (held >= maxPerUser)
            {
                return false;
            }

            _connections[context.ConnectionId] = new Connection(userId, sessionId, context);
            _perUser[userId] = held + 1;
            return true;
        }
    }

    /// <summary>
    /// Whether the session that opened this connection is still alive, asked of its user's grain per call as the cookie
    /// check asks per HTTP request (<see cref="SessionValidation"/>), without restarting its idle clock: for a command sent
    /// over the connection. Pushes rely on <see cref="Close"/> and the periodic check instead.
    /// </summary>
    public async Task<bool> IsAliveAsync(HubCallerContext context)
    {
        Connection? connection;
        lock (_gate)
        {
            _connections.TryGetValue(context.ConnectionId, out connection);
        }

        return connection is not null
            && await grains.GetGrain<IUserSessionsGrain>(connection.UserId).StandingAsync(connection.SessionId) != SessionStanding.Ended;
    }

    /// <summary>Whether <paramref name="userId"/> may open one more connection on this node.</summary>
    public bool HasRoomFor(string userId, int maxPerUser)
    {
        lock (_gate)
        {
            return _perUser.GetValueOrDefault(userId) < maxPerUser;
        }
    }

    public void Remove(string connectionId)
    {
        lock (_gate)
        {
            if (_connections.Remove(connectionId, out var removed))
            {
                var left = _perUser[removed.UserId] - 1;
                if (left == 0)
                {
                    _perUser.Remove(removed.UserId);
                }
                else
                {
                    _perUser[removed.UserId] = left;
                }
            }
        }
    }

    /// <summary>Closes this node's connections opened by any of <paramref name="sessionIds"/>.</summary>
    public void Close(IEnumerable<string> sessionIds)
    {
        var ended = sessionIds.ToHashSet();
        Connection[] closing;
        lock (_gate)
        {
            closing = [.. _connections.Values.Where(c => ended.Contains(c.SessionId))];
        }

        foreach (var connection in closing)
        {
            LogClosing(connection.Context.ConnectionId, connection.UserId);
            connection.Context.Abort();
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.ConnectionCheckInterval);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            await CheckAsync(stoppingToken);
        }
    }

    /// <summary>One question per connected user: which of their connections' sessions are still alive.</summary>
    private async Task CheckAsync(CancellationToken cancellationToken)
    {
        (string UserId, string[] Sessions)[] users;
        lock (_gate)
        {
            users = [.. _connections.Values.GroupBy(c => c.UserId).Select(g => (g.Key, g.Select(c => c.SessionId).Distinct().ToArray()))];
        }

        await Task.WhenAll(users.Select(async user =>
        {
            try
            {
                var alive = await grains.GetGrain<IUserSessionsGrain>(user.UserId).LiveForConnectionsAsync(user.Sessions);
                Close(user.Sessions.Except(alive));
            }
            catch (Exception exception) when (!cancellationToken.IsCancellationRequested)
            {
                // Unreachable cluster: keep the connections (they receive nothing meanwhile) and ask again next time.
                LogCheckFailed(exception, user.UserId);
            }
        }));
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Closing push connection {ConnectionId} of user {UserId}: its session ended.")]
    private partial void LogClosing(string connectionId, string userId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Checking the sessions of user {UserId}'s push connections failed.")]
    private partial void LogCheckFailed(Exception exception, string userId);
}
