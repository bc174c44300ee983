using System.Buffers;
using System.Text;

namespace ClinicChat.Access;

/// <summary>
/// Whether client text can be Unicode-normalised. <c>string.Normalize</c> (name search, Identity's
/// lookup normaliser) throws on unpaired surrogates and on U+FFFE: such input is refused as a
/// validation failure before it reaches one, instead of answering 500 and logging an error.
/// </summary>
public static class TextInput
{
    /// <summary>
    /// False for unpaired surrogates and for noncharacters (U+FDD0–U+FDEF and the last two code points of
    /// every plane): no name, email or query contains them, and refusing all of them is simpler than
    /// tracking which ones a given ICU version rejects.
    /// </summary>
    public static bool IsWellFormed(string text)
    {
        var rest = text.AsSpan();
        while (!rest.IsEmpty)
        {
            if (Rune.DecodeFromUtf16(rest, out var rune, out var consumed) != OperationStatus.Done || IsNoncharacter(rune.Value))
            {
                return false;
            }

            rest = rest[consumed..];
        }

        return true;
    }

    private static bool IsNoncharacter(int value) => value is >= 0xFDD0 and <= 0xFDEF || (value & 0xFFFE) == 0xFFFE;
}
