using System.Data.Common;

namespace ClinicChat.Patients;

/// <summary>
/// The index behind patient search: one row per word of a patient's name per clinic (<see cref="NameSearch.IndexTokens"/>),
/// keyed by clinic, word, sort name and patient. The sort name in the key lets a search read a word's matches in name
/// order from the index alone, without looking up each matching patient to sort them (docs/benchmarks.md, "Issue 23:
/// patient search read every match").
/// </summary>
internal static class PatientNameIndex
{
    /// <summary>
    /// Rebuilds the patient's rows at every clinic they belong to from <paramref name="displayName"/>. Call it after the
    /// clinic links (<c>clinic_patients</c>, whose sort name it copies) are written in the same transaction.
    /// </summary>
    public static async Task RebuildAsync(WriteScope scope, Guid patientId, string displayName)
    {
        var clear = scope.Command("DELETE FROM patient_name_tokens WHERE patient_id = @id");
        await clear.With("@id", patientId).ExecuteNonQueryAsync();

        foreach (var token in NameSearch.IndexTokens(displayName))
        {
            var insert = scope.Command(
                """
                INSERT INTO patient_name_tokens (clinic_id, token, sort_name, patient_id)
                SELECT clinic_id, @token, sort_name, patient_id FROM clinic_patients WHERE patient_id = @id
                ON CONFLICT DO NOTHING
                """);
            await insert.With("@id", patientId).With("@token", token).ExecuteNonQueryAsync();
        }
    }

    /// <summary>The words of a search (<see cref="NameSearch.Tokens"/>, each once), bound on <paramref name="command"/> for the queries below.</summary>
    public static IReadOnlyList<string> BindWords(DbCommand command, string? search)
    {
        var words = NameSearch.Tokens(search ?? string.Empty).Distinct().ToList();
        for (var i = 0; i < words.Count; i++)
        {
            command.With($"@w{i}", words[i]).With($"@w{i}end", NameSearch.PrefixUpperBound(words[i]));
        }

        return words;
    }

    /// <summary>
    /// The patients of the clinic <c>@clinic</c> whose name has a word starting with each bound word (at least one), as
    /// <c>(sort_name, patient_id)</c> rows in name order, at most <c>@limit</c>.
    /// </summary>
    public static string MatchesInNameOrder(int words) =>
        Matches("@clinic", words, distinct: true, "sort_name", "patient_id") + " ORDER BY 1, 2 LIMIT @limit";

    /// <summary>The ids of the patients of the clinic <paramref name="clinic"/> (a parameter or a column) matching every bound word.</summary>
    public static string PatientsMatching(string clinic, int words) => Matches(clinic, words, distinct: false, "patient_id");

    /// <summary>
    /// One index range per word, intersected (a merge of sorted ranges: probing the other words once per match of the
    /// first cost more). DISTINCT where the rows are the result: one patient can have two words in a range ("Ann Annett").
    /// </summary>
    private static string Matches(string clinic, int words, bool distinct, params string[] columns) =>
        string.Join(" INTERSECT ", Enumerable.Range(0, words).Select(i =>
            $"SELECT {(distinct ? "DISTINCT " : "")}{string.Join(", ", columns.Select(column => $"t{i}.{column}"))} FROM patient_name_tokens t{i} " +
            $"WHERE t{i}.clinic_id = {clinic} AND t{i}.token >= @w{i} AND t{i}.token < @w{i}end"));
}
