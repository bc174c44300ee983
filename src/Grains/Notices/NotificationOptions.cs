namespace ClinicChat.Notices;

/// <summary>When and how often patients (and, optionally, staff) hear about waiting messages: <c>ClinicChat:Notifications</c>.</summary>
public sealed class NotificationOptions
{
    public const string Section = "ClinicChat:Notifications";

    /// <summary>Off: nothing is decided or sent (and production needs no channel).</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>How long a clinic message may wait unread before the patient is told.</summary>
    public TimeSpan UnreadDelay { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>At most this many notice decisions per patient in any 24 hours, across all their threads.</summary>
    public int DailyCap { get; set; } = 3;

    /// <summary>SMS waits from this local time of the clinic (its time zone) ...</summary>
    public TimeOnly QuietHoursStart { get; set; } = new(21, 0);

    /// <summary>... until this one. Email is not held.</summary>
    public TimeOnly QuietHoursEnd { get; set; } = new(8, 0);

    /// <summary>The address notices link to (https://chat.example-clinic.com); falls back to <c>ClinicChat:Onboarding:PublicBaseUrl</c>.</summary>
    public string? PublicBaseUrl { get; set; }

    /// <summary>
    /// Whether this node sweeps due unread threads and sends the outbox in the background. Off, the node still decides
    /// and queues (and the nodes that run them send); tests turn it off to drive each pass themselves on a fake clock.
    /// </summary>
    public bool RunInBackground { get; set; } = true;

    /// <summary>How often due unread threads are looked for (notices leave at most this late after the delay).</summary>
    public TimeSpan SweepInterval { get; set; } = TimeSpan.FromSeconds(5);
}
