using System.Collections.Concurrent;
using System.Text.Json;
using ClinicChat.Integrations;
using Microsoft.IdentityModel.Tokens;

namespace ClinicChat.Web.Integration;

/// <summary>
/// An integration client's public keys: read from the JWKS its Admin pasted, or fetched from the URL the client serves
/// them at (cached a few minutes, so a client rotating its keys is picked up without a re-registration). Only keys of
/// the algorithms SMART Backend Services names are used: RSA of 2048 bits or more (RS384) and EC P-384 (ES384).
/// </summary>
public sealed partial class IntegrationKeys(IHttpClientFactory http, TimeProvider time, ILogger<IntegrationKeys> logger)
{
    public const string HttpClientName = "integration-jwks";

    /// <summary>The signature algorithms accepted on client assertions (SMART Backend Services).</summary>
    public static readonly IReadOnlyList<string> Algorithms = [SecurityAlgorithms.RsaSha384, SecurityAlgorithms.EcdsaSha384];

    private static readonly TimeSpan FetchedKeysLifetime = TimeSpan.FromMinutes(5);

    /// <summary>A rotated key (a <c>kid</c> not seen yet) is looked for again at most this often per client.</summary>
    private static readonly TimeSpan RefetchInterval = TimeSpan.FromSeconds(10);

    private readonly ConcurrentDictionary<string, Fetched> _fetched = new(StringComparer.Ordinal);

    /// <summary>
    /// The keys a client's assertion (whose header names <paramref name="keyId"/>) may be signed with; none when its
    /// JWKS URL cannot be read right now. Fetched keys are kept five minutes, but an assertion naming a key not among
    /// them fetches again at once (at most every ten seconds): a client that rotated its keys is not refused meanwhile.
    /// </summary>
    public async Task<IReadOnlyList<SecurityKey>> SigningKeysAsync(IntegrationClient client, string? keyId, CancellationToken cancellationToken)
    {
        if (client.Jwks is { } inline)
        {
            return Parse(inline, out _);
        }

        var now = time.GetUtcNow();
        if (_fetched.TryGetValue(client.ClientId, out var cached) && cached.Until > now
            && (keyId is null || cached.Keys.Any(k => k.KeyId == keyId) || cached.At + RefetchInterval > now))
        {
            return cached.Keys;
        }

        var (keys, error) = await FetchAsync(client.JwksUrl!, cancellationToken);
        if (error is not null)
        {
            LogFetchFailed(logger, client.ClientId);
        }

        _fetched[client.ClientId] = new Fetched(now, now + (keys.Count > 0 ? FetchedKeysLifetime : RefetchInterval), keys);
        return keys;
    }

    private sealed record Fetched(DateTimeOffset At, DateTimeOffset Until, IReadOnlyList<SecurityKey> Keys);

    /// <summary>At registration: the URL must serve usable keys now. Answers why not, in words for the Admin.</summary>
    public async Task<(IReadOnlyList<SecurityKey> Keys, string? Error)> FetchAsync(string url, CancellationToken cancellationToken)
    {
        try
        {
            using var response = await http.CreateClient(HttpClientName).GetAsync(url, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
            if (!response.IsSuccessStatusCode)
            {
                return ([], $"The JWKS URL answered {(int)response.StatusCode}.");
            }

            await using var body = await response.Content.ReadAsStreamAsync(cancellationToken);
            using var reader = new StreamReader(body);
            var buffer = new char[IntegrationLimits.MaxJwksLength + 1];
            var read = await reader.ReadBlockAsync(buffer, cancellationToken);
            if (read > IntegrationLimits.MaxJwksLength)
            {
                return ([], $"The JWKS at that URL is over {IntegrationLimits.MaxJwksLength / 1024} KB.");
            }

            var keys = Parse(new string(buffer, 0, read), out var error);
            return (keys, error);
        }
        catch (Exception exception) when (exception is HttpRequestException or TaskCanceledException or InvalidOperationException)
        {
            return ([], "The JWKS URL could not be read.");
        }
    }

    /// <summary>
    /// The usable public keys of a JWKS (or of a single JWK). A key with its private part is refused outright: the
    /// private key must never leave the client, and an Admin who pasted one should make a new key pair.
    /// </summary>
    public static IReadOnlyList<SecurityKey> Parse(string json, out string? error)
    {
        JsonWebKeySet set;
        try
        {
            using var document = JsonDocument.Parse(json);
            set = document.RootElement.ValueKind == JsonValueKind.Object && document.RootElement.TryGetProperty("kty", out _)
                ? new JsonWebKeySet { Keys = { new JsonWebKey(json) } }
                : new JsonWebKeySet(json);
        }
        catch (Exception exception) when (exception is JsonException or ArgumentException)
        {
            error = "The public keys must be a JWKS ({\"keys\": [...]}) or a single JWK, in JSON.";
            return [];
        }

        if (set.Keys.Any(k => k.HasPrivateKey || !string.IsNullOrEmpty(k.D)))
        {
            error = "That JWKS holds a private key. Send only the public keys, and make a new key pair: this one has been shared.";
            return [];
        }

        var usable = set.Keys.Where(IsUsable).ToList();
        error = usable.Count == 0 ? "The JWKS has no usable public key: RSA (2048 bits or more, for RS384) or EC P-384 (for ES384)." : null;
        return usable;
    }

    private static bool IsUsable(JsonWebKey key) =>
        key.Use is null or "sig" && (key.Alg is null || Algorithms.Contains(key.Alg)) && key.Kty switch
        {
            JsonWebAlgorithmsKeyTypes.RSA => !string.IsNullOrEmpty(key.N) && !string.IsNullOrEmpty(key.E) && key.KeySize >= 2048,
            JsonWebAlgorithmsKeyTypes.EllipticCurve => key.Crv == JsonWebKeyECTypes.P384 && !string.IsNullOrEmpty(key.X) && !string.IsNullOrEmpty(key.Y),
            _ => false,
        };

    [LoggerMessage(Level = LogLevel.Warning, Message = "The JWKS URL of integration client {ClientId} could not be read; its token requests fail until it can.")]
    private static partial void LogFetchFailed(ILogger logger, string clientId);
}
