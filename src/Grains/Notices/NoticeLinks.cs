namespace ClinicChat.Notices;

/// <summary>
/// The links notices carry. They lead into the app, which asks the reader to sign in first: a link proves nothing
/// and opens nothing by itself (no token in it).
/// </summary>
public sealed class NoticeLinks(string publicBaseUrl)
{
    private readonly string _base = publicBaseUrl.TrimEnd('/');

    public string Thread(Guid conversationId) => $"{_base}/#/inbox/{conversationId}";

    public string StaffThread(Guid conversationId) => $"{_base}/#/chat/{conversationId}";

    public string Inbox() => $"{_base}/#/inbox";

    /// <summary>Where notices are turned off (email's List-Unsubscribe).</summary>
    public string Preferences() => $"{_base}/#/preferences";

    public string Home() => _base;

    /// <summary>A staff member's Security page (password, two-step sign-in, passkeys); sign-in returns there.</summary>
    public string StaffSecurity() => $"{_base}/#/security";
}
