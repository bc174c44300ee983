using System.Security.Claims;
using System.Security.Cryptography;
using ClinicChat.Integrations;
using Microsoft.AspNetCore.Identity;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using OpenIddict.Abstractions;
using OpenIddict.Server;
using OpenIddict.Validation;
using OpenIddict.Validation.AspNetCore;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace ClinicChat.Web.Integration;

/// <summary>
/// SMART Backend Services (SMART App Launch 2.x, "client-confidential-asymmetric"): an EHR registered by a clinic's Admin
/// gets a five-minute access token with the OAuth 2.0 client-credentials grant, proving itself with a JWT it signs with
/// its private key (<c>private_key_jwt</c>, RS384 or ES384), and calls the FHIR endpoints with that bearer token.
/// OpenIddict runs the protocol (request parsing, the assertion's signature, issuer, audience and lifetime, token
/// issuance and validation); ClinicChat supplies the clients: OpenIddict's degraded mode, because clients live in the
/// <see cref="IIntegrationClientsGrain"/> registry rather than in OpenIddict's Entity Framework stores (see
/// docs/architecture.md). Access tokens are Data Protection tokens, so every web node reads them with the key ring
/// the nodes already share.
/// </summary>
public static class SmartBackendServices
{
    public const string TokenPath = "/oauth2/token";

    /// <summary>The token endpoint as this request reached the server: in the SMART configuration, the CapabilityStatement and the Admin's integrations page.</summary>
    public static string TokenEndpoint(HttpRequest request) => $"{request.Scheme}://{request.Host}{request.PathBase}{TokenPath}";

    /// <summary>The FHIR endpoints' scheme: a bearer token when the request carries one, the staff cookie otherwise.</summary>
    public const string FhirScheme = "ClinicChat.Fhir";

    public const string FhirPolicy = "ClinicChat.Fhir";

    public const string IntegrationKind = "integration";

    /// <summary>The clinic an integration's token is for (a private claim of the access token).</summary>
    public const string ClinicClaim = "cc:clinic";

    private const string AssertionIdProperty = "clinicchat:assertion_id";
    private const string AssertionExpiryProperty = "clinicchat:assertion_expiry";

    public static IServiceCollection AddClinicChatSmartBackendServices(this IServiceCollection services, IHostEnvironment environment)
    {
        services.AddHttpClient(IntegrationKeys.HttpClientName, client =>
        {
            client.Timeout = TimeSpan.FromSeconds(5);
            client.DefaultRequestHeaders.Accept.ParseAdd("application/json");
        }).ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler { AllowAutoRedirect = false });
        services.AddSingleton(sp => new IntegrationKeys(
            sp.GetRequiredService<IHttpClientFactory>(), sp.GetRequiredKeyedService<TimeProvider>(ChatTime.Key), sp.GetRequiredService<ILogger<IntegrationKeys>>()));

        services.AddOpenIddict()
            .AddServer(options =>
            {
                options.SetTokenEndpointUris(TokenPath);
                options.AllowClientCredentialsFlow();
                options.EnableDegradedMode();
                options.RegisterScopes([.. SmartScopes.Offered]);
                options.SetAccessTokenLifetime(IntegrationLimits.AccessTokenLifetime);

                // Access tokens are Data Protection tokens (the shared key ring); nothing is ever signed or encrypted with
                // these keys (no identity tokens in client credentials), but OpenIddict wants one of each registered.
                // Per-process keys that cost microseconds, not AddEphemeral…Key(): those generate two RSA-2048 keys when
                // the options are first built (the first request), 2-4 s of a cold start on this machine (perf: libcrypto's
                // prime search was 72 % of the first request's CPU). The signing key must be asymmetric (OpenIddict checks),
                // so an ECDSA P-256 one; the encryption key may be symmetric.
                options.UseDataProtection();
                options.AddEncryptionKey(new SymmetricSecurityKey(RandomNumberGenerator.GetBytes(32)))
                    .AddSigningKey(new ECDsaSecurityKey(ECDsa.Create(ECCurve.NamedCurves.nistP256)));

                var aspNetCore = options.UseAspNetCore();
                if (environment.IsDevelopment())
                {
                    // Tests and the laptop run on http://localhost; deployments terminate TLS (a known proxy says so).
                    aspNetCore.DisableTransportSecurityRequirement();
                }

                options.AddEventHandler<OpenIddictServerEvents.ValidateTokenContext>(handler => handler
                    .UseScopedHandler<ProvideClientKeys>()
                    .SetOrder(OpenIddictServerHandlers.Protection.ResolveTokenValidationParameters.Descriptor.Order + 500));
                options.AddEventHandler<OpenIddictServerEvents.ValidateTokenContext>(handler => handler
                    .UseSingletonHandler<TypeJwtAssertionsAsAssertions>()
                    .SetOrder(OpenIddictServerHandlers.Protection.ValidateIdentityModelToken.Descriptor.Order + 500));
                options.AddEventHandler<OpenIddictServerEvents.ProcessAuthenticationContext>(handler => handler
                    .UseSingletonHandler<RequireFreshAssertion>()
                    .SetOrder(OpenIddictServerHandlers.ValidateClientId.Descriptor.Order + 500));
                options.AddEventHandler<OpenIddictServerEvents.HandleTokenRequestContext>(handler => handler.UseScopedHandler<IssueIntegrationToken>());
            })
            .AddValidation(options =>
            {
                options.UseLocalServer();
                options.UseDataProtection();
                options.UseAspNetCore();
                options.AddEventHandler<OpenIddictValidationEvents.ProcessAuthenticationContext>(handler => handler
                    .UseScopedHandler<RefuseRevokedClients>()
                    .SetOrder(OpenIddictValidationHandlers.ValidateAccessToken.Descriptor.Order + 500));
            });

