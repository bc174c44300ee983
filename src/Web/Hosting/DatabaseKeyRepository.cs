using System.Xml.Linq;
using ClinicChat.Storage;
using Microsoft.AspNetCore.DataProtection.Repositories;

namespace ClinicChat.Web.Hosting;

/// <summary>
/// Data Protection's key ring in the ClinicChat database: every web node decrypts every other node's
/// cookies, and keys survive a node's disk. Rows are only ever added. What is stored is already
/// encrypted when <c>ClinicChat:DataProtection:CertificatePath</c> is set (required outside Development,
/// see <see cref="DataProtectionExtensions"/>).
/// </summary>
public sealed class DatabaseKeyRepository(ChatDatabase database) : IXmlRepository
{
    // Data Protection calls these synchronously, rarely (start-up and key rotation), and never on a
    // request thread with a synchronisation context, so waiting on the async ADO.NET calls is safe.
    public IReadOnlyCollection<XElement> GetAllElements() => GetAllAsync().GetAwaiter().GetResult();

    public void StoreElement(XElement element, string friendlyName) => StoreAsync(element, friendlyName).GetAwaiter().GetResult();

    private async Task<IReadOnlyCollection<XElement>> GetAllAsync()
    {
        await using var connection = await database.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT xml FROM data_protection_keys ORDER BY name";
        await using var reader = await command.ExecuteReaderAsync();
        var keys = new List<XElement>();
        while (await reader.ReadAsync())
        {
            keys.Add(XElement.Parse(reader.GetString(0)));
        }

        return keys;
    }

    private async Task StoreAsync(XElement element, string friendlyName)
    {
        await using var connection = await database.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "INSERT INTO data_protection_keys (name, xml) VALUES (@name, @xml) ON CONFLICT (name) DO NOTHING";
        var name = command.CreateParameter();
        name.ParameterName = "@name";
        name.Value = friendlyName;
        var xml = command.CreateParameter();
        xml.ParameterName = "@xml";
        xml.Value = element.ToString(SaveOptions.DisableFormatting);
        command.Parameters.Add(name);
        command.Parameters.Add(xml);
        await command.ExecuteNonQueryAsync();
    }
}
