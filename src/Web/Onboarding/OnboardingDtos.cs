namespace ClinicChat.Web.Onboarding;

/// <summary>The token from the link's fragment: sent in a body, never in a URL, so it reaches no access log.</summary>
public sealed record InvitationTokenRequest(string? Token);

/// <param name="AccountExists">
/// The email already has an account (staff of another clinic): the page asks for that account's
/// password instead of a new one.
/// </param>
public sealed record InvitationDto(string? ClinicName, string Email, string DisplayName, string Role, DateTimeOffset ExpiresAt, bool RequiresTotp, bool AccountExists);

public sealed record AcceptInvitationRequest(string? Token, string? Password);
