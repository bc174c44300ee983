using System.Globalization;
using System.Security.Claims;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;

namespace ClinicChat.Web.Hosting;

/// <summary>How many requests of one kind a caller may make per window, per user (or account) and per client address.</summary>
public sealed class RateLimitRule
{
    /// <summary>Per signed-in user; for sign-in, per target account (the email tried).</summary>
    public int PerUser { get; set; }

    /// <summary>Per client address (the load balancer's <c>X-Forwarded-For</c> when it is a known proxy).</summary>
    public int PerIp { get; set; }

    public TimeSpan Window { get; set; } = TimeSpan.FromMinutes(1);
}

/// <summary>
/// <c>ClinicChat:RateLimits</c>. Defaults are production values: well above what a person at a
/// keyboard does, well below what a script guessing passwords or scraping the directory needs. Limits
/// are counted by each web node on its own (in memory): with M web nodes behind a balancer a client
/// gets up to M times the per-IP and per-user budgets, which still bounds guessing far below lockout's.
/// </summary>
public sealed class RateLimitOptions
{
    public const string Section = "ClinicChat:RateLimits";

    /// <summary>Off only for load tests: nothing is counted.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>Per account tried and per address; a clinic behind one NAT signs in from one address.</summary>
    public RateLimitRule SignIn { get; set; } = new() { PerUser = 10, PerIp = 100, Window = TimeSpan.FromMinutes(5) };

    public RateLimitRule Reauth { get; set; } = new() { PerUser = 10, PerIp = 100, Window = TimeSpan.FromMinutes(5) };

    public RateLimitRule Send { get; set; } = new() { PerUser = 120, PerIp = 1200, Window = TimeSpan.FromMinutes(1) };

    public RateLimitRule Upload { get; set; } = new() { PerUser = 30, PerIp = 300, Window = TimeSpan.FromMinutes(1) };

    /// <summary>Patient directory and audit log searches.</summary>
    public RateLimitRule Search { get; set; } = new() { PerUser = 60, PerIp = 600, Window = TimeSpan.FromMinutes(1) };

    /// <summary>
    /// Notices a patient asks for (a test notice, a verification code to a new email address or mobile number):
    /// each one is an email or a paid SMS to an address that may not be theirs.
    /// </summary>
    public RateLimitRule Notices { get; set; } = new() { PerUser = 5, PerIp = 100, Window = TimeSpan.FromMinutes(10) };

    /// <summary>
    /// Every GET under <c>/api</c> and the FHIR base, per user and per address, as a token bucket: a burst of
    /// <c>PerUser</c> reads, refilled evenly over the window. A person reading threads makes a few a
    /// minute; an id-guessing script needs thousands (and every read it is refused is audited).
    /// </summary>
    public RateLimitRule Read { get; set; } = new() { PerUser = 600, PerIp = 6000, Window = TimeSpan.FromMinutes(1) };

    /// <summary>
    /// The OAuth token endpoint (EHR integrations), per client address only: the client is known only once its signed
    /// assertion is read. An integration needs a token every five minutes; a guessing script needs thousands.
    /// </summary>
    public RateLimitRule Token { get; set; } = new() { PerUser = 1, PerIp = 60, Window = TimeSpan.FromMinutes(1) };

    public RateLimitRule this[string policy] => policy switch
    {
        RateLimits.Read => Read,
        RateLimits.SignIn => SignIn,
        RateLimits.Reauth => Reauth,
        RateLimits.Send => Send,
        RateLimits.Upload => Upload,
        RateLimits.Search => Search,
        RateLimits.Notices => Notices,
        _ => throw new ArgumentOutOfRangeException(nameof(policy), policy, "Unknown rate-limit policy."),
    };
}

/// <summary>
/// ASP.NET Core rate limiting, set once per endpoint with <c>RequireRateLimiting(policy)</c>. Each
/// policy counts per user (the endpoint policy) and per client address (the global limiter, which
/// reads the endpoint's policy name); sign-in also counts per account tried (<see cref="SignInThrottle"/>,
/// which needs the request body). Refusals are 429 with <c>Retry-After</c> and code <c>rate_limited</c>.
/// </summary>
public static partial class RateLimits
{
    public const string SignIn = "signin";
    public const string Reauth = "reauth";
    public const string Send = "send";
    public const string Upload = "upload";
    public const string Search = "search";
    public const string Notices = "notices";

    /// <summary>Not an endpoint policy: the global limiter applies it to every GET under <c>/api</c>.</summary>
    public const string Read = "read";

