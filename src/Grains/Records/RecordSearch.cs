using ClinicChat.Patients;

namespace ClinicChat.Records;

/// <summary>
/// The composer palette's search over one patient's records: every word must begin a word of what the card shows
/// (medication, instructions, prescriber, provider, location, description, invoice number, status), folded like
/// patient names ("ibu" finds Ibuprofen, "muller" finds Dr. Müller).
/// </summary>
public static class RecordSearch
{
    public const int MaxQueryLength = 100;

    public static IReadOnlyList<string> Words(string? search) =>
        string.IsNullOrWhiteSpace(search) ? [] : [.. NameSearch.Tokens(search)];

    public static bool Matches(RecordSnapshot snapshot, IReadOnlyList<string> words)
    {
        var shown = TextsOf(snapshot).Where(text => !string.IsNullOrEmpty(text)).SelectMany(text => NameSearch.Tokens(text!)).ToList();
        return words.All(word => shown.Any(token => token.StartsWith(word, StringComparison.Ordinal)));
    }

    private static IEnumerable<string?> TextsOf(RecordSnapshot snapshot) => snapshot.Kind switch
    {
        RecordKind.Appointment when snapshot.Appointment is { } a => [a.Description, a.Provider, a.Location, a.Status],
        RecordKind.Invoice when snapshot.Invoice is { } i => [i.Number, i.Status],
        RecordKind.Prescription when snapshot.Prescription is { } p => [p.Medication, p.Instructions, p.Prescriber, p.Status],
        _ => [],
    };
}
