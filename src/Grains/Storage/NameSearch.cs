using System.Globalization;
using System.Text;

namespace ClinicChat.Storage;

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

    public static string Normalize(string text)
    {
        var decomposed = text.Normalize(NormalizationForm.FormD);
        var builder = new StringBuilder(decomposed.Length);
        foreach (var c in decomposed)
        {
            var category = CharUnicodeInfo.GetUnicodeCategory(c);
            if (category == UnicodeCategory.NonSpacingMark)
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

    /// <summary>The smallest string greater than every string that starts with <paramref name="prefix"/> (binary collation).</summary>
    public static string PrefixUpperBound(string prefix) => prefix + '\uffff';
}
