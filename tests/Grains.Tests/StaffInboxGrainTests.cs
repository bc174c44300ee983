using ClinicChat.Inbox;

namespace ClinicChat.Tests;

[Collection(ClusterCollection.Name)]
public sealed class StaffInboxGrainTests(ClusterFixture fixture)
{
    [Fact]
    public async Task PinnedThreadsComeFirstThenTheMostRecentlyActive()
    {
        var scenario = await Scenario.CreateAsync(fixture.Grains);
        var oldest = await NextThreadAsync(scenario, "Alice Oldest");
        var middle = await NextThreadAsync(scenario, "Bob Middle");
        var newest = await NextThreadAsync(scenario, "Cara Newest");
        var reader = scenario.Staff(StaffRole.FrontDesk);
        var inbox = InboxOf(reader);

        var pinned = await inbox.SetPinnedAsync(reader, oldest.Id, pinned: true);
        var withPin = await ListAsync(reader);
        fixture.Clock.Advance(TimeSpan.FromMinutes(1));
        await middle.SayAsync(middle.Patient, "A question");
        var afterActivity = await ListAsync(reader);
        await inbox.SetPinnedAsync(reader, oldest.Id, pinned: false);
        var afterUnpin = await ListAsync(reader);

        Assert.True(pinned.Value);
        Assert.Equal([oldest.Id, newest.Id, middle.Id], withPin.Select(t => t.ConversationId));
        Assert.Equal([true, false, false], withPin.Select(t => t.Pinned));
        Assert.Equal([oldest.Id, middle.Id, newest.Id], afterActivity.Select(t => t.ConversationId));
        Assert.Equal([middle.Id, newest.Id, oldest.Id], afterUnpin.Select(t => t.ConversationId));
    }

    [Fact]
    public async Task PinsArePersonalToEachStaffMember()
    {
        var scenario = await Scenario.CreateAsync(fixture.Grains);
        var older = await NextThreadAsync(scenario, "Alice Older");
        var newer = await NextThreadAsync(scenario, "Bob Newer");
        var pinner = scenario.Staff(StaffRole.Clinician);
        var colleague = scenario.Staff(StaffRole.Clinician);

        await InboxOf(pinner).SetPinnedAsync(pinner, older.Id, pinned: true);
        var colleagueList = await ListAsync(colleague);

        Assert.Equal([newer.Id, older.Id], colleagueList.Select(t => t.ConversationId));
        Assert.All(colleagueList, t => Assert.False(t.Pinned));
    }

    [Fact]
    public async Task PinsSurviveTheInboxBeingDeactivated()
    {
        var scenario = await Scenario.CreateAsync(fixture.Grains);
        var older = await NextThreadAsync(scenario, "Alice Older");
        var newer = await NextThreadAsync(scenario, "Bob Newer");
        var reader = scenario.Staff(StaffRole.Clinician);
        await InboxOf(reader).SetPinnedAsync(reader, older.Id, pinned: true);

        await fixture.DeactivateAsync(InboxOf(reader));
        var list = await ListAsync(reader);

        Assert.Equal([older.Id, newer.Id], list.Select(t => t.ConversationId));
        Assert.True(list[0].Pinned);
    }

    [Fact]
    public async Task PinningAThreadOfAnotherClinicIsNotFound()
    {
        var scenario = await Scenario.CreateAsync(fixture.Grains);
        var elsewhere = await Scenario.CreateAsync(fixture.Grains);
        var foreignThread = await elsewhere.ThreadAsync();
        var reader = scenario.Staff(StaffRole.Clinician);

        var foreign = await InboxOf(reader).SetPinnedAsync(reader, foreignThread.Id, pinned: true);
        var unknown = await InboxOf(reader).SetMutedAsync(reader, Guid.NewGuid(), muted: true);
        var list = await ListAsync(reader);

        Assert.Equal(ChatErrorCode.NotFound, foreign.Error?.Code);
        Assert.Equal(ChatErrorCode.NotFound, unknown.Error?.Code);
        Assert.Empty(list);
    }

    [Fact]
    public async Task AnAdminWhoDoesNotChatCannotListThreads()
    {
        var scenario = await Scenario.CreateAsync(fixture.Grains);
        var thread = await scenario.ThreadAsync();
        var staff = scenario.Staff(StaffRole.Admin);

        var list = await InboxOf(staff).ListThreadsAsync(staff, Query());
        var pin = await InboxOf(staff).SetPinnedAsync(staff, thread.Id, pinned: true);

        Assert.Equal(ChatErrorCode.Forbidden, list.Error?.Code);
        Assert.Equal(ChatErrorCode.NotFound, pin.Error?.Code);
    }

