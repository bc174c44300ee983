using System.Security.Claims;
using ClinicChat.Realtime;
using Microsoft.Extensions.Options;

namespace ClinicChat.Web.Realtime;

/// <summary>
/// Refuses a user's push connection beyond <see cref="RealtimeOptions.MaxConnectionsPerUser"/> on this
/// web node with 429 <c>too_many_connections</c>, before SignalR starts it: at negotiation, or at the
/// connect request of a client that skips negotiation (WebSockets only). Requests of a connection
/// already open (transport sends and polls carry its <c>id</c>) always pass. The hub checks again,
/// atomically, for connections that negotiated at the same moment.
/// </summary>
public static class HubConnectionCap
{
    public static WebApplication UseHubConnectionCap(this WebApplication app)
    {
        var sessions = app.Services.GetRequiredService<SessionConnections>();
        var options = app.Services.GetRequiredService<IOptions<RealtimeOptions>>();
        app.UseWhen(
            context => context.Request.Path.StartsWithSegments(ChatHub.Path),
            branch => branch.Use(async (context, next) =>
            {
                var max = options.Value.MaxConnectionsPerUser;
                if (!StartsConnection(context.Request) || context.User.FindFirstValue(ClaimTypes.NameIdentifier) is not { } userId || sessions.HasRoomFor(userId, max))
                {
                    await next(context);
                    return;
                }

                await Refusal(max).ExecuteAsync(context);
            }));
        return app;
    }

    public static Microsoft.AspNetCore.Http.HttpResults.ProblemHttpResult Refusal(int max) =>
        ApiProblems.Problem(ApiErrors.TooManyConnections, "Too many push connections.",
            $"At most {max} push connections per user on one server; close another tab or device and connect again.");

    private static bool StartsConnection(HttpRequest request) =>
        request.Path.Value?.EndsWith("/negotiate", StringComparison.Ordinal) == true || !request.Query.ContainsKey("id");
}
