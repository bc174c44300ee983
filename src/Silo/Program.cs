using ClinicChat.Hosting;
using Microsoft.Extensions.Hosting;

// A silo on its own: hosts the grains for web nodes that run as Orleans clients
// (ClinicChat:Hosting:Mode = Client). Embedded mode co-hosts this same silo inside src/Web.
var builder = Host.CreateApplicationBuilder(args);
builder.UseOrleans(silo => silo.AddClinicChatSilo(builder.Configuration, builder.Environment.ContentRootPath));
await builder.Build().RunAsync();