    /// <summary>Billing staff list only their clinic's billing threads (see TopicTests); any other thread is unknown to them.</summary>
    [Fact]
    public async Task BillingStaffListNoThreadThatIsNotAboutBilling()
    {
        var scenario = await Scenario.CreateAsync(fixture.Grains);
        var thread = await scenario.ThreadAsync();
        var staff = scenario.Staff(StaffRole.Billing);

        var list = await ListAsync(staff);
        var pin = await InboxOf(staff).SetPinnedAsync(staff, thread.Id, pinned: true);

        Assert.Empty(list);
        Assert.Equal(ChatErrorCode.NotFound, pin.Error?.Code);
    }

    [Fact]
    public async Task NobodyCanOpenAnotherStaffMembersInbox()
    {
        var scenario = await Scenario.CreateAsync(fixture.Grains);
        await scenario.ThreadAsync();
        var owner = scenario.Staff(StaffRole.Clinician);
        var colleague = scenario.Staff(StaffRole.Clinician);

        var list = await InboxOf(owner).ListThreadsAsync(colleague, Query());
        var pin = await InboxOf(owner).SetPinnedAsync(colleague, Guid.NewGuid(), pinned: true);

        Assert.Equal(ChatErrorCode.NotFound, list.Error?.Code);
        Assert.Equal(ChatErrorCode.NotFound, pin.Error?.Code);
    }

    [Fact]
    public async Task OnlyThreadsOfClinicsWhereTheStaffMemberChatsAreListed()
    {
        var scenario = await Scenario.CreateAsync(fixture.Grains);
        var elsewhere = await Scenario.CreateAsync(fixture.Grains);
        var ours = await scenario.ThreadAsync();
        await elsewhere.ThreadAsync();
        // Clinician here, but only billing at the other clinic.
        var staff = StaffAt("Two Hats", new ClinicMembership(scenario.ClinicId, StaffRole.Clinician), new ClinicMembership(elsewhere.ClinicId, StaffRole.Billing));

        var list = await ListAsync(staff);

        Assert.Equal([ours.Id], list.Select(t => t.ConversationId));
    }

    [Fact]
    public async Task UnreadCountsThePatientsMessagesAfterTheReadersCursor()
    {
        var scenario = await Scenario.CreateAsync(fixture.Grains);
        var thread = await scenario.ThreadAsync("Una Unread");
        await thread.SayAsync(thread.Clinician, "How are you feeling?");
        for (var i = 1; i <= 3; i++)
        {
            await thread.SayAsync(thread.Patient, $"Symptom {i}");
        }

        var reader = scenario.Staff(StaffRole.Clinician);
        var colleague = scenario.Staff(StaffRole.FrontDesk);

        var before = (await ListAsync(reader)).Single();
        await thread.Grain.AcknowledgeAsync(reader, new ReceiptAck(null, 3));
        var partlyRead = (await ListAsync(reader)).Single();
        await thread.Grain.AcknowledgeAsync(reader, new ReceiptAck(null, 4));
        var allRead = (await ListAsync(reader)).Single();
        var colleagues = (await ListAsync(colleague)).Single();

        Assert.Equal(3, before.UnreadCount);
        Assert.Equal("Symptom 3", before.LastMessagePreview);
        Assert.Equal(SenderKind.Patient, before.LastSenderKind);
        Assert.Equal(1, partlyRead.UnreadCount);
        Assert.Equal(0, allRead.UnreadCount);
        Assert.Equal(3, colleagues.UnreadCount);
    }

    [Fact]
    public async Task ASensitiveMessageIsPreviewedAsSensitiveInTheStaffListToo()
    {
        var scenario = await Scenario.CreateAsync(fixture.Grains);
        var thread = await NextThreadAsync(scenario, "Dana Sensitive");
        await thread.Grain.SendAsync(thread.Clinician, new SendMessage(Guid.NewGuid().ToString("N"), "Your HIV test is negative", Sensitive: true));

        var listed = (await ListAsync(scenario.Staff(StaffRole.FrontDesk))).Single();

        Assert.Equal(SensitiveRules.PreviewText, listed.LastMessagePreview);
    }

