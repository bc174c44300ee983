using ClinicChat.Records;

namespace ClinicChat.Tests.Rules;

public sealed class ConversationAuditTests
{
    private static readonly Guid ConversationId = Guid.NewGuid();
    private static readonly Guid ClinicId = Guid.NewGuid();
    private static readonly Guid PatientId = Guid.NewGuid();
    private static readonly DateTimeOffset At = new(2026, 12, 3, 9, 0, 0, TimeSpan.Zero);

    private static readonly Actor Frank = new("staff-frank", ActorKind.Staff, "Frank", null, [new ClinicMembership(ClinicId, StaffRole.Clinician)]);
    private static readonly Actor Pat = new("patient-pat", ActorKind.Patient, "Pat", PatientId, []);

    private static readonly ConversationAudit Audit = new(ConversationId, ClinicId, PatientId);

    private static MessageView Message(long seq, bool sensitive = false, params CardRef[] cards) =>
        new(ConversationId, seq, $"c-{seq}", Frank.UserId, SenderKind.Staff, "Frank", "See the attached", At, null, cards.Length > 0 ? cards : null, sensitive);

    private static CardRef Card(int version) => new(Guid.NewGuid(), version, new RecordSnapshot(RecordKind.Appointment));

    [Fact]
    public void EveryRowNamesTheThreadItsClinicAndItsPatientAndTheActor()
    {
        var row = Audit.For(Pat, AuditActions.ConversationStarted);

        Assert.Equal((AuditActions.ConversationStarted, "patient-pat", (Guid?)ClinicId, (Guid?)PatientId, (Guid?)ConversationId, AuditOutcomes.Success),
            (row.Action, row.ActorId, row.ClinicId, row.PatientId, row.ConversationId, row.Outcome));
    }

    [Fact]
    public void ASendIsAuditedWithEachCardItCarriesAndTheReopeningOfAnArchivedThread()
    {
        var appointment = Card(version: 2);
        var invoice = Card(version: 5);

        var rows = Audit.Sent(Frank, Message(12, false, appointment, invoice), reopening: true);

        (string, string?)[] expected =
        [
            (AuditActions.MessageSent, "seq=12"),
            (AuditActions.CardAttached, $"seq=12;record={appointment.RecordId};version=2"),
            (AuditActions.CardAttached, $"seq=12;record={invoice.RecordId};version=5"),
            (AuditActions.ConversationReopened, null),
        ];
        Assert.Equal(expected, rows.Select(r => (r.Action, r.Detail)));
    }

    [Fact]
    public void APlainSendToAnOpenThreadIsOneRow()
    {
        var rows = Audit.Sent(Frank, Message(3), reopening: false);

        var row = Assert.Single(rows);
        Assert.Equal((AuditActions.MessageSent, "seq=3"), (row.Action, row.Detail));
    }

    [Fact]
    public void APatientOpeningSensitiveMessagesIsNamedButLockedOnesAndStaffReadsAreOnlyCounted()
    {
        MessageView[] page = [Message(1), Message(2, sensitive: true), Message(3, sensitive: true) with { Locked = true }, Message(4, sensitive: true)];

        Assert.Equal("count=4;sensitiveOpened=2,4", Audit.Viewed(Pat, page).Detail);
        Assert.Equal("count=4", Audit.Viewed(Frank, page).Detail);
        Assert.Equal(AuditActions.ConversationViewed, Audit.Viewed(Frank, page).Action);
    }

    [Fact]
    public void ArchivalIsDoneByTheSystemNotByAnyone()
    {
        var row = Audit.Archived();

        Assert.Equal((AuditActions.ConversationArchived, "system", (Guid?)ConversationId), (row.Action, row.ActorId, row.ConversationId));
    }
}
