using System.Text.RegularExpressions;

namespace ClinicChat.Notices.Sms;

/// <summary>
/// Twilio's message statuses, as far as the outbox cares. Callbacks can arrive out of order (a late "sent" after
/// "delivered"), so a final status is never replaced.
/// </summary>
public static partial class DeliveryStatuses
{
    private static readonly HashSet<string> Final = new(StringComparer.Ordinal) { "delivered", "undelivered", "failed", "read", "canceled" };

    /// <summary>The notice did not reach the phone: recorded in the clinic's audit log.</summary>
    public static bool IsFailure(string status) => status is "failed" or "undelivered";

    public static bool IsFinal(string? status) => status is not null && Final.Contains(status);

    public static bool Replaces(string? current, string next) => !IsFinal(current) && current != next;

    /// <summary>A status name we store: lower-case words, short. Anything else is not from Twilio.</summary>
    public static bool IsWellFormed(string? status) => status is not null && StatusName().IsMatch(status);

    /// <summary>The outbox's form of a Twilio error code (as the sender's refusals: twilio_30003); null for none or junk.</summary>
    public static string? ErrorCode(string? twilioCode) =>
        twilioCode is { Length: > 0 and <= 10 } && twilioCode.All(char.IsAsciiDigit) ? $"twilio_{twilioCode}" : null;

    [GeneratedRegex("^[a-z_]{1,32}$", RegexOptions.CultureInvariant)]
    private static partial Regex StatusName();
}
