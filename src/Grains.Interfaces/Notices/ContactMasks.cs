namespace ClinicChat.Notices;

/// <summary>
/// An address as audit rows, logs and "sent to …" confirmations carry it: enough for its owner to recognise, too little
/// to reach anyone. The one masking rule for every tier (grains, web, SMS webhooks).
/// </summary>
public static class ContactMasks
{
    /// <summary>pat.portal@example.com → p***@example.com; +12015550123 → ***0123; anything else → ***.</summary>
    public static string Mask(NoticeChannel channel, string address) => channel switch
    {
        NoticeChannel.Email when address.LastIndexOf('@') is > 0 and var at => address[0] + "***" + address[at..],
        NoticeChannel.Sms when address.Length > 4 => "***" + address[^4..],
        _ => "***",
    };
}
