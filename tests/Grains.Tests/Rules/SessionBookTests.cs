using ClinicChat.Sessions;

namespace ClinicChat.Tests.Rules;

public sealed class SessionBookTests
{
    private static readonly DateTimeOffset SignIn = new(2026, 5, 4, 8, 0, 0, TimeSpan.Zero);
    private static readonly SessionPolicy Staff = new(TimeSpan.FromMinutes(30), TimeSpan.FromHours(12));

    private static (SessionBook Book, List<SessionRecord> Stored) NewBook()
    {
        var stored = new List<SessionRecord>();
        return (new SessionBook(stored), stored);
    }

    [Fact]
    public void ASessionLivesWhileUsedWithinTheIdleTimeoutAndDiesAtIt()
    {
        var (book, _) = NewBook();
        book.Start("a", Staff, SignIn);

        Assert.Equal(SessionStanding.Current, book.Touch("a", SignIn.AddMinutes(29)));
        Assert.Equal(SessionStanding.Current, book.Touch("a", SignIn.AddMinutes(58)));
        Assert.Equal(SessionStanding.Ended, book.Touch("a", SignIn.AddMinutes(88)));
    }

    [Fact]
    public void RotationKeepsTheOriginalSignInTimeAndRetiresTheOldIdForRequestsAfterItsGraceButNotForItsConnections()
    {
        var (book, _) = NewBook();
        // Idle longer than absolute: only the absolute lifetime can end these.
        book.Start("a", new SessionPolicy(TimeSpan.FromHours(24), TimeSpan.FromHours(12)), SignIn);

        var ended = book.Rotate("a", "b", endOthers: false, SignIn.AddHours(6));

        Assert.Equal([], ended);
        Assert.Equal(SessionStanding.Rotated, book.Touch("a", SignIn.AddHours(6) + SessionBook.RotationGrace - TimeSpan.FromSeconds(1)));
        Assert.Equal(SessionStanding.Ended, book.Touch("a", SignIn.AddHours(6) + SessionBook.RotationGrace));
        Assert.True(book.IsAliveForConnection("a", SignIn.AddHours(6)));
        Assert.Equal(SessionStanding.Current, book.Touch("b", SignIn.AddHours(6.4)));
        Assert.Equal(SessionStanding.Ended, book.Touch("b", SignIn.AddHours(12)));
        Assert.False(book.IsAliveForConnection("a", SignIn.AddHours(12)));
    }

    [Fact]
    public void RotatingWithEndOthersEndsOtherDevicesButKeepsThisBrowsersEarlierIds()
    {
        var (book, _) = NewBook();
        book.Start("laptop", Staff, SignIn);
        book.Start("phone", Staff, SignIn);
        book.Rotate("laptop", "laptop-2", endOthers: false, SignIn.AddMinutes(1));

        var ended = book.Rotate("laptop-2", "laptop-3", endOthers: true, SignIn.AddMinutes(1).AddSeconds(5));

        Assert.Equal(["phone"], ended);
        // Within what would have been their grace: a password change leaves none.
        Assert.Equal((SessionStanding.Ended, SessionStanding.Ended), (book.Touch("laptop", SignIn.AddMinutes(1).AddSeconds(6)), book.Touch("laptop-2", SignIn.AddMinutes(1).AddSeconds(6))));
        Assert.True(book.IsAliveForConnection("laptop", SignIn.AddMinutes(3)));
        Assert.Equal(SessionStanding.Ended, book.Touch("phone", SignIn.AddMinutes(3)));
    }

    [Fact]
    public void ARotatedIdInItsGraceDoesNotExtendItsSuccessorAndEndsWithEverything()
    {
        var (book, _) = NewBook();
        book.Start("a", Staff, SignIn);
        book.Rotate("a", "b", endOthers: false, SignIn.AddMinutes(29));

        Assert.Equal(SessionStanding.Rotated, book.Touch("a", SignIn.AddMinutes(29).AddSeconds(10)));
        // b was last used at rotation: idle 30 minutes from then, the old id's requests do not count.
        Assert.Equal(SessionStanding.Ended, book.Touch("b", SignIn.AddMinutes(59).AddSeconds(1)));

        book.Start("c", Staff, SignIn);
        book.Rotate("c", "d", endOthers: false, SignIn.AddMinutes(1));
        book.EndAll();
        Assert.Equal(SessionStanding.Ended, book.Standing("c", SignIn.AddMinutes(1).AddSeconds(1)));
    }

    [Fact]
    public void ADeadSessionCannotBeRotated()
    {
        var (book, _) = NewBook();
        book.Start("a", Staff, SignIn);

        Assert.Null(book.Rotate("a", "b", endOthers: false, SignIn.AddMinutes(31)));
        Assert.Null(book.Rotate("unknown", "c", endOthers: false, SignIn));
    }

    [Fact]
    public void EndAllEndsEverySessionIncludingRotatedOnes()
    {
        var (book, stored) = NewBook();
        book.Start("a", Staff, SignIn);
        book.Rotate("a", "b", endOthers: false, SignIn);
        book.Start("c", Staff, SignIn);

        var ended = book.EndAll();

        Assert.Equal(["a", "b", "c"], ended.Order());
        Assert.Empty(stored);
    }

    [Fact]
    public void TheStoredListStaysBoundedDeadSessionsAreForgottenAndTheLeastRecentlyUsedEnd()
    {
        var (book, stored) = NewBook();
        book.Start("expired", Staff, SignIn);
        var later = SignIn.AddHours(1);
        var ended = new List<string>();
        for (var i = 0; i <= SessionBook.MaxSessions; i++)
        {
            ended.AddRange(book.Start($"s{i}", Staff, later.AddSeconds(i)));
        }

        Assert.Equal(["s0"], ended);
        Assert.Equal(SessionBook.MaxSessions, stored.Count);
        Assert.DoesNotContain(stored, s => s.Id == "expired");
    }
}
