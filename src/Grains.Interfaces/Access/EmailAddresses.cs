using System.Net.Mail;

namespace ClinicChat.Access;

/// <summary>
/// The one rule for an email address a person types (an invitation, a patient's details, a notice address, a portal
/// activation): a single bare address that <see cref="MailAddress"/> reads back unchanged (it also takes
/// "Pat &lt;pat@example.com&gt;" and quoted forms), at most <see cref="MaxLength"/> characters, text that can be
/// normalised, and a domain with a dot: "x@y" parses, but no clinic or patient receives mail there, so it is a typo.
/// </summary>
public static class EmailAddresses
{
    public const int MaxLength = 256;

    public static bool IsPlain(string? email) =>
        email is { Length: > 0 and <= MaxLength }
        && TextInput.IsWellFormed(email)
        && MailAddress.TryCreate(email, out var address)
        && address.Address == email
        && address.DisplayName.Length == 0
        && address.Host.Contains('.', StringComparison.Ordinal);
}
