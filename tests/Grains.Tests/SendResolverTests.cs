using Microsoft.Extensions.DependencyInjection;

namespace ClinicChat.Tests;

/// <summary>What a send resolves to before anything is written; the lookups go to real grains.</summary>
[Collection(ClusterCollection.Name)]
public sealed class SendResolverTests(ClusterFixture fixture)
{
    private SendResolver ResolverFor(Scenario scenario, Guid patientId) =>
        new(fixture.Grains, fixture.Services.GetRequiredService<MessageStore>(), fixture.Clock, ConversationId.For(scenario.ClinicId, patientId), scenario.ClinicId, patientId);

    [Fact]
    public async Task AnAcceptedSendBecomesTheMessageAtTheGivenSeqOnTheSendersSideStampedToTheMillisecond()
    {
        var scenario = await Scenario.CreateAsync(fixture.Grains);
        var patientId = await scenario.PatientAsync();
        var clinician = scenario.Staff(StaffRole.Clinician);
        var now = fixture.Clock.GetUtcNow();

        var resolved = await ResolverFor(scenario, patientId).ResolveAsync(clinician, new SendMessage("c-1", "Your results are in", Sensitive: true), seq: 42);

        var message = Assert.IsType<MessageView>(resolved.Message);
        Assert.Equal(
            (42L, SenderKind.Staff, clinician.UserId, "Your results are in", true, DateTimeOffset.FromUnixTimeMilliseconds(now.ToUnixTimeMilliseconds())),
            (message.Seq, message.SenderKind, message.SenderId, message.Text, message.Sensitive, message.SentAt));
        Assert.Null(resolved.Error);
    }

    [Fact]
    public async Task ARetryIsAnsweredWithTheMessageStoredFirstWithoutAskingAnyone()
    {
        var scenario = await Scenario.CreateAsync(fixture.Grains);
        // Nobody registered this patient: a lookup would refuse the send, so an answer proves there was none.
        var unregistered = Guid.NewGuid();
        var patient = Scenario.PatientActor(unregistered);
        var resolver = ResolverFor(scenario, unregistered);
        var stored = new MessageView(Guid.Empty, 7, "p-1", patient.UserId, SenderKind.Patient, "Patient", "Hello", ClusterFixture.Start);
        resolver.Remember(stored);

        var retry = await resolver.ResolveAsync(patient, new SendMessage("p-1", "Hello again"), seq: 8);

        Assert.Same(stored, retry.Earlier);
        Assert.Null(retry.Message);
    }

    [Fact]
    public async Task ARetryTheUniqueIndexCaughtIsAnsweredWithTheStoredCopyWhichAnswersTheNextRetryFromMemory()
    {
        var scenario = await Scenario.CreateAsync(fixture.Grains);
        var thread = await scenario.ThreadAsync();
        var stored = await thread.SayAsync(thread.Clinician, "Your results are in", "c-stored");
        // A fresh resolver, as in a new activation: it remembers nothing.
        var resolver = ResolverFor(scenario, thread.PatientId);

        var copy = await resolver.StoredCopyAsync(thread.Clinician, "c-stored", new InvalidOperationException("unique violation"));
        var nextRetry = await resolver.ResolveAsync(thread.Clinician, new SendMessage("c-stored", "Your results are in"), seq: stored.Seq + 1);

        Assert.Equal((stored.Seq, stored.Text, stored.SentAt), (copy.Seq, copy.Text, copy.SentAt));
        Assert.Same(copy, nextRetry.Earlier);
    }

    [Fact]
    public async Task AUniqueViolationWithNothingStoredIsAnErrorNotAnAnswer()
    {
        var scenario = await Scenario.CreateAsync(fixture.Grains);
        var thread = await scenario.ThreadAsync();
        var violation = new InvalidOperationException("unique violation");

        var thrown = await Assert.ThrowsAsync<InvalidOperationException>(() => ResolverFor(scenario, thread.PatientId).StoredCopyAsync(thread.Clinician, "never-sent", violation));

        Assert.Same(violation, thrown.InnerException);
    }

    [Fact]
    public async Task APatientCannotAttachRecordCards()
    {
        var scenario = await Scenario.CreateAsync(fixture.Grains);
        var patientId = await scenario.PatientAsync();

        var resolved = await ResolverFor(scenario, patientId).ResolveAsync(
            Scenario.PatientActor(patientId), new SendMessage("p-1", "See this", RecordIds: [Guid.NewGuid()]), seq: 1);

        Assert.Equal((ChatErrorCode.Validation, "recordIds"), (resolved.Error?.Code, resolved.Error?.Field));
    }

    [Fact]
    public async Task AnAttachmentTheSenderDidNotUploadToThisThreadIsRefused()
    {
        var scenario = await Scenario.CreateAsync(fixture.Grains);
        var patientId = await scenario.PatientAsync();

        var resolved = await ResolverFor(scenario, patientId).ResolveAsync(
            scenario.Staff(StaffRole.Clinician), new SendMessage("c-1", "Attached", AttachmentIds: [Guid.NewGuid()]), seq: 1);

        Assert.Equal((ChatErrorCode.Validation, "attachmentIds"), (resolved.Error?.Code, resolved.Error?.Field));
    }
}
