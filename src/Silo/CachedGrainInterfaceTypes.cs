using System.Collections.Concurrent;
using ClinicChat.Conversations;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Metadata;
using Orleans.Serialization.TypeSystem;

namespace ClinicChat.Hosting;

/// <summary>
/// Orleans 10.4.2's <c>GetGrain&lt;T&gt;(key)</c> asks <see cref="GrainInterfaceTypeResolver"/> for T's grain interface
/// type on every call, and the resolver reads T's attributes and formats its name each time: about 1.4 % of the web
/// node's CPU in the clinic day's profile (docs/benchmarks.md), for an answer that never changes. Asked before Orleans'
/// own provider, this one answers for ClinicChat's grain interfaces from a dictionary, filled by the same resolution
/// Orleans does (its attribute provider, then its naming convention); anything else goes on to Orleans' providers.
/// </summary>
public sealed class CachedGrainInterfaceTypes : IGrainInterfaceTypeProvider
{
    private readonly ConcurrentDictionary<Type, GrainInterfaceType> _known = new();
    private readonly Func<Type, GrainInterfaceType> _resolve;

    public CachedGrainInterfaceTypes(IServiceProvider services, TypeConverter typeConverter)
    {
        var orleans = new GrainInterfaceTypeResolver([new AttributeGrainInterfaceTypeProvider(services)], typeConverter);
        _resolve = orleans.GetGrainInterfaceType;
    }

    public bool TryGetGrainInterfaceType(Type type, out GrainInterfaceType grainInterfaceType)
    {
        if (type.Assembly != typeof(IConversationGrain).Assembly)
        {
            grainInterfaceType = default;
            return false;
        }

        grainInterfaceType = _known.GetOrAdd(type, _resolve);
        return true;
    }

    /// <summary>
    /// Puts the cache first among the providers (the resolver asks them in registration order), just before Orleans'
    /// attribute provider, which silos and clients register when they are created. Call it from their configuration.
    /// </summary>
    public static IServiceCollection AddTo(IServiceCollection services)
    {
        var orleans = services.ToList().FindIndex(d => d.ServiceType == typeof(IGrainInterfaceTypeProvider) && d.ImplementationType == typeof(AttributeGrainInterfaceTypeProvider));
        if (orleans < 0)
        {
            throw new InvalidOperationException("Orleans' AttributeGrainInterfaceTypeProvider is not registered: call this inside UseOrleans or UseOrleansClient.");
        }

        services.Insert(orleans, ServiceDescriptor.Singleton<IGrainInterfaceTypeProvider, CachedGrainInterfaceTypes>());
        return services;
    }
}
