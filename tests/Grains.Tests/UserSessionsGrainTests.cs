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
        Assert.True(touched);
        Assert.True(await sessions.TouchAsync("a"));
        Assert.False(await sessions.TouchAsync("never-started"));
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

        Assert.Equal(ChatEventKind.SessionsEnded, announced.Kind);
        Assert.Equal(["laptop", "laptop-2", "phone"], announced.SessionIds!.Order());
        Assert.Equal(0, await sessions.CountLiveAsync());
        Assert.False(await sessions.TouchAsync("laptop-2"));
    }
}
