namespace ClinicChat.Web.Realtime;

/// <summary>
/// Browsers attach the auth cookie to WebSocket connections from any site, and neither WebSockets
/// nor SignalR apply CORS to them: without this check another site could open the hub in a signed-in
/// user's browser and read their pushes. Requests that carry an Origin must come from this app (or an
/// origin in the CORS allow-list, see <see cref="OriginPolicy"/>).
/// </summary>
public static class HubOriginCheck
{
    public const string AllowedOriginsKey = "ClinicChat:Realtime:AllowedOrigins";

    public static WebApplication UseHubOriginCheck(this WebApplication app)
    {
        var origins = app.Services.GetRequiredService<OriginPolicy>();
        app.UseWhen(
            context => context.Request.Path.StartsWithSegments(ChatHub.Path),
            branch => branch.Use(async (context, next) =>
            {
                var origin = context.Request.Headers.Origin.ToString();
                if (origin.Length == 0 || origins.IsAllowed(context.Request, origin))
                {
                    await next(context);
                    return;
                }

                await ApiProblems.Problem(ApiErrors.Forbidden, "Not allowed.", "Connections from other sites are refused.")
                    .ExecuteAsync(context);
            }));
        return app;
    }
}
