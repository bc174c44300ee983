namespace ClinicChat.Web.Hosting;

/// <summary>
/// The web app (built into wwwroot/ by Vite) answers every page address that is not the server's own: a
/// bookmarked or typed path such as <c>/chat</c> gets index.html, whose script routes by the URL's hash.
/// </summary>
public static class FrontEnd
{
    /// <summary>The server's own path prefixes: unknown paths under them stay ProblemDetails 404s (and wrong methods 405s).</summary>
    private static readonly string[] ServerPrefixes = ["api", "hubs", "ops", "openapi", "healthz", "readyz", "fhir", "oauth2", ".well-known"];

    private const string ConstraintName = "frontendpath";

    public static IServiceCollection AddClinicChatFrontEnd(this IServiceCollection services) =>
        services.Configure<RouteOptions>(options => options.SetParameterPolicy<PagePathConstraint>(ConstraintName));

    public static WebApplication MapClinicChatFrontEnd(this WebApplication app)
    {
        // The page holds no data (the API answers who may see what), and it must load for everyone: a staff member who
        // must first set up two-step sign-in reloads it and gets the set-up screen, not TotpEnrolmentGate's 403 JSON.
        app.MapFallbackToFile($"{{*path:{ConstraintName}:nonfile}}", "index.html").AllowAnonymous().ExcludeFromDescription();
        return app;
    }

    /// <summary>Matches a page path: anything not under one of the server's prefixes.</summary>
    private sealed class PagePathConstraint : IRouteConstraint
    {
        public bool Match(HttpContext? httpContext, IRouter? route, string routeKey, RouteValueDictionary values, RouteDirection routeDirection)
        {
            var path = values.TryGetValue(routeKey, out var value) ? value?.ToString() ?? string.Empty : string.Empty;
            var first = path.Split('/', 2)[0];
            return !ServerPrefixes.Contains(first, StringComparer.OrdinalIgnoreCase);
        }
    }
}
