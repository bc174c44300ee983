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

    private static Exception Innermost(Exception e) =>
        e is AggregateException { InnerExceptions: [var only] } ? Innermost(only)
        : e.InnerException is { } inner && e is not PortInUseException ? Innermost(inner)
        : e;
}
