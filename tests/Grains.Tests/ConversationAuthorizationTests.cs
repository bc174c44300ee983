namespace ClinicChat.Tests;

/// <summary>Who may do what on a thread. Anyone without access learns nothing: not even that the thread exists.</summary>
[Collection(ClusterCollection.Name)]
public sealed class ConversationAuthorizationTests(ClusterFixture fixture)
{
    public enum Caller
    {
        ClinicianOfTheClinic,
        FrontDeskOfTheClinic,
        BillingOfTheClinic,
        AdminOfTheClinic,
        ClinicianOfAnotherClinic,
        AnotherPatient,
        TheThreadsPatient,
    }

    [Theory]
    [InlineData(Caller.ClinicianOfTheClinic)]
    [InlineData(Caller.FrontDeskOfTheClinic)]
    public async Task StaffWhoChatForTheClinicMayUseEveryOperation(Caller caller)
    {
        var (scenario, patientId, _) = await ArrangeAsync();
        var actor = await ActorAsync(caller, scenario, patientId);
        var conversation = scenario.Conversation(patientId);

        var started = await conversation.StartAsync(actor, scenario.ClinicId, patientId);
        var info = await conversation.GetAsync(actor);
        var sent = await conversation.SendAsync(actor, new SendMessage("c-1", "Hello from the clinic"));
        var page = await conversation.GetMessagesAsync(actor, new MessagePageQuery(null, null, 10));
        var read = await conversation.AcknowledgeAsync(actor, new ReceiptAck(null, 1));

        Assert.Equal(ConversationId.For(scenario.ClinicId, patientId), started.Value?.Id);
        Assert.Equal(patientId, info.Value?.PatientId);
        Assert.Equal(SenderKind.Staff, sent.Value?.Message.SenderKind);
        Assert.Equal(1, page.Value?.Messages.Count);
        Assert.Equal(1, read.Value?.ReadUpTo);
    }

    [Fact]
    public async Task ThePatientMayReadAndWriteTheirThreadButNotStartIt()
    {
        var (scenario, patientId, _) = await ArrangeAsync();
        var patient = await ActorAsync(Caller.TheThreadsPatient, scenario, patientId);
        var conversation = scenario.Conversation(patientId);

        var startedByPatient = await conversation.StartAsync(patient, scenario.ClinicId, patientId);
        var existsAfterPatientStart = await ConversationExistsAsync(scenario, patientId);
        await scenario.ThreadWithAsync(patientId);
        var info = await conversation.GetAsync(patient);
        var sent = await conversation.SendAsync(patient, new SendMessage("p-1", "Hello from me"));
        var page = await conversation.GetMessagesAsync(patient, new MessagePageQuery(null, null, 10));
        var read = await conversation.AcknowledgeAsync(patient, new ReceiptAck(null, 1));

        Assert.Equal(ChatErrorCode.NotFound, startedByPatient.Error?.Code);
        Assert.False(existsAfterPatientStart);
        Assert.Equal(patientId, info.Value?.PatientId);
        Assert.Equal(SenderKind.Patient, sent.Value?.Message.SenderKind);
        Assert.Equal(["Hello from me"], page.Value?.Messages.Select(m => m.Text));
        Assert.Equal(1, read.Value?.ReadUpTo);
    }

    [Theory]
    [InlineData(Caller.BillingOfTheClinic)]
    [InlineData(Caller.AdminOfTheClinic)]
    [InlineData(Caller.ClinicianOfAnotherClinic)]
    [InlineData(Caller.AnotherPatient)]
    public async Task EveryoneElseGetsNotFoundFromEveryOperationAndChangesNothing(Caller caller)
    {
        var (scenario, patientId, _) = await ArrangeAsync();
        var outsider = await ActorAsync(caller, scenario, patientId);
        var conversation = scenario.Conversation(patientId);
        var id = ConversationId.For(scenario.ClinicId, patientId);

        var started = await conversation.StartAsync(outsider, scenario.ClinicId, patientId);
        var existsAfterOutsiderStart = await ConversationExistsAsync(scenario, patientId);
        var thread = await scenario.ThreadWithAsync(patientId);
        await thread.SayAsync(thread.Patient, "Something private");
        var info = await conversation.GetAsync(outsider);
        var sent = await conversation.SendAsync(outsider, new SendMessage("x-1", "Let me in"));
        var page = await conversation.GetMessagesAsync(outsider, new MessagePageQuery(null, null, 10));
        var read = await conversation.AcknowledgeAsync(outsider, new ReceiptAck(null, 1));

        Assert.All([started.Error, info.Error, sent.Error, page.Error, read.Error], error => Assert.Equal(ChatErrorCode.NotFound, error?.Code));
        Assert.Null(info.Value);
        Assert.Null(page.Value);
        Assert.False(existsAfterOutsiderStart);
        Assert.Equal(1, await fixture.MessageCountAsync(id));
        Assert.Equal(0, await fixture.ScalarAsync(
            "SELECT COUNT(*) FROM receipt_cursors WHERE conversation_id = @id AND reader_id = @reader", ("@id", id), ("@reader", outsider.UserId)));
        // Five refusals in one minute: the first is written at once, the other four as one summary when the window closes.
        Assert.Equal(1, await fixture.ScalarAsync(
            "SELECT COUNT(*) FROM audit_log WHERE conversation_id = @id AND actor_id = @actor AND action = @action AND outcome = @outcome",
            ("@id", id), ("@actor", outsider.UserId), ("@action", AuditActions.AccessDenied), ("@outcome", AuditOutcomes.Denied)));
        fixture.Clock.Advance(DeniedAccessGrain.WindowLength);
        await conversation.GetAsync(outsider);
        Assert.Equal(1, await fixture.ScalarAsync(
            "SELECT COUNT(*) FROM audit_log WHERE actor_id = @actor AND action = @action AND outcome = @outcome AND detail LIKE @detail",
            ("@actor", outsider.UserId), ("@action", AuditActions.AccessDeniedSummary), ("@outcome", AuditOutcomes.Denied), ("@detail", $"count=4;%;targets=1;sample=conversation={id}")));
    }

