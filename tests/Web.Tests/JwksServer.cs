using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;

namespace ClinicChat.Web.Tests;

/// <summary>An EHR's key endpoint: a real HTTP listener on loopback serving its public JWKS, as a client with a JWKS URL would.</summary>
public sealed class JwksServer : IAsyncDisposable
{
    private readonly WebApplication _app;

    private JwksServer(WebApplication app, string url)
    {
        _app = app;
        Url = url;
    }

    public string Url { get; }

    /// <summary>What it serves now: the client rotates its keys by changing this.</summary>
    public JsonElement Jwks { get; set; }

    public static async Task<JwksServer> StartAsync(JsonElement jwks)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        JwksServer? server = null;
        app.MapGet("/.well-known/jwks.json", () => Results.Text(server!.Jwks.GetRawText(), "application/json"));
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        server = new JwksServer(app, $"{address}/.well-known/jwks.json") { Jwks = jwks };
        return server;
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();
}
