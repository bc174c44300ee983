using ClinicChat.Web.Hosting;

namespace ClinicChat.Tests.Shared;

/// <summary>What every test HTTP client of the web app needs, in one place.</summary>
public static class TestHttp
{
    /// <summary>
    /// Limits no test suite reaches: the suites sign the same demo accounts in hundreds of times from
    /// one address. Rate-limit tests start an app of their own with low limits instead.
    /// </summary>
    public static readonly IReadOnlyDictionary<string, string> GenerousRateLimits = new[] { "SignIn", "Reauth", "Send", "Upload", "Search", "Notices", "Read" }
        .SelectMany(rule => new[] { $"{RateLimitOptions.Section}:{rule}:PerUser", $"{RateLimitOptions.Section}:{rule}:PerIp" })
        .ToDictionary(key => key, _ => "1000000");

    /// <summary>The same settings as environment variables, for app processes.</summary>
    public static IEnumerable<KeyValuePair<string, string>> GenerousRateLimitVariables =>
        GenerousRateLimits.Select(pair => KeyValuePair.Create(pair.Key.Replace(":", "__", StringComparison.Ordinal), pair.Value));

    /// <summary>Adds the header the API requires on every state-changing request (CSRF protection), as the web app does.</summary>
    public static HttpClient WithRequestHeader(this HttpClient client)
    {
        client.DefaultRequestHeaders.Add(RequestSafety.HeaderName, "1");
        return client;
    }
}
