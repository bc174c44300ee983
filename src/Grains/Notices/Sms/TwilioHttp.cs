namespace ClinicChat.Notices.Sms;

/// <summary>
/// The HttpClient under our Twilio client. The SDK builds every URL as https://{domain}.twilio.com/…; it has no base-URL
/// setting, so with <see cref="TwilioOptions.BaseUrl"/> set a handler moves each request to that scheme, host and port,
/// keeping the path (/2010-04-01/Accounts/{sid}/Messages.json) and query.
/// </summary>
internal static class TwilioHttp
{
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    public static HttpClient CreateClient(string? baseUrl)
    {
        // One long-lived client: pooled connections, re-resolved now and then (DNS changes), no redirects (as the SDK's own).
        HttpMessageHandler handler = new SocketsHttpHandler { AllowAutoRedirect = false, PooledConnectionLifetime = TimeSpan.FromMinutes(5) };
        if (!string.IsNullOrEmpty(baseUrl))
        {
            handler = new BaseUrlHandler(new Uri(baseUrl, UriKind.Absolute)) { InnerHandler = handler };
        }

        return new HttpClient(handler) { Timeout = Timeout };
    }

    private sealed class BaseUrlHandler(Uri baseUrl) : DelegatingHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            if (request.RequestUri is { } original)
            {
                request.RequestUri = new UriBuilder(original) { Scheme = baseUrl.Scheme, Host = baseUrl.Host, Port = baseUrl.Port }.Uri;
            }

            return base.SendAsync(request, cancellationToken);
        }
    }
}
