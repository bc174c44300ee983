using ClinicChat.Web.Realtime;
using Microsoft.AspNetCore.HttpOverrides;

namespace ClinicChat.Web.Hosting;

/// <summary>Which other sites' pages may call the API with the user's cookie: none unless an operator lists them.</summary>
public sealed class CrossOriginOptions
{
    public const string Section = "ClinicChat:Cors";

    /// <summary>Exact origins (<c>https://portal.example</c>); the app's own origin never needs listing.</summary>
    public string[] AllowedOrigins { get; set; } = [];
}

/// <summary>
/// The origins a browser request may come from: this app's own, the CORS allow-list, and (for the
/// hub, kept from before the CORS list existed) <c>ClinicChat:Realtime:AllowedOrigins</c>.
/// </summary>
public sealed class OriginPolicy(IConfiguration configuration)
{
    private readonly HashSet<string> _allowed = new(
        (configuration.GetSection($"{CrossOriginOptions.Section}:AllowedOrigins").Get<string[]>() ?? [])
            .Concat(configuration.GetSection(HubOriginCheck.AllowedOriginsKey).Get<string[]>() ?? [])
            .Select(o => o.TrimEnd('/')),
        StringComparer.OrdinalIgnoreCase);

    public bool IsAllowed(HttpRequest request, string origin) =>
        IsSameOrigin(request, origin) || _allowed.Contains(origin);

    /// <summary>
    /// Behind a TLS-terminating load balancer the request's scheme is only right when the balancer is a
    /// known proxy (<c>ClinicChat:Proxy:KnownProxies</c>), which is why operators must list it.
    /// </summary>
    public static bool IsSameOrigin(HttpRequest request, string origin) =>
        string.Equals(origin, $"{request.Scheme}://{request.Host}", StringComparison.OrdinalIgnoreCase);
}

/// <summary>
/// CSRF and cross-origin protection for the API (requests with a bearer token, which no browser adds on its own, need no
/// header). Cookies travel with cross-site requests (SameSite=Lax
/// still lets top-level form POSTs through in some browsers and always lets same-site ones through), so
/// every state-changing API request must carry <see cref="HeaderName"/>: a header that an HTML form
/// cannot set, and that another origin's script can only set after a CORS preflight this app refuses.
/// Requests whose <c>Origin</c> is neither this app nor allow-listed are refused outright. Both checks
/// run before authentication and before any endpoint, so a refused request changes nothing.
/// </summary>
public static class RequestSafety
{
    public const string HeaderName = "X-ClinicChat-Request";

    /// <summary>Login too: signing a victim into the attacker's account (login CSRF) is refused the same way.</summary>
    public static bool IsStateChanging(string method) =>
        HttpMethods.IsPost(method) || HttpMethods.IsPut(method) || HttpMethods.IsPatch(method) || HttpMethods.IsDelete(method);

    public static IServiceCollection AddClinicChatRequestSafety(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<CrossOriginOptions>().BindConfiguration(CrossOriginOptions.Section)
            .Validate(o => o.AllowedOrigins.All(IsOrigin), $"{CrossOriginOptions.Section}:AllowedOrigins must hold origins such as https://portal.example (no path, no '*').")
            .ValidateOnStart();
        services.AddSingleton<OriginPolicy>();
        var allowed = configuration.GetSection($"{CrossOriginOptions.Section}:AllowedOrigins").Get<string[]>() ?? [];
        services.AddCors(cors => cors.AddDefaultPolicy(policy => policy
            .WithOrigins([.. allowed.Select(o => o.TrimEnd('/'))])
            .AllowCredentials()
            .WithMethods(HttpMethods.Get, HttpMethods.Post, HttpMethods.Put, HttpMethods.Delete)
            .WithHeaders("Content-Type", HeaderName)));
        services.Configure<ForwardedHeadersOptions>(options =>
        {
            options.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto;
            // Only the operator's own load balancers may say who the client is; by default nobody may.
            options.KnownProxies.Clear();
            options.KnownIPNetworks.Clear();
            foreach (var proxy in configuration.GetSection("ClinicChat:Proxy:KnownProxies").Get<string[]>() ?? [])
            {
                options.KnownProxies.Add(System.Net.IPAddress.Parse(proxy));
            }
        });
        return services;
    }

    /// <summary>Client address and scheme from the operator's load balancer, when it is listed as a known proxy.</summary>
    public static WebApplication UseClinicChatForwardedHeaders(this WebApplication app)
    {
        if ((app.Configuration.GetSection("ClinicChat:Proxy:KnownProxies").Get<string[]>() ?? []).Length > 0)
        {
            app.UseForwardedHeaders();
        }

        return app;
    }

    public static WebApplication UseClinicChatRequestSafety(this WebApplication app)
    {
        app.UseCors();
        app.UseWhen(
            context => context.Request.Path.StartsWithSegments("/api") && IsStateChanging(context.Request.Method),
            branch => branch.Use(async (context, next) =>
            {
                var origin = context.Request.Headers.Origin.ToString();
                if (origin.Length > 0 && !context.RequestServices.GetRequiredService<OriginPolicy>().IsAllowed(context.Request, origin))
                {
                    await RefuseAsync(context, ApiErrors.CrossOriginRefused, "Requests from other sites are refused.");
                    return;
                }

                if (string.IsNullOrEmpty(context.Request.Headers[HeaderName]) && !Integration.SmartBackendServices.CarriesBearerToken(context.Request))
                {
                    await RefuseAsync(context, ApiErrors.CsrfHeaderMissing, $"Send the {HeaderName} header with every request that changes something.");
                    return;
                }

                await next(context);
            }));
        return app;
    }

    private static Task RefuseAsync(HttpContext context, string code, string detail) =>
        ApiProblems.Problem(code, "Not allowed.", detail).ExecuteAsync(context);

    private static bool IsOrigin(string value) =>
        Uri.TryCreate(value, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttps || uri.Scheme == Uri.UriSchemeHttp)
        && uri.AbsolutePath == "/" && string.IsNullOrEmpty(uri.Query) && !value.Contains('*', StringComparison.Ordinal);
}
