namespace ClinicChat.Tests;

/// <summary>The read advances' new key on the embedded database (SQLite, its own file).</summary>
public sealed class ReceiptKeyUpgradeTests : OwnSqliteFileTest
{
    [Fact]
    public Task AnOldPagesReadersComeFromAdvancesStoredBeforeTheUpgrade() =>
        ReceiptKeyUpgradeScenario.AnOldPagesReadersComeFromAdvancesStoredBeforeTheUpgradeAsync(Database);
}
