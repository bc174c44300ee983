using System.Net.Http.Json;
using ClinicChat.Web.Api;
using ClinicChat.Web.Seeding;

namespace ClinicChat.Web.Tests;

public sealed class SplitHostingTests
{
    /// <summary>The same code as a separate silo process and a web process that is an Orleans client.</summary>
    [Fact]
    public async Task ASeparateSiloAndAClientWebNodeServeChat()
    {
        var dataDirectory = Path.Combine(Path.GetTempPath(), "clinicchat-split-" + Guid.NewGuid().ToString("N"));
        var settings = new Dictionary<string, string>
        {
            ["ClinicChat__Orleans__SiloPort"] = ClinicChatApp.FreePort().ToString(),
            ["ClinicChat__Orleans__GatewayPort"] = ClinicChatApp.FreePort().ToString(),
        };
        using var silo = await AppProcess.StartAsync(dataDirectory, settings, "ClinicChat.Silo.dll");
        using var web = await AppProcess.StartAsync(dataDirectory, new Dictionary<string, string>(settings) { ["ClinicChat__Hosting__Mode"] = "Client" });
        using var pat = await web.SignInAsync(DemoData.Pat);

        var inbox = await pat.GetFromJsonAsync<ThreadPageDto>("/api/v1/conversations");
        var northside = inbox!.Threads.Single(t => t.ClinicId == DemoData.Northside);
        var sent = await pat.PostAsJsonAsync($"/api/v1/conversations/{northside.Id}/messages", new { clientMessageId = "split-1", text = "Through a client web node" });
        var stored = await sent.Content.ReadFromJsonAsync<MessageDto>();
        web.Dispose();
        silo.Dispose();
        Directory.Delete(dataDirectory, recursive: true);

        Assert.Equal(northside.LastSeq + 1, stored!.Seq);
        Assert.Equal("Through a client web node", stored.Text);
    }
}