    private static readonly string[] Policies = [SignIn, Reauth, Send, Upload, Search, Notices];

    public static IServiceCollection AddClinicChatRateLimits(this IServiceCollection services)
    {
        services.AddOptions<RateLimitOptions>().BindConfiguration(RateLimitOptions.Section)
            .Validate(o => Policies.Append(Read).All(p => o[p].PerUser > 0 && o[p].PerIp > 0 && o[p].Window > TimeSpan.Zero),
                $"{RateLimitOptions.Section}: every PerUser and PerIp must be positive and every Window longer than zero.")
            .ValidateOnStart();
        services.AddSingleton<SignInThrottle>();
        services.AddRateLimiter(_ => { });
        services.AddOptions<RateLimiterOptions>().Configure<IOptions<RateLimitOptions>>((options, configured) =>
        {
            var limits = configured.Value;
            options.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            options.OnRejected = (context, _) => new ValueTask(RejectAsync(context.HttpContext, context.Lease));
            foreach (var policy in Policies)
            {
                options.AddPolicy(policy, http => PerUser(limits, policy, http));
            }

            var perAddress = PartitionedRateLimiter.Create<HttpContext, (string Policy, string Address)>(http =>
                http.GetEndpoint()?.Metadata.GetMetadata<EnableRateLimitingAttribute>()?.PolicyName is { } policy && limits.Enabled && Policies.Contains(policy)
                    ? RateLimitPartition.GetFixedWindowLimiter((policy, ClientAddress(http)), _ => Window(limits[policy].PerIp, limits[policy].Window))
                    : RateLimitPartition.GetNoLimiter((string.Empty, string.Empty)));
            options.GlobalLimiter = PartitionedRateLimiter.CreateChained(perAddress, ReadsPerUser(limits), ReadsPerAddress(limits));
        });
        return services;
    }

    /// <summary>
    /// The token endpoint, before authentication: OpenIddict answers it inside the authentication middleware, so the
    /// endpoint limiter would never see it.
    /// </summary>
    public static WebApplication UseIntegrationTokenLimits(this WebApplication app)
    {
        var limits = app.Services.GetRequiredService<IOptions<RateLimitOptions>>().Value;
        if (!limits.Enabled)
        {
            return app;
        }

        var perAddress = PartitionedRateLimiter.Create<HttpContext, string>(http =>
            RateLimitPartition.GetFixedWindowLimiter(ClientAddress(http), _ => Window(limits.Token.PerIp, limits.Token.Window)));
        app.UseWhen(
            http => HttpMethods.IsPost(http.Request.Method) && http.Request.Path.Equals(Integration.SmartBackendServices.TokenPath, StringComparison.OrdinalIgnoreCase),
            branch => branch.Use(async (http, next) =>
            {
                using var lease = await perAddress.AcquireAsync(http, 1, http.RequestAborted);
                if (!lease.IsAcquired)
                {
                    await RejectAsync(http, lease);
                    return;
                }

                await next(http);
            }));
        return app;
    }

    /// <summary>After authentication, so that a signed-in caller is counted as themselves.</summary>
    public static WebApplication UseClinicChatRateLimits(this WebApplication app)
    {
        app.UseRateLimiter();
        return app;
    }

    /// <summary>Answers 429 with the lease's Retry-After (whole seconds, at least one) and a coded ProblemDetails.</summary>
    public static Task RejectAsync(HttpContext http, RateLimitLease lease) => Refusal(http, lease).ExecuteAsync(http);

