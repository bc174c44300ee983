using ClinicChat.Inbox;

namespace ClinicChat.Tests;

/// <summary>
/// Archival after twelve months of silence, driven by the fake product clock and reminder ticks delivered
/// through the grain's real interface. The clock is shared by the collection, so these tests only ever move
/// it forward and reason relative to its current value.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class ArchivalTests(ClusterFixture fixture)
{
    [Fact]
    public async Task AStartedThreadHasItsArchivalReminderRegisteredOnce()
    {
        var scenario = await Scenario.CreateAsync(fixture.Grains);
        var thread = await scenario.ThreadAsync();
        var etagAfterStart = await fixture.ArchivalReminderEtagAsync(thread.Grain);

        for (var i = 1; i <= 5; i++)
        {
            await thread.SayAsync(i % 2 == 0 ? thread.Patient : thread.Clinician, $"Message {i}");
        }

        Assert.NotNull(etagAfterStart);
        Assert.Equal(etagAfterStart, await fixture.ArchivalReminderEtagAsync(thread.Grain));
    }

    [Fact]
    public async Task ATickBeforeTwelveMonthsOfSilenceDoesNotArchiveButOneAtTwelveMonthsDoes()
    {
        var scenario = await Scenario.CreateAsync(fixture.Grains);
        var thread = await scenario.ThreadAsync();
        var last = await thread.SayAsync(thread.Patient, "See you next year");
        var archivesAt = ArchivalPolicy.ArchivesAt(last.SentAt);

        fixture.AdvanceClockTo(archivesAt.AddMinutes(-1));
        await fixture.TickArchivalReminderAsync(thread.Grain);
        var early = await thread.Grain.GetAsync(thread.Clinician);
        var reminderAfterEarlyTick = await fixture.ArchivalReminderEtagAsync(thread.Grain);
        fixture.AdvanceClockTo(archivesAt);
        await fixture.TickArchivalReminderAsync(thread.Grain);
        var due = await thread.Grain.GetAsync(thread.Clinician);

        Assert.False(early.Value!.Archived);
        Assert.NotNull(reminderAfterEarlyTick);
        Assert.True(due.Value!.Archived);
    }

    [Fact]
    public async Task ASilentThreadIsArchivedAndANewMessageReopensIt()
    {
        var scenario = await Scenario.CreateAsync(fixture.Grains);
        var thread = await scenario.ThreadAsync("Ada Archive");
        var last = await thread.SayAsync(thread.Clinician, "Take care");
        var inbox = fixture.Grains.GetGrain<IStaffInboxGrain>(thread.Clinician.UserId);

        fixture.AdvanceClockTo(last.SentAt.AddMonths(13));
        await fixture.TickArchivalReminderAsync(thread.Grain);
        var archived = await thread.Grain.GetAsync(thread.Clinician);
        var archivedList = await ListAsync(inbox, thread.Clinician, archived: true);
        var activeList = await ListAsync(inbox, thread.Clinician, archived: false);
        var reminderWhileArchived = await fixture.ArchivalReminderEtagAsync(thread.Grain);

        var reopening = await thread.SayAsync(thread.Patient, "I'm back");
        var reopened = await thread.Grain.GetAsync(thread.Clinician);
        var activeAfterReopen = await ListAsync(inbox, thread.Clinician, archived: false);
        var archivedAfterReopen = await ListAsync(inbox, thread.Clinician, archived: true);

        Assert.True(archived.Value!.Archived);
        Assert.Contains(thread.Id, archivedList);
        Assert.DoesNotContain(thread.Id, activeList);
        Assert.Null(reminderWhileArchived);
        Assert.Equal(2, reopening.Seq);
        Assert.False(reopened.Value!.Archived);
        Assert.Contains(thread.Id, activeAfterReopen);
        Assert.DoesNotContain(thread.Id, archivedAfterReopen);
        Assert.NotNull(await fixture.ArchivalReminderEtagAsync(thread.Grain));
        Assert.Equal(1, await fixture.AuditCountAsync(thread.Id, AuditActions.ConversationArchived));
        Assert.Equal(1, await fixture.AuditCountAsync(thread.Id, AuditActions.ConversationReopened));
    }

    [Fact]
    public async Task ThePatientFindsAnArchivedThreadUnderArchived()
    {
        var scenario = await Scenario.CreateAsync(fixture.Grains);
        var thread = await scenario.ThreadAsync();
        await thread.SayAsync(thread.Clinician, "Your retainer is ready");
        var inbox = fixture.Grains.GetGrain<IPatientInboxGrain>(thread.PatientId);

        fixture.AdvanceClockTo(fixture.Clock.GetUtcNow().AddMonths(13));
        await fixture.TickArchivalReminderAsync(thread.Grain);
        var active = await inbox.ListThreadsAsync(thread.Patient, archived: false);
        var archived = await inbox.ListThreadsAsync(thread.Patient, archived: true);

        Assert.Empty(active.Value!.Threads);
        Assert.Equal([thread.Id], archived.Value!.Threads.Select(t => t.ConversationId));
    }

    [Fact]
    public async Task ThePatientsWholeInboxKeepsAnArchivedThreadMarkedArchivedAndTheirMessageReopensIt()
    {
        var scenario = await Scenario.CreateAsync(fixture.Grains);
        var thread = await scenario.ThreadAsync();
        var last = await thread.SayAsync(thread.Clinician, "See you in a year");
        var inbox = fixture.Grains.GetGrain<IPatientInboxGrain>(thread.PatientId);

        fixture.AdvanceClockTo(last.SentAt.AddMonths(13));
        await fixture.TickArchivalReminderAsync(thread.Grain);
        var whileArchived = await inbox.ListThreadsAsync(thread.Patient, archived: null);
        var reply = await thread.Grain.SendAsync(thread.Patient, new SendMessage("c-" + Guid.NewGuid().ToString("N"), "Back again"));
        var afterReply = await inbox.ListThreadsAsync(thread.Patient, archived: null);

        var archived = Assert.Single(whileArchived.Value!.Threads);
        Assert.Equal((thread.Id, true, "See you in a year"), (archived.ConversationId, archived.Archived, archived.LastMessagePreview));
        Assert.Equal(2, reply.Value!.Message.Seq);
        var reopened = Assert.Single(afterReply.Value!.Threads);
        Assert.Equal((thread.Id, false), (reopened.ConversationId, reopened.Archived));
    }

    [Fact]
    public async Task ArchivalSurvivesReactivation()
    {
        var scenario = await Scenario.CreateAsync(fixture.Grains);
        var thread = await scenario.ThreadAsync();
        var last = await thread.SayAsync(thread.Clinician, "Bye");

        fixture.AdvanceClockTo(last.SentAt.AddMonths(13));
        await fixture.TickArchivalReminderAsync(thread.Grain);
        await fixture.DeactivateAsync(thread.Grain);
        var info = await thread.Grain.GetAsync(thread.Patient);

        Assert.True(info.Value!.Archived);
        Assert.Equal(1, info.Value.LastSeq);
    }

    [Fact]
    public async Task AnArchivedThreadStaysArchivedWhileNobodyWrites()
    {
        var scenario = await Scenario.CreateAsync(fixture.Grains);
        var thread = await scenario.ThreadAsync();

        fixture.AdvanceClockTo(fixture.Clock.GetUtcNow().AddMonths(13));
        await fixture.TickArchivalReminderAsync(thread.Grain);
        await fixture.TickArchivalReminderAsync(thread.Grain);
        var page = await thread.Grain.GetMessagesAsync(thread.Clinician, new MessagePageQuery(null, null, 10));

        Assert.True((await thread.Grain.GetAsync(thread.Clinician)).Value!.Archived);
        Assert.Empty(page.Value!.Messages);
        Assert.Equal(1, await fixture.AuditCountAsync(thread.Id, AuditActions.ConversationArchived));
    }

    private static async Task<IReadOnlyList<Guid>> ListAsync(IStaffInboxGrain inbox, Actor staff, bool archived)
    {
        var page = await inbox.ListThreadsAsync(staff, new ThreadQuery(archived ? ThreadList.Archived : ThreadList.Inbox, null, 100, null));
        return [.. page.Value!.Threads.Select(t => t.ConversationId)];
    }
}
