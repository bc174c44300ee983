using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace ClinicChat.Web.Tests;

/// <summary>Certificates made by the test that needs them, never committed: a private key in the repository is a published one.</summary>
internal static class TestCertificates
{
    /// <summary>Writes a new self-signed certificate with its private key as a password-protected PKCS#12 file; returns its path.</summary>
    public static string WritePkcs12(string folder, string password, string name = "clinicchat-data-protection")
    {
        Directory.CreateDirectory(folder);
        using var key = RSA.Create(2048);
        var request = new CertificateRequest($"CN={name}", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddYears(1));
        var path = Path.Combine(folder, $"{name}-{Guid.NewGuid():N}.pfx");
        File.WriteAllBytes(path, certificate.Export(X509ContentType.Pkcs12, password));
        return path;
    }
}
