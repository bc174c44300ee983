using System.Text.Json;
using ClinicChat.Integrations;

namespace ClinicChat.Web.Integration;

/// <summary>A registered integration client as its clinic's Admins see it (public keys only: ClinicChat never holds a private one).</summary>
public sealed record IntegrationClientDto(
    string ClientId, string Name, IReadOnlyList<string> Scopes, JsonElement? Jwks, string? JwksUrl, DateTimeOffset CreatedAt, DateTimeOffset? RevokedAt,
    string TokenEndpoint)
{
    public static IntegrationClientDto From(IntegrationClient client, HttpRequest request) => new(
        client.ClientId, client.Name, client.Scopes, client.Jwks is null ? null : JsonDocument.Parse(client.Jwks).RootElement.Clone(), client.JwksUrl,
        client.CreatedAt, client.RevokedAt, SmartBackendServices.TokenEndpoint(request));
}

/// <param name="TokenEndpoint">Where a registered client gets its access tokens (SMART Backend Services).</param>
/// <param name="FhirBase">The FHIR R4 base it then talks to (metadata, imports, reads).</param>
public sealed record IntegrationClientListDto(IReadOnlyList<IntegrationClientDto> Items, IReadOnlyList<string> OfferedScopes, string TokenEndpoint, string FhirBase);

/// <param name="Jwks">The client's public keys: a JWKS (<c>{"keys": [...]}</c>) or one JWK. Or give <paramref name="JwksUrl"/>.</param>
/// <param name="JwksUrl">Where the client serves its JWKS (https), read now and every few minutes after.</param>
public sealed record NewIntegrationClientDto(string? Name, IReadOnlyList<string>? Scopes, JsonElement? Jwks, string? JwksUrl);

/// <summary>
/// A clinic's Admins register the EHR (and other systems) that sign in with SMART Backend Services, and revoke them.
/// Keys are checked here (they must parse as usable public keys, or the URL must serve some now); the registry grain
/// decides who may, keeps the rest of the rules, and audits.
/// </summary>
public static class IntegrationsApi
{
    public static RouteGroupBuilder MapIntegrationsApi(this RouteGroupBuilder api)
    {
        api.MapGet("/clinics/{clinicId:guid}/integrations", ListAsync).WithTags("Integrations");
        api.MapPost("/clinics/{clinicId:guid}/integrations", RegisterAsync).WithTags("Integrations").RequireRateLimiting(RateLimits.Send);
        api.MapDelete("/clinics/{clinicId:guid}/integrations/{clientId}", RevokeAsync).WithTags("Integrations").RequireRateLimiting(RateLimits.Send);
        return api;
    }

    private static IIntegrationClientsGrain Registry(IGrainFactory grains) => grains.GetGrain<IIntegrationClientsGrain>(IIntegrationClientsGrain.Registry);

    private static async Task<Results<Ok<IntegrationClientListDto>, ProblemHttpResult>> ListAsync(Guid clinicId, Caller caller, IGrainFactory grains, HttpRequest request)
    {
        var outcome = await Registry(grains).ListAsync(caller.Actor, clinicId);
        return outcome.ToOk(clients => new IntegrationClientListDto([.. clients.Select(c => IntegrationClientDto.From(c, request))], SmartScopes.Offered,
            SmartBackendServices.TokenEndpoint(request), FhirRestApi.BaseUrl(request)));
    }

    private static async Task<Results<Created<IntegrationClientDto>, ProblemHttpResult>> RegisterAsync(
        Guid clinicId, NewIntegrationClientDto body, Caller caller, IGrainFactory grains, IntegrationKeys keys, IHostEnvironment environment, HttpRequest request)
    {
        // Who may register is the grain's to decide (and to audit): the same rule as listing, asked (of memory, no database
        // read) before the body's URL is fetched, so nobody else can make the server fetch a URL.
        var listed = await Registry(grains).ListAsync(caller.Actor, clinicId);
        if (listed.Error is { } refused)
        {
            return ApiProblems.From(refused);
        }

        string? jwks = null;
        if (body.Jwks is { ValueKind: not JsonValueKind.Null } jwksElement)
        {
            // A JWKS object, or the same as a JSON string (pasted text); a string that is not valid text is neither.
            jwks = jwksElement.ValueKind == JsonValueKind.String ? TextOf(jwksElement) : jwksElement.GetRawText();
            if (jwks is null)
            {
                return ApiProblems.Validation("jwks", "The public keys must be a JWKS ({\"keys\": [...]}) or a single JWK, in JSON.");
            }

            if (jwks.Length <= IntegrationLimits.MaxJwksLength && IntegrationKeys.Parse(jwks, out var jwksError).Count == 0)
            {
                return ApiProblems.Validation("jwks", jwksError!);
            }
        }

        var url = body.JwksUrl?.Trim();
        if (!string.IsNullOrEmpty(url) && jwks is null)
        {
            if (!IsAllowedJwksUrl(url, environment))
            {
                return ApiProblems.Validation("jwksUrl", "The JWKS URL must be an absolute https URL.");
            }

            var (_, fetchError) = await keys.FetchAsync(url, request.HttpContext.RequestAborted);
            if (fetchError is not null)
            {
                return ApiProblems.Validation("jwksUrl", fetchError);
            }
        }

        var outcome = await Registry(grains).RegisterAsync(caller.Actor, clinicId, new NewIntegrationClient(body.Name ?? string.Empty, body.Scopes ?? [], jwks, url));
        return outcome.Value is { } client
            ? TypedResults.Created($"/api/v1/clinics/{clinicId}/integrations/{client.ClientId}", IntegrationClientDto.From(client, request))
            : ApiProblems.From(outcome.Error!);
    }

    private static async Task<Results<Ok<IntegrationClientDto>, ProblemHttpResult>> RevokeAsync(Guid clinicId, string clientId, Caller caller, IGrainFactory grains, HttpRequest request)
    {
        var outcome = await Registry(grains).RevokeAsync(caller.Actor, clinicId, clientId);
        return outcome.ToOk(client => IntegrationClientDto.From(client, request));
    }

    private static string? TextOf(JsonElement value)
    {
        try
        {
            return value.GetString();
        }
        catch (InvalidOperationException)
        {
            return null; // A lone surrogate: not text.
        }
    }

    /// <summary>
    /// https only: the server fetches it, so an Admin must not be able to point it at plain-text or internal services.
    /// On a development machine a loopback http URL is allowed (a local EHR simulator, the tests).
    /// </summary>
    private static bool IsAllowedJwksUrl(string url, IHostEnvironment environment) =>
        Uri.TryCreate(url, UriKind.Absolute, out var uri) && string.IsNullOrEmpty(uri.UserInfo)
        && (uri.Scheme == Uri.UriSchemeHttps || (environment.IsDevelopment() && uri.Scheme == Uri.UriSchemeHttp && uri.IsLoopback));
}
