using ClinicChat.Clinics;
using Microsoft.Extensions.Logging.Abstractions;

namespace ClinicChat.Tests.Postgres;

/// <summary>The clinic's country (how numbers without + are read there) on the clinics row, as PostgreSQL stores and reads it.</summary>
[Trait("Category", "Slow")] // a throwaway PostgreSQL server
[Collection(PostgresClusterCollection.Name)]
public sealed class ClinicCountryOnPostgresTests(PostgresClusterFixture fixture)
{
    [Fact]
    public async Task AClinicsCountryIsStoredReadBackAndClearedOnPostgres()
    {
        var database = await fixture.MigratedDatabaseAsync("country_");
        var store = new ClinicProfileStore(database);
        var clinicId = Guid.NewGuid();
        await using var writer = new GroupCommitWriter(database, 100, NullLogger<GroupCommitWriter>.Instance);
        await writer.WriteAsync(new WriteUnit(async scope =>
            await scope.Command("INSERT INTO clinics (id, name) VALUES (@id, 'Thameside Physio')").With("@id", clinicId).ExecuteNonQueryAsync()));

        var before = await store.GetAsync(clinicId);
        await writer.WriteAsync(ClinicProfileStore.SaveCountry(clinicId, "GB"));
        var chosen = await store.GetAsync(clinicId);
        await writer.WriteAsync(ClinicProfileStore.SaveCountry(clinicId, null));
        var cleared = await store.GetAsync(clinicId);

        Assert.Equal((null, "GB", null), (before.Country, chosen.Country, cleared.Country));
        Assert.Equal("Thameside Physio", chosen.Name);
    }
}