    [Fact]
    public async Task SearchMatchesPatientNamePrefixesRegardlessOfDiacriticsAndCase()
    {
        var scenario = await Scenario.CreateAsync(fixture.Grains);
        var zoe = await NextThreadAsync(scenario, "Zoë Müller-Núñez");
        var zachary = await NextThreadAsync(scenario, "Zachary Miller");
        var anna = await NextThreadAsync(scenario, "Anna Nunez");
        var reader = scenario.Staff(StaffRole.Clinician);

        Assert.Equal([zoe.Id], await SearchAsync(reader, "mül"));
        Assert.Equal([zoe.Id], await SearchAsync(reader, "MULLER"));
        Assert.Equal([anna.Id, zoe.Id], await SearchAsync(reader, "núñ"));
        Assert.Equal([zoe.Id], await SearchAsync(reader, "zo nu"));
        Assert.Equal([zachary.Id, zoe.Id], await SearchAsync(reader, "z"));
        Assert.Empty(await SearchAsync(reader, "ller"));
    }

    [Fact]
    public async Task SearchAlsoFiltersPinnedThreads()
    {
        var scenario = await Scenario.CreateAsync(fixture.Grains);
        var pinned = await NextThreadAsync(scenario, "Pia Pinned");
        var other = await NextThreadAsync(scenario, "Otto Other");
        var reader = scenario.Staff(StaffRole.Clinician);
        await InboxOf(reader).SetPinnedAsync(reader, pinned.Id, pinned: true);

        Assert.Equal([other.Id], await SearchAsync(reader, "otto"));
        Assert.Equal([pinned.Id], await SearchAsync(reader, "pia"));
    }

    [Fact]
    public async Task SearchTextLongerThanTheLimitIsRejected()
    {
        var scenario = await Scenario.CreateAsync(fixture.Grains);
        var reader = scenario.Staff(StaffRole.Clinician);

        var list = await InboxOf(reader).ListThreadsAsync(reader, Query() with { Search = new string('a', 101) });

        Assert.Equal(ChatErrorCode.Validation, list.Error?.Code);
    }

    [Fact]
    public async Task PagingWithTheCursorReturnsEveryThreadExactlyOnce()
    {
        var scenario = await Scenario.CreateAsync(fixture.Grains);
        var threads = new List<ChatThread>();
        for (var i = 1; i <= 5; i++)
        {
            threads.Add(await NextThreadAsync(scenario, $"Patient Number{i}"));
        }

        var reader = scenario.Staff(StaffRole.Clinician);
        var pinned = threads[2];
        await InboxOf(reader).SetPinnedAsync(reader, pinned.Id, pinned: true);

        var pages = await AllPagesAsync(reader, limit: 2);

        var listed = pages.SelectMany(p => p.Threads.Select(t => t.ConversationId)).ToList();
        Guid[] byRecency = [threads[4].Id, threads[3].Id, threads[1].Id, threads[0].Id];
        Assert.Equal([pinned.Id, .. byRecency], listed);
        Assert.Equal([3, 2], pages.Select(p => p.Threads.Count));
    }

    [Fact]
    public async Task ThreadsActiveAtTheSameMomentArePagedWithoutGapsOrRepeats()
    {
        var scenario = await Scenario.CreateAsync(fixture.Grains);
        var ids = new HashSet<Guid>();
        for (var i = 1; i <= 7; i++)
        {
            // The product clock does not move here: every thread has the same last activity.
            ids.Add((await scenario.ThreadAsync($"Same Moment{i}")).Id);
        }

        var reader = scenario.Staff(StaffRole.Clinician);
        var pages = await AllPagesAsync(reader, limit: 3);
        var listed = pages.SelectMany(p => p.Threads.Select(t => t.ConversationId)).ToList();

        Assert.Equal(7, listed.Count);
        Assert.True(ids.SetEquals(listed));
        Assert.Equal(3, pages.Count);
    }

    [Fact]
    public async Task AStaffMemberOfTwoClinicsPagesThroughBothInOneRecencyOrderWithEachThreadOnce()
    {
        var first = await Scenario.CreateAsync(fixture.Grains);
        var second = await Scenario.CreateAsync(fixture.Grains);
        var threads = new List<ChatThread>();
        for (var i = 1; i <= 6; i++)
        {
            threads.Add(await NextThreadAsync(i % 2 == 0 ? first : second, $"Patient Number{i}"));
        }

        // Chats at both clinics, and is also Billing staff at the first: its threads are listed once, not again as billing's.
        var staff = StaffAt(
            "Two Clinics",
            new ClinicMembership(first.ClinicId, StaffRole.Clinician),
            new ClinicMembership(first.ClinicId, StaffRole.Billing),
            new ClinicMembership(second.ClinicId, StaffRole.FrontDesk));
        var pages = await AllPagesAsync(staff, limit: 2);

        Assert.Equal(threads.Select(t => t.Id).Reverse(), pages.SelectMany(p => p.Threads.Select(t => t.ConversationId)));
        Assert.Equal(3, pages.Count);
    }

