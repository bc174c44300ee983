using System.Security.Cryptography;
using ClinicChat.Storage;
using ClinicChat.Web.Hosting;
using Microsoft.AspNetCore.DataProtection;

namespace ClinicChat.Web.Tests;

/// <summary>Data Protection's keys (they encrypt sign-in cookies) are stored in the database encrypted with the configured certificate.</summary>
public sealed class DataProtectionTests : IDisposable
{
    private const string Password = "pfx-password-for-tests";
    private const string Purpose = "ClinicChat.Web.Tests.DataProtection";
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "clinicchat-dp-" + Guid.NewGuid().ToString("N"));

    [Fact]
    public async Task KeysWrittenWithACertificateAreStoredEncryptedAndANodeWithTheSameCertificateReadsWhatAnotherProtected()
    {
        var certificate = TestCertificates.WritePkcs12(_folder, Password);
        var dataDirectory = Path.Combine(_folder, "data");

        string protectedText;
        IReadOnlyList<string> stored;
        await using (var first = App(dataDirectory, certificate))
        {
            protectedText = first.Services.GetRequiredService<IDataProtectionProvider>().CreateProtector(Purpose).Protect("a session ticket");
            stored = await StoredKeysAsync(first);
        }

        await using var second = App(dataDirectory, certificate);
        var unprotected = second.Services.GetRequiredService<IDataProtectionProvider>().CreateProtector(Purpose).Unprotect(protectedText);

        Assert.NotEmpty(stored);
        Assert.All(stored, xml =>
        {
            Assert.Contains("<encryptedSecret", xml, StringComparison.Ordinal);
            Assert.DoesNotContain("<value>", xml, StringComparison.Ordinal); // the plain master key's element
        });
        Assert.Equal("a session ticket", unprotected);
    }

    [Fact]
    public async Task ANodeWithAnotherCertificateCannotReadTheKeys()
    {
        var dataDirectory = Path.Combine(_folder, "data");
        string protectedText;
        await using (var first = App(dataDirectory, TestCertificates.WritePkcs12(_folder, Password)))
        {
            protectedText = first.Services.GetRequiredService<IDataProtectionProvider>().CreateProtector(Purpose).Protect("a session ticket");
        }

        await using var other = App(dataDirectory, TestCertificates.WritePkcs12(_folder, Password, "another-certificate"));
        var protector = other.Services.GetRequiredService<IDataProtectionProvider>().CreateProtector(Purpose);

        Assert.ThrowsAny<CryptographicException>(() => protector.Unprotect(protectedText));
    }

    public void Dispose()
    {
        if (Directory.Exists(_folder))
        {
            Directory.Delete(_folder, recursive: true);
        }
    }

    private static ClinicChatApp App(string dataDirectory, string certificatePath) => new(dataDirectory, configure: builder =>
    {
        builder.UseSetting("ClinicChat:Seed:Demo", "false");
        builder.UseSetting($"{KeyProtectionOptions.Section}:CertificatePath", certificatePath);
        builder.UseSetting($"{KeyProtectionOptions.Section}:CertificatePassword", Password);
    });

    private static async Task<IReadOnlyList<string>> StoredKeysAsync(ClinicChatApp app)
    {
        await using var connection = await app.Services.GetRequiredService<ChatDatabase>().OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT xml FROM data_protection_keys";
        await using var reader = await command.ExecuteReaderAsync();
        var keys = new List<string>();
        while (await reader.ReadAsync())
        {
            keys.Add(reader.GetString(0));
        }

        return keys;
    }
}
