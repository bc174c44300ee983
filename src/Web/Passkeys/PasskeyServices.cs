using Microsoft.AspNetCore.Identity;

namespace ClinicChat.Web.Passkeys;

public static class PasskeyServices
{
    /// <summary>Where the relying party's id comes from: the deployment's own host name (what the browser shows).</summary>
    public const string ServerDomainKey = "ClinicChat:Passkeys:ServerDomain";

    /// <summary>
    /// ASP.NET Core Identity's WebAuthn relying party. The relying party id is <c>ClinicChat:Passkeys:ServerDomain</c> when
    /// set, otherwise the request's host (which host filtering has already limited to this deployment's names); the origin
    /// must equal the request's own (Identity's default), so a passkey made on one name does not work on another.
    /// </summary>
    public static IServiceCollection AddClinicChatPasskeys(this IServiceCollection services)
    {
        services.AddOptions<IdentityPasskeyOptions>().Configure<IConfiguration>((options, configuration) =>
        {
            options.ServerDomain = configuration[ServerDomainKey] is { Length: > 0 } domain ? domain : null;
            // A passkey stands in for the password and the second factor both: the device must check that it is its owner
            // (Face ID, fingerprint, PIN), not only that someone is there.
            options.UserVerificationRequirement = "required";
            // Sign-in starts without an email: the browser offers the passkeys it holds for this site.
            options.ResidentKeyRequirement = "required";
            options.AuthenticatorTimeout = TimeSpan.FromMinutes(2);
        });
        return services;
    }
}
