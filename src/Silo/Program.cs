using Microsoft.Extensions.Hosting;

namespace ClinicChat.Hosting;

/// <summary>
/// A silo on its own: hosts the grains for web nodes that run as Orleans clients
/// (ClinicChat:Hosting:Mode = Client). Embedded mode co-hosts this same silo inside src/Web.
/// </summary>
public static class SiloProgram
{
    public static async Task Main(string[] args)
    {
        var builder = Host.CreateApplicationBuilder(args);
        // Before the silo: the scrape endpoint is up by the time the gateway opens.
        builder.Services.AddClinicChatTelemetry(builder.Configuration, "clinicchat-silo");
        builder.UseOrleans(silo => silo.AddClinicChatSilo(builder.Configuration, builder.Environment.ContentRootPath));
        await builder.Build().RunAsync();
    }
}
