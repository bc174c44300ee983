namespace ClinicChat.Tests;

/// <summary>Receipts both ways, derived from per-reader cursors kept by the conversation grain.</summary>
[Collection(ClusterCollection.Name)]
public sealed class ReceiptTests(ClusterFixture fixture)
{
    private static readonly MessagePageQuery Newest = new(null, null, 50);

    [Fact]
    public async Task FetchingDeliversAndOnlyAReadAcknowledgementReads()
    {
        var scenario = await Scenario.CreateAsync(fixture.Grains);
        var thread = await scenario.ThreadAsync();
        await thread.SayAsync(thread.Clinician, "Your results are normal.");

        var beforeFetch = (await thread.Grain.GetMessagesAsync(thread.Clinician, Newest)).Value!;
        await thread.Grain.GetMessagesAsync(thread.Patient, Newest);
        var afterFetch = (await thread.Grain.GetMessagesAsync(thread.Clinician, Newest)).Value!;
        await thread.Grain.AcknowledgeAsync(thread.Patient, new ReceiptAck(null, 1));
        var afterRead = (await thread.Grain.GetMessagesAsync(thread.Clinician, Newest)).Value!;

        Assert.Equal(MessageStatus.Sent, ReceiptRules.StatusOf(1, beforeFetch.PatientReceipts));
        Assert.Equal(MessageStatus.Delivered, ReceiptRules.StatusOf(1, afterFetch.PatientReceipts));
        Assert.Equal(MessageStatus.Read, ReceiptRules.StatusOf(1, afterRead.PatientReceipts));
        var receipt = Assert.Single(afterRead.ReadReceipts);
        Assert.Equal((1L, thread.Patient.UserId, SenderKind.Patient), (receipt.Seq, receipt.ReaderId, receipt.ReaderKind));
    }

    [Fact]
    public async Task AReadByASecondStaffMemberIsAttributedToThemAndReadsForTheClinic()
    {
        var scenario = await Scenario.CreateAsync(fixture.Grains);
        var thread = await scenario.ThreadAsync();
        var frontDesk = scenario.Staff(StaffRole.FrontDesk);
        await thread.SayAsync(thread.Patient, "Can I move my appointment?");
        await thread.SayAsync(thread.Patient, "Thursday would be better.");

        await thread.Grain.AcknowledgeAsync(frontDesk, new ReceiptAck(null, 1));
        var forPatient = (await thread.Grain.GetMessagesAsync(thread.Patient, Newest)).Value!;
        var forClinician = (await thread.Grain.GetMessagesAsync(thread.Clinician, Newest)).Value!;
        var forPatientLater = (await thread.Grain.GetMessagesAsync(thread.Patient, Newest)).Value!;

        Assert.Equal(MessageStatus.Read, ReceiptRules.StatusOf(1, forPatient.StaffReceipts));
        Assert.Equal(MessageStatus.Sent, ReceiptRules.StatusOf(2, forPatient.StaffReceipts));
        Assert.Equal(MessageStatus.Delivered, ReceiptRules.StatusOf(2, forPatientLater.StaffReceipts));
        Assert.Empty(forPatient.ReadReceipts);
        var receipt = Assert.Single(forClinician.ReadReceipts);
        Assert.Equal((1L, frontDesk.UserId, frontDesk.DisplayName), (receipt.Seq, receipt.ReaderId, receipt.ReaderName));
    }

    [Fact]
    public async Task ReadReceiptsCarryTheTimeOfTheReadThatCoveredEachMessage()
    {
        var scenario = await Scenario.CreateAsync(fixture.Grains);
        var thread = await scenario.ThreadAsync();
        await thread.SayAsync(thread.Clinician, "One");
        await thread.SayAsync(thread.Clinician, "Two");
        await thread.Grain.AcknowledgeAsync(thread.Patient, new ReceiptAck(null, 1));
        var firstRead = fixture.Clock.GetUtcNow();
        fixture.Clock.Advance(TimeSpan.FromMinutes(7));
        await thread.Grain.AcknowledgeAsync(thread.Patient, new ReceiptAck(null, 2));

        var page = (await thread.Grain.GetMessagesAsync(thread.Clinician, Newest)).Value!;

        Assert.Equal(
            [(1L, firstRead.ToUnixTimeMilliseconds()), (2L, firstRead.AddMinutes(7).ToUnixTimeMilliseconds())],
            page.ReadReceipts.Select(r => (r.Seq, r.ReadAt.ToUnixTimeMilliseconds())));
    }

