using System.Security.Claims;
using System.Text.Json;
using ClinicChat.Storage;
using ClinicChat.Web.Auth;
using ClinicChat.Web.Passkeys;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace ClinicChat.Web.Identity;

public static class IdentityServiceExtensions
{
    public const string AuthCookieName = "clinicchat.auth";

    /// <summary>Carries the user between a correct password and their authenticator code (five minutes).</summary>
    public const string TwoFactorCookieName = "clinicchat.2fa";

    /// <summary>
    /// The Identity model our committed <c>identity.*.sql</c> scripts build: version 3 adds the passkey table
    /// (<c>identity.*.0002_passkeys.sql</c>). Tests that generate the model's own script use the same value.
    /// </summary>
    public static readonly Version SchemaVersion = IdentitySchemaVersions.Version3;

    private static readonly string[] SessionClaims = [ChatClaims.Session, ChatClaims.SensitiveUntil, ChatClaims.TotpEnrolmentRequired, "amr"];

    public static IServiceCollection AddClinicChatIdentity(this IServiceCollection services)
    {
        services.AddDbContext<IdentityDb>((sp, options) =>
        {
            var database = sp.GetRequiredService<ChatDatabase>();
            _ = database.Provider == StorageProvider.Sqlite ? options.UseSqlite(database.ConnectionString) : options.UseNpgsql(database.ConnectionString);
        });
        // Hosted services start in registration order, and Data Protection's (added with authentication
        // below; configured by AddClinicChatDataProtection) reads its key ring from the database as it
        // starts: the schema must be there first.
        services.AddHostedService<DatabaseSchemaInitializer>();
        services.AddAuthentication(IdentityConstants.ApplicationScheme).AddIdentityCookies();
        services.AddIdentityCore<ClinicChatUser>(options =>
            {
                options.User.RequireUniqueEmail = true;
                options.Password.RequiredLength = 8;
                options.Lockout.MaxFailedAccessAttempts = 5;
                options.Lockout.DefaultLockoutTimeSpan = TimeSpan.FromMinutes(15);
                options.Lockout.AllowedForNewUsers = true;
                // A new email address is proved with a 6-digit code sent to it (like a new mobile number), not a link.
                options.Tokens.ChangeEmailTokenProvider = TokenOptions.DefaultEmailProvider;
                options.Stores.SchemaVersion = SchemaVersion;
            })
            .AddSignInManager<ClinicChatSignInManager>()
            .AddErrorDescriber<PasswordAdvice>()
            .AddEntityFrameworkStores<IdentityDb>()
            .AddUserStore<HashedRecoveryCodesStore>()
            .AddDefaultTokenProviders()
            .AddPasswordResetTokens();

        services.AddOptions<AuthSessionOptions>().BindConfiguration(AuthSessionOptions.Section)
            .Validate(o => o.IsValid(), $"{AuthSessionOptions.Section}: idle timeouts, absolute lifetime and connection check interval must be positive.")
            .ValidateOnStart();
        services.AddOptions<CookieAuthenticationOptions>(IdentityConstants.ApplicationScheme)
            .Configure<IOptions<AuthSessionOptions>>((options, sessions) =>
            {
                options.Cookie.Name = AuthCookieName;
                options.Cookie.HttpOnly = true;
                options.Cookie.SameSite = SameSiteMode.Lax;
                // The server-side session decides idle and absolute expiry; the ticket never outlives
                // the absolute lifetime and is not slid (a re-issue carries the original sign-in time server-side).
                options.SlidingExpiration = false;
                options.ExpireTimeSpan = sessions.Value.AbsoluteLifetime;
                // An API answers with a status, never with a redirect to a login page.
                options.Events.OnRedirectToLogin = context => WriteProblemAsync(context.HttpContext, StatusCodes.Status401Unauthorized, "unauthenticated", "Sign in first.");
                options.Events.OnRedirectToAccessDenied = context => WriteProblemAsync(context.HttpContext, StatusCodes.Status403Forbidden, "forbidden", "Not allowed.");
                // Identity's OnValidatePrincipal (the security-stamp check that ends sessions after a
                // password or role change) stays in place: the session check runs first, then it.
                options.Events.OnValidatePrincipal = SessionValidation.Wrap(options.Events.OnValidatePrincipal);
            });
        // After Identity's own post-configuration has made the cookie's Data Protection format: remember decrypted tickets.
        services.AddOptions<CookieAuthenticationOptions>(IdentityConstants.ApplicationScheme)
            .PostConfigure<IServiceProvider>((options, services) =>
                options.TicketDataFormat = new RememberedTicketFormat(options.TicketDataFormat, services.GetService<TimeProvider>() ?? TimeProvider.System));
        // The half-way state between a correct password and the second factor: its own short-lived cookie, not a session.
        services.AddOptions<CookieAuthenticationOptions>(IdentityConstants.TwoFactorUserIdScheme)
            .Configure(options =>
            {
                options.Cookie.Name = TwoFactorCookieName;
                options.Cookie.HttpOnly = true;
                options.Cookie.SameSite = SameSiteMode.Strict;
                options.ExpireTimeSpan = TimeSpan.FromMinutes(5);
            });
        // Secure everywhere but Development's plain-HTTP loopback (in production TLS ends at the load balancer).
        services.AddOptions<CookieAuthenticationOptions>(IdentityConstants.ApplicationScheme)
            .Configure<IHostEnvironment>((options, environment) =>
                options.Cookie.SecurePolicy = environment.IsDevelopment() ? CookieSecurePolicy.SameAsRequest : CookieSecurePolicy.Always);
        services.AddOptions<CookieAuthenticationOptions>(IdentityConstants.TwoFactorUserIdScheme)
            .Configure<IHostEnvironment>((options, environment) =>
                options.Cookie.SecurePolicy = environment.IsDevelopment() ? CookieSecurePolicy.SameAsRequest : CookieSecurePolicy.Always);
        services.AddOptions<SecurityStampValidatorOptions>()
            .Configure<IConfiguration>((options, configuration) =>
            {
                options.ValidationInterval = configuration.GetValue("ClinicChat:Auth:SecurityStampValidationInterval", TimeSpan.FromMinutes(5));
                // The validator rebuilds the principal from stored claims; the session id, the
                // re-authentication window, the enrolment restriction and how the user signed in
                // belong to this session, not to the user, so they are carried over by hand.
                options.OnRefreshingPrincipal = context =>
                {
                    if (context.CurrentPrincipal is { } current && context.NewPrincipal?.Identity is ClaimsIdentity identity)
                    {
                        foreach (var claim in current.Claims.Where(c => SessionClaims.Contains(c.Type)))
                        {
                            identity.AddClaim(new Claim(claim.Type, claim.Value));
                        }
                    }

                    return Task.CompletedTask;
                };
            });
        services.AddClinicChatPasskeys();
        services.AddScoped<UnknownAccountTiming>();
        services.AddAuthorization();
        return services;
    }

    private static Task WriteProblemAsync(HttpContext context, int status, string code, string title)
    {
        context.Response.StatusCode = status;
        var problem = new ProblemDetails { Status = status, Title = title, Extensions = { ["code"] = code } };
        return context.Response.WriteAsJsonAsync(problem, (JsonSerializerOptions?)null, "application/problem+json");
    }
}

/// <summary>
/// Brings the database schema (the chat tables and Identity's, see <see cref="SchemaMigrator"/>) up to
/// date before anything reads it. In embedded mode this process owns migrations: without this, the
/// co-hosted silo would apply them only when it starts, after Data Protection had already looked for
/// its keys. In cluster mode <c>ClinicChat.Silo migrate</c> applies them beforehand, as a release step,
/// and a web node refuses to start on an older schema, as a silo does.
/// </summary>
internal sealed class DatabaseSchemaInitializer(SchemaMigrator migrator, IOptions<ChatStorageOptions> storage) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken) =>
        migrator.MigrateOrRequireCurrentAsync(storage.Value.ShouldMigrateOnStart, cancellationToken);

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
