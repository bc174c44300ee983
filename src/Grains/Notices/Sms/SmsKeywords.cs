namespace ClinicChat.Notices.Sms;

public enum SmsKeyword
{
    /// <summary>Any other text: not taken (we do not receive replies by SMS).</summary>
    None,
    Stop,
    Start,
    Help,
}

/// <summary>
/// Twilio's standard opt-out keywords. Twilio itself acts on them (it blocks a number that sent STOP and sends its own
/// confirmation), so what we record must agree with what it does: the same words, matched the way it matches them, a
/// whole message of one keyword, in any case, surrounding spaces and punctuation ignored.
/// </summary>
public static class SmsKeywords
{
    private static readonly Dictionary<string, SmsKeyword> Keywords = new(StringComparer.OrdinalIgnoreCase)
    {
        ["STOP"] = SmsKeyword.Stop,
        ["STOPALL"] = SmsKeyword.Stop,
        ["UNSUBSCRIBE"] = SmsKeyword.Stop,
        ["CANCEL"] = SmsKeyword.Stop,
        ["END"] = SmsKeyword.Stop,
        ["QUIT"] = SmsKeyword.Stop,
        ["START"] = SmsKeyword.Start,
        ["YES"] = SmsKeyword.Start,
        ["UNSTOP"] = SmsKeyword.Start,
        ["HELP"] = SmsKeyword.Help,
        ["INFO"] = SmsKeyword.Help,
    };

    public static SmsKeyword Parse(string? body)
    {
        var word = (body ?? string.Empty).Trim().Trim('.', '!', '?', ',', ';', ':', '"', '\'').Trim();
        return Keywords.GetValueOrDefault(word, SmsKeyword.None);
    }
}
