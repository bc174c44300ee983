namespace ClinicChat.Web.Tests;

[Collection(AppCollection.Name)]
public sealed class PresenceTests(AppFixture fixture)
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task StaffSeeWhenThePatientOpensAndLeavesThePortal()
    {
        var patient = TestData.PortalPatient(70);
        var alice = await fixture.App.SignInAsync(DemoData.Alice);
        var patientSession = await fixture.App.SignInAsync(patient.Email!);
        var thread = await TestData.StartAsync(alice, patient.Id);
        await using var staffHub = fixture.App.CreateHubConnection(alice.Cookie);
        var online = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var offline = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        staffHub.On<PresenceDto>(nameof(IChatClient.PresenceChanged), p =>
        {
            if (p.ConversationId == thread.Id)
            {
                (p.PatientOnline ? online : offline).TrySetResult();
            }
        });
        await ClinicChatApp.ConnectAsync(staffHub);
        var before = await alice.Http.GetFromJsonAsync<ThreadDto>($"/api/v1/conversations/{thread.Id}");

        await using (var portal = fixture.App.CreateHubConnection(patientSession.Cookie))
        {
            await ClinicChatApp.ConnectAsync(portal);
            await online.Task.WaitAsync(Patience);
            var during = await alice.Http.GetFromJsonAsync<ThreadDto>($"/api/v1/conversations/{thread.Id}");
            Assert.True(during!.PatientOnline);
        }

        await offline.Task.WaitAsync(Patience);
        var after = await alice.Http.GetFromJsonAsync<ThreadDto>($"/api/v1/conversations/{thread.Id}");

        Assert.False(before!.PatientOnline);
        Assert.False(after!.PatientOnline);
    }
}
