using ClinicChat.Hosting;
using Microsoft.Extensions.Configuration;

namespace ClinicChat.Web.Tests;

/// <summary>
/// Two embedded instances on one machine: Orleans listens with SO_REUSEPORT, so without a check of its
/// own the second one starts on the first one's silo and gateway ports and the kernel shares their
/// traffic between the two processes.
/// </summary>
[Trait("Category", "Slow")] // apps of their own
public sealed class EmbeddedPortsTests
{
    [Fact]
    public async Task ASecondInstanceOnTheSamePortsRefusesToStartAndTheFirstKeepsWorking()
    {
        await using var first = new ClinicChatApp();
        var staff = await first.SignInAsync(Seeding.DemoData.Alice);
        var settings = first.Services.GetRequiredService<IConfiguration>();
        var siloPort = settings["ClinicChat:Orleans:SiloPort"]!;
        var gatewayPort = settings["ClinicChat:Orleans:GatewayPort"]!;

        await using var second = new ClinicChatApp(configure: builder =>
        {
            builder.UseSetting("ClinicChat:Orleans:SiloPort", siloPort);
            builder.UseSetting("ClinicChat:Orleans:GatewayPort", gatewayPort);
        });
        var refused = Assert.ThrowsAny<Exception>(() => second.Server);

        var portInUse = Assert.IsType<PortInUseException>(Innermost(refused));
        Assert.Contains($"127.0.0.1:{siloPort}", portInUse.Message, StringComparison.Ordinal);
        Assert.Contains("ClinicChat:Orleans:SiloPort", portInUse.Message, StringComparison.Ordinal);
        Assert.True((await staff.Http.GetAsync("/api/v1/conversations")).IsSuccessStatusCode);
    }

    /// <summary>Run as a program (as an operator starts it), the refusal is one plain message and exit code 1, not a crash.</summary>
    [Fact]
    public async Task ASecondInstanceStartedAsAProgramSaysWhyAndExitsWithOne()
    {
        await using var first = new ClinicChatApp();
        _ = first.Server;
        var siloPort = first.Services.GetRequiredService<IConfiguration>()["ClinicChat:Orleans:SiloPort"]!;
        var dataDirectory = Directory.CreateTempSubdirectory("clinicchat-ports-").FullName;
        try
        {
            var second = await OperatorProcess.RunAppToExitAsync(new Dictionary<string, string>
            {
                ["Urls"] = $"http://127.0.0.1:{ClinicChatApp.FreePort()}",
                ["ClinicChat__Storage__DataDirectory"] = dataDirectory,
                ["ClinicChat__Orleans__SiloPort"] = siloPort,
                ["ClinicChat__Orleans__GatewayPort"] = ClinicChatApp.FreePort().ToString(),
            });

            Assert.Equal(1, second.ExitCode);
            Assert.Contains($"already listens on 127.0.0.1:{siloPort}", second.Error, StringComparison.Ordinal);
            Assert.DoesNotContain("Unhandled exception", second.Error, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(dataDirectory, recursive: true);
        }
    }

    private static Exception Innermost(Exception e) =>
        e is AggregateException { InnerExceptions: [var only] } ? Innermost(only)
        : e.InnerException is { } inner && e is not PortInUseException ? Innermost(inner)
        : e;
}
