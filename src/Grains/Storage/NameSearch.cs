using System.Globalization;
using System.Text;

namespace ClinicChat.Storage;

/// <summary>Name normalisation for search: "Zoë Müller-Núñez" → tokens "zoe", "muller", "nunez".</summary>
public static class NameSearch
{
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

            builder.Append(char.IsLetterOrDigit(c) ? char.ToLowerInvariant(c) : ' ');
        }

        return string.Join(' ', builder.ToString().Split(' ', StringSplitOptions.RemoveEmptyEntries));
    }

    public static IEnumerable<string> Tokens(string text) => Normalize(text).Split(' ', StringSplitOptions.RemoveEmptyEntries);

    /// <summary>The smallest string greater than every string that starts with <paramref name="prefix"/> (binary collation).</summary>
    public static string PrefixUpperBound(string prefix) => prefix + '\uffff';
}
