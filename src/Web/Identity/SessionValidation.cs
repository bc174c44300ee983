using System.Security.Claims;
using ClinicChat.Sessions;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;

namespace ClinicChat.Web.Identity;

/// <summary>
/// The per-request session check, wrapped around Identity's security-stamp validator: a cookie is
/// accepted only while the session it names is alive in its user's <see cref="IUserSessionsGrain"/>
/// (one in-memory grain call, no database round trip); each accepted request restarts the idle clock.
/// </summary>
public static class SessionValidation
{
    public static TBuilder NotUserActivity<TBuilder>(this TBuilder builder) where TBuilder : IEndpointConventionBuilder =>
        builder.WithMetadata(new NotUserActivityAttribute());

    public static Func<CookieValidatePrincipalContext, Task> Wrap(Func<CookieValidatePrincipalContext, Task> stampCheck) => async context =>
    {
        var standing = await StandingAsync(context);
        if (standing == SessionStanding.Ended)
        {
            context.RejectPrincipal();
            await context.HttpContext.SignOutAsync(context.Scheme.Name);
            return;
        }

        // A rotated session's request was sent before its browser got the new cookie: the stamp
        // check may re-issue the cookie it carries, which would overwrite the new one.
        if (standing == SessionStanding.Current && IsStampCheckDue(context))
        {
            await stampCheck(context);
        }
    };

    /// <summary>
    /// The condition Identity's validator applies itself (no issue time, or older than the interval),
    /// checked before it is resolved: resolving it builds a SignInManager, a UserManager and a
    /// DbContext for every request, and for a hub connection keeps them for the connection's life.
    /// A send profile showed that at ~7 % of the server's CPU for a check due once in five minutes.
    /// </summary>
    private static bool IsStampCheckDue(CookieValidatePrincipalContext context)
    {
        if (context.Properties.IssuedUtc is not { } issued)
        {
            return true;
        }

        var options = context.HttpContext.RequestServices.GetRequiredService<IOptions<SecurityStampValidatorOptions>>().Value;
        var now = (options.TimeProvider ?? TimeProvider.System).GetUtcNow();
        return now - issued > options.ValidationInterval;
    }

    private static async Task<SessionStanding> StandingAsync(CookieValidatePrincipalContext context)
    {
        var principal = context.Principal;
        var userId = principal?.FindFirstValue(ClaimTypes.NameIdentifier);
        var sessionId = principal?.FindFirstValue(ChatClaims.Session);
        if (userId is null || sessionId is null)
        {
            // A cookie from before server-side sessions, or not ours: it names no session to check.
            return SessionStanding.Ended;
        }

        var grains = context.HttpContext.RequestServices.GetRequiredService<IGrainFactory>();
        var sessions = grains.GetGrain<IUserSessionsGrain>(userId);
        return IsUserActivity(context.HttpContext) ? await sessions.TouchAsync(sessionId) : await sessions.StandingAsync(sessionId);
    }

    /// <summary>
    /// Requests the app makes by itself (<see cref="NotUserActivityAttribute"/>: receipts posted as
    /// messages arrive in an open window) must not keep an unattended screen signed in for ever
    /// (HIPAA's automatic logoff). Routing has chosen the endpoint before authentication runs.
    /// </summary>
    private static bool IsUserActivity(HttpContext http) =>
        http.GetEndpoint()?.Metadata.GetMetadata<NotUserActivityAttribute>() is null;
}

/// <summary>Marks an endpoint the app calls on its own: it checks the session without restarting its idle clock.</summary>
[AttributeUsage(AttributeTargets.Method | AttributeTargets.Class)]
public sealed class NotUserActivityAttribute : Attribute;
