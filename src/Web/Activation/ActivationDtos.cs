using ClinicChat.Notices;
using ClinicChat.Onboarding;

namespace ClinicChat.Web.Activation;

/// <param name="Channel"><c>email</c> or <c>sms</c>.</param>
public sealed record PortalInvitationRequest(string? Channel);

/// <param name="State"><c>pending</c>, <c>expired</c>, <c>used</c>, <c>cancelled</c> or <c>locked</c>.</param>
public sealed record PortalInvitationDto(Guid Id, string Channel, string MaskedAddress, DateTimeOffset InvitedAt, DateTimeOffset ExpiresAt, string State)
{
    public static PortalInvitationDto From(PortalInvitationStatus status) => new(
        status.Id, ChannelName(status.Channel), status.MaskedAddress, status.InvitedAt, status.ExpiresAt, status.State.ToString().ToLowerInvariant());

    public static string ChannelName(NoticeChannel channel) => channel.ToString().ToLowerInvariant();
}

/// <summary>The patient's latest portal invitation (null when never invited) and where a new one could go.</summary>
/// <param name="SmsAllowed">A mobile on file, SMS consent recorded, no STOP from the number.</param>
/// <param name="MobileOnFile">A mobile is on file; with <paramref name="SmsAllowed"/> false, consent is missing or the number replied STOP.</param>
/// <param name="Email">Where an invitation by email goes (null: no email on file).</param>
public sealed record PortalInvitationStatusDto(PortalInvitationDto? Latest, bool EmailOnFile, bool SmsAllowed, bool MobileOnFile, string? Email)
{
    public static PortalInvitationStatusDto From(PortalInvitationOverview overview) => new(
        overview.Latest is null ? null : PortalInvitationDto.From(overview.Latest), overview.EmailOnFile, overview.SmsAllowed, overview.MobileOnFile, overview.Email);
}

/// <summary>The token from the link's fragment: sent in a body, never in a URL, so it reaches no access log.</summary>
public sealed record ActivationTokenRequest(string? Token);

/// <summary>What the activation page shows before anything is proved: the clinic, and where the link was sent (masked).</summary>
/// <param name="Email">The invitation's address when it went by email: the account's email. Null for SMS (the page asks for one).</param>
/// <param name="AccountExists">That email has a portal account already: the page asks for its password, and links the clinic to it.</param>
public sealed record ActivationDto(string ClinicName, string Channel, string MaskedAddress, DateTimeOffset ExpiresAt, int AttemptsLeft, string? Email, bool AccountExists);

/// <param name="BirthDate">ISO 8601 date, <c>yyyy-MM-dd</c>.</param>
public sealed record BirthDateRequest(string? Token, string? BirthDate);

/// <param name="Email">For an SMS invitation: the email address the account signs in with (ignored for an email invitation).</param>
/// <param name="Password">A new password, or the existing account's password when the email has a portal account. Not with <paramref name="Passkey"/>.</param>
/// <param name="ChatOptIn">The patient's choice to chat with the clinic (they can change it in their profile).</param>
/// <param name="Passkey">
/// Instead of a password, for a new account: the browser's new credential (<c>PublicKeyCredential.toJSON()</c>) made with the
/// options of <c>POST /activation/passkey-options</c> in this browser.
/// </param>
public sealed record ActivateRequest(string? Token, string? BirthDate, string? Email, string? Password, bool ChatOptIn, System.Text.Json.JsonElement? Passkey = null);

/// <summary>Step one of activating with a passkey: the link, the date of birth and (SMS invitations) the email, as for activation.</summary>
public sealed record ActivationPasskeyOptionsRequest(string? Token, string? BirthDate, string? Email);
