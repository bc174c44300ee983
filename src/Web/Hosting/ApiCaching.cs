using Microsoft.Net.Http.Headers;

namespace ClinicChat.Web.Hosting;

/// <summary>
/// No API response (nor any of the FHIR base's) may be kept by the browser or any cache in between: they carry health data (messages, records,
/// files, previews, audit), and a cached copy outlives sign-out and the re-authentication window that let it out.
/// </summary>
public static class ApiCaching
{
    public const string NoStore = "no-store";

    /// <summary>
    /// Set in <c>OnStarting</c>, registered before any endpoint runs: callbacks run last-registered first, so this one
    /// runs after whatever an endpoint or result set and overrides it (a file result's or a preview's own caching).
    /// </summary>
    public static IApplicationBuilder UseClinicChatApiNoStore(this IApplicationBuilder app) => app.Use((context, next) =>
    {
        if (context.Request.Path.StartsWithSegments("/api") || context.Request.Path.StartsWithSegments(Integration.FhirRestApi.BasePath))
        {
            context.Response.OnStarting(() =>
            {
                var headers = context.Response.Headers;
                headers.CacheControl = NoStore;
                // Only for HTTP/1.0 caches that ignore Cache-Control; no-store alone is the rule.
                headers.Pragma = "no-cache";
                headers.Remove(HeaderNames.Expires);
                return Task.CompletedTask;
            });
        }

        return next(context);
    });
}
