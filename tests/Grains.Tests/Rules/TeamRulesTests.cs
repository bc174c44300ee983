namespace ClinicChat.Tests.Rules;

public sealed class TeamRulesTests
{
    private static readonly ThreadTeam Franks = new(ThreadStatus.Open, "frank", "Frank Foster");

    [Fact]
    public void AnAssignmentMadeOnAViewThatNoLongerHoldsIsRefusedAndOneWithoutAViewIsNot()
    {
        var sawUnassigned = new Assignment("alice", new ExpectedAssignee(null));

        Assert.Equal(ChatErrorCode.AssignmentChanged, TeamRules.Conflict(Franks, sawUnassigned)?.Code);
        Assert.Null(TeamRules.Conflict(Franks, new Assignment("alice", new ExpectedAssignee("frank"))));
        Assert.Null(TeamRules.Conflict(Franks, new Assignment("alice")));
        Assert.Null(TeamRules.Conflict(ThreadTeam.New, sawUnassigned));
    }

    [Fact]
    public void OnlyARealChangeMakesALine()
    {
        Assert.Null(TeamRules.Assign(Franks, "frank", "Frank Foster"));
        Assert.Null(TeamRules.Assign(ThreadTeam.New, null, null));
        Assert.Null(TeamRules.SetStatus(Franks, ThreadStatus.Open));
        Assert.Equal(new TeamChange(TeamChangeKind.Unassigned, ThreadStatus.Open), TeamRules.Assign(Franks, null, null));
        Assert.Equal(new TeamChange(TeamChangeKind.StatusChanged, ThreadStatus.Closed), TeamRules.SetStatus(Franks, ThreadStatus.Closed));
    }

    [Theory]
    [InlineData(ThreadStatus.Waiting, SenderKind.Patient, true)]
    [InlineData(ThreadStatus.Closed, SenderKind.Patient, true)]
    [InlineData(ThreadStatus.Open, SenderKind.Patient, false)]
    [InlineData(ThreadStatus.Closed, SenderKind.Staff, false)]
    public void APatientsMessageReopensAThreadThatWaitsOnThemOrIsClosed(ThreadStatus status, SenderKind sender, bool reopens)
    {
        var change = TeamRules.ReopenedBy(Franks with { Status = status }, sender);

        Assert.Equal(reopens, change is not null);
        if (change is not null)
        {
            Assert.Equal(Franks, TeamRules.After(Franks with { Status = status }, change));
        }
    }

    [Fact]
    public void TheAuditDetailCarriesIdsAndTheStatusNeverNames()
    {
        Assert.Equal("assignee=frank", TeamRules.AuditDetail(new TeamChange(TeamChangeKind.Assigned, ThreadStatus.Open, "frank", "Frank Foster")));
        Assert.Equal("status=waiting", TeamRules.AuditDetail(new TeamChange(TeamChangeKind.StatusChanged, ThreadStatus.Waiting)));
    }

    private static List<MessageView> Messages(long first, long last) =>
        [.. Enumerable.Range((int)first, (int)(last - first + 1)).Select(seq => new MessageView(Guid.Empty, seq, $"c{seq}", "s", SenderKind.Staff, "S", "t", DateTimeOffset.UnixEpoch))];

    /// <summary>
    /// Pages cover every item between them: the newest page reaches up without end, the oldest down to 0, and the items
    /// after a page's last message belong to it (they sit before the next page's first message).
    /// </summary>
    [Fact]
    public void EachPageCarriesTheItemsThatFollowItsMessagesAndTheEndsReachOut()
    {
        Assert.Equal((0L, (long?)null), StaffItemRange.Of(new MessagePageQuery(null, null, 50), Messages(1, 10), hasMore: false));
        Assert.Equal((51L, (long?)null), StaffItemRange.Of(new MessagePageQuery(null, null, 50), Messages(51, 100), hasMore: true));
        Assert.Equal((0L, (long?)50), StaffItemRange.Of(new MessagePageQuery(null, 51, 50), Messages(1, 50), hasMore: false));
        Assert.Equal((2L, (long?)50), StaffItemRange.Of(new MessagePageQuery(null, 51, 49), Messages(2, 50), hasMore: true));
        Assert.Equal((100L, (long?)null), StaffItemRange.Of(new MessagePageQuery(100, null, 200), [], hasMore: false));
        Assert.Equal((100L, (long?)300), StaffItemRange.Of(new MessagePageQuery(100, null, 200), Messages(101, 300), hasMore: true));
    }
}
