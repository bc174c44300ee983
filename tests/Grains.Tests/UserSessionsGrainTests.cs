using ClinicChat.Realtime;
using ClinicChat.Sessions;

namespace ClinicChat.Tests;

[Collection(ClusterCollection.Name)]
public sealed class UserSessionsGrainTests(ClusterFixture fixture)
{
    private static readonly SessionPolicy Staff = new(TimeSpan.FromMinutes(30), TimeSpan.FromHours(12));

    private sealed class Observer : IChatEventObserver
    {
        public TaskCompletionSource<ChatEvent> Received { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public Task OnEventAsync(ChatEvent chatEvent)
        {
            Received.TrySetResult(chatEvent);
            return Task.CompletedTask;
        }
    }

    [Fact]
    public async Task SessionsAndTheirLastActivitySurviveDeactivation()
    {
        var sessions = fixture.Grains.GetGrain<IUserSessionsGrain>(Guid.NewGuid().ToString());
        await sessions.StartAsync("a", Staff);
        fixture.Clock.Advance(TimeSpan.FromMinutes(20));
        var touched = await sessions.TouchAsync("a");

        await fixture.DeactivateAsync(sessions);
        fixture.Clock.Advance(TimeSpan.FromMinutes(20));

        // 40 minutes after sign-in but 20 after the last request: alive only if that request was stored.
        Assert.Equal(SessionStanding.Current, touched);
        Assert.Equal(SessionStanding.Current, await sessions.TouchAsync("a"));
        Assert.Equal(SessionStanding.Ended, await sessions.TouchAsync("never-started"));
    }

    [Fact]
    public async Task EndingEverySessionIsAnnouncedOnTheUsersTopicWithTheirIds()
    {
        var userId = Guid.NewGuid().ToString();
        var sessions = fixture.Grains.GetGrain<IUserSessionsGrain>(userId);
        await sessions.StartAsync("laptop", Staff);
        await sessions.StartAsync("phone", Staff);
        await sessions.RotateAsync("laptop", "laptop-2", endOthers: false);
        var observer = new Observer();
        var reference = fixture.Grains.CreateObjectReference<IChatEventObserver>(observer);
        await fixture.Grains.GetGrain<ITopicNotifierGrain>(Topics.User(userId)).SubscribeAsync(reference);

        await sessions.EndAllAsync();
        var announced = await observer.Received.Task.WaitAsync(TimeSpan.FromSeconds(15));

        var ended = Assert.IsType<SessionsEnded>(announced);
        Assert.Equal(["laptop", "laptop-2", "phone"], ended.SessionIds.Order());
        Assert.Equal(0, await sessions.CountLiveAsync());
        Assert.Equal(SessionStanding.Ended, await sessions.TouchAsync("laptop-2"));
    }

    [Fact]
    public async Task ARotatedIdKeepsItsShortGraceAcrossDeactivationAndLosesItAfterwards()
    {
        var sessions = fixture.Grains.GetGrain<IUserSessionsGrain>(Guid.NewGuid().ToString());
        await sessions.StartAsync("a", Staff);
        await sessions.RotateAsync("a", "b", endOthers: false);

        await fixture.DeactivateAsync(sessions);
        var inGrace = await sessions.StandingAsync("a");
        fixture.Clock.Advance(SessionBook.RotationGrace);

        Assert.Equal(SessionStanding.Rotated, inGrace);
        Assert.Equal((SessionStanding.Ended, SessionStanding.Current), (await sessions.StandingAsync("a"), await sessions.StandingAsync("b")));
    }
}
