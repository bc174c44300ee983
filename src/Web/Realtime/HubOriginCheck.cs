using ClinicChat.Web.Api;

namespace ClinicChat.Web.Realtime;

/// <summary>
/// Browsers attach the auth cookie to WebSocket connections from any site, and neither WebSockets
/// nor SignalR apply CORS to them: without this check another site could open the hub in a signed-in
/// user's browser and read their pushes. Requests that carry an Origin must come from this app.
/// </summary>
public static class HubOriginCheck
{
    public const string AllowedOriginsKey = "ClinicChat:Realtime:AllowedOrigins";

    public static WebApplication UseHubOriginCheck(this WebApplication app)
    {
        var allowed = app.Configuration.GetSection(AllowedOriginsKey).Get<string[]>() ?? [];
        app.UseWhen(
            context => context.Request.Path.StartsWithSegments(ChatHub.Path),
            branch => branch.Use(async (context, next) =>
            {
                var origin = context.Request.Headers.Origin.ToString();
                if (origin.Length == 0 || IsSameOrigin(context.Request, origin) || allowed.Contains(origin, StringComparer.OrdinalIgnoreCase))
                {
                    await next(context);
                    return;
                }

                await ApiProblems.Problem(StatusCodes.Status403Forbidden, ApiProblems.Forbidden, "Not allowed.", "Connections from other sites are refused.")
                    .ExecuteAsync(context);
            }));
        return app;
    }

    private static bool IsSameOrigin(HttpRequest request, string origin) =>
        string.Equals(origin, $"{request.Scheme}://{request.Host}", StringComparison.OrdinalIgnoreCase);
}
