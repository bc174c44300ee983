using ClinicChat.Clinics;
using ClinicChat.Inbox;
using Microsoft.Extensions.Logging.Abstractions;

namespace ClinicChat.Tests.Postgres;

/// <summary>
/// The sidebar's and the patient directory's pages on PostgreSQL: a page over several clinics, with or without a name
/// search, is read per clinic in index order and merged (a statement shape SQLite and PostgreSQL must both accept), and
/// the directory's pages are in name order, also for patients indexed before the name index carried the sort name.
/// </summary>
[Trait("Category", "Slow")] // a throwaway PostgreSQL server
[Collection(PostgresClusterCollection.Name)]
public sealed class ThreadIndexOnPostgresTests(PostgresClusterFixture fixture)
{
    private static readonly DateTimeOffset Start = new(2026, 12, 5, 9, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task AStaffListOverTwoClinicsPagesInOneRecencyOrderAndABillingOnlyClinicAddsOnlyItsBillingThreads()
    {
        var database = await fixture.MigratedDatabaseAsync("threads_");
        await using var writer = new GroupCommitWriter(database, 100, NullLogger<GroupCommitWriter>.Instance);
        Guid[] clinics = [Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid()];
        var threads = new List<Guid>();
        for (var i = 0; i < 9; i++)
        {
            // Alternating clinics, one minute apart: the newest thread is the last one.
            var (clinicId, patientId, threadId) = (clinics[i % 3], Guid.NewGuid(), Guid.NewGuid());
            var at = Start.AddMinutes(i);
            await writer.WriteAsync(PatientStore.UpsertClinic(new ClinicInfo(clinicId, $"Clinic {i % 3}"))
                .Then(PatientStore.Upsert(new PatientRegistration(patientId, $"Patient {i}", null, null, null, true, [clinicId]), at))
                .Then(MessageStore.InsertConversation(new ConversationInfo(threadId, clinicId, patientId, at, at, 0, false))));
            threads.Add(threadId);
        }

        var store = new ThreadIndexStore(database);
        var listed = new List<Guid>();
        ThreadCursor? cursor = null;
        var pages = 0;
        do
        {
            // Chats at the first two clinics; Billing only at the third, none of whose threads is about billing.
            var filter = new ThreadFilter([clinics[0], clinics[1]], null, "staff-1", SenderKind.Patient, false, null, null, null, cursor, 2,
                BillingClinicIds: [clinics[2]]);
            var (page, next) = await store.ListAsync(filter, new HashSet<Guid>(), new HashSet<Guid>());
            listed.AddRange(page.Select(t => t.ConversationId));
            (cursor, pages) = (next, pages + 1);
        }
        while (cursor is not null && pages < 10);

        // A name search reads each scope's own clinic's matching patients: Patient 4 is at the second clinic; Patient 5 is at the
        // third, where the reader sees billing threads only.
        var byName = new ThreadFilter([clinics[0], clinics[1]], null, "staff-1", SenderKind.Patient, false, "pat 4", null, null, null, 10,
            BillingClinicIds: [clinics[2]]);
        var (found, _) = await store.ListAsync(byName, new HashSet<Guid>(), new HashSet<Guid>());
        var (none, _) = await store.ListAsync(byName with { Search = "pat 5" }, new HashSet<Guid>(), new HashSet<Guid>());

        Guid[] expected = [.. threads.Where((_, i) => i % 3 != 2).Reverse()];
        Assert.Equal(expected, listed);
        Assert.Equal(3, pages);
        Assert.Equal([threads[4]], found.Select(t => t.ConversationId));
        Assert.Empty(none);
    }

    [Fact]
    public async Task ThreadsWhoseLastMessageIsThePatientsAreCountedAsNeedingAReplyUntilStaffAnswer()
    {
        var database = await fixture.MigratedDatabaseAsync("needs_reply_");
        await using var writer = new GroupCommitWriter(database, 100, NullLogger<GroupCommitWriter>.Instance);
        var (clinicId, elsewhere) = (Guid.NewGuid(), Guid.NewGuid());
        var threads = new List<(Guid Id, Guid Clinic)>();
        for (var i = 0; i < 4; i++)
        {
            var (clinic, patientId, threadId) = (i < 3 ? clinicId : elsewhere, Guid.NewGuid(), Guid.NewGuid());
            await writer.WriteAsync(PatientStore.UpsertClinic(new ClinicInfo(clinic, "Clinic"))
                .Then(PatientStore.Upsert(new PatientRegistration(patientId, $"Patient {i}", null, null, null, true, [clinic]), Start))
                .Then(MessageStore.InsertConversation(new ConversationInfo(threadId, clinic, patientId, Start, Start, 0, false))));
            threads.Add((threadId, clinic));
        }

        MessageView Message(int thread, long seq, SenderKind kind) =>
            new(threads[thread].Id, seq, $"m-{thread}-{seq}", kind == SenderKind.Patient ? "patient" : "staff-1", kind, "Someone", "Hello", Start.AddMinutes(seq));
        // Two threads here and the one elsewhere end with the patient's message; the third here is answered.
        await writer.WriteAsync(MessageStore.Append(Message(0, 1, SenderKind.Patient)).Then(MessageStore.Append(Message(1, 1, SenderKind.Patient)))
            .Then(MessageStore.Append(Message(2, 1, SenderKind.Patient))).Then(MessageStore.Append(Message(2, 2, SenderKind.Staff)))
            .Then(MessageStore.Append(Message(3, 1, SenderKind.Patient))));
        var store = new ThreadIndexStore(database);
        var before = await store.CountNeedingReplyAsync([clinicId]);
        var bothClinics = await store.CountNeedingReplyAsync([clinicId, elsewhere]);
        await writer.WriteAsync(MessageStore.Append(Message(0, 2, SenderKind.Staff)));
        var after = await store.CountNeedingReplyAsync([clinicId]);

        Assert.Equal((2, 3, 1), (before, bothClinics, after));
    }

    [Fact]
    public async Task TheDirectorysFirstPageIsTheClinicsPatientsInNameOrder()
    {
        var database = await fixture.MigratedDatabaseAsync("directory_");
        await using var writer = new GroupCommitWriter(database, 100, NullLogger<GroupCommitWriter>.Instance);
        var (clinicId, elsewhere) = (Guid.NewGuid(), Guid.NewGuid());
        string[] names = ["Cara Zed", "Ann Young", "Bob Xu", "Dan Ward"];
        foreach (var name in names)
        {
            await writer.WriteAsync(PatientStore.Upsert(new PatientRegistration(Guid.NewGuid(), name, null, null, null, true, [clinicId]), Start));
        }

        await writer.WriteAsync(PatientStore.Upsert(new PatientRegistration(Guid.NewGuid(), "Abe Other", null, null, null, true, [elsewhere]), Start));

        var page = await new PatientStore(database).SearchAsync(clinicId, "", 3);

        Assert.Equal(["Ann Young", "Bob Xu", "Cara Zed"], page.Select(p => p.DisplayName));
    }

    [Fact]
    public async Task PatientsIndexedBeforeTheNameIndexUpgradeAreFoundInNameOrder() =>
        await NameIndexUpgradeScenario.PatientsIndexedBeforeTheUpgradeAreFoundInNameOrderAsync(
            new ChatDatabase(StorageProvider.PostgreSql, await fixture.Server.CreateDatabaseAsync("names_" + Guid.NewGuid().ToString("N")[..12])));
}
