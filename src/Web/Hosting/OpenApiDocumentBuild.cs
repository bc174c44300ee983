using System.Reflection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace ClinicChat.Web.Hosting;

/// <summary>
/// The build writes <c>ClientApp/openapi.json</c> with Microsoft.Extensions.ApiDescription.Server's tool, which runs this
/// program's entry point and starts its host (with a server that listens nowhere) to read the endpoints. Started for
/// real, the hosted services would migrate and seed the development database and start the silo, whose ports a running
/// ClinicChat holds: building or testing while the app ran failed, and every build touched the developer's data. The
/// document needs only the registrations (they decide which handler parameters are services) and the endpoints, so under
/// the tool no hosted service runs. The tool's entry assembly is <c>GetDocument.Insider</c>, the check ASP.NET Core's
/// documentation gives for build-time document generation.
/// </summary>
internal static class OpenApiDocumentBuild
{
    public static bool IsRunning { get; } = Assembly.GetEntryAssembly()?.GetName().Name == "GetDocument.Insider";

    /// <summary>Call after every registration: removes the hosted services when only the document is wanted.</summary>
    public static IServiceCollection RunNothingWhenOnlyTheDocumentIsWanted(this IServiceCollection services)
    {
        if (IsRunning)
        {
            services.RemoveAll<IHostedService>();
        }

        return services;
    }
}
