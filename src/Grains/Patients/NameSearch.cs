using System.Globalization;
using System.Text;

namespace ClinicChat.Patients;

/// <summary>Name normalisation for search: "Zoë Müller-Núñez" → tokens "zoe", "muller", "nunez".</summary>
public static class NameSearch
{
    /// <summary>Letters that Unicode does not decompose into a base letter plus an accent.</summary>
    private static readonly Dictionary<char, string> Folds = new()
    {
        ['ł'] = "l", ['ø'] = "o", ['đ'] = "d", ['ð'] = "d", ['ħ'] = "h", ['ı'] = "i",
        ['æ'] = "ae", ['œ'] = "oe", ['ß'] = "ss", ['þ'] = "th",
    };

    public const int MaxQueryLength = 100;

    /// <summary>
    /// Apostrophes join rather than separate: people type "obrien" or "o'brien" for O'Brien (and
    /// phones type ’). The index also keeps the parts (<see cref="IndexTokens"/>), so "brien" finds it too.
    /// </summary>
    private static bool IsApostrophe(char c) => c is '\'' or '\u2019' or '\u2018' or '\u02BC' or '`';

    public static string Normalize(string text)
    {
        var decomposed = text.Normalize(NormalizationForm.FormD);
        var builder = new StringBuilder(decomposed.Length);
        foreach (var c in decomposed)
        {
            var category = CharUnicodeInfo.GetUnicodeCategory(c);
            if (category == UnicodeCategory.NonSpacingMark || IsApostrophe(c))
            {
                continue;
            }

            var lower = char.ToLowerInvariant(c);
            if (Folds.TryGetValue(lower, out var folded))
            {
                builder.Append(folded);
            }
            else
            {
                builder.Append(char.IsLetterOrDigit(lower) ? lower : ' ');
            }
        }

        return string.Join(' ', builder.ToString().Split(' ', StringSplitOptions.RemoveEmptyEntries));
    }

    public static IEnumerable<string> Tokens(string text) => Normalize(text).Split(' ', StringSplitOptions.RemoveEmptyEntries);

    /// <summary>The words a name is indexed under: its words, and the parts of a word with an apostrophe ("obrien", "o", "brien").</summary>
    public static IEnumerable<string> IndexTokens(string name) =>
        Tokens(name).Concat(Tokens(new string(name.Select(c => IsApostrophe(c) ? ' ' : c).ToArray()))).Distinct();

    /// <summary>The smallest string greater than every string that starts with <paramref name="prefix"/> (binary collation).</summary>
    public static string PrefixUpperBound(string prefix) => prefix + '\uffff';
}
