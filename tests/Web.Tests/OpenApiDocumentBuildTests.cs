using System.Net.Sockets;

namespace ClinicChat.Web.Tests;

/// <summary>
/// The build writes the API's OpenAPI document (<c>ClientApp/openapi.json</c>, from which the web app's API types are
/// generated) by running the app under Microsoft.Extensions.ApiDescription.Server's tool. These run that tool as the build
/// does, beside a running ClinicChat.
/// </summary>
public sealed class OpenApiDocumentBuildTests
{
    [Fact]
    public async Task TheBuildWritesTheCommittedDocumentWhileTheAppRunsWithoutTouchingItsDataOrPorts()
    {
        var root = PublishedAppFixture.RepositoryRoot();
        var work = Directory.CreateTempSubdirectory("clinicchat-openapi-");
        var data = Directory.CreateDirectory(Path.Combine(work.FullName, "data"));
        try
        {
            // The ports a running ClinicChat's silo holds, and the folder its development data lives in.
            using var silo = Listening(out var siloPort);
            using var gateway = Listening(out var gatewayPort);
            var start = PublishedAppFixture.Dotnet(
                root,
                GetDocumentTool(root),
                "--assembly", Path.Combine(AppContext.BaseDirectory, "ClinicChat.Web.dll"),
                "--file-list", Path.Combine(work.FullName, "openapi.files"),
                "--framework", ".NETCoreApp,Version=v10.0",
                "--output", work.FullName,
                "--project", "Web",
                "--assets-file", Path.Combine(root, "src", "Web", "obj", "project.assets.json"),
                "--file-name", "openapi");
            start.Environment["ASPNETCORE_ENVIRONMENT"] = "Development";
            start.Environment["ClinicChat__Storage__DataDirectory"] = data.FullName;
            start.Environment["ClinicChat__Orleans__SiloPort"] = siloPort.ToString(System.Globalization.CultureInfo.InvariantCulture);
            start.Environment["ClinicChat__Orleans__GatewayPort"] = gatewayPort.ToString(System.Globalization.CultureInfo.InvariantCulture);

            var (exitCode, output) = await PublishedAppFixture.RunAsync(start, TimeSpan.FromMinutes(3));

            Assert.True(exitCode == 0, "The document tool failed:" + Environment.NewLine + output);
            Assert.Equal(
                await File.ReadAllTextAsync(Path.Combine(root, "src", "Web", "ClientApp", "openapi.json")),
                await File.ReadAllTextAsync(Path.Combine(work.FullName, "openapi.json")));
            Assert.Empty(data.EnumerateFileSystemInfos());
        }
        finally
        {
            work.Delete(recursive: true);
        }
    }

    /// <summary>The tool from the package the web project restored (its assets file names the folder and version).</summary>
    private static string GetDocumentTool(string root)
    {
        using var assets = JsonDocument.Parse(File.ReadAllText(Path.Combine(root, "src", "Web", "obj", "project.assets.json")));
        var packages = assets.RootElement.GetProperty("packageFolders").EnumerateObject().First().Name;
        var package = assets.RootElement.GetProperty("libraries").EnumerateObject()
            .First(library => library.Name.StartsWith("Microsoft.Extensions.ApiDescription.Server/", StringComparison.OrdinalIgnoreCase));
        return Path.Combine(packages, package.Value.GetProperty("path").GetString()!, "tools", "dotnet-getdocument.dll");
    }

    private static TcpListener Listening(out int port)
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        port = ((IPEndPoint)listener.LocalEndpoint).Port;
        return listener;
    }
}
