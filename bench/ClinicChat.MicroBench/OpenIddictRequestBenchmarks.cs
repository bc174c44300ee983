using BenchmarkDotNet.Attributes;
using ClinicChat.Access;
using ClinicChat.Web.Integration;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace ClinicChat.MicroBench;

/// <summary>
/// The authentication middleware's cost for a chat request (a send's path, no cookie: reading one is
/// <see cref="AuthCookieBenchmarks"/>) with OpenIddict registered as the product registers it: its server and validation
/// handlers asked about every request, as ASP.NET Core does by default, or only about their own requests, as shipped
/// (<see cref="OpenIddictRequests"/>).
/// </summary>
[MemoryDiagnoser]
public class OpenIddictRequestBenchmarks
{
    private (RequestDelegate Pipeline, IServiceProvider Services) _everyRequest;
    private (RequestDelegate Pipeline, IServiceProvider Services) _ownRequests;

    [GlobalSetup]
    public void Setup()
    {
        _everyRequest = Build(askedAboutEveryRequest: true);
        _ownRequests = Build(askedAboutEveryRequest: false);
    }

    [Benchmark(Baseline = true)]
    public Task AskedAboutEveryRequest() => SendAsync(_everyRequest);

    [Benchmark]
    public Task OnlyItsOwnRequests() => SendAsync(_ownRequests);

    private static async Task SendAsync((RequestDelegate Pipeline, IServiceProvider Services) app)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var context = new DefaultHttpContext { RequestServices = scope.ServiceProvider };
        context.Request.Method = HttpMethods.Post;
        context.Request.Path = "/api/v1/conversations/6f1c2a51-8d4e-4a55-9a51-0c2b7d9e4f10/messages";
        await app.Pipeline(context);
    }

    private static (RequestDelegate, IServiceProvider) Build(bool askedAboutEveryRequest)
    {
        // Production, as deployed: Development would also check at build that every service resolves, and the handlers
        // OpenIddict calls on its own endpoints need a grain factory this pipeline never reaches.
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { EnvironmentName = "Production" });
        builder.Services.AddKeyedSingleton(ChatTime.Key, TimeProvider.System);
        builder.Services.AddDataProtection().UseEphemeralDataProtectionProvider();
        builder.Services.AddAuthentication(IdentityConstants.ApplicationScheme).AddCookie(IdentityConstants.ApplicationScheme);
        builder.Services.AddClinicChatSmartBackendServices(builder.Environment);
        if (askedAboutEveryRequest)
        {
            builder.Services.Replace(ServiceDescriptor.Singleton<IAuthenticationSchemeProvider, AuthenticationSchemeProvider>());
        }

        var app = builder.Build();
        app.UseOpenIddictOnItsOwnRequests();
        app.UseAuthentication();
        app.Run(_ => Task.CompletedTask);
        return (((IApplicationBuilder)app).Build(), app.Services);
    }
}
