using System.Security.Claims;
using System.Text.Json;
using ClinicChat.Storage;
using ClinicChat.Web.Hosting;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace ClinicChat.Web.Identity;

public static class IdentityServiceExtensions
{
    public const string AuthCookieName = "clinicchat.auth";

    public static IServiceCollection AddClinicChatIdentity(this IServiceCollection services)
    {
        services.AddDbContext<IdentityDb>((sp, options) =>
        {
            var database = sp.GetRequiredService<ChatDatabase>();
            _ = database.Provider == StorageProvider.Sqlite ? options.UseSqlite(database.ConnectionString) : options.UseNpgsql(database.ConnectionString);
        });
        // Cookies are encrypted with keys every web node shares (in the database), under one
        // application name whatever folder a node runs from.
        services.AddDataProtection().SetApplicationName("ClinicChat");
        services.AddOptions<KeyManagementOptions>()
            .Configure<ChatDatabase>((options, database) => options.XmlRepository = new DatabaseKeyRepository(database));
        services.AddAuthentication(IdentityConstants.ApplicationScheme).AddIdentityCookies();
        services.AddIdentityCore<ClinicChatUser>(options =>
            {
                options.User.RequireUniqueEmail = true;
                options.Password.RequiredLength = 8;
                options.Lockout.MaxFailedAccessAttempts = 5;
                options.Lockout.DefaultLockoutTimeSpan = TimeSpan.FromMinutes(15);
                options.Lockout.AllowedForNewUsers = true;
            })
            .AddSignInManager()
            .AddEntityFrameworkStores<IdentityDb>()
            .AddDefaultTokenProviders();

        services.ConfigureApplicationCookie(options =>
        {
            options.Cookie.Name = AuthCookieName;
            options.Cookie.HttpOnly = true;
            options.Cookie.SameSite = SameSiteMode.Lax;
            options.SlidingExpiration = true;
            options.ExpireTimeSpan = TimeSpan.FromHours(12);
            // An API answers with a status, never with a redirect to a login page. Only these two
            // handlers are replaced: Identity's OnValidatePrincipal (the security-stamp check that
            // ends sessions after a password or role change) must stay in place.
            options.Events.OnRedirectToLogin = context => WriteProblemAsync(context.HttpContext, StatusCodes.Status401Unauthorized, "unauthenticated", "Sign in first.");
            options.Events.OnRedirectToAccessDenied = context => WriteProblemAsync(context.HttpContext, StatusCodes.Status403Forbidden, "forbidden", "Not allowed.");
        });
        // Secure everywhere but Development's plain-HTTP loopback (in production TLS ends at the load balancer).
        services.AddOptions<CookieAuthenticationOptions>(IdentityConstants.ApplicationScheme)
            .Configure<IHostEnvironment>((options, environment) =>
                options.Cookie.SecurePolicy = environment.IsDevelopment() ? CookieSecurePolicy.SameAsRequest : CookieSecurePolicy.Always);
        services.AddOptions<SecurityStampValidatorOptions>()
            .Configure<IConfiguration>((options, configuration) =>
            {
                options.ValidationInterval = configuration.GetValue("ClinicChat:Auth:SecurityStampValidationInterval", TimeSpan.FromMinutes(5));
                // The validator rebuilds the principal from stored claims; the re-authentication window
                // belongs to this session, not to the user, so it is carried over by hand.
                options.OnRefreshingPrincipal = context =>
                {
                    if (context.CurrentPrincipal?.FindFirst(ChatClaims.SensitiveUntil) is { } window && context.NewPrincipal?.Identity is ClaimsIdentity identity)
                    {
                        identity.AddClaim(new Claim(ChatClaims.SensitiveUntil, window.Value));
                    }

                    return Task.CompletedTask;
                };
            });
        services.AddAuthorization();
        services.AddHostedService<IdentitySchemaInitializer>();
        return services;
    }

    private static Task WriteProblemAsync(HttpContext context, int status, string code, string title)
    {
        context.Response.StatusCode = status;
        var problem = new ProblemDetails { Status = status, Title = title, Extensions = { ["code"] = code } };
        return context.Response.WriteAsJsonAsync(problem, (JsonSerializerOptions?)null, "application/problem+json");
    }
}

/// <summary>Creates Identity's tables once (recorded in schema_migrations like every other script).</summary>
internal sealed class IdentitySchemaInitializer(IServiceScopeFactory scopes, SchemaMigrator migrator) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<IdentityDb>();
        await migrator.ApplyOnceAsync("identity.0001_create", () => db.Database.GenerateCreateScript(), cancellationToken);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
