using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using OpenIddict.Server.AspNetCore;
using OpenIddict.Validation.AspNetCore;

namespace ClinicChat.Web.Integration;

/// <summary>
/// OpenIddict's server and validation handlers look only at the requests that are theirs. Both are authentication
/// <em>request</em> handlers, and ASP.NET Core's authentication middleware hands every request to every such handler
/// before anything else: for each request, chat sends included, each built its handler, factory, dispatcher,
/// transaction and feature, with a finalizable weak reference to the request, to learn that the request was not for
/// it (7.4 µs and 3.6 KB a request, <c>OpenIddictRequestBenchmarks</c>; docs/benchmarks.md). The requests that are
/// theirs: the token endpoint, the FHIR REST API (whose scheme is OpenIddict's validation: it answers a missing token with
/// its own challenge), and any request carrying a bearer token (the FHIR import accepts one, and OpenIddict must see
/// every token it may be asked to validate). The validation handler requires its request step to have run before it
/// authenticates (OpenIddict throws otherwise), so this runs in the framework's place, just before authentication.
/// </summary>
public static class OpenIddictRequests
{
    private static readonly string[] Schemes =
        [OpenIddictServerAspNetCoreDefaults.AuthenticationScheme, OpenIddictValidationAspNetCoreDefaults.AuthenticationScheme];

    /// <summary>Whether OpenIddict must see this request: see the type's summary.</summary>
    public static bool AreFor(HttpRequest request) =>
        request.Path.StartsWithSegments(SmartBackendServices.TokenPath, StringComparison.OrdinalIgnoreCase)
        || request.Path.StartsWithSegments(FhirRestApi.BasePath, StringComparison.OrdinalIgnoreCase)
        || SmartBackendServices.CarriesBearerToken(request);

    /// <summary>Takes OpenIddict's schemes out of the list the authentication middleware runs on every request.</summary>
    public static IServiceCollection AddOpenIddictOnItsOwnRequests(this IServiceCollection services)
    {
        services.Replace(ServiceDescriptor.Singleton<IAuthenticationSchemeProvider, SchemesWithoutOpenIddictRequestHandlers>());
        return services;
    }

    /// <summary>Runs OpenIddict's request handlers for its own requests; goes before <c>UseAuthentication</c>.</summary>
    public static WebApplication UseOpenIddictOnItsOwnRequests(this WebApplication app)
    {
        app.Use(async (context, next) =>
        {
            if (AreFor(context.Request))
            {
                var handlers = context.RequestServices.GetRequiredService<IAuthenticationHandlerProvider>();
                foreach (var scheme in Schemes)
                {
                    if (await handlers.GetHandlerAsync(context, scheme) is IAuthenticationRequestHandler handler && await handler.HandleRequestAsync())
                    {
                        return;
                    }
                }
            }

            await next(context);
        });
        return app;
    }

    private sealed class SchemesWithoutOpenIddictRequestHandlers(IOptions<AuthenticationOptions> options) : AuthenticationSchemeProvider(options)
    {
        // The base class answers from one list it keeps until a scheme is added or removed; this keeps its filtered copy
        // the same way (the middleware asks on every request), in one object so that a reader never pairs two lists.
        private Filtered? _last;

        public override Task<IEnumerable<AuthenticationScheme>> GetRequestHandlerSchemesAsync()
        {
            var asked = base.GetRequestHandlerSchemesAsync();
            if (!asked.IsCompletedSuccessfully)
            {
                return FilterAsync(asked);
            }

            var all = asked.Result;
            var last = _last;
            if (last is null || !ReferenceEquals(last.All, all))
            {
                last = new Filtered(all, Task.FromResult(Filter(all)));
                _last = last;
            }

            return last.Schemes;
        }

        private static async Task<IEnumerable<AuthenticationScheme>> FilterAsync(Task<IEnumerable<AuthenticationScheme>> asked) => Filter(await asked);

        private static IEnumerable<AuthenticationScheme> Filter(IEnumerable<AuthenticationScheme> all) =>
            [.. all.Where(scheme => !Schemes.Contains(scheme.Name))];

        private sealed record Filtered(IEnumerable<AuthenticationScheme> All, Task<IEnumerable<AuthenticationScheme>> Schemes);
    }
}
