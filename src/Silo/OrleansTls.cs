using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Configuration;
using Orleans.Connections.Security;

namespace ClinicChat.Hosting;

/// <summary>
/// <c>ClinicChat:Orleans:Tls</c>: mutual TLS on silo-to-silo and web-node-to-silo connections. Every
/// silo and web node gets the same certificate (a PKCS#12 file); a peer must present that certificate
/// (or one listed in <see cref="AllowedThumbprints"/>, for a rotation), so a host that merely reaches the
/// ports can neither read grain traffic nor call grains. Off when no certificate is configured.
/// </summary>
public sealed class OrleansTlsOptions
{
    public const string Section = "ClinicChat:Orleans:Tls";

    /// <summary>Path of the cluster certificate with its private key (.pfx / .p12).</summary>
    public string? CertificatePath { get; set; }

    public string? CertificatePassword { get; set; }

    /// <summary>Further certificates peers may present (SHA-1 thumbprints): the next certificate during a rotation.</summary>
    public string[] AllowedThumbprints { get; set; } = [];

    public static OrleansTlsOptions? From(IConfiguration configuration) =>
        configuration.GetSection(Section).Get<OrleansTlsOptions>() is { CertificatePath.Length: > 0 } options ? options : null;

    public X509Certificate2 LoadCertificate() =>
        X509CertificateLoader.LoadPkcs12FromFile(CertificatePath!, CertificatePassword, X509KeyStorageFlags.EphemeralKeySet);

    /// <summary>Both ends present a certificate and accept only the cluster's own (pinned by thumbprint, not by a CA or host name).</summary>
    public void Configure(TlsOptions tls, X509Certificate2 certificate)
    {
        var trusted = new HashSet<string>(AllowedThumbprints.Append(certificate.Thumbprint), StringComparer.OrdinalIgnoreCase);
        tls.LocalCertificate = certificate;
        tls.RemoteCertificateMode = RemoteCertificateMode.RequireCertificate;
        tls.RemoteCertificateValidation = (remote, _, _) => remote is not null && trusted.Contains(remote.Thumbprint);
        // Silos are reached by address; the pinned certificate, not its name, is what is checked.
        tls.OnAuthenticateAsClient = (_, options) => options.TargetHost = certificate.GetNameInfo(X509NameType.SimpleName, forIssuer: false);
    }
}
