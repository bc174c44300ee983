using ClinicChat.Notices;

namespace ClinicChat.Web.Notices;

/// <summary>An address as audit rows and logs may carry it: enough to tell two apart, not enough to reach anyone.</summary>
public static class ContactMask
{
    /// <summary>pat.portal@example.com → p***@example.com; +12015550123 → ***0123.</summary>
    public static string Mask(NoticeChannel channel, string address)
    {
        if (channel == NoticeChannel.Email)
        {
            var at = address.LastIndexOf('@');
            return at > 0 ? $"{address[0]}***{address[at..]}" : "***";
        }

        return address.Length > 4 ? $"***{address[^4..]}" : "***";
    }
}
