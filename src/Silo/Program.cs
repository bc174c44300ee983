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
        builder.UseOrleans(silo => silo.AddClinicChatSilo(builder.Configuration, builder.Environment.ContentRootPath));
        await builder.Build().RunAsync();
    }
}
