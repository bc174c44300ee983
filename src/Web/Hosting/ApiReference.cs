using Scalar.AspNetCore;

namespace ClinicChat.Web.Hosting;

/// <summary>
/// The API's reference for developers: the OpenAPI document (`/openapi/v1.json`, every environment: the
/// authorization matrix test and the front end's types are generated from it) and, in Development only,
/// Scalar's reader over it at <see cref="Path"/> (its script is served from the package, nothing from
/// a CDN). Scalar's page runs inline script, which the app's content security policy forbids; it is a
/// developer's page, so <see cref="SecurityHeaders"/> gives it a policy of its own and Production never maps it.
/// </summary>
public static class ApiReference
{
    public const string Path = "/api/reference";

    public static WebApplication MapClinicChatApiReference(this WebApplication app)
    {
        if (app.Environment.IsDevelopment())
        {
            app.MapScalarApiReference(Path, options => options.WithTitle("ClinicChat API").WithOpenApiRoutePattern("/openapi/{documentName}.json")
                // Nothing from elsewhere: fonts from the browser, no telemetry calls.
                .DisableDefaultFonts().DisableTelemetry());
        }

        return app;
    }
}
