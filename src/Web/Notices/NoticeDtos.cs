using ClinicChat.Notices;

namespace ClinicChat.Web.Notices;

/// <summary>
/// Where the patient's notices go (the verified email address and mobile number, in full: it is their own; null when
/// there is none), whether the number replied STOP, and the choice per clinic.
/// </summary>
/// <param name="Mobile">E.164.</param>
/// <param name="MobileDisplay">The same number as people read it: "+44 7911 123456".</param>
public sealed record NoticeSettingsDto(string? Email, string? Mobile, bool MobileStopped, IReadOnlyList<ClinicNoticeChoiceDto> Clinics, string? MobileDisplay)
{
    public static NoticeSettingsDto From(NoticeSettings settings) =>
        new(settings.Email, settings.Mobile, settings.MobileStopped, [.. settings.Clinics.Select(ClinicNoticeChoiceDto.From)],
            MobileNumbers.ForDisplay(settings.Mobile));
}

/// <param name="SmsConsentAt">When the patient turned text messages on (the switch is the consent); null while off.</param>
public sealed record ClinicNoticeChoiceDto(Guid ClinicId, string ClinicName, bool Email, bool Sms, DateTimeOffset? SmsConsentAt)
{
    public static ClinicNoticeChoiceDto From(ClinicNoticeChoice choice) =>
        new(choice.ClinicId, choice.ClinicName, choice.Email, choice.Sms, choice.SmsConsentAt);
}

public sealed record NoticeChoiceRequest(bool? Email, bool? Sms);

/// <param name="Channel"><c>email</c> or <c>sms</c>.</param>
public sealed record TestNoticeRequest(Guid? ClinicId, string? Channel);

/// <summary>A notice queued for sending: its id, the channel and the address it goes to, masked.</summary>
public sealed record QueuedNoticeDto(Guid Id, string Channel, string MaskedAddress)
{
    public static QueuedNoticeDto From(QueuedNotice notice) => new(notice.Id, NoticeChannels.Name(notice.Channel), notice.MaskedAddress);
}

public sealed record ChangeMobileRequest(string? Number);

public sealed record VerifyMobileRequest(string? Number, string? Code);

public sealed record ChangeEmailRequest(string? Email);

public sealed record VerifyEmailRequest(string? Email, string? Code);

/// <summary>
/// A code is on its way to <c>Address</c> (as the server normalised it: the number in E.164, which the verify request
/// sends back). For an email address the same answer comes whether or not another account already uses it.
/// </summary>
/// <param name="AddressDisplay">The address as people read it (a number grouped: "+1 201-555-0170").</param>
public sealed record ContactCodeSentDto(string Channel, string Address, string AddressDisplay);

/// <summary>The wire names of <see cref="NoticeChannel"/>.</summary>
public static class NoticeChannels
{
    public const string Email = "email";
    public const string Sms = "sms";

    public static string Name(NoticeChannel channel) => channel switch
    {
        NoticeChannel.Email => Email,
        NoticeChannel.Sms => Sms,
        _ => "none",
    };

    public static NoticeChannel? Parse(string? name) => name switch
    {
        Email => NoticeChannel.Email,
        Sms => NoticeChannel.Sms,
        _ => null,
    };
}
