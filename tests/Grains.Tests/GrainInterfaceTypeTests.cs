using ClinicChat.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Metadata;
using Orleans.Serialization.TypeSystem;

namespace ClinicChat.Tests;

/// <summary>
/// The silo answers "which grain interface is this type" from <see cref="CachedGrainInterfaceTypes"/>, asked before
/// Orleans' own provider; its answers must be exactly Orleans' own, or grain references would name other interfaces.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class GrainInterfaceTypeTests(ClusterFixture fixture)
{
    private static readonly Type[] ClinicChatGrainInterfaces = typeof(IConversationGrain).Assembly.GetTypes()
        .Where(t => t.IsInterface && typeof(IAddressable).IsAssignableFrom(t) && t.IsPublic)
        .ToArray();

    [Fact]
    public void TheCacheIsAskedFirst()
    {
        Assert.IsType<CachedGrainInterfaceTypes>(fixture.Services.GetServices<IGrainInterfaceTypeProvider>().First());
    }

    [Fact]
    public void EveryClinicChatGrainInterfaceResolvesAsOrleansAloneResolvesIt()
    {
        var resolver = fixture.Services.GetRequiredService<GrainInterfaceTypeResolver>();
        var orleansAlone = new GrainInterfaceTypeResolver([new AttributeGrainInterfaceTypeProvider(fixture.Services)], fixture.Services.GetRequiredService<TypeConverter>());

        Assert.Contains(typeof(IConversationGrain), ClinicChatGrainInterfaces);
        Assert.All(ClinicChatGrainInterfaces, type =>
        {
            Assert.Equal(orleansAlone.GetGrainInterfaceType(type), resolver.GetGrainInterfaceType(type));
            // The second answer comes from the dictionary and is the same.
            Assert.Equal(orleansAlone.GetGrainInterfaceType(type), resolver.GetGrainInterfaceType(type));
        });
    }

    [Fact]
    public void OtherInterfacesAreLeftToOrleans()
    {
        var cache = fixture.Services.GetServices<IGrainInterfaceTypeProvider>().OfType<CachedGrainInterfaceTypes>().Single();

        Assert.False(cache.TryGetGrainInterfaceType(typeof(IManagementGrain), out _));
    }
}