        // The product clock (FakeTimeProvider in tests): token and assertion lifetimes are judged on it.
        services.AddOptions<OpenIddictServerOptions>().Configure<IServiceProvider>((options, sp) => options.TimeProvider = sp.GetRequiredKeyedService<TimeProvider>(ChatTime.Key));
        services.AddOptions<OpenIddictValidationOptions>().Configure<IServiceProvider>((options, sp) => options.TimeProvider = sp.GetRequiredKeyedService<TimeProvider>(ChatTime.Key));

        services.AddAuthentication().AddPolicyScheme(FhirScheme, "FHIR: bearer token or staff session", options =>
            options.ForwardDefaultSelector = context => CarriesBearerToken(context.Request)
                ? OpenIddictValidationAspNetCoreDefaults.AuthenticationScheme
                : IdentityConstants.ApplicationScheme);
        services.AddAuthorizationBuilder()
            .AddPolicy(FhirPolicy, policy => policy.AddAuthenticationSchemes(FhirScheme).RequireAuthenticatedUser())
            .AddPolicy(FhirRestApi.Policy, policy => policy.AddAuthenticationSchemes(OpenIddictValidationAspNetCoreDefaults.AuthenticationScheme)
                .RequireAuthenticatedUser().RequireClaim(ChatClaims.Kind, IntegrationKind));
        return services.AddOpenIddictOnItsOwnRequests();
    }

    /// <summary>
    /// A bearer token is never sent by a browser on its own (unlike a cookie), and another site's page cannot add the
    /// header without a CORS preflight this app refuses: such a request needs no CSRF header.
    /// </summary>
    public static bool CarriesBearerToken(HttpRequest request) =>
        request.Headers.Authorization.ToString().StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase);

    /// <summary>The integration an access token stands for, as the grains see it; null for any other principal.</summary>
    public static Actor? ToIntegrationActor(ClaimsPrincipal principal) =>
        principal.FindFirst(ChatClaims.Kind)?.Value == IntegrationKind
        && principal.GetClaim(Claims.Subject) is { Length: > 0 } clientId
        && Guid.TryParse(principal.GetClaim(ClinicClaim), out var clinicId)
            ? Actor.ForIntegration(new IntegrationGrant(clientId, clinicId, [.. principal.GetScopes()]), principal.GetClaim(ChatClaims.Name) ?? clientId)
            : null;

    /// <summary>
    /// <c>/.well-known/smart-configuration</c>, at the server root and under the FHIR REST base (where SMART clients look):
    /// how to get a token. Only what ClinicChat supports is listed (no user-facing launch).
    /// </summary>
    public static IEndpointRouteBuilder MapSmartConfiguration(this IEndpointRouteBuilder app)
    {
        app.MapGet("/.well-known/smart-configuration", SmartConfiguration).AllowAnonymous().WithTags("Integrations").ExcludeFromDescription();
        return app;
    }

    public static JsonHttpResult<Dictionary<string, object>> SmartConfiguration(HttpRequest request) => TypedResults.Json(new Dictionary<string, object>
    {
        ["token_endpoint"] = TokenEndpoint(request),
        ["token_endpoint_auth_methods_supported"] = new[] { "private_key_jwt" },
        ["token_endpoint_auth_signing_alg_values_supported"] = IntegrationKeys.Algorithms,
        ["grant_types_supported"] = new[] { GrantTypes.ClientCredentials },
        ["scopes_supported"] = SmartScopes.Offered,
        ["capabilities"] = new[] { "client-confidential-asymmetric", "permission-v1" },
    });

    /// <summary>
    /// Hands OpenIddict the public keys of the client named by the assertion's issuer, and only the SMART algorithms;
    /// an unknown or revoked client is refused before any signature is checked.
    /// </summary>
    private sealed class ProvideClientKeys(IGrainFactory grains, IntegrationKeys keys) : IOpenIddictServerHandler<OpenIddictServerEvents.ValidateTokenContext>
    {
        public async ValueTask HandleAsync(OpenIddictServerEvents.ValidateTokenContext context)
        {
            if (context.ValidTokenTypes.Count != 1 || !context.ValidTokenTypes.Contains(TokenTypeIdentifiers.Private.ClientAssertion))
            {
                return;
            }

            // Unverified at this point: the issuer and key id only say which keys to check the signature with.
            var unverified = new JsonWebTokenHandler().CanReadToken(context.Token) ? new JsonWebToken(context.Token) : null;
            var issuer = unverified?.Issuer;
            var client = string.IsNullOrEmpty(issuer) ? null : await grains.GetGrain<IIntegrationClientsGrain>(IIntegrationClientsGrain.Registry).FindActiveAsync(issuer);
            if (client is null)
            {
                context.Reject(Errors.InvalidClient, "This client is not registered with ClinicChat, or was revoked.");
                return;
            }

            context.TokenValidationParameters.IssuerSigningKeys = await keys.SigningKeysAsync(client, unverified?.Kid, context.Transaction.CancellationToken);
            context.TokenValidationParameters.ValidAlgorithms = IntegrationKeys.Algorithms;
            context.TokenValidationParameters.TryAllIssuerSigningKeys = true;

            // SMART: the assertion's aud is the token endpoint's URL (OpenIddict 7 otherwise expects the issuer).
            if (context.BaseUri is { } baseUri)
            {
                context.ValidAudiences.Add(new Uri(baseUri, TokenPath).AbsoluteUri);
            }

            // SMART Backend Services has clients type their assertions "JWT"; OpenIddict 7 expects RFC 7523bis's
            // "client-authentication+jwt". Both are accepted: the signature is checked against this client's own keys.
            context.TokenValidationParameters.ValidTypes = [.. context.TokenValidationParameters.ValidTypes ?? [], JsonWebTokenTypes.GenericJsonWebToken];
        }
    }

    /// <summary>
    /// OpenIddict reads a "JWT"-typed token as an identity token; a client assertion checked against the client's own
    /// keys (nothing the server signed is accepted there) is what it is: an assertion.
    /// </summary>
    private sealed class TypeJwtAssertionsAsAssertions : IOpenIddictServerHandler<OpenIddictServerEvents.ValidateTokenContext>
    {
        public ValueTask HandleAsync(OpenIddictServerEvents.ValidateTokenContext context)
        {
            if (context.ValidTokenTypes.Count == 1 && context.ValidTokenTypes.Contains(TokenTypeIdentifiers.Private.ClientAssertion)
                && context.Principal is { } principal && principal.HasTokenType(TokenTypeIdentifiers.IdentityToken))
            {
                principal.SetTokenType(TokenTypeIdentifiers.Private.ClientAssertion);
            }

            return default;
        }
    }

    /// <summary>
    /// The token endpoint takes only signed client assertions, each once (<c>jti</c>) and made for at most five minutes.
    /// The assertion id and expiry go on to <see cref="IssueIntegrationToken"/>, which records the id as used.
    /// </summary>
    private sealed class RequireFreshAssertion : IOpenIddictServerHandler<OpenIddictServerEvents.ProcessAuthenticationContext>
    {
        public ValueTask HandleAsync(OpenIddictServerEvents.ProcessAuthenticationContext context)
        {
            if (context.EndpointType != OpenIddictServerEndpointType.Token)
            {
                return default;
            }

            if (context.ClientAssertionPrincipal is not { } assertion)
            {
                context.Reject(Errors.InvalidClient, "Authenticate with a signed client assertion (client_assertion_type urn:ietf:params:oauth:client-assertion-type:jwt-bearer).");
                return default;
            }

            var now = context.Options.TimeProvider.GetUtcNow();
            var expires = long.TryParse(assertion.GetClaim(Claims.ExpiresAt), out var seconds) ? DateTimeOffset.FromUnixTimeSeconds(seconds) : (DateTimeOffset?)null;
            if (assertion.GetClaim(Claims.JwtId) is not { Length: > 0 and <= 256 } assertionId || expires is not { } expiresAt)
            {
                context.Reject(Errors.InvalidClient, "The client assertion needs a jti (at most 256 characters) and an exp.");
                return default;
            }

            if (expiresAt <= now || expiresAt > now + IntegrationLimits.MaxAssertionLifetime + TimeSpan.FromSeconds(30))
            {
                context.Reject(Errors.InvalidClient, "The client assertion has expired, or expires more than five minutes after now.");
                return default;
            }

            context.Transaction.Properties[AssertionIdProperty] = assertionId;
            context.Transaction.Properties[AssertionExpiryProperty] = expiresAt;
            return default;
        }
    }

    /// <summary>Asks the registry to grant the scopes (it refuses a replayed assertion and audits the sign-in), then signs the token in.</summary>
    private sealed class IssueIntegrationToken(IGrainFactory grains) : IOpenIddictServerHandler<OpenIddictServerEvents.HandleTokenRequestContext>
    {
        public async ValueTask HandleAsync(OpenIddictServerEvents.HandleTokenRequestContext context)
        {
            if (!context.Request.IsClientCredentialsGrantType()
                || context.Request.ClientId is not { } clientId
                || !context.Transaction.Properties.TryGetValue(AssertionIdProperty, out var id) || id is not string assertionId
                || !context.Transaction.Properties.TryGetValue(AssertionExpiryProperty, out var expiry) || expiry is not DateTimeOffset expiresAt)
            {
                context.Reject(Errors.InvalidClient, "Authenticate with a signed client assertion.");
                return;
            }

            var scopes = context.Request.GetScopes().ToList();
            var outcome = await grains.GetGrain<IIntegrationClientsGrain>(IIntegrationClientsGrain.Registry)
                .IssueTokenAsync(new IntegrationTokenRequest(clientId, assertionId, expiresAt, scopes));
            if (outcome.Value is not { } client)
            {
                if (outcome.Error is { Code: ChatErrorCode.Validation } invalid)
                {
                    context.Reject(Errors.InvalidScope, invalid.Detail);
                }
                else
                {
                    context.Reject(Errors.InvalidClient, "This client assertion was used before, or the client was revoked.");
                }

                return;
            }

            var identity = new ClaimsIdentity(authenticationType: IntegrationKind, nameType: Claims.Name, roleType: Claims.Role);
            identity.SetClaim(Claims.Subject, client.ClientId)
                .SetClaim(ChatClaims.Kind, IntegrationKind)
                .SetClaim(ChatClaims.Name, client.Name)
                .SetClaim(ClinicClaim, client.ClinicId.ToString("D"))
                .SetScopes(scopes);
            identity.SetDestinations(_ => [Destinations.AccessToken]);
            // SMART has the token response say its scopes always (OAuth only when they differ from those asked for).
            context.SignIn(new ClaimsPrincipal(identity), new Dictionary<string, OpenIddictParameter> { [Parameters.Scope] = string.Join(' ', scopes) });
        }
    }

    /// <summary>Revoking a client stops its tokens at once, not when they expire: each request asks the registry (memory).</summary>
    private sealed class RefuseRevokedClients(IGrainFactory grains) : IOpenIddictValidationHandler<OpenIddictValidationEvents.ProcessAuthenticationContext>
    {
        public async ValueTask HandleAsync(OpenIddictValidationEvents.ProcessAuthenticationContext context)
        {
            if (context.AccessTokenPrincipal is not { } principal)
            {
                return;
            }

            if (principal.GetClaim(Claims.Subject) is not { } clientId
                || !await grains.GetGrain<IIntegrationClientsGrain>(IIntegrationClientsGrain.Registry).IsActiveAsync(clientId))
            {
                context.Reject(Errors.InvalidToken, "The integration this token was issued to has been revoked.");
            }
        }
    }
}