    [Fact]
    public async Task AnOlderPageTakesEachReadTimeFromTheFirstReadThatCoveredItEvenAfterThePage()
    {
        var scenario = await Scenario.CreateAsync(fixture.Grains);
        var thread = await scenario.ThreadAsync();
        var frontDesk = scenario.Staff(StaffRole.FrontDesk);
        await thread.SayAsync(thread.Patient, "Is my prescription ready?");
        await thread.Grain.AcknowledgeAsync(frontDesk, new ReceiptAck(null, 1));
        var frontDeskRead = fixture.Clock.GetUtcNow();
        foreach (var text in new[] { "Yes.", "It is at the front desk.", "Open until six." })
        {
            await thread.SayAsync(thread.Clinician, text);
        }

        fixture.Clock.Advance(TimeSpan.FromHours(2));
        await thread.Grain.AcknowledgeAsync(thread.Patient, new ReceiptAck(null, 4));
        var patientRead = fixture.Clock.GetUtcNow();

        var olderPage = (await thread.Grain.GetMessagesAsync(thread.Clinician, new MessagePageQuery(null, 3, 50))).Value!;

        Assert.Equal([1L, 2L], olderPage.Messages.Select(m => m.Seq));
        Assert.Equal(
            [(1L, frontDesk.UserId, frontDeskRead.ToUnixTimeMilliseconds()), (2L, thread.Patient.UserId, patientRead.ToUnixTimeMilliseconds())],
            olderPage.ReadReceipts.Select(r => (r.Seq, r.ReaderId, r.ReadAt.ToUnixTimeMilliseconds())));
    }

    [Fact]
    public async Task ReceiptsSurviveReactivation()
    {
        var scenario = await Scenario.CreateAsync(fixture.Grains);
        var thread = await scenario.ThreadAsync();
        await thread.SayAsync(thread.Clinician, "Hello");
        await thread.Grain.AcknowledgeAsync(thread.Patient, new ReceiptAck(null, 1));

        await fixture.DeactivateAsync(thread.Grain);
        var page = (await thread.Grain.GetMessagesAsync(thread.Clinician, Newest)).Value!;

        Assert.Equal(new SideReceipts(1, 1), page.PatientReceipts);
    }

    [Fact]
    public async Task AnEmptyOrNegativeAcknowledgementIsRefused()
    {
        var scenario = await Scenario.CreateAsync(fixture.Grains);
        var thread = await scenario.ThreadAsync();

        var empty = await thread.Grain.AcknowledgeAsync(thread.Patient, new ReceiptAck(null, null));
        var negative = await thread.Grain.AcknowledgeAsync(thread.Patient, new ReceiptAck(-1, null));

        Assert.Equal((ChatErrorCode.Validation, ChatErrorCode.Validation), (empty.Error?.Code, negative.Error?.Code));
    }

    [Fact]
    public async Task OnlyTheFirstStaffDeviceToReceiveAPatientMessageIsStored()
    {
        var scenario = await Scenario.CreateAsync(fixture.Grains);
        var thread = await scenario.ThreadAsync();
        await thread.SayAsync(thread.Patient, "Hello clinic");
        var staff = new[] { thread.Clinician, scenario.Staff(StaffRole.FrontDesk), scenario.Staff(StaffRole.Clinician) };

        foreach (var member in staff)
        {
            await thread.Grain.AcknowledgeAsync(member, new ReceiptAck(1, null));
        }

        Assert.Equal(1, await fixture.ScalarAsync(
            "SELECT COUNT(*) FROM receipt_events WHERE conversation_id = @id AND kind = 0", ("@id", thread.Id)));
        Assert.Equal(1, await fixture.ScalarAsync(
            "SELECT COUNT(*) FROM audit_log WHERE conversation_id = @id AND action = @action", ("@id", thread.Id), ("@action", AuditActions.MessageDelivered)));
    }
}
