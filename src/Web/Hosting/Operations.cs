using ClinicChat.Access;
using ClinicChat.Hosting;
using ClinicChat.Web.Api;
using ClinicChat.Web.Identity;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Policy;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.AspNetCore.Routing.Patterns;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;
using Orleans.Dashboard;

namespace ClinicChat.Web.Hosting;

/// <summary>
/// The operator's views: the Orleans Dashboard under <see cref="DashboardPath"/> for clinic Admins,
/// and metrics and traces (see <see cref="TelemetryExtensions"/>).
/// </summary>
public static class OperationsExtensions
{
    public const string DashboardPath = "/ops/orleans";
    public const string AdminPolicy = "ops-admin";

    /// <summary>
    /// Grain state and the live log stream can show patient data, and the dashboard would show them
    /// to the Admin of any clinic for every clinic. Their endpoints answer 404 for everyone.
    /// </summary>
    private static readonly string[] HiddenDashboardEndpoints = ["GrainState", "Trace"];

    public static WebApplicationBuilder AddClinicChatOperations(this WebApplicationBuilder builder)
    {
        builder.Services.AddAuthorizationBuilder()
            .AddPolicy(AdminPolicy, policy => policy.RequireAuthenticatedUser().RequireAssertion(context => IsAdminAnywhere(context.User.ToActor())));
        builder.Services.Replace(ServiceDescriptor.Singleton<IAuthorizationMiddlewareResultHandler, SignInRedirectResultHandler>());
        builder.Services.AddClinicChatTelemetry(
            builder.Configuration,
            "clinicchat-web",
            metrics: metrics => metrics.AddAspNetCoreInstrumentation(),
            tracing: tracing => tracing.AddAspNetCoreInstrumentation());
        return builder;
    }

    public static WebApplication MapClinicChatOperations(this WebApplication app)
    {
        var dashboard = app.MapOrleansDashboard(DashboardPath);
        dashboard.RequireAuthorization(AdminPolicy)
            .WithMetadata(new RedirectAnonymousBrowsersToSignIn())
            .ExcludeFromDescription();
        ((IEndpointConventionBuilder)dashboard).Add(endpoint =>
        {
            if (endpoint is RouteEndpointBuilder route && IsHidden(route))
            {
                // A filter runs after authorization, so anonymous callers still get 401 and others 403.
                route.FilterFactories.Add((_, _) => _ => ValueTask.FromResult<object?>(
                    ApiProblems.Problem(ApiErrors.NotFound, "Not found.", "This dashboard view is switched off.")));
            }
        });
        return app;
    }

    /// <summary>An Admin at any clinic: the dashboard is cluster-wide and shows no clinic's data.</summary>
    public static bool IsAdminAnywhere(Actor? actor) =>
        actor is { Kind: ActorKind.Staff } && actor.Memberships.Any(m => m.Role == StaffRole.Admin);

    private static bool IsHidden(RouteEndpointBuilder route) =>
        route.RoutePattern.PathSegments.LastOrDefault()?.Parts is [RoutePatternLiteralPart literal]
        && HiddenDashboardEndpoints.Contains(literal.Content, StringComparer.OrdinalIgnoreCase);

    /// <summary>Marks endpoints whose anonymous browser visitors are sent to the sign-in page.</summary>
    private sealed class RedirectAnonymousBrowsersToSignIn;

    /// <summary>
    /// The API answers an anonymous caller with 401 ProblemDetails. A person who opens an ops page
    /// in the browser gets the sign-in page instead, and comes back after signing in.
    /// </summary>
    private sealed class SignInRedirectResultHandler : IAuthorizationMiddlewareResultHandler
    {
        private readonly AuthorizationMiddlewareResultHandler _default = new();

        public Task HandleAsync(RequestDelegate next, HttpContext context, AuthorizationPolicy policy, PolicyAuthorizationResult authorizeResult)
        {
            if (authorizeResult.Challenged
                && context.GetEndpoint()?.Metadata.GetMetadata<RedirectAnonymousBrowsersToSignIn>() is not null
                && IsPageNavigation(context.Request))
            {
                var returnUrl = context.Request.PathBase + context.Request.Path + context.Request.QueryString;
                context.Response.Redirect($"{context.Request.PathBase}/?returnUrl={Uri.EscapeDataString(returnUrl)}");
                return Task.CompletedTask;
            }

            return _default.HandleAsync(next, context, policy, authorizeResult);
        }

        /// <summary>Browsers ask for HTML when they navigate; the dashboard's own data requests do not.</summary>
        private static bool IsPageNavigation(HttpRequest request) =>
            HttpMethods.IsGet(request.Method)
            && request.GetTypedHeaders().Accept.Any(accept => accept.MediaType.Equals("text/html", StringComparison.OrdinalIgnoreCase));
    }
}
