using System.Security.Claims;
using ClinicChat.Sessions;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;

namespace ClinicChat.Web.Identity;

/// <summary>
/// The per-request session check, wrapped around Identity's security-stamp validator: a cookie is
/// accepted only while the session it names is alive in its user's <see cref="IUserSessionsGrain"/>
/// (one in-memory grain call, no database round trip); each accepted request restarts the idle clock.
/// </summary>
public static class SessionValidation
{
    public static Func<CookieValidatePrincipalContext, Task> Wrap(Func<CookieValidatePrincipalContext, Task> stampCheck) => async context =>
    {
        if (!await IsAliveAsync(context))
        {
            context.RejectPrincipal();
            await context.HttpContext.SignOutAsync(context.Scheme.Name);
            return;
        }

        await stampCheck(context);
    };

    private static async Task<bool> IsAliveAsync(CookieValidatePrincipalContext context)
    {
        var principal = context.Principal;
        var userId = principal?.FindFirstValue(ClaimTypes.NameIdentifier);
        var sessionId = principal?.FindFirstValue(ChatClaims.Session);
        if (userId is null || sessionId is null)
        {
            // A cookie from before server-side sessions, or not ours: it names no session to check.
            return false;
        }

        var grains = context.HttpContext.RequestServices.GetRequiredService<IGrainFactory>();
        return await grains.GetGrain<IUserSessionsGrain>(userId).TouchAsync(sessionId);
    }
}
