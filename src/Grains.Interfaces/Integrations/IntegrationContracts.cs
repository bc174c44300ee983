using Orleans.Concurrency;

namespace ClinicChat.Integrations;

/// <summary>
/// The SMART Backend Services scopes ClinicChat offers an EHR integration: write (import) and read each FHIR resource
/// type it keeps. Scopes are granted per client by the clinic's Admin and requested per access token.
/// </summary>
public static class SmartScopes
{
    public static readonly IReadOnlyList<string> ResourceTypes = ["Patient", "Appointment", "MedicationRequest", "Invoice"];

    public static readonly IReadOnlyList<string> Offered = [.. ResourceTypes.SelectMany(type => new[] { $"system/{type}.read", $"system/{type}.write" })];

    public static string Write(string resourceType) => $"system/{resourceType}.write";

    public static string Read(string resourceType) => $"system/{resourceType}.read";

    public static bool IsOffered(string scope) => Offered.Contains(scope, StringComparer.Ordinal);
}

/// <summary>Limits on what an Admin registers.</summary>
public static class IntegrationLimits
{
    public const int MaxNameLength = 100;

    /// <summary>A JWKS of a few public keys (a current and a next one, while the EHR rotates) is a few KB.</summary>
    public const int MaxJwksLength = 16 * 1024;

    public const int MaxJwksUrlLength = 2048;

    /// <summary>A clinic's integrations: its EHR, a billing system, a scheduler, their test instances.</summary>
    public const int MaxClientsPerClinic = 50;

    /// <summary>SMART Backend Services: a client assertion expires no more than five minutes after it is made.</summary>
    public static readonly TimeSpan MaxAssertionLifetime = TimeSpan.FromMinutes(5);

    /// <summary>Access tokens live five minutes (as SMART recommends); revocation still stops them at once.</summary>
    public static readonly TimeSpan AccessTokenLifetime = TimeSpan.FromMinutes(5);
}

/// <summary>
/// An EHR (or other clinic system) registered by a clinic's Admin: it signs in with its private key (SMART Backend
/// Services), and ClinicChat knows only the public half, inline (<see cref="Jwks"/>) or at the client's URL (<see cref="JwksUrl"/>).
/// </summary>
[GenerateSerializer, Immutable, Alias("ClinicChat.IntegrationClient")]
public sealed record IntegrationClient(
    [property: Id(0)] string ClientId,
    [property: Id(1)] Guid ClinicId,
    [property: Id(2)] string Name,
    [property: Id(3)] IReadOnlyList<string> Scopes,
    [property: Id(4)] string? Jwks,
    [property: Id(5)] string? JwksUrl,
    [property: Id(6)] DateTimeOffset CreatedAt,
    [property: Id(7)] string CreatedBy,
    [property: Id(8)] DateTimeOffset? RevokedAt)
{
    public bool IsActive => RevokedAt is null;

    /// <summary>The actor id its actions are audited under.</summary>
    public string ActorId => IntegrationGrant.ActorIdOf(ClientId);
}

/// <summary>What an Admin sends to register a client: a name, the scopes it may ask for, and one public-key source.</summary>
[GenerateSerializer, Immutable, Alias("ClinicChat.NewIntegrationClient")]
public sealed record NewIntegrationClient(
    [property: Id(0)] string Name,
    [property: Id(1)] IReadOnlyList<string> Scopes,
    [property: Id(2)] string? Jwks,
    [property: Id(3)] string? JwksUrl);

/// <summary>A token request's proof, once its signature checked out: the assertion's id and expiry, and the scopes asked for.</summary>
[GenerateSerializer, Immutable, Alias("ClinicChat.TokenRequest")]
public sealed record IntegrationTokenRequest(
    [property: Id(0)] string ClientId,
    [property: Id(1)] string AssertionId,
    [property: Id(2)] DateTimeOffset AssertionExpiresAt,
    [property: Id(3)] IReadOnlyList<string> Scopes);

/// <summary>
/// Every clinic's integration clients, in one activation: the token endpoint and each bearer request look a client up
/// here (in memory, so an unknown client id costs no database read), and revocation takes effect on the next request.
/// </summary>
public interface IIntegrationClientsGrain : IGrainWithIntegerKey
{
    /// <summary>The one activation (there is one registry for the deployment).</summary>
    public const long Registry = 0;

    /// <summary>The clinic's Admins only.</summary>
    Task<Outcome<IntegrationClient>> RegisterAsync(Actor actor, Guid clinicId, NewIntegrationClient client);

    /// <summary>The clinic's clients, revoked ones included (for the record); the clinic's Admins only.</summary>
    Task<Outcome<IReadOnlyList<IntegrationClient>>> ListAsync(Actor actor, Guid clinicId);

    /// <summary>Stops the client at once: no new tokens, and tokens it holds are refused from the next request on.</summary>
    Task<Outcome<IntegrationClient>> RevokeAsync(Actor actor, Guid clinicId, string clientId);

    /// <summary>
    /// For the token endpoint, before the assertion's signature is checked: the client and where its keys are.
    /// Unknown and revoked read the same (null).
    /// </summary>
    [ReadOnly]
    Task<IntegrationClient?> FindActiveAsync(string clientId);

    /// <summary>
    /// Grants an access token once the assertion's signature, issuer and audience checked out: refuses a revoked client
    /// and an assertion used before (its <c>jti</c>) as not found, scopes the client was not granted as invalid
    /// (field <c>scope</c>); audits the sign-in.
    /// </summary>
    Task<Outcome<IntegrationClient>> IssueTokenAsync(IntegrationTokenRequest request);

    /// <summary>For every bearer request: is this client still allowed in.</summary>
    [ReadOnly]
    Task<bool> IsActiveAsync(string clientId);
}
