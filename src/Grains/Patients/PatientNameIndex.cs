using System.Data.Common;
using ClinicChat.Storage;

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
    public static async Task RebuildAsync(DbConnection connection, DbTransaction transaction, Guid patientId, string displayName)
    {
        await using (var clear = connection.Command("DELETE FROM patient_name_tokens WHERE patient_id = @id", transaction))
        {
            await clear.With("@id", patientId).ExecuteNonQueryAsync();
        }

        foreach (var token in NameSearch.IndexTokens(displayName))
        {
            await using var insert = connection.Command(
                """
                INSERT INTO patient_name_tokens (clinic_id, token, sort_name, patient_id)
                SELECT clinic_id, @token, sort_name, patient_id FROM clinic_patients WHERE patient_id = @id
                ON CONFLICT DO NOTHING
                """,
                transaction);
            await insert.With("@id", patientId).With("@token", token).ExecuteNonQueryAsync();
        }
    }

    /// <summary>
    /// A query of the clinic's patients whose name has a word starting with each of <paramref name="words"/> (at least one),
    /// as <c>(sort_name, patient_id)</c> rows in name order, at most <c>@limit</c>: one index range per word, intersected.
    /// It binds <c>@w0</c>, <c>@w0end</c>, … on <paramref name="command"/>; the caller binds <c>@clinic</c> and <c>@limit</c>.
    /// </summary>
    public static string MatchesInNameOrder(DbCommand command, IReadOnlyList<string> words)
    {
        // DISTINCT: one patient can have two words in a range ("Ann Annett" for "ann"). An EXISTS probe per match of the
        // first word cost more than reading each word's range once (the intersection is a merge of sorted ranges).
        var ranges = words.Select((word, i) =>
        {
            command.With($"@w{i}", word).With($"@w{i}end", NameSearch.PrefixUpperBound(word));
            return $"SELECT DISTINCT t{i}.sort_name, t{i}.patient_id FROM patient_name_tokens t{i} " +
                   $"WHERE t{i}.clinic_id = @clinic AND t{i}.token >= @w{i} AND t{i}.token < @w{i}end";
        });
        return string.Join(" INTERSECT ", ranges) + " ORDER BY 1, 2 LIMIT @limit";
    }
}
