using Microsoft.AspNetCore.Http.Features;
using Twilio.Security;

namespace ClinicChat.Web.Notices;

/// <summary>
/// Checks <c>X-Twilio-Signature</c> with the SDK's <see cref="RequestValidator"/>: HMAC-SHA1, keyed with the account's
/// Auth Token, over the URL Twilio called and the posted form fields. Twilio signs the PUBLIC URL it was given (the
/// public base URL + path + query); behind a TLS-terminating proxy the request this node sees has another scheme, host
/// or port, so the URL is rebuilt from <c>ClinicChat:Notifications:PublicBaseUrl</c> (else the onboarding one) and
/// only without either from the request itself (Development, a tunnel that keeps the host).
/// </summary>
public sealed class TwilioSignature(string? authToken, string? publicBaseUrl)
{
    public const string Header = "X-Twilio-Signature";

    /// <summary>Twilio's webhook forms are a few hundred bytes; anything near this is not Twilio.</summary>
    public const long MaxBodyBytes = 64 * 1024;

    private readonly RequestValidator? _validator = string.IsNullOrEmpty(authToken) ? null : new RequestValidator(authToken);

    public const string AccountSidKey = "ClinicChat:Sms:Twilio:AccountSid";
    public const string AuthTokenKey = "ClinicChat:Sms:Twilio:AuthToken";

    public static TwilioSignature From(IConfiguration configuration) => new(configuration[AuthTokenKey], PublicBaseUrl(configuration));

    /// <summary><c>ClinicChat:Notifications:PublicBaseUrl</c>, else the onboarding links' address (the silo's notice links use the same).</summary>
    public static string? PublicBaseUrl(IConfiguration configuration) =>
        (configuration["ClinicChat:Notifications:PublicBaseUrl"] is { Length: > 0 } notices ? notices
            : configuration["ClinicChat:Onboarding:PublicBaseUrl"] is { Length: > 0 } onboarding ? onboarding
            : null)?.TrimEnd('/');

    /// <summary>The form, when the request is signed by Twilio; null otherwise (no Auth Token configured: nothing is).</summary>
    public async Task<IFormCollection?> ReadSignedFormAsync(HttpRequest request)
    {
        var signature = request.Headers[Header].ToString();
        if (_validator is null || signature.Length == 0 || !request.HasFormContentType)
        {
            return null;
        }

        if (request.HttpContext.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
        {
            limit.MaxRequestBodySize = MaxBodyBytes;
        }

        IFormCollection form;
        try
        {
            form = await request.ReadFormAsync(request.HttpContext.RequestAborted);
        }
        catch (InvalidDataException)
        {
            // Past the form reader's limits (value count, key length): not a form Twilio sends.
            return null;
        }

        // Twilio sends each field once; the validator sorts the names and appends each value.
        var fields = form.ToDictionary(f => f.Key, f => f.Value.ToString(), StringComparer.Ordinal);
        return _validator.Validate(PublicUrlOf(request), fields, signature) ? form : null;
    }

    private string PublicUrlOf(HttpRequest request)
    {
        var origin = publicBaseUrl ?? $"{request.Scheme}://{request.Host}";
        return $"{origin}{request.PathBase}{request.Path}{request.QueryString}";
    }
}
