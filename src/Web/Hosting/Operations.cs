using ClinicChat.Hosting;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Policy;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.AspNetCore.Routing.Patterns;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;
using Orleans.Dashboard;

namespace ClinicChat.Web.Hosting;

/// <summary>
/// The operator's views: the Orleans Dashboard under <see cref="DashboardPath"/> for operator accounts
/// only, and metrics and traces (see <see cref="TelemetryExtensions"/>: their own listener, not this
/// one). Anyone else who is signed in, a clinic's Admin included, gets 404: the views are cluster-wide
/// and no clinic's business, so a clinic's account does not even learn that they are there.
/// </summary>
public static class OperationsExtensions
{
    public const string DashboardPath = "/ops/orleans";
    public const string OperatorPolicy = "ops-operator";

    /// <summary>
    /// Grain state and the live log stream can show patient data, which not even an operator needs
    /// to see. Their endpoints answer 404 for everyone.
    /// </summary>
    private static readonly string[] HiddenDashboardEndpoints = ["GrainState", "Trace"];

    public static WebApplicationBuilder AddClinicChatOperations(this WebApplicationBuilder builder)
    {
        builder.Services.AddAuthorizationBuilder()
            .AddPolicy(OperatorPolicy, policy => policy.RequireAuthenticatedUser().RequireAssertion(context => context.User.IsOperator()));
        builder.Services.Replace(ServiceDescriptor.Singleton<IAuthorizationMiddlewareResultHandler, SignInRedirectResultHandler>());
        builder.Services.AddClinicChatTelemetry(
            builder.Configuration,
            "clinicchat-web",
            metrics: metrics => metrics.AddAspNetCoreInstrumentation(),
            tracing: tracing => tracing.AddAspNetCoreInstrumentation());
        return builder;
    }

    /// <summary>The dashboard's internal asset provider, found by name (null if a package upgrade renamed it).</summary>
    internal static Type? DashboardAssetProviderType => typeof(DashboardOptions).Assembly.GetType("Orleans.Dashboard.EmbeddedAssetProvider");

    /// <summary>
    /// Starts building the dashboard's assets on the thread pool, to run beside the rest of start-up. The dashboard's
    /// asset provider gzips every embedded file in its constructor (about 0.5 s here, at every start), and
    /// <see cref="MapClinicChatOperations"/> would otherwise build it on the main thread before the silo starts
    /// (docs/platform-findings.md). The type is internal to the package, so it is found by name: were it renamed, this
    /// would do nothing and the mapping would build it as before. It is a singleton, so it is built once either way.
    /// </summary>
    public static WebApplication StartBuildingDashboardAssets(this WebApplication app)
    {
        if (DashboardAssetProviderType is { } assets)
        {
            _ = Task.Run(() =>
            {
                try
                {
                    app.Services.GetService(assets);
                }
                catch (ObjectDisposedException)
                {
                    // The app stopped before it was built (a test host that only starts and stops): nothing to build.
                }
            });
        }

        return app;
    }

    public static WebApplication MapClinicChatOperations(this WebApplication app)
    {
        var dashboard = app.MapOrleansDashboard(DashboardPath);
        dashboard.RequireAuthorization(OperatorPolicy)
            .WithMetadata(new RedirectAnonymousBrowsersToSignIn(), new HiddenFromNonOperators())
            .ExcludeFromDescription();
        ((IEndpointConventionBuilder)dashboard).Add(endpoint =>
        {
            if (endpoint is RouteEndpointBuilder route && IsHidden(route))
            {
                // A filter runs after authorization, so anonymous callers still get 401 and others 404.
                route.FilterFactories.Add((_, _) => _ => ValueTask.FromResult<object?>(
                    ApiProblems.Problem(ApiErrors.NotFound, "Not found.", "This dashboard view is switched off.")));
            }
        });
        return app;
    }

    private static bool IsHidden(RouteEndpointBuilder route) =>
        route.RoutePattern.PathSegments.LastOrDefault()?.Parts is [RoutePatternLiteralPart literal]
        && HiddenDashboardEndpoints.Contains(literal.Content, StringComparer.OrdinalIgnoreCase);

    /// <summary>Marks endpoints whose anonymous browser visitors are sent to the sign-in page.</summary>
    private sealed class RedirectAnonymousBrowsersToSignIn;

    /// <summary>Marks endpoints that answer a signed-in caller who is not an operator as if they did not exist.</summary>
    private sealed class HiddenFromNonOperators;

    /// <summary>
    /// The API answers an anonymous caller with 401 ProblemDetails. A person who opens an ops page
    /// in the browser gets the sign-in page instead, and comes back after signing in; a signed-in
    /// caller who is not an operator gets 404.
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

            if (authorizeResult.Forbidden && context.GetEndpoint()?.Metadata.GetMetadata<HiddenFromNonOperators>() is not null)
            {
                return ApiProblems.Problem(ApiErrors.NotFound, "Not found.", null).ExecuteAsync(context);
            }

            return _default.HandleAsync(next, context, policy, authorizeResult);
        }

        /// <summary>Browsers ask for HTML when they navigate; the dashboard's own data requests do not.</summary>
        private static bool IsPageNavigation(HttpRequest request) =>
            HttpMethods.IsGet(request.Method)
            && request.GetTypedHeaders().Accept.Any(accept => accept.MediaType.Equals("text/html", StringComparison.OrdinalIgnoreCase));
    }
}
