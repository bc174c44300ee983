using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using ClinicChat.Hosting;
using ClinicChat.Storage;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.Extensions.Options;

namespace ClinicChat.Web.Hosting;

/// <summary>
/// <c>ClinicChat:DataProtection</c>: the certificate that encrypts Data Protection's keys at rest. The keys
/// (which encrypt sign-in cookies) live in the database, so without it anyone holding a copy of the
/// database or a backup could mint a session for any user.
/// </summary>
public sealed class KeyProtectionOptions
{
    public const string Section = "ClinicChat:DataProtection";

    /// <summary>A PKCS#12 file (.pfx / .p12) with the certificate and its private key; the same file on every web node.</summary>
    public string? CertificatePath { get; set; }

    public string? CertificatePassword { get; set; }
}

/// <summary>Reads the key-protection certificate, or says why it cannot be used.</summary>
public static class KeyProtectionCertificate
{
    /// <summary>Why the configured certificate cannot protect keys, or null when it can (or none is configured).</summary>
    public static string? Problem(KeyProtectionOptions options) => TryLoad(options, out var problem) is { } certificate ? Dispose(certificate) : problem;

    /// <summary>The certificate with its private key; null (and the reason) when none is configured or it cannot be used.</summary>
    public static X509Certificate2? TryLoad(KeyProtectionOptions options, out string? problem)
    {
        problem = null;
        if (string.IsNullOrWhiteSpace(options.CertificatePath))
        {
            return null;
        }

        try
        {
            var certificate = X509CertificateLoader.LoadPkcs12FromFile(options.CertificatePath, options.CertificatePassword, X509KeyStorageFlags.EphemeralKeySet);
            if (certificate.HasPrivateKey)
            {
                return certificate;
            }

            certificate.Dispose();
            problem = $"{KeyProtectionOptions.Section}:CertificatePath holds no private key; keys could be encrypted but never read back.";
        }
        catch (Exception exception) when (exception is CryptographicException or IOException or UnauthorizedAccessException)
        {
            // The exception's message is not repeated: it may say why a password failed, which helps nobody but a guesser.
            problem = $"{KeyProtectionOptions.Section}:CertificatePath could not be read as a PKCS#12 file with {KeyProtectionOptions.Section}:CertificatePassword ({exception.GetType().Name}).";
        }

        return null;
    }

    private static string? Dispose(X509Certificate2 certificate)
    {
        certificate.Dispose();
        return null;
    }
}

/// <summary>Outside Development the key ring must be encrypted at rest: no certificate, no start.</summary>
public sealed class KeyProtectionCertificateSetting(IOptions<KeyProtectionOptions> options) : IRequiredSetting
{
    public IEnumerable<string> Problems()
    {
        if (string.IsNullOrWhiteSpace(options.Value.CertificatePath))
        {
            yield return $"{KeyProtectionOptions.Section}:CertificatePath is not set. Data Protection keys (they encrypt sign-in cookies) are kept in " +
                $"the database and must be encrypted at rest: give every web node the same PKCS#12 certificate with its private key " +
                $"(and {KeyProtectionOptions.Section}:CertificatePassword).";
        }
        else if (KeyProtectionCertificate.Problem(options.Value) is { } problem)
        {
            yield return problem;
        }
    }
}

public static class DataProtectionExtensions
{
    /// <summary>
    /// Cookies are encrypted with keys every web node shares (in the database), under one application name
    /// whatever folder a node runs from. With a certificate configured the keys are stored encrypted with it (an
    /// <c>encryptedSecret</c> element instead of the key) and any node holding the same certificate reads them.
    /// A certificate that is missing or unreadable is reported with the other required settings outside Development.
    /// </summary>
    public static IServiceCollection AddClinicChatDataProtection(this IServiceCollection services, IConfiguration configuration)
    {
        var dataProtection = services.AddDataProtection().SetApplicationName("ClinicChat");
        services.AddOptions<KeyManagementOptions>()
            .Configure<ChatDatabase>((options, database) => options.XmlRepository = new DatabaseKeyRepository(database));
        // Loaded here, not per use: ProtectKeysWithCertificate also hands the certificate to decryption, so no X.509 store is needed.
        if (KeyProtectionCertificate.TryLoad(configuration.GetSection(KeyProtectionOptions.Section).Get<KeyProtectionOptions>() ?? new(), out _) is { } certificate)
        {
            dataProtection.ProtectKeysWithCertificate(certificate);
        }

        services.AddOptions<KeyProtectionOptions>().BindConfiguration(KeyProtectionOptions.Section);
        services.AddRequiredSetting<KeyProtectionCertificateSetting>();
        return services;
    }
}
