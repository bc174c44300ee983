using ClinicChat.Conversations;
namespace ClinicChat.Tests;

[Collection(ClusterCollection.Name)]
public sealed class ScratchTests(ClusterFixture fixture)
{
    [Fact]
    public async Task Scratch()
    {
        var scenario = await Scenario.CreateAsync(fixture.Grains);
        var thread = await scenario.ThreadAsync();
        fixture.Clock.Advance(TimeSpan.FromSeconds(1) + TimeSpan.FromTicks(1234)); // 0.1234 ms, as any real clock reading has
        var original = await thread.Grain.SendAsync(thread.Patient, "p-1", "Hello");
        var infoNow = await thread.Grain.GetAsync(thread.Patient);
        var quickRetry = await thread.Grain.SendAsync(thread.Patient, "p-1", "Hello");
        await fixture.DeactivateAsync(thread.Grain);
        var laterRetry = await thread.Grain.SendAsync(thread.Patient, "p-1", "Hello");
        var page = await thread.Grain.GetMessagesAsync(thread.Patient, new MessagePageQuery(null, null, 10));
        var svc = Microsoft.Extensions.DependencyInjection.ServiceProviderKeyedServiceExtensions.GetRequiredKeyedService<TimeProvider>(fixture.Services, ClinicChat.Access.ChatTime.Key);
        var ser = Microsoft.Extensions.DependencyInjection.ServiceProviderServiceExtensions.GetRequiredService<Orleans.Serialization.Serializer>(fixture.Services);
        var dto = fixture.Clock.GetUtcNow();
        var rt = ser.Deserialize<DateTimeOffset>(ser.SerializeToArray(dto));
        var mv = ser.Deserialize<MessageView>(ser.SerializeToArray(original.Value!.Message with { SentAt = dto }));
        Assert.Fail($"rt {dto.Ticks} -> {rt.Ticks}; mv {mv!.SentAt.Ticks}\nsame={ReferenceEquals(svc, fixture.Clock)} type={svc.GetType().FullName} asm={svc.GetType().Assembly.GetName().Version}\ninfo {infoNow.Value!.LastActivityAt:O} {infoNow.Value.LastActivityAt.Ticks} {original.Value!.Message.SentAt.Ticks}\nclock {fixture.Clock.GetUtcNow():O} {fixture.Clock.GetUtcNow().Ticks}\noriginal {original.Value!.Message.SentAt:O}\nquick {quickRetry.Value!.Message.SentAt:O} dup={quickRetry.Value.WasDuplicate}\nlater {laterRetry.Value!.Message.SentAt:O} dup={laterRetry.Value.WasDuplicate}\npage {page.Value!.Messages[0].SentAt:O}\nequal={original.Value.Message == laterRetry.Value.Message}");
    }
}