    [Fact]
    public async Task AClinicianCannotOpenAThreadUnderAnotherClinicsId()
    {
        var (scenario, patientId, otherClinicId) = await ArrangeAsync();
        var otherClinician = scenario.Staff(StaffRole.Clinician, otherClinicId);

        // The patient is registered at both clinics, but this grain is the first clinic's thread.
        var started = await scenario.Conversation(patientId).StartAsync(otherClinician, otherClinicId, patientId);

        Assert.Equal(ChatErrorCode.NotFound, started.Error?.Code);
        Assert.False(await ConversationExistsAsync(scenario, patientId));
    }

    [Fact]
    public async Task APatientWhoIsNotRegisteredAtTheClinicIsNotFound()
    {
        var scenario = await Scenario.CreateAsync(fixture.Grains);
        var elsewhere = await Scenario.CreateAsync(fixture.Grains);
        var patientOfAnotherClinic = await elsewhere.PatientAsync();
        var unknownPatient = Guid.NewGuid();
        var clinician = scenario.Staff(StaffRole.Clinician);

        var notOurs = await scenario.Conversation(patientOfAnotherClinic).StartAsync(clinician, scenario.ClinicId, patientOfAnotherClinic);
        var unknown = await scenario.Conversation(unknownPatient).StartAsync(clinician, scenario.ClinicId, unknownPatient);

        Assert.Equal(ChatErrorCode.NotFound, notOurs.Error?.Code);
        Assert.Equal(ChatErrorCode.NotFound, unknown.Error?.Code);
        Assert.False(await ConversationExistsAsync(scenario, patientOfAnotherClinic));
    }

    [Fact]
    public async Task AThreadThatWasNeverStartedIsNotFoundEvenForTheClinicsStaff()
    {
        var scenario = await Scenario.CreateAsync(fixture.Grains);
        var patientId = await scenario.PatientAsync();
        var clinician = scenario.Staff(StaffRole.Clinician);

        var info = await scenario.Conversation(patientId).GetAsync(clinician);
        var sent = await scenario.Conversation(patientId).SendAsync(clinician, new SendMessage("c-1", "Hello?"));

        Assert.Equal(ChatErrorCode.NotFound, info.Error?.Code);
        Assert.Equal(ChatErrorCode.NotFound, sent.Error?.Code);
        Assert.Equal(0, await fixture.MessageCountAsync(ConversationId.For(scenario.ClinicId, patientId)));
    }

    /// <summary>A clinic, a second clinic, and a patient registered at both (so only the clinic boundary is being tested).</summary>
    private async Task<(Scenario Scenario, Guid PatientId, Guid OtherClinicId)> ArrangeAsync()
    {
        var scenario = await Scenario.CreateAsync(fixture.Grains);
        var otherClinic = await scenario.OtherClinicAsync();
        var patientId = await scenario.PatientAsync(moreClinics: otherClinic.Id);
        return (scenario, patientId, otherClinic.Id);
    }

    private static async Task<Actor> ActorAsync(Caller caller, Scenario scenario, Guid patientId) => caller switch
    {
        Caller.ClinicianOfTheClinic => scenario.Staff(StaffRole.Clinician),
        Caller.FrontDeskOfTheClinic => scenario.Staff(StaffRole.FrontDesk),
        Caller.BillingOfTheClinic => scenario.Staff(StaffRole.Billing),
        Caller.AdminOfTheClinic => scenario.Staff(StaffRole.Admin),
        Caller.ClinicianOfAnotherClinic => scenario.Staff(StaffRole.Clinician, (await scenario.OtherClinicAsync()).Id),
        Caller.AnotherPatient => Scenario.PatientActor(await scenario.PatientAsync("Other Patient")),
        Caller.TheThreadsPatient => Scenario.PatientActor(patientId),
        _ => throw new ArgumentOutOfRangeException(nameof(caller)),
    };

    private async Task<bool> ConversationExistsAsync(Scenario scenario, Guid patientId) =>
        await fixture.ScalarAsync("SELECT COUNT(*) FROM conversations WHERE id = @id", ("@id", ConversationId.For(scenario.ClinicId, patientId))) > 0;
}
