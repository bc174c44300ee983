using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Orleans.Serialization;
using Orleans.Serialization.Configuration;
using Orleans.Serialization.Serializers;

namespace ClinicChat.Tests;

/// <summary>
/// Orleans' own start-up check that every grain call can be serialized is switched off (it cost every start ~0.3 s;
/// see <c>ClinicChatSiloExtensions.ChangeOrleansDefaults</c>), so the same analysis runs here, over the codecs
/// of the silo the product configures.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class SerializationTests(ClusterFixture fixture)
{
    [Fact]
    public void EveryGrainMethodsParametersAndResultHaveACodec()
    {
        var manifest = fixture.Services.GetRequiredService<IOptions<TypeManifestOptions>>().Value;

        var complaints = SerializerConfigurationAnalyzer.AnalyzeSerializerAvailability(fixture.Services.GetRequiredService<ICodecProvider>(), manifest);

        // The analysis has something to look at: ClinicChat's grain interfaces are in the manifest.
        Assert.Contains(typeof(IConversationGrain), manifest.Interfaces);
        Assert.Empty(complaints.Select(c => $"{c.Key.FullName}: {c.Value}"));
    }

    [Fact]
    public void TheSiloSkipsTheAnalysisAtStart()
    {
        Assert.False(fixture.Services.GetRequiredService<IOptions<TypeManifestOptions>>().Value.EnableConfigurationAnalysis);
    }
}
