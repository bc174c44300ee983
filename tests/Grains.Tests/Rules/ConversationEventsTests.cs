using ClinicChat.Realtime;

namespace ClinicChat.Tests.Rules;

public sealed class ConversationEventsTests
{
    private static readonly Guid ConversationId = Guid.NewGuid();
    private static readonly Guid ClinicId = Guid.NewGuid();
    private static readonly Guid PatientId = Guid.NewGuid();
    private static readonly string ClinicTopic = Topics.Clinic(ClinicId);
    private static readonly string PatientTopic = Topics.Patient(PatientId);
    private static readonly DateTimeOffset At = new(2026, 1, 5, 9, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset MovedAt = At.AddMinutes(7);

    private readonly List<ChatEvent> _published = [];

    private ThreadTopic _topic = ThreadTopic.None;

    private ConversationEvents Events() => new(ConversationId, ClinicId, PatientId, () => _topic, _published.Add);

    private static ReceiptMove Move(SenderKind side, long delivered, long read, long deliveredAfter, long readAfter, SideReceipts sideBefore)
    {
        var current = new ReceiptCursor("reader", side, "Frank", delivered, read, At);
        var next = current with { DeliveredUpTo = deliveredAfter, ReadUpTo = readAfter, UpdatedAt = MovedAt };
        return new ReceiptMove(current, next, side, sideBefore, IsWorthStoring: true);
    }

    [Fact]
    public void ABillingThreadTellsTheClinicsBillingTopicWhatItTellsStaffAndNothingMore()
    {
        var events = Events();
        var message = new MessageView(ConversationId, 3, "c-3", "patient", SenderKind.Patient, "Pat", "About my invoice", At);
        events.MessageSent(message);
        var before = _published.Select(e => e.Topic).ToList();
        _published.Clear();

        _topic = ThreadTopic.Billing;
        events.MessageSent(message);
        events.Typing(SenderKind.Patient, "pat", "Pat");
        events.Typing(SenderKind.Staff, "bill", "Bill");

        var billing = Topics.ClinicBilling(ClinicId);
        Assert.Equal([ClinicTopic, PatientTopic], before);
        Assert.Equal([ClinicTopic, billing, PatientTopic, ClinicTopic, billing, PatientTopic, ClinicTopic, billing], _published.Select(e => e.Topic));
    }

    [Fact]
    public void AChangeOfTopicReachesTheBillingTopicWhetherTheThreadCameFromBillingOrWentToItAndThePatientOnlyHearsTheThreadChanged()
    {
        var change = new StaffItem(ConversationId, 1, 0, StaffItemKind.Change, "alice", "Alice", At, new TeamChange(TeamChangeKind.TopicChanged, ThreadStatus.Open, Topic: ThreadTopic.Appointments));

        Events().StaffItemAdded(change, ThreadTeam.New with { Topic = ThreadTopic.Appointments });

        Assert.Equal([ClinicTopic, Topics.ClinicBilling(ClinicId), PatientTopic], _published.Select(e => e.Topic));
        // The staff line (who changed it) stays with staff: the patient's devices are told only to read the thread again.
        Assert.Equal(ConversationId, Assert.IsType<ConversationUpdated>(_published[2]).ConversationId);
    }

    [Fact]
    public void AMessageReachesBothSidesAndASensitiveOneReachesThePatientLocked()
    {
        var message = new MessageView(ConversationId, 7, "c-7", "staff-frank", SenderKind.Staff, "Frank", "Your HIV test is negative", At, Sensitive: true);

        Events().MessageSent(message);

        Assert.Equal(2, _published.Count);
        var toClinic = Assert.IsType<MessageAdded>(_published[0]);
        var toPatient = Assert.IsType<MessageAdded>(_published[1]);
        Assert.Equal((ClinicTopic, ConversationId, message), (toClinic.Topic, toClinic.ConversationId, toClinic.Message));
        Assert.Equal(PatientTopic, toPatient.Topic);
        Assert.True(toPatient.Message.Locked);
        Assert.Equal(string.Empty, toPatient.Message.Text);
    }

    /// <summary>The patient hears of the clinic's side without ids; staff hear of the patient and of colleagues, by id.</summary>
    [Fact]
    public void TypingIsToldToThePatientAndToTheClinicsStaffWhoCanLeaveThemselvesOut()
    {
        var events = Events();

        events.Typing(SenderKind.Staff, "frank", "Frank");
        events.Typing(SenderKind.Patient, "pat", "Pat");

        Assert.Equal(
            [
                new TypingStarted(PatientTopic, ConversationId, SenderKind.Staff, "Frank"),
                new TypingStarted(ClinicTopic, ConversationId, SenderKind.Staff, "Frank", "frank"),
                new TypingStarted(ClinicTopic, ConversationId, SenderKind.Patient, "Pat", "pat"),
            ],
            _published);
    }

    [Fact]
    public void AnArchivalTellsBothSidesToFetchTheThreadAgain()
    {
        Events().Archived();

        Assert.Equal([new ConversationUpdated(ClinicTopic, ConversationId), new ConversationUpdated(PatientTopic, ConversationId)], _published);
    }

    [Fact]
    public void WhenTheClinicsSideMovesStaffHearWhoReadAndThePatientHearsOnlyTheSide()
    {
        var after = new SideReceipts(5, 5);

        Events().ReceiptsMoved(Move(SenderKind.Staff, 3, 3, 5, 5, sideBefore: new SideReceipts(3, 3)), after);

        Assert.Equal(
            [
                new ReceiptsUpdated(ClinicTopic, ConversationId, SenderKind.Staff, after, "Frank", "reader", new ReaderMove(new SideReceipts(3, 3), new SideReceipts(5, 5), MovedAt)),
                new ReceiptsUpdated(PatientTopic, ConversationId, SenderKind.Staff, after),
            ],
            _published);
    }

    [Fact]
    public void AStaffReadBehindTheClinicsSideIsToldToStaffOnly()
    {
        var side = new SideReceipts(9, 9);

        Events().ReceiptsMoved(Move(SenderKind.Staff, 2, 2, 4, 4, sideBefore: side), side);

        Assert.Equal(
            [new ReceiptsUpdated(ClinicTopic, ConversationId, SenderKind.Staff, side, "Frank", "reader", new ReaderMove(new SideReceipts(2, 2), new SideReceipts(4, 4), MovedAt))],
            _published);
    }

    [Fact]
    public void ADeliveryThatMovesThePatientsSideNamesTheReaderWithoutAReadMove()
    {
        var after = new SideReceipts(6, 2);

        Events().ReceiptsMoved(Move(SenderKind.Patient, 2, 2, 6, 2, sideBefore: new SideReceipts(2, 2)), after);

        Assert.Equal(
            [
                new ReceiptsUpdated(ClinicTopic, ConversationId, SenderKind.Patient, after, "Frank", "reader", Reader: null),
                new ReceiptsUpdated(PatientTopic, ConversationId, SenderKind.Patient, after),
            ],
            _published);
    }

    [Fact]
    public void APatientsUnlockedReadAloneNamesTheReaderWithTheSensitiveCursorsMove()
    {
        var before = new SideReceipts(5, 5, 3);
        var current = new ReceiptCursor("pat", SenderKind.Patient, "Pat", 5, 5, At, SensitiveReadUpTo: 3);
        var move = new ReceiptMove(current, current with { SensitiveReadUpTo = 5, UpdatedAt = MovedAt }, SenderKind.Patient, before, IsWorthStoring: true);
        var after = before with { SensitiveReadUpTo = 5 };

        Events().ReceiptsMoved(move, after);

        Assert.Equal(
            [
                new ReceiptsUpdated(ClinicTopic, ConversationId, SenderKind.Patient, after, "Pat", "pat", new ReaderMove(before, after, MovedAt)),
                new ReceiptsUpdated(PatientTopic, ConversationId, SenderKind.Patient, after),
            ],
            _published);
    }

    [Fact]
    public void ALineOnlyStaffSeeGoesToTheClinicsTopicAlone()
    {
        var item = new StaffItem(ConversationId, 1, 3, StaffItemKind.Change, "alice", "Alice", At, new TeamChange(TeamChangeKind.StatusChanged, ThreadStatus.Closed));
        var team = new ThreadTeam(ThreadStatus.Closed);

        Events().StaffItemAdded(item, team);

        Assert.Equal([new StaffItemAdded(ClinicTopic, item, team)], _published);
    }
}
