using System.Net.Http.Headers;
using System.Security.Cryptography;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace ClinicChat.Web.Tests;

/// <summary>
/// An EHR's side of SMART Backend Services, as its own code would do it: a key pair made here (RS384 or ES384), the
/// public half as a JWKS for the clinic's Admin to register, and signed client assertions traded for access tokens.
/// </summary>
public sealed class SmartClient : IDisposable
{
    private readonly AsymmetricAlgorithm _key;
    private readonly SecurityKey _signingKey;

    private SmartClient(AsymmetricAlgorithm key, SecurityKey signingKey, string algorithm, JsonElement publicJwk)
    {
        _key = key;
        _signingKey = signingKey;
        Algorithm = algorithm;
        PublicJwks = JsonSerializer.SerializeToElement(new { keys = new[] { publicJwk } });
    }

    public string Algorithm { get; }

    /// <summary>What the Admin registers: the public key only.</summary>
    public JsonElement PublicJwks { get; }

    public string ClientId { get; set; } = string.Empty;

    public static SmartClient Rsa()
    {
        var rsa = RSA.Create(2048);
        var kid = Guid.NewGuid().ToString("N");
        var parameters = rsa.ExportParameters(false);
        var jwk = JsonSerializer.SerializeToElement(new
        {
            kty = "RSA", kid, alg = "RS384", use = "sig", n = Base64UrlEncoder.Encode(parameters.Modulus), e = Base64UrlEncoder.Encode(parameters.Exponent),
        });
        return new SmartClient(rsa, new RsaSecurityKey(rsa) { KeyId = kid }, SecurityAlgorithms.RsaSha384, jwk);
    }

    public static SmartClient EcP384()
    {
        var ec = ECDsa.Create(ECCurve.NamedCurves.nistP384);
        var kid = Guid.NewGuid().ToString("N");
        var parameters = ec.ExportParameters(false);
        var jwk = JsonSerializer.SerializeToElement(new
        {
            kty = "EC", kid, crv = "P-384", x = Base64UrlEncoder.Encode(parameters.Q.X), y = Base64UrlEncoder.Encode(parameters.Q.Y),
        });
        return new SmartClient(ec, new ECDsaSecurityKey(ec) { KeyId = kid }, SecurityAlgorithms.EcdsaSha384, jwk);
    }

    /// <summary>A JWKS that wrongly holds the private key too (what an Admin must never paste).</summary>
    public JsonElement PrivateJwks()
    {
        var rsa = (RSA)_key;
        var p = rsa.ExportParameters(true);
        return JsonSerializer.SerializeToElement(new
        {
            keys = new[]
            {
                new { kty = "RSA", n = Base64UrlEncoder.Encode(p.Modulus), e = Base64UrlEncoder.Encode(p.Exponent), d = Base64UrlEncoder.Encode(p.D) },
            },
        });
    }

    /// <summary>Northside's Admin registers this client (its public JWKS, or the URL serving it) with the scopes given; remembers its client id.</summary>
    public async Task<(string ClientId, string? JwksUrl)> RegisterAsync(ClinicChatApp app, string scopes, string name = "Test EHR", string? jwksUrl = null)
    {
        var olga = await app.SignInAsync(DemoData.Olga);
        var response = await olga.Http.PostAsJsonAsync($"/api/v1/clinics/{DemoData.Northside}/integrations", new
        {
            name, scopes = scopes.Split(' '), jwks = jwksUrl is null ? (JsonElement?)PublicJwks : null, jwksUrl,
        });
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(response.StatusCode == System.Net.HttpStatusCode.Created, body.ToString());
        ClientId = body.GetProperty("clientId").GetString()!;
        return (ClientId, body.GetProperty("jwksUrl").GetString());
    }

    /// <summary>A client assertion as SMART says: iss = sub = client id, aud = the token endpoint, a fresh jti, exp at most 5 minutes on.</summary>
    public string Assertion(string audience, DateTimeOffset now, TimeSpan? lifetime = null, string? jti = null, string? algorithm = null, string? clientId = null) =>
        new JsonWebTokenHandler { SetDefaultTimesOnTokenCreation = false }.CreateToken(new SecurityTokenDescriptor
        {
            Issuer = clientId ?? ClientId,
            Audience = audience,
            IssuedAt = (now - TimeSpan.FromMinutes(10)).UtcDateTime,
            Expires = (now + (lifetime ?? TimeSpan.FromMinutes(4))).UtcDateTime,
            Claims = new Dictionary<string, object> { ["sub"] = clientId ?? ClientId, ["jti"] = jti ?? Guid.NewGuid().ToString("N") },
            SigningCredentials = new SigningCredentials(_signingKey, algorithm ?? Algorithm),
        });

    /// <summary>The client-credentials token request with a client assertion (form-encoded, as OAuth wants).</summary>
    public static Task<HttpResponseMessage> RequestTokenAsync(HttpClient http, string assertion, string scope) =>
        http.PostAsync("/oauth2/token", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "client_credentials",
            ["scope"] = scope,
            ["client_assertion_type"] = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer",
            ["client_assertion"] = assertion,
        }));

    /// <summary>Gets a token or fails the test with the server's answer.</summary>
    public async Task<string> TokenAsync(HttpClient http, string scope, DateTimeOffset now)
    {
        var response = await RequestTokenAsync(http, Assertion(TokenEndpoint(http), now), scope);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(response.IsSuccessStatusCode, body.ToString());
        return body.GetProperty("access_token").GetString()!;
    }

    /// <summary>A request with the bearer token alone (and a FHIR JSON body and FHIR headers such as If-Match or Prefer, if any).</summary>
    public static Task<HttpResponseMessage> SendAsync(
        HttpClient http, HttpMethod method, string path, string token, string? fhirJson = null, params (string Name, string Value)[] headers)
    {
        var request = new HttpRequestMessage(method, path) { Headers = { Authorization = new AuthenticationHeaderValue("Bearer", token) } };
        if (fhirJson is not null)
        {
            request.Content = new StringContent(fhirJson, Encoding.UTF8, "application/fhir+json");
        }

        foreach (var (name, value) in headers)
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }

        return http.SendAsync(request);
    }

    /// <summary>An import into Northside with the bearer token.</summary>
    public static Task<HttpResponseMessage> ImportAsync(HttpClient http, string token, string fhirJson) =>
        SendAsync(http, HttpMethod.Post, $"/api/v1/clinics/{DemoData.Northside}/fhir", token, fhirJson);

    public static string TokenEndpoint(HttpClient http) => new Uri(http.BaseAddress!, "/oauth2/token").ToString();

    public void Dispose() => _key.Dispose();
}
