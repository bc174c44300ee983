using System.Text.RegularExpressions;
using ClinicChat.Conversations;

namespace ClinicChat.QuickReplies;

/// <summary>The values a quick reply's placeholders stand for in one thread; null when unknown.</summary>
public sealed record PlaceholderValues(string? PatientFirstName, string? ClinicName, string? ClinicPhone);

/// <summary>What a quick reply may say and be called, and how its placeholders are filled. Pure: tested without a silo.</summary>
public static partial class QuickReplyRules
{
    public const int MaxShortcutLength = 30;
    public const int MaxClinicReplies = 100;
    public const int MaxPersonalReplies = 50;

    /// <summary>The placeholders a template may use, as written in it.</summary>
    public static readonly IReadOnlyList<string> Placeholders = ["{patient.firstName}", "{clinic.name}", "{clinic.phone}"];

    /// <summary>The composer's own commands: a quick reply named like one would never be reachable.</summary>
    private static readonly HashSet<string> Reserved = new(StringComparer.Ordinal) { "appt", "appointment", "invoice", "bill", "rx", "prescription" };

    /// <summary>The shortcut as stored: without its leading "/", trimmed and in lower case.</summary>
    public static string NormalizeShortcut(string shortcut) => shortcut.Trim().TrimStart('/').ToLowerInvariant();

    /// <summary>The refusal of a draft, or null when it may be saved (after <see cref="NormalizeShortcut"/>).</summary>
    public static ChatError? Validate(QuickReplyDraft draft)
    {
        var form = $"1 to {MaxShortcutLength} letters, digits or dashes, starting with a letter or digit (typed after \"/\")";
        if (string.IsNullOrWhiteSpace(draft.Shortcut))
        {
            return ChatError.Invalid("shortcut", $"The shortcut is required: {form}.");
        }

        if (!ShortcutPattern().IsMatch(NormalizeShortcut(draft.Shortcut)))
        {
            return ChatError.Invalid("shortcut", $"A shortcut is {form}, without spaces or other signs.");
        }

        if (Reserved.Contains(NormalizeShortcut(draft.Shortcut)))
        {
            return ChatError.Invalid("shortcut", $"/{NormalizeShortcut(draft.Shortcut)} is one of the composer's own commands; choose another shortcut.");
        }

        if (string.IsNullOrWhiteSpace(draft.Text) || draft.Text.Length > MessageRules.MaxTextLength || !TextInput.IsWellFormed(draft.Text))
        {
            return ChatError.Invalid("text", $"The text is required (at most {MessageRules.MaxTextLength} characters).");
        }

        if (PlaceholderPattern().Matches(draft.Text).Select(m => m.Value).FirstOrDefault(p => !Placeholders.Contains(p)) is { } unknown)
        {
            return ChatError.Invalid("text", $"{unknown} is not a placeholder ClinicChat fills in; use {string.Join(", ", Placeholders)}.");
        }

        return null;
    }

    /// <summary>
    /// The template with every placeholder whose value is known replaced; an unknown one (no clinic phone set) stays as
    /// written and is named in the second item, so staff see what to complete before sending.
    /// </summary>
    public static (string Text, IReadOnlyList<string> Unfilled) Fill(string template, PlaceholderValues values)
    {
        var unfilled = new List<string>();
        var text = PlaceholderPattern().Replace(template, match =>
        {
            var value = match.Value switch
            {
                "{patient.firstName}" => values.PatientFirstName,
                "{clinic.name}" => values.ClinicName,
                "{clinic.phone}" => values.ClinicPhone,
                _ => null,
            };
            if (string.IsNullOrWhiteSpace(value))
            {
                if (!unfilled.Contains(match.Value))
                {
                    unfilled.Add(match.Value);
                }

                return match.Value;
            }

            return value.Trim();
        });
        return (text, unfilled);
    }

    [GeneratedRegex("^[a-z0-9][a-z0-9-]{0,29}$")]
    private static partial Regex ShortcutPattern();

    /// <summary>Anything that looks like a placeholder ("{word.word}"); other braces are plain text.</summary>
    [GeneratedRegex(@"\{[A-Za-z]+\.[A-Za-z]+\}")]
    private static partial Regex PlaceholderPattern();
}
