using ClinicChat.Tests.Postgres;
using Microsoft.Extensions.Logging.Abstractions;

namespace ClinicChat.Tests;

/// <summary>The SQL behind staff-added patients (and the registration it now shares tables with) on PostgreSQL.</summary>
[Trait("Category", "Slow")] // a throwaway PostgreSQL server
[Collection(PostgresClusterCollection.Name)]
public sealed class PatientDetailsOnPostgresTests(PostgresClusterFixture fixture)
{
    private static readonly DateTimeOffset Now = new(2026, 12, 3, 15, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task AddFindEditAndSearchRunOnPostgres()
    {
        var database = await fixture.MigratedDatabaseAsync("patients_");
        await using var writer = new GroupCommitWriter(database, 100, NullLogger<GroupCommitWriter>.Instance);
        var (store, directory) = (new PatientDetailsStore(database), new PatientStore(database));
        var (clinicId, patientId) = (Guid.NewGuid(), Guid.NewGuid());
        var details = new PatientDetails("Zoë", "Müller", new DateOnly(1984, 3, 7), "zoe@example.com", "+12015550123", "NS-7", "de-DE");

        await writer.WriteAsync(PatientDetailsStore.Add(clinicId, patientId, details, new SmsConsent(Now, "staff-1"), Now));
        var byMrn = await store.FindByMrnAsync(clinicId, "NS-7", Guid.Empty);
        var byPerson = await store.FindByNameAndBirthDateAsync(clinicId, details with { GivenName = "ZOE", FamilyName = "muller" }, Guid.Empty);
        await writer.WriteAsync(PatientDetailsStore.Update(clinicId, patientId, details with { FamilyName = "Núñez" }, consent: null, clearConsent: true, Now));
        await writer.WriteAsync(PatientStore.Upsert(new PatientRegistration(patientId, "Zoë Núñez", "+12015550123", "zoe@example.com", "user-1", true, [clinicId]), Now));

        Assert.Equal((patientId, patientId), (byMrn, byPerson));
        var file = (await store.GetAsync(clinicId, patientId))!;
        Assert.Equal(("Zoë", "Núñez", "NS-7", true, (DateTimeOffset?)null), (file.Details.GivenName, file.Details.FamilyName, file.Details.Mrn, file.HasPortalAccount, file.SmsConsentAt));
        var found = Assert.Single(await directory.SearchAsync(clinicId, "nunez", 10));
        Assert.Equal(("Zoë Núñez", new DateOnly(1984, 3, 7), "NS-7"), (found.DisplayName, found.BirthDate, found.Mrn));
        Assert.Empty(await directory.SearchAsync(clinicId, "muller", 10));
    }
}
