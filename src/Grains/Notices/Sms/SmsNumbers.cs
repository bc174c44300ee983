using System.Text.RegularExpressions;

namespace ClinicChat.Notices.Sms;

/// <summary>Mobile numbers as ClinicChat keeps them (E.164), and the only form in which one may appear in a log or an audit row.</summary>
public static partial class SmsNumbers
{
    /// <summary>+ then 8 to 15 digits, no spaces: the form Twilio reports senders in and the form we store.</summary>
    public static bool IsE164(string? number) => number is not null && E164().IsMatch(number);

    /// <summary>"***4567" (<see cref="ContactMasks"/>); a missing number is "***".</summary>
    public static string Mask(string? number) => ContactMasks.Mask(NoticeChannel.Sms, number ?? string.Empty);

    [GeneratedRegex(@"^\+[1-9][0-9]{7,14}$", RegexOptions.CultureInvariant)]
    private static partial Regex E164();
}
