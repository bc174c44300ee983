using ClinicChat.Web.Tests.Proof;
using Microsoft.Extensions.Logging;

namespace ClinicChat.Web.Tests;

/// <summary>Stopping the embedded app (an operator's Ctrl+C, a service restart) while people are connected.</summary>
public sealed class GracefulStopTests
{
    [Fact]
    public async Task StoppingWhileStaffAndPatientsAreConnectedLogsNoError()
    {
        var logs = new CapturedLogs();
        var app = new ClinicChatApp(services: services => services.AddSingleton<ILoggerProvider>(logs));
        try
        {
            // Their push connections subscribe this node to the clinic's, the patient's and both users' topics.
            var alice = await app.SignInAsync(Seeding.DemoData.Alice);
            var pat = await app.SignInAsync(Seeding.DemoData.Pat);
            await using var staffHub = app.CreateHubConnection(alice.Cookie);
            await using var patientHub = app.CreateHubConnection(pat.Cookie);
            await ClinicChatApp.ConnectAsync(staffHub);
            await ClinicChatApp.ConnectAsync(patientHub);

            await app.DisposeAsync();

            Assert.Empty(logs.Errors);
        }
        finally
        {
            await app.DisposeAndDeleteDataAsync();
        }
    }
}
