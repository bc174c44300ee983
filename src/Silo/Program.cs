using ClinicChat.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace ClinicChat.Hosting;

/// <summary>
/// A silo on its own: hosts the grains for web nodes that run as Orleans clients
/// (ClinicChat:Hosting:Mode = Client). Embedded mode co-hosts this same silo inside src/Web.
/// </summary>
public static class SiloProgram
{
    public static async Task<int> Main(string[] args)
    {
        if (args is ["migrate", .. var rest])
        {
            return await MigrateAsync(rest);
        }

        var builder = Host.CreateApplicationBuilder(args);
        // Before the silo: the scrape endpoint is up by the time the gateway opens.
        builder.Services.AddClinicChatTelemetry(builder.Configuration, "clinicchat-silo");
        builder.UseOrleans(silo => silo.AddClinicChatSilo(builder.Configuration, builder.Environment.ContentRootPath));
        await builder.Build().RunAsync();
        return 0;
    }

    /// <summary><c>ClinicChat.Silo migrate</c>: applies the schema scripts of this build, then exits (a release step in cluster mode).</summary>
    private static async Task<int> MigrateAsync(string[] args)
    {
        var builder = Host.CreateApplicationBuilder(args);
        builder.Services.AddClinicChatStorage(builder.Configuration, builder.Environment.ContentRootPath);
        using var host = builder.Build();
        await host.Services.GetRequiredService<SchemaMigrator>().MigrateAsync();
        return 0;
    }
}
