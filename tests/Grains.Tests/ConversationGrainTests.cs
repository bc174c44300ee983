using ClinicChat.Access;
using ClinicChat.Conversations;

namespace ClinicChat.Tests;

[Collection(ClusterCollection.Name)]
public sealed class ConversationGrainTests(ClusterFixture fixture)
{
    private IGrainFactory Grains => fixture.Grains;

    [Fact]
    public async Task StaffAndPatientExchangeMessagesWithGaplessSeq()
    {
        var scenario = await Scenario.CreateAsync(Grains);
        var patientId = await scenario.PatientAsync();
        var clinician = scenario.Staff(StaffRole.Clinician);
        var conversation = Grains.GetGrain<IConversationGrain>(ConversationId.For(scenario.ClinicId, patientId));

        var started = await conversation.StartAsync(clinician, scenario.ClinicId, patientId);
        var first = await conversation.SendAsync(clinician, "c-1", "Hello Pat");
        var reply = await conversation.SendAsync(Scenario.PatientActor(patientId), "p-1", "Hi!");
        var page = await conversation.GetMessagesAsync(clinician, new MessagePageQuery(null, null, 50));

        Assert.True(started.Succeeded);
        Assert.Equal(1, first.Value!.Message.Seq);
        Assert.Equal(2, reply.Value!.Message.Seq);
        Assert.Equal(SenderKind.Patient, reply.Value.Message.SenderKind);
        Assert.Equal(["Hello Pat", "Hi!"], page.Value!.Messages.Select(m => m.Text));
    }
}
