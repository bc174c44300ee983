using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;
using ClinicChat.Attachments;

namespace ClinicChat.Web.Tests;

/// <summary>
/// The web tier speaks to grains through ClinicChat.Grains.Interfaces. What it still takes from the implementation
/// assemblies (ClinicChat.Grains, ClinicChat.Silo) is listed here type by type with the reason, read from the compiled
/// assembly's metadata: a new use of a grain class, a store or a rule from the implementation fails this test until it
/// is either moved behind an interface or added here on purpose.
/// </summary>
public sealed class WebDependencyTests
{
    private static readonly string[] ImplementationAssemblies = ["ClinicChat.Grains", "ClinicChat.Silo"];

    /// <summary>Everything the web assembly may reference from the implementation assemblies, and why.</summary>
    private static readonly Dictionary<string, string> Allowed = new()
    {
        // Embedded hosting: the one seam that starts the silo in this process (Hosting/OrleansHostingExtensions.cs).
        ["ClinicChat.Hosting.ClinicChatSiloExtensions"] = "hosting seam",
        ["ClinicChat.Hosting.OrleansHostingOptions"] = "hosting seam",
        ["ClinicChat.Hosting.OrleansTlsOptions"] = "hosting seam",
        ["ClinicChat.Hosting.TelemetryExtensions"] = "hosting seam (metrics, traces and dashboard of the silo and the web tier)",
        ["ClinicChat.Hosting.ChatDatabaseFactory"] = "hosting seam",
        ["ClinicChat.Attachments.AttachmentIntake"] = "hosting seam registers the intake behind IAttachmentIntake",
        ["ClinicChat.Hosting.ProductionSettings"] = "hosting seam: secrets from files and the one refusal listing every missing setting, shared with src/Silo",
        ["ClinicChat.Hosting.IRequiredSetting"] = "hosting seam: the web tier's own required settings join the silo's in that refusal",
        // Identity, Data Protection keys, readiness and demo seeding share the chat database and its migrator.
        ["ClinicChat.Storage.ChatDatabase"] = "Identity, Data Protection keys, readiness",
        ["ClinicChat.Storage.ChatStorageOptions"] = "Identity's connection string",
        ["ClinicChat.Storage.StorageProvider"] = "Identity's EF provider (SQLite or PostgreSQL)",
        ["ClinicChat.Storage.SchemaMigrator"] = "Identity's tables are created with the chat schema",
    };

    [Fact]
    public void TheWebTierReferencesNoImplementationTypeBeyondTheListedSeams()
    {
        var referenced = ImplementationTypesReferencedBy(typeof(Program).Assembly.Location);

        var unexpected = referenced.Where(t => !Allowed.ContainsKey(t)).Order(StringComparer.Ordinal).ToList();
        Assert.True(unexpected.Count == 0,
            "ClinicChat.Web uses implementation types outside its allowed seams (use ClinicChat.Grains.Interfaces instead): " + string.Join(", ", unexpected));
    }

    [Fact]
    public void EveryAllowedImplementationTypeIsStillUsedSoTheListOnlyShrinks()
    {
        var referenced = ImplementationTypesReferencedBy(typeof(Program).Assembly.Location);

        var stale = Allowed.Keys.Where(t => !referenced.Contains(t)).Order(StringComparer.Ordinal).ToList();
        Assert.True(stale.Count == 0, "No longer used by ClinicChat.Web; remove from the allow-list: " + string.Join(", ", stale));
    }

    [Fact]
    public void TheAttachmentSafetyRefusalsAreCodesOfTheCatalogue()
    {
        Assert.Equal(ApiErrors.AttachmentTypeNotAllowed, AttachmentSafety.TypeNotAllowed);
        Assert.Equal(ApiErrors.AttachmentPdfUnsafe, AttachmentSafety.PdfUnsafe);
        Assert.Equal(ApiErrors.AttachmentArchiveUnsafe, AttachmentSafety.ArchiveUnsafe);
        Assert.Equal(ApiErrors.AttachmentTypeMismatch, AttachmentIntake.TypeMismatch);
    }

    private static HashSet<string> ImplementationTypesReferencedBy(string assemblyPath)
    {
        using var stream = File.OpenRead(assemblyPath);
        using var pe = new PEReader(stream);
        var metadata = pe.GetMetadataReader();
        var types = new HashSet<string>(StringComparer.Ordinal);
        foreach (var handle in metadata.TypeReferences)
        {
            var type = metadata.GetTypeReference(handle);
            // Nested types are scoped by their outer type; the outer type is what the list names.
            if (type.ResolutionScope.Kind == HandleKind.AssemblyReference)
            {
                var assembly = metadata.GetAssemblyReference((AssemblyReferenceHandle)type.ResolutionScope);
                if (ImplementationAssemblies.Contains(metadata.GetString(assembly.Name)))
                {
                    types.Add($"{metadata.GetString(type.Namespace)}.{metadata.GetString(type.Name)}");
                }
            }
        }

        return types;
    }
}
