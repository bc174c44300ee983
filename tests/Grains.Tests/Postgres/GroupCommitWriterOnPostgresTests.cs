using ClinicChat.Tests.Storage;

namespace ClinicChat.Tests.Postgres;

/// <summary>The group-commit writer's promises on PostgreSQL, where a failed statement aborts the whole transaction.</summary>
[Trait("Category", "Slow")] // a throwaway PostgreSQL server
[Collection(PostgresClusterCollection.Name)]
public sealed class GroupCommitWriterOnPostgresTests(PostgresClusterFixture fixture)
{
    [Fact]
    public async Task AFailingUnitFailsAloneAndTheRestOfItsCommitIsStoredOnce() =>
        await GroupCommitScenarios.AFailingUnitFailsAloneAsync(await fixture.MigratedDatabaseAsync("writer_"));

    [Fact]
    public async Task ALoneFailingUnitStoresNothingAndTheWriterGoesOn() =>
        await GroupCommitScenarios.ALoneFailingUnitStoresNothingAsync(await fixture.MigratedDatabaseAsync("writer_"));

    [Fact]
    public async Task ACommitWhoseConnectionBrokeFailsAndTheNextIsStored() =>
        await GroupCommitScenarios.ACommitWhoseConnectionBrokeFailsAndTheNextIsStoredAsync(await fixture.MigratedDatabaseAsync("writer_"));

    [Fact]
    public async Task AKeptStatementThatFailedServesTheNextUnit() =>
        await GroupCommitScenarios.AKeptStatementThatFailedServesTheNextUnitAsync(await fixture.MigratedDatabaseAsync("writer_"));

    [Fact]
    public async Task AKeptStatementNeverBindsTheLastUnitsValue() =>
        await GroupCommitScenarios.AKeptStatementNeverBindsTheLastUnitsValueAsync(await fixture.MigratedDatabaseAsync("writer_"));
}
