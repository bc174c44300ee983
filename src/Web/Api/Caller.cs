using System.Reflection;
using System.Security.Claims;

namespace ClinicChat.Web.Api;

/// <summary>
/// The signed-in caller as an endpoint parameter (<c>Caller caller</c>), read from the session's claims, so that no
/// endpoint reads claims itself. Only bound behind RequireAuthorization, where a ClinicChat principal is guaranteed:
/// a request without one is a wiring mistake, not a client error, and stays a 500.
/// </summary>
public sealed class Caller : IBindableFromHttpContext<Caller>
{
    private Caller(Actor actor, ClaimsPrincipal principal)
    {
        Actor = actor;
        Principal = principal;
    }

    public Actor Actor { get; }

    /// <summary>The session's own claims, for what is about this session rather than the person (two-step enrolment).</summary>
    public ClaimsPrincipal Principal { get; }

    public static ValueTask<Caller?> BindAsync(HttpContext context, ParameterInfo parameter) =>
        ValueTask.FromResult<Caller?>(new Caller(context.User.Actor(), context.User));
}

public static class CallerClaims
{
    /// <summary>The signed-in caller, for code that holds a principal rather than an endpoint parameter.</summary>
    public static Actor Actor(this ClaimsPrincipal user) =>
        user.ToActor() ?? throw new InvalidOperationException("An authenticated request without ClinicChat claims.");
}