    [Fact]
    public async Task ASearchByNameFindsMatchingThreadsAtEveryClinicOfTheReaderAndNoOther()
    {
        var (first, second, third) = (await Scenario.CreateAsync(fixture.Grains), await Scenario.CreateAsync(fixture.Grains), await Scenario.CreateAsync(fixture.Grains));
        var here = await NextThreadAsync(first, "Nadia Quartermain");
        await NextThreadAsync(first, "Other Person");
        var there = await NextThreadAsync(second, "Nadia Quayle");
        var billing = await NextThreadAsync(third, "Nadia Quinn");
        await billing.Grain.SetTopicAsync(billing.Clinician, ThreadTopic.Billing);
        await NextThreadAsync(third, "Nadia Quist");
        // Chats at the first two clinics; only Billing at the third, where only the billing thread is theirs.
        var staff = StaffAt(
            "Three Clinics",
            new ClinicMembership(first.ClinicId, StaffRole.Clinician),
            new ClinicMembership(second.ClinicId, StaffRole.FrontDesk),
            new ClinicMembership(third.ClinicId, StaffRole.Billing));

        Assert.Equal([billing.Id, there.Id, here.Id], await SearchAsync(staff, "nad"));
        Assert.Equal([there.Id, here.Id], await SearchAsync(staff, "qua nad"));
        Assert.Empty(await SearchAsync(staff, "nad zz"));
    }

    [Theory]
    [InlineData(0, null)]
    [InlineData(101, null)]
    [InlineData(10, "garbage")]
    [InlineData(10, "1_2_3")]
    public async Task PageRequestsTheApiNeverIssuedAreRejected(int limit, string? cursor)
    {
        var scenario = await Scenario.CreateAsync(fixture.Grains);
        var reader = scenario.Staff(StaffRole.Clinician);

        var list = await InboxOf(reader).ListThreadsAsync(reader, Query() with { Limit = limit, Cursor = cursor });

        Assert.Equal(ChatErrorCode.Validation, list.Error?.Code);
    }

    private IStaffInboxGrain InboxOf(Actor staff) => fixture.Grains.GetGrain<IStaffInboxGrain>(staff.UserId);

    private static ThreadQuery Query() => new(ThreadList.Inbox, Search: null, Limit: 50, Cursor: null);

    private async Task<IReadOnlyList<ThreadSummary>> ListAsync(Actor staff)
    {
        var page = await InboxOf(staff).ListThreadsAsync(staff, Query());
        return page.Value?.Threads ?? throw new InvalidOperationException($"Listing was refused: {page.Error}");
    }

    /// <summary>Every page of the inbox list, following the cursor (at most ten pages, so a cursor that never ends fails the test).</summary>
    private async Task<List<ThreadPage>> AllPagesAsync(Actor staff, int limit)
    {
        var pages = new List<ThreadPage>();
        string? cursor = null;
        do
        {
            var page = (await InboxOf(staff).ListThreadsAsync(staff, Query() with { Limit = limit, Cursor = cursor })).Value!;
            pages.Add(page);
            cursor = page.NextCursor;
        }
        while (cursor is not null && pages.Count < 10);

        return pages;
    }

    private async Task<IReadOnlyList<Guid>> SearchAsync(Actor staff, string search)
    {
        var page = await InboxOf(staff).ListThreadsAsync(staff, Query() with { Search = search });
        return [.. page.Value!.Threads.Select(t => t.ConversationId)];
    }

    /// <summary>A staff member of several clinics (or with several roles at one).</summary>
    private static Actor StaffAt(string name, params ClinicMembership[] memberships) =>
        new("staff-" + Guid.NewGuid().ToString("N"), ActorKind.Staff, name, null, memberships);

    /// <summary>A new thread one minute after everything before it, so recency order is unambiguous.</summary>
    private async Task<ChatThread> NextThreadAsync(Scenario scenario, string patientName)
    {
        fixture.Clock.Advance(TimeSpan.FromMinutes(1));
        return await scenario.ThreadAsync(patientName);
    }
}
