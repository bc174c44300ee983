using ClinicChat.Realtime;
using Microsoft.Extensions.DependencyInjection;

namespace ClinicChat.Sessions;

/// <summary>
/// One user's sessions, held in memory for the per-request check (a grain call, no database round
/// trip) and persisted so that they survive deactivation and silo restarts. Starting, rotating and
/// ending sessions write at once; the idle clock is written by a timer at most once a minute (and on
/// deactivation), never on the request path: after a crash a session can only look idle earlier
/// than it was, never later.
/// </summary>
public sealed class UserSessionsGrain(
    [PersistentState("userSessions", ChatStorage.GrainStateProvider)] IPersistentState<UserSessionsState> state,
    [FromKeyedServices(ChatTime.Key)] TimeProvider time) : Grain, IUserSessionsGrain
{
    private static readonly TimeSpan ActivityWriteInterval = TimeSpan.FromMinutes(1);

    private bool _activityUnsaved;
    private List<SessionRecord>? _sessions;

    /// <summary>The working list; storage writes a copy, so an interleaved request never touches what is being serialised.</summary>
    private SessionBook Book => new(_sessions ??= state.State.Sessions);

    public async Task StartAsync(string sessionId, SessionPolicy policy)
    {
        var ended = Book.Start(sessionId, policy, time.GetUtcNow());
        await SaveAsync();
        Announce(ended);
    }

    public async Task<bool> RotateAsync(string currentSessionId, string newSessionId, bool endOthers)
    {
        if (Book.Rotate(currentSessionId, newSessionId, endOthers, time.GetUtcNow()) is not { } ended)
        {
            return false;
        }

        await SaveAsync();
        Announce(ended);
        return true;
    }

    public Task<SessionStanding> TouchAsync(string sessionId)
    {
        var standing = Book.Touch(sessionId, time.GetUtcNow());
        _activityUnsaved |= standing == SessionStanding.Current;
        return Task.FromResult(standing);
    }

    public Task<SessionStanding> StandingAsync(string sessionId) => Task.FromResult(Book.Standing(sessionId, time.GetUtcNow()));

    public Task<IReadOnlyList<string>> LiveForConnectionsAsync(IReadOnlyList<string> sessionIds)
    {
        var now = time.GetUtcNow();
        var book = Book;
        return Task.FromResult<IReadOnlyList<string>>([.. sessionIds.Where(id => book.IsAliveForConnection(id, now))]);
    }

    public async Task EndAllAsync()
    {
        var ended = Book.EndAll();
        await SaveAsync();
        Announce(ended);
    }

    public Task<int> CountLiveAsync() => Task.FromResult(Book.CountAlive(time.GetUtcNow()));

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        // The first tick at a random point of the interval: users who signed in together (a clinic
        // opening, a benchmark's set-up) would otherwise all write in the same second, each write its
        // own durable transaction, and hold up the chat writer for as long (seen as a p99 spike).
        var firstTick = ActivityWriteInterval * Random.Shared.NextDouble();
        this.RegisterGrainTimer(SaveActivityAsync, firstTick, ActivityWriteInterval);
        return Task.CompletedTask;
    }

    private Task SaveActivityAsync(CancellationToken cancellationToken) => _activityUnsaved ? SaveAsync() : Task.CompletedTask;

    public override async Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        if (_activityUnsaved)
        {
            await SaveAsync();
        }
    }

    private async Task SaveAsync()
    {
        Announce(Book.Prune(time.GetUtcNow()));
        _activityUnsaved = false;
        state.State = new UserSessionsState { Sessions = [.. (_sessions ??= state.State.Sessions).Select(SessionBook.Copy)] };
        await state.WriteStateAsync();
    }

    /// <summary>Web nodes close the push connections of ended sessions (they also check periodically, should this be lost).</summary>
    private void Announce(IReadOnlyList<string> ended)
    {
        if (ended.Count == 0)
        {
            return;
        }

        var topic = Topics.User(this.GetPrimaryKeyString());
        _ = GrainFactory.GetGrain<ITopicNotifierGrain>(topic).PublishAsync(new SessionsEnded(topic, ended));
    }
}
