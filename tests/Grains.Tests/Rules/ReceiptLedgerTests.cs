namespace ClinicChat.Tests.Rules;

public sealed class ReceiptLedgerTests
{
    private static readonly DateTimeOffset Created = new(2026, 1, 5, 9, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset Now = Created.AddHours(2);
    private static readonly Guid PatientId = Guid.NewGuid();

    private static readonly Actor Patient = new("user-pat", ActorKind.Patient, "Pat", PatientId, []);
    private static readonly Actor VerifiedPatient = Patient with { SensitiveUnlockedUntil = Now.AddMinutes(5) };
    private static readonly Actor Frank = new("staff-frank", ActorKind.Staff, "Frank", null, [new ClinicMembership(Guid.NewGuid(), StaffRole.Clinician)]);
    private static readonly Actor Alice = new("staff-alice", ActorKind.Staff, "Alice", null, [new ClinicMembership(Guid.NewGuid(), StaffRole.FrontDesk)]);

    private static MessageView Message(long seq, SenderKind sender, bool sensitive = false) =>
        new(Guid.Empty, seq, "c-" + seq, sender == SenderKind.Staff ? Frank.UserId : Patient.UserId, sender, "x", "text", Created, Sensitive: sensitive);

    [Fact]
    public void AProposedMoveChangesNothingUntilItIsRecorded()
    {
        var ledger = new ReceiptLedger();

        var move = ledger.Propose(Patient, new ReceiptAck(null, 4), lastSeq: 6, Created, Now);

        Assert.True(move.IsWorthStoring);
        Assert.Equal(SideReceipts.None, ledger.SideOf(SenderKind.Patient));
        Assert.Equal(new SideReceipts(4, 4), ledger.Record(move));
        Assert.Equal(new SideReceipts(4, 4), ledger.SideOf(SenderKind.Patient));
    }

    [Fact]
    public void AFirstReadStartsTheReadersCursorAtTheThreadsCreationAndStampsItNow()
    {
        var move = new ReceiptLedger().Propose(Frank, new ReceiptAck(3, 2), lastSeq: 6, Created, Now);

        Assert.Equal(new ReceiptCursor(Frank.UserId, SenderKind.Staff, "Frank", 0, 0, Created), move.Current);
        Assert.Equal(new ReceiptCursor(Frank.UserId, SenderKind.Staff, "Frank", 3, 2, Now), move.Next);
        Assert.Equal(SenderKind.Staff, move.Side);
    }

    [Fact]
    public void AStaffDeviceConfirmingADeliveryTheClinicAlreadyHasIsNotStored()
    {
        var ledger = new ReceiptLedger();
        ledger.Record(ledger.Propose(Frank, new ReceiptAck(5, null), lastSeq: 5, Created, Now));

        var move = ledger.Propose(Alice, new ReceiptAck(5, null), lastSeq: 5, Created, Now);

        Assert.False(move.IsWorthStoring);
        Assert.Same(move.Current, move.Next);
    }

    [Fact]
    public void AReadIsAuditedAsAReadAndADeliveryAloneAsADelivery()
    {
        var ledger = new ReceiptLedger();

        var delivered = ledger.Propose(Frank, new ReceiptAck(4, null), lastSeq: 6, Created, Now);
        var read = ledger.Propose(Frank, new ReceiptAck(null, 3), lastSeq: 6, Created, Now);

        Assert.Equal((AuditActions.MessageDelivered, "deliveredUpTo=4"), delivered.Audit);
        Assert.Equal((AuditActions.MessageRead, "readUpTo=3;deliveredUpTo=3"), read.Audit);
    }

    [Fact]
    public void APatientReadOutsideTheVerificationWindowLeavesSensitiveMessagesOpenedOnlyLocked()
    {
        var ledger = new ReceiptLedger();

        var locked = ledger.Propose(Patient, new ReceiptAck(null, 4), lastSeq: 4, Created, Now);
        var unlocked = ledger.Propose(VerifiedPatient, new ReceiptAck(null, 4), lastSeq: 4, Created, Now);

        Assert.False(locked.SensitiveMoved);
        Assert.True(unlocked.SensitiveMoved);
        Assert.Equal((AuditActions.MessageRead, "readUpTo=4;deliveredUpTo=4;sensitiveReadUpTo=4"), unlocked.Audit);
    }

    [Fact]
    public void StaffSeeWhenThePatientReadEachMessageButNotTheirOwnSidesReads()
    {
        var ledger = new ReceiptLedger();
        ledger.Record(ledger.Propose(Patient, new ReceiptAck(null, 2), lastSeq: 3, Created, Now));
        ledger.Record(ledger.Propose(Alice, new ReceiptAck(null, 3), lastSeq: 3, Created, Now));
        var page = new[] { Message(1, SenderKind.Staff), Message(2, SenderKind.Staff), Message(3, SenderKind.Staff) };

        var receipts = ledger.ReadReceipts(page, [
            (Patient.UserId, ReceiptKind.Read, 1, Now.AddMinutes(1)),
            (Patient.UserId, ReceiptKind.Read, 2, Now.AddMinutes(2)),
            (Alice.UserId, ReceiptKind.Read, 3, Now.AddMinutes(3)),
        ]);

        Assert.Equal(
            [new ReadReceipt(1, Patient.UserId, "Pat", SenderKind.Patient, Now.AddMinutes(1)), new ReadReceipt(2, Patient.UserId, "Pat", SenderKind.Patient, Now.AddMinutes(2))],
            receipts);
    }

    [Fact]
    public void ASensitiveMessageReadLockedIsListedLockedUntilThePatientReadsItUnlocked()
    {
        var ledger = new ReceiptLedger();
        ledger.Record(ledger.Propose(VerifiedPatient, new ReceiptAck(null, 2), lastSeq: 2, Created, Now));
        var page = new[] { Message(1, SenderKind.Staff, sensitive: true), Message(2, SenderKind.Staff, sensitive: true) };

        var receipts = ledger.ReadReceipts(page, [
            (Patient.UserId, ReceiptKind.Read, 2, Now.AddMinutes(1)),
            (Patient.UserId, ReceiptKind.SensitiveRead, 1, Now.AddMinutes(4)),
        ]);

        Assert.Equal(
            [
                new ReadReceipt(1, Patient.UserId, "Pat", SenderKind.Patient, Now.AddMinutes(4)),
                new ReadReceipt(2, Patient.UserId, "Pat", SenderKind.Patient, Now.AddMinutes(1), Locked: true),
            ],
            receipts);
    }
}
