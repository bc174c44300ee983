namespace ClinicChat.Tests;

/// <summary>
/// The name index gained the sort name in its key (sqlite.0029 / postgresql.0021_name_index_order): a database whose
/// patients were indexed before that must still find them, in name order, after the upgrade. Written once, run on each
/// database.
/// </summary>
internal static class NameIndexUpgradeScenario
{
    private const string FirstNewScript = "0029_name_index_order";
    private const string FirstNewPostgresScript = "0021_name_index_order";

    public static async Task PatientsIndexedBeforeTheUpgradeAreFoundInNameOrderAsync(ChatDatabase database)
    {
        var migrator = await SchemaUpgrade.ApplyScriptsBeforeAsync(database, FirstNewScript, FirstNewPostgresScript);

        var (clinicId, elsewhere) = (Guid.NewGuid(), Guid.NewGuid());
        // Registered in no particular order; "Bob Avila" matches "av" by his last name, "Ava Ava Stone" by two words.
        await IndexTheOldWayAsync(database, clinicId, "Avery Okafor", "Bob Avila", "Ava Nguyen", "Ava Ava Stone", "Ava Brown", "Zed Young");
        await IndexTheOldWayAsync(database, elsewhere, "Ava Elsewhere");

        await migrator.MigrateAsync();

        var store = new PatientStore(database);
        Assert.Equal(["Ava Ava Stone", "Ava Brown", "Ava Nguyen"], await NamesAsync(store, clinicId, "av", 3));
        Assert.Equal(["Ava Ava Stone", "Ava Brown", "Ava Nguyen", "Avery Okafor", "Bob Avila"], await NamesAsync(store, clinicId, "av", 50));
        Assert.Equal(["Avery Okafor"], await NamesAsync(store, clinicId, "ok av", 50));
        Assert.Equal(["Ava Elsewhere"], await NamesAsync(store, elsewhere, "ava", 50));
    }

    private static async Task<IEnumerable<string>> NamesAsync(PatientStore store, Guid clinicId, string query, int limit) =>
        (await store.SearchAsync(clinicId, query, limit)).Select(p => p.DisplayName);

    /// <summary>Patients of a clinic as the build before the upgrade wrote them: name tokens without a sort name.</summary>
    private static async Task IndexTheOldWayAsync(ChatDatabase database, Guid clinicId, params string[] names)
    {
        await using var connection = await database.OpenAsync();
        foreach (var name in names)
        {
            var (patientId, sortName) = (Guid.NewGuid(), NameSearch.Normalize(name));
            await using (var patient = connection.Command(
                "INSERT INTO patients (id, display_name, sort_name, chat_opt_in, updated_at_ms) VALUES (@id, @name, @sort, 1, 0)"))
            {
                await patient.With("@id", patientId).With("@name", name).With("@sort", sortName).ExecuteNonQueryAsync();
            }

            await using (var link = connection.Command("INSERT INTO clinic_patients (clinic_id, patient_id, sort_name) VALUES (@clinic, @id, @sort)"))
            {
                await link.With("@clinic", clinicId).With("@id", patientId).With("@sort", sortName).ExecuteNonQueryAsync();
            }

            foreach (var token in NameSearch.IndexTokens(name))
            {
                await using var insert = connection.Command("INSERT INTO patient_name_tokens (clinic_id, token, patient_id) VALUES (@clinic, @token, @id)");
                await insert.With("@clinic", clinicId).With("@token", token).With("@id", patientId).ExecuteNonQueryAsync();
            }
        }
    }
}
