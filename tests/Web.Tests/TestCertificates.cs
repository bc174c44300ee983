using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace ClinicChat.Web.Tests;

/// <summary>Certificates made by the test that needs them, never committed: a private key in the repository is a published one.</summary>
internal static class TestCertificates
{
    private const string DataProtectionPassword = "pfx-password-for-tests";

    /// <summary>One Data Protection certificate for the test run (each is a new key pair, which takes a moment).</summary>
    private static readonly Lazy<string> DataProtection = new(() =>
        WritePkcs12(Path.Combine(Path.GetTempPath(), "clinicchat-test-certificates"), DataProtectionPassword));

    /// <summary>Gives an app outside Development the Data Protection certificate Production requires.</summary>
    public static void UseDataProtectionCertificate(this Microsoft.AspNetCore.Hosting.IWebHostBuilder builder)
    {
        builder.UseSetting("ClinicChat:DataProtection:CertificatePath", DataProtection.Value);
        builder.UseSetting("ClinicChat:DataProtection:CertificatePassword", DataProtectionPassword);
    }

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
