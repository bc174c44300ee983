namespace ClinicChat.Tests.Rules;

public sealed class ReceiptRulesTests
{
    private static ReceiptCursor Cursor(string id, SenderKind kind, long delivered, long read) =>
        new(id, kind, id, delivered, read, DateTimeOffset.UnixEpoch);

    [Fact]
    public void CursorsNeverMoveBackwards()
    {
        Assert.Equal((7L, 5L), ReceiptRules.Advance(7, 5, new ReceiptAck(3, 2), lastSeq: 10));
    }

    [Fact]
    public void CursorsStopAtTheLastStoredMessage()
    {
        Assert.Equal((10L, 10L), ReceiptRules.Advance(0, 0, new ReceiptAck(50, 40), lastSeq: 10));
    }

    [Fact]
    public void ReadingImpliesDelivery()
    {
        Assert.Equal((6L, 6L), ReceiptRules.Advance(2, 0, new ReceiptAck(null, 6), lastSeq: 10));
    }

    [Fact]
    public void DeliveryAloneLeavesReadWhereItWas()
    {
        Assert.Equal((9L, 4L), ReceiptRules.Advance(4, 4, new ReceiptAck(9, null), lastSeq: 10));
    }

    [Fact]
    public void AStatusIsDerivedFromTheRecipientsCursors()
    {
        var patient = new SideReceipts(DeliveredUpTo: 8, ReadUpTo: 5);

        Assert.Equal(MessageStatus.Read, ReceiptRules.StatusOf(5, patient));
        Assert.Equal(MessageStatus.Delivered, ReceiptRules.StatusOf(6, patient));
        Assert.Equal(MessageStatus.Sent, ReceiptRules.StatusOf(9, patient));
    }

    [Fact]
    public void AnyStaffMemberReadsForTheClinic()
    {
        var cursors = new[]
        {
            Cursor("alice", SenderKind.Staff, 4, 2),
            Cursor("frank", SenderKind.Staff, 9, 7),
            Cursor("pat", SenderKind.Patient, 12, 12),
        };

        Assert.Equal(new SideReceipts(9, 7), ReceiptRules.SideOf(cursors, SenderKind.Staff));
        Assert.Equal(new SideReceipts(12, 12), ReceiptRules.SideOf(cursors, SenderKind.Patient));
    }

    [Fact]
    public void ASideWithNoReadersHasReceivedNothing()
    {
        Assert.Equal(SideReceipts.None, ReceiptRules.SideOf([], SenderKind.Patient));
        Assert.Equal(MessageStatus.Sent, ReceiptRules.StatusOf(1, SideReceipts.None));
    }

    [Fact]
    public void OnlyMovesThatChangeSomethingForSomeoneAreStored()
    {
        var frank = Cursor("frank", SenderKind.Staff, 3, 3);
        var pat = Cursor("pat", SenderKind.Patient, 3, 3);
        var clinicHasFive = new SideReceipts(5, 4);

        Assert.False(ReceiptRules.IsWorthStoring(SenderKind.Staff, frank, 3, 3, clinicHasFive)); // nothing moved
        Assert.False(ReceiptRules.IsWorthStoring(SenderKind.Staff, frank, 5, 3, clinicHasFive)); // another staff device had it
        Assert.True(ReceiptRules.IsWorthStoring(SenderKind.Staff, frank, 6, 3, clinicHasFive)); // new for the clinic
        Assert.True(ReceiptRules.IsWorthStoring(SenderKind.Staff, frank, 5, 5, clinicHasFive)); // a personal read
        Assert.True(ReceiptRules.IsWorthStoring(SenderKind.Patient, pat, 4, 3, SideReceipts.None)); // the patient's device
    }

    [Fact]
    public void APatientsReadCountsForSensitiveMessagesOnlyInsideTheWindow()
    {
        Assert.Equal(2L, ReceiptRules.AdvanceSensitive(2, new ReceiptAck(null, 6), lastSeq: 10, mayOpen: false));
        Assert.Equal(6L, ReceiptRules.AdvanceSensitive(2, new ReceiptAck(null, 6), lastSeq: 10, mayOpen: true));
        Assert.Equal(10L, ReceiptRules.AdvanceSensitive(2, new ReceiptAck(null, 40), lastSeq: 10, mayOpen: true));
        Assert.Equal(6L, ReceiptRules.AdvanceSensitive(6, new ReceiptAck(9, null), lastSeq: 10, mayOpen: true)); // delivery is no read
    }

    [Fact]
    public void ASensitiveMessageToThePatientIsOpenedLockedUntilReadInsideTheWindow()
    {
        var patient = new SideReceipts(DeliveredUpTo: 9, ReadUpTo: 8, SensitiveReadUpTo: 3);

        Assert.Equal(MessageStatus.OpenedLocked, ReceiptRules.StatusOf(5, lockedToRecipients: true, patient));
        Assert.Equal(MessageStatus.Read, ReceiptRules.StatusOf(3, lockedToRecipients: true, patient));
        Assert.Equal(MessageStatus.Read, ReceiptRules.StatusOf(5, lockedToRecipients: false, patient));
        Assert.Equal(MessageStatus.Delivered, ReceiptRules.StatusOf(9, lockedToRecipients: true, patient));
    }

    [Fact]
    public void OnlyThePatientSideCarriesASensitiveReadAndItsFirstMoveIsStored()
    {
        var pat = new ReceiptCursor("pat", SenderKind.Patient, "pat", 5, 5, DateTimeOffset.UnixEpoch, SensitiveReadUpTo: 2);
        var cursors = new[] { pat, new ReceiptCursor("frank", SenderKind.Staff, "frank", 4, 4, DateTimeOffset.UnixEpoch, SensitiveReadUpTo: 4) };

        Assert.Equal(new SideReceipts(5, 5, 2), ReceiptRules.SideOf(cursors, SenderKind.Patient));
        Assert.Equal(new SideReceipts(4, 4, 0), ReceiptRules.SideOf(cursors, SenderKind.Staff));
        Assert.True(ReceiptRules.IsWorthStoring(SenderKind.Patient, pat, 5, 5, new SideReceipts(5, 5, 2), sensitiveRead: 5));
        Assert.False(ReceiptRules.IsWorthStoring(SenderKind.Patient, pat, 5, 5, new SideReceipts(5, 5, 2), sensitiveRead: 2));
    }

    [Fact]
    public void AnAcknowledgementNamesAtLeastOneCursorAndNoNegativePosition()
    {
        Assert.Equal("deliveredUpToSeq", ReceiptRules.Validate(new ReceiptAck(-1, 3))?.Field);
        Assert.Equal("readUpToSeq", ReceiptRules.Validate(new ReceiptAck(3, -1))?.Field);
        Assert.Equal("readUpToSeq", ReceiptRules.Validate(new ReceiptAck(null, null))?.Field);
        Assert.Null(ReceiptRules.Validate(new ReceiptAck(0, null)));
        Assert.Null(ReceiptRules.Validate(new ReceiptAck(null, 4)));
    }
}
