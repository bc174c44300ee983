using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using ClinicChat.Web.Tests.Cluster;

namespace ClinicChat.Web.Tests;

/// <summary>
/// Cluster mode with <c>ClinicChat:Orleans:Tls</c> (PostgreSQL, two silos, two web nodes): grain traffic
/// between silos and from web nodes only over mutual TLS with the cluster's certificate.
/// </summary>
[Trait("Category", "Slow")] // apps of their own with TLS between silo and client
[Collection(ClusterCollection.Name)]
public sealed class OrleansTlsTests
{
    private const string Password = "cluster-certificate-password";

    [Fact]
    public async Task WithTheClusterCertificateTheClusterServesChatAndStrangersCannotConnect()
    {
        var folder = Path.Combine(Path.GetTempPath(), "clinicchat-tls-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        using var certificate = NewCertificate("clinicchat-cluster");
        using var stranger = NewCertificate("clinicchat-cluster");
        var certificatePath = Path.Combine(folder, "cluster.pfx");
        await File.WriteAllBytesAsync(certificatePath, certificate.Export(X509ContentType.Pkcs12, Password));
        try
        {
            await using var cluster = await LocalCluster.StartAsync(new Dictionary<string, string>
            {
                ["ClinicChat__Orleans__Tls__CertificatePath"] = certificatePath,
                ["ClinicChat__Orleans__Tls__CertificatePassword"] = Password,
            });
            using var pat = await cluster.WebNodes[1].SignInAsync(DemoData.Pat);
            var thread = (await pat.GetFromJsonAsync<ThreadPageDto>("/api/v1/conversations"))!.Threads.Single(t => t.ClinicId == DemoData.Northside);

            var sent = await pat.PostAsJsonAsync($"/api/v1/conversations/{thread.Id}/messages", new { clientMessageId = "tls-1", text = "Over mutual TLS" });
            var (siloPort, gatewayPort) = cluster.SiloPorts[0];
            var presentedBySilo = await PresentedCertificateAsync(siloPort, certificate);
            var presentedByGateway = await PresentedCertificateAsync(gatewayPort, certificate);
            var strangerRefusedBySilo = await IsRefusedAsync(siloPort, stranger);
            var strangerRefusedByGateway = await IsRefusedAsync(gatewayPort, stranger);

            Assert.Equal(HttpStatusCode.Created, sent.StatusCode);
            Assert.Equal(certificate.Thumbprint, presentedBySilo);
            Assert.Equal(certificate.Thumbprint, presentedByGateway);
            Assert.True(strangerRefusedBySilo, "The silo port accepted a stranger's certificate.");
            Assert.True(strangerRefusedByGateway, "The gateway accepted a stranger's certificate.");
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    /// <summary>The certificate the silo's gateway presents in a TLS handshake.</summary>
    private static async Task<string?> PresentedCertificateAsync(int port, X509Certificate2 clientCertificate)
    {
        using var tcp = new TcpClient();
        await tcp.ConnectAsync(IPAddress.Loopback, port);
        await using var tls = new SslStream(tcp.GetStream());
        await tls.AuthenticateAsClientAsync(ClientOptions(clientCertificate));
        return (tls.RemoteCertificate as X509Certificate2)?.Thumbprint;
    }

    /// <summary>
    /// Whether the gateway refuses a client with this certificate. On Linux the server checks the
    /// client's certificate after the handshake's last message, so the client may see the handshake
    /// succeed and then the connection closed: both count as refused.
    /// </summary>
    private static async Task<bool> IsRefusedAsync(int port, X509Certificate2 clientCertificate)
    {
        using var tcp = new TcpClient();
        await tcp.ConnectAsync(IPAddress.Loopback, port);
        await using var tls = new SslStream(tcp.GetStream());
        try
        {
            await tls.AuthenticateAsClientAsync(ClientOptions(clientCertificate));
            return await tls.ReadAsync(new byte[1]).AsTask().WaitAsync(TimeSpan.FromSeconds(30)) == 0;
        }
        catch (Exception exception) when (exception is AuthenticationException or IOException)
        {
            return true;
        }
        catch (TimeoutException)
        {
            // Still open and waiting for Orleans' preamble: accepted (the cluster's own certificate does this).
            return false;
        }
    }

    private static SslClientAuthenticationOptions ClientOptions(X509Certificate2 clientCertificate) => new()
    {
        TargetHost = "clinicchat-cluster",
        ClientCertificates = [clientCertificate],
        // The test looks at what the silo presents; the silo is what must refuse.
        RemoteCertificateValidationCallback = (_, _, _, _) => true,
    };

    private static X509Certificate2 NewCertificate(string name)
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest($"CN={name}", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1"), new Oid("1.3.6.1.5.5.7.3.2")], critical: false));
        using var created = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(30));
        // Re-imported so that the private key is usable by SslStream on every platform.
        return X509CertificateLoader.LoadPkcs12(created.Export(X509ContentType.Pkcs12), null, X509KeyStorageFlags.Exportable);
    }
}
