namespace ClinicChat.Tests;

/// <summary>The name index's upgrade on the embedded database (SQLite, its own file).</summary>
public sealed class NameIndexUpgradeTests : OwnSqliteFileTest
{
    [Fact]
    public Task PatientsIndexedBeforeTheUpgradeAreFoundInNameOrder() =>
        NameIndexUpgradeScenario.PatientsIndexedBeforeTheUpgradeAreFoundInNameOrderAsync(Database);
}
