namespace ClinicChat.Notices;

/// <summary>A patient's choice for one clinic, with the defaults a missing row means.</summary>
public sealed record NoticeChoice(bool Email, bool Sms, DateTimeOffset? SmsConsentAt)
{
    /// <summary>Email on (it goes only to a verified address), SMS off until the patient consents.</summary>
    public static NoticeChoice Default { get; } = new(Email: true, Sms: false, SmsConsentAt: null);
}

/// <summary>Where notices to a patient can go: only verified details count; a number that replied STOP is kept out.</summary>
public sealed record NoticeContact(string? VerifiedEmail, string? VerifiedMobile, bool MobileStopped)
{
    public static NoticeContact None { get; } = new(null, null, false);

    public string? Address(NoticeChannel channel) => channel switch
    {
        NoticeChannel.Email => VerifiedEmail,
        NoticeChannel.Sms when !MobileStopped => VerifiedMobile,
        _ => null,
    };
}

/// <summary>Why a decision sent nothing. Stored in the audit detail and the outbox row: never rename one.</summary>
public static class SuppressedBecause
{
    public const string ChatOptedOut = "chat_opted_out";
    public const string NoChannelChosen = "no_channel_chosen";
    public const string NoVerifiedContact = "no_verified_contact";
    public const string SmsStopped = "sms_stopped";
    public const string DailyCap = "daily_cap";
}

/// <summary>
/// The decision rules, pure so they are tested on plain values: which channels, whether the daily cap is reached, when
/// an SMS may leave given the clinic's quiet hours.
/// </summary>
public static class NoticeRules
{
    public static readonly TimeSpan CapWindow = TimeSpan.FromHours(24);

    /// <summary>The channels a thread notice goes out on, or why none: the patient's choice, then verified contacts.</summary>
    public static (IReadOnlyList<NoticeChannel> Channels, string? Suppressed) Channels(NoticeChoice choice, NoticeContact contact)
    {
        if (!choice.Email && !choice.Sms)
        {
            return ([], SuppressedBecause.NoChannelChosen);
        }

        List<NoticeChannel> channels = [];
        if (choice.Email && contact.VerifiedEmail is not null)
        {
            channels.Add(NoticeChannel.Email);
        }

        if (choice.Sms && choice.SmsConsentAt is not null && contact.VerifiedMobile is not null && !contact.MobileStopped)
        {
            channels.Add(NoticeChannel.Sms);
        }

        return channels.Count > 0 ? (channels, null)
            : choice.Sms && contact.MobileStopped && contact.VerifiedMobile is not null ? ([], SuppressedBecause.SmsStopped)
            : ([], SuppressedBecause.NoVerifiedContact);
    }

    /// <summary>
    /// The daily cap: a patient hears at most <paramref name="cap"/> thread notices in any 24 hours, across all their threads
    /// and clinics (a notice on email and SMS at once counts once). Beyond it the decision is suppressed, not deferred: the
    /// thread's messages are in the inbox and the patient has been told several times that day.
    /// </summary>
    public static bool CapReached(int noticesInWindow, int cap) => noticesInWindow >= cap;

    /// <summary>
    /// When an SMS decided at <paramref name="now"/> may leave: now, or, inside the clinic's quiet hours (local time of
    /// <paramref name="clinicZone"/>; the window may cross midnight), at the next end of them. Email is never held.
    /// </summary>
    public static DateTimeOffset SmsSendAt(DateTimeOffset now, TimeZoneInfo clinicZone, TimeOnly quietStart, TimeOnly quietEnd)
    {
        if (quietStart == quietEnd)
        {
            return now;
        }

        var local = TimeZoneInfo.ConvertTime(now, clinicZone);
        var time = TimeOnly.FromDateTime(local.DateTime);
        var crossesMidnight = quietStart > quietEnd;
        var quiet = crossesMidnight ? time >= quietStart || time < quietEnd : time >= quietStart && time < quietEnd;
        if (!quiet)
        {
            return now;
        }

        var endDay = DateOnly.FromDateTime(local.DateTime);
        if (crossesMidnight && time >= quietStart)
        {
            endDay = endDay.AddDays(1);
        }

        var endLocal = endDay.ToDateTime(quietEnd);
        // A quiet-hours end that falls in a spring-forward gap does not exist locally: the next valid minute does.
        while (clinicZone.IsInvalidTime(endLocal))
        {
            endLocal = endLocal.AddMinutes(1);
        }

        return new DateTimeOffset(endLocal, clinicZone.GetUtcOffset(endLocal));
    }

    /// <summary>The clinic's zone, or UTC when it has none or names one this machine does not know (said in the docs).</summary>
    public static TimeZoneInfo ZoneOf(string? timeZoneId) =>
        timeZoneId is { Length: > 0 } id && TimeZoneInfo.TryFindSystemTimeZoneById(id, out var zone) ? zone : TimeZoneInfo.Utc;

    /// <summary>Retry back-off after a passing failure: 30 s, 1, 2, 4, 8, 16 min, … capped at an hour.</summary>
    public static TimeSpan Backoff(int attempts) =>
        TimeSpan.FromSeconds(Math.Min(3600, 30 * Math.Pow(2, Math.Max(0, attempts - 1))));

    /// <summary>After this many tries a notice that still fails is recorded as failed (about a day of back-off).</summary>
    public const int MaxAttempts = 10;
}