    /// <summary>Sets Retry-After from the lease and returns the 429 ProblemDetails, for endpoints that count on their own.</summary>
    public static ProblemHttpResult Refusal(HttpContext http, RateLimitLease lease)
    {
        var retryAfter = lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? wait : TimeSpan.FromSeconds(1);
        var seconds = Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds));
        http.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
        LogRejected(http.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(RateLimits)),
            http.Request.Method, http.Request.Path, http.User.FindFirstValue(ClaimTypes.NameIdentifier) ?? "-");
        return ApiProblems.Problem(ApiErrors.RateLimited, "Too many requests.", $"Slow down; try again in {seconds} s.");
    }

    /// <summary>The load balancer's view of the client when it is a known proxy (ForwardedHeaders), else the peer.</summary>
    public static string ClientAddress(HttpContext http) => http.Connection.RemoteIpAddress?.ToString() ?? "unknown";

    private static RateLimitPartition<string> PerUser(RateLimitOptions limits, string policy, HttpContext http) =>
        // Sign-in has no user yet; its per-account count needs the body and happens in the endpoint.
        limits.Enabled && policy != SignIn && http.User.FindFirstValue(ClaimTypes.NameIdentifier) is { } userId
            ? RateLimitPartition.GetFixedWindowLimiter(userId, _ => Window(limits[policy].PerUser, limits[policy].Window))
            : RateLimitPartition.GetNoLimiter(string.Empty);

    /// <summary>Reads are what a refused caller repeats to probe ids; a signed-in caller is counted as themselves.</summary>
    private static PartitionedRateLimiter<HttpContext> ReadsPerUser(RateLimitOptions limits) =>
        PartitionedRateLimiter.Create<HttpContext, string>(http =>
            limits.Enabled && IsApiRead(http) && http.User.FindFirstValue(ClaimTypes.NameIdentifier) is { } userId
                ? RateLimitPartition.GetTokenBucketLimiter(userId, _ => Bucket(limits.Read.PerUser, limits.Read.Window))
                : RateLimitPartition.GetNoLimiter(string.Empty));

    private static PartitionedRateLimiter<HttpContext> ReadsPerAddress(RateLimitOptions limits) =>
        PartitionedRateLimiter.Create<HttpContext, string>(http =>
            limits.Enabled && IsApiRead(http)
                ? RateLimitPartition.GetTokenBucketLimiter(ClientAddress(http), _ => Bucket(limits.Read.PerIp, limits.Read.Window))
                : RateLimitPartition.GetNoLimiter(string.Empty));

    private static bool IsApiRead(HttpContext http) =>
        HttpMethods.IsGet(http.Request.Method) && (http.Request.Path.StartsWithSegments("/api") || http.Request.Path.StartsWithSegments(Integration.FhirRestApi.BasePath));

    /// <summary>
    /// A full bucket of <paramref name="permits"/>, refilled evenly over the window (no cliff at a
    /// window's edge). At most one refill a second: each bucket refills on a timer of its own.
    /// </summary>
    internal static TokenBucketRateLimiterOptions Bucket(int permits, TimeSpan window)
    {
        var period = TimeSpan.FromTicks(Math.Max(window.Ticks / permits, TimeSpan.TicksPerSecond));
        return new()
        {
            TokenLimit = permits,
            TokensPerPeriod = (int)Math.Clamp(Math.Ceiling((double)permits * period.Ticks / window.Ticks), 1, permits),
            ReplenishmentPeriod = period,
            QueueLimit = 0,
            AutoReplenishment = true,
        };
    }

    internal static FixedWindowRateLimiterOptions Window(int permits, TimeSpan window) =>
        new() { PermitLimit = permits, Window = window, QueueLimit = 0, AutoReplenishment = true };

    [LoggerMessage(Level = LogLevel.Warning, Message = "Rate limit reached: {Method} {Path} by user {UserId}.")]
    private static partial void LogRejected(ILogger logger, string method, PathString path, string userId);
}

/// <summary>
/// Sign-in attempts per account tried, whoever tries: spreading guesses over many addresses does not
/// buy more of them. Counted before the password is checked, for known and unknown emails alike, so the
/// answer reveals nothing about which accounts exist.
/// </summary>
public sealed class SignInThrottle : IDisposable
{
    private readonly PartitionedRateLimiter<string> _limiter;

    public SignInThrottle(IOptions<RateLimitOptions> options)
    {
        var limits = options.Value;
        _limiter = PartitionedRateLimiter.Create<string, string>(email => limits.Enabled
            ? RateLimitPartition.GetFixedWindowLimiter(email, _ => RateLimits.Window(limits.SignIn.PerUser, limits.SignIn.Window))
            : RateLimitPartition.GetNoLimiter(email));
    }

    /// <summary>
    /// A lease for one attempt at <paramref name="email"/>; not acquired means refuse with 429. Keyed
    /// by Identity's own lookup normalisation (<paramref name="identity"/>'s, scoped, hence a
    /// parameter), so that look-alike spellings Identity finds as one account (the Kelvin sign for K)
    /// count as one. The caller has checked that the address is well-formed text (<see cref="Access.TextInput"/>).
    /// </summary>
    public RateLimitLease Attempt<TUser>(UserManager<TUser> identity, string email) where TUser : class =>
        _limiter.AttemptAcquire(identity.NormalizeEmail(email.Trim()) ?? string.Empty);

    public void Dispose() => _limiter.Dispose();
}
