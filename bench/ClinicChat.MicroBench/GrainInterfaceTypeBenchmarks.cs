using BenchmarkDotNet.Attributes;
using ClinicChat.Conversations;
using ClinicChat.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Metadata;
using Orleans.Serialization;
using Orleans.Serialization.TypeSystem;

namespace ClinicChat.MicroBench;

/// <summary>
/// What every <c>GetGrain&lt;T&gt;(key)</c> asks first (issue 23): the grain interface type of T, as Orleans 10.4.2 resolves
/// it (attributes and name formatting each time) and with <see cref="CachedGrainInterfaceTypes"/> asked first.
/// </summary>
[MemoryDiagnoser]
public class GrainInterfaceTypeBenchmarks
{
    private GrainInterfaceTypeResolver _orleans = null!;
    private GrainInterfaceTypeResolver _cached = null!;

    [GlobalSetup]
    public void Setup()
    {
        var services = new ServiceCollection().AddSerializer().BuildServiceProvider();
        var converter = services.GetRequiredService<TypeConverter>();
        _orleans = new GrainInterfaceTypeResolver([new AttributeGrainInterfaceTypeProvider(services)], converter);
        _cached = new GrainInterfaceTypeResolver([new CachedGrainInterfaceTypes(services, converter), new AttributeGrainInterfaceTypeProvider(services)], converter);
    }

    [Benchmark(Baseline = true)]
    public GrainInterfaceType Orleans() => _orleans.GetGrainInterfaceType(typeof(IConversationGrain));

    [Benchmark]
    public GrainInterfaceType Cached() => _cached.GetGrainInterfaceType(typeof(IConversationGrain));
}
