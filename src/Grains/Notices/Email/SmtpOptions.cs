namespace ClinicChat.Notices.Email;

/// <summary>
/// The SMTP relay email notices go through: <c>ClinicChat:Email:Smtp</c>. Without a <see cref="Host"/> no email
/// sender is registered (the development outbox keeps notices in the app instead).
/// </summary>
public sealed class SmtpOptions
{
    public const string Section = "ClinicChat:Email:Smtp";

    public string? Host { get; set; }

    /// <summary>587 is the submission port (STARTTLS); 465 is TLS from the first byte; 25 or 2525 for a local relay.</summary>
    public int Port { get; set; } = 587;

    /// <summary>
    /// True: TLS is required: STARTTLS on any port but 465, TLS on connect on 465. A relay that does not offer STARTTLS
    /// is a failure (retried), never a silent fall-back to clear text, because "when offered" lets anyone on the path
    /// strip the offer. False: clear text, for a relay on loopback or a development server only.
    /// </summary>
    public bool UseTls { get; set; } = true;

    /// <summary>Authenticate only when set (a relay on the same host often accepts without).</summary>
    public string? User { get; set; }

    /// <summary>A secret: give it as a key-per-file secret (<c>ClinicChat__Email__Smtp__Password</c>).</summary>
    public string? Password { get; set; }

    /// <summary>The envelope and header sender address; the display name is the clinic's name, per notice.</summary>
    public string? From { get; set; }

    /// <summary>How long one SMTP command may take before the send is given up (and retried later).</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(30);
}
