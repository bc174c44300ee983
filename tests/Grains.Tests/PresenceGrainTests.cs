using ClinicChat.Realtime;

namespace ClinicChat.Tests;

[Collection(ClusterCollection.Name)]
public sealed class PresenceGrainTests(ClusterFixture fixture)
{
    [Fact]
    public async Task APatientIsOnlineWhileAnyPortalConnectionLasts()
    {
        var presence = fixture.Grains.GetGrain<IPresenceGrain>(Guid.NewGuid());

        await presence.ConnectedAsync("phone");
        await presence.ConnectedAsync("laptop");
        await presence.DisconnectedAsync("phone");
        var withLaptop = await presence.IsOnlineAsync();
        await presence.DisconnectedAsync("laptop");

        Assert.True(withLaptop);
        Assert.False(await presence.IsOnlineAsync());
    }

    [Fact]
    public async Task AConnectionThatIsNoLongerRenewedLapses()
    {
        var presence = fixture.Grains.GetGrain<IPresenceGrain>(Guid.NewGuid());
        await presence.ConnectedAsync("on-a-node-that-died");
        await presence.ConnectedAsync("renewed");

        fixture.Clock.Advance(TimeSpan.FromMinutes(2));
        await presence.RenewAsync(["renewed"]);
        fixture.Clock.Advance(TimeSpan.FromMinutes(2));
        var oneLeft = await presence.IsOnlineAsync();
        fixture.Clock.Advance(TimeSpan.FromMinutes(2));

        Assert.True(oneLeft);
        Assert.False(await presence.IsOnlineAsync());
    }
}
