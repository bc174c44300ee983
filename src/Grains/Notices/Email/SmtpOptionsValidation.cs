using MimeKit;

namespace ClinicChat.Notices.Email;

/// <summary>What is wrong with <see cref="SmtpOptions"/>, each problem in words an operator can act on.</summary>
public static class SmtpOptionsValidation
{
    public static IReadOnlyList<string> Problems(SmtpOptions options)
    {
        var problems = new List<string>();
        if (string.IsNullOrWhiteSpace(options.Host))
        {
            problems.Add($"{SmtpOptions.Section}:Host is not set.");
        }

        if (options.Port is < 1 or > 65535)
        {
            problems.Add($"{SmtpOptions.Section}:Port must be between 1 and 65535 (587 for STARTTLS, 465 for TLS on connect); it is {options.Port}.");
        }

        if (ParseFrom(options.From) is null)
        {
            problems.Add($"{SmtpOptions.Section}:From must be one email address on a domain the SMTP relay may send for (notices@clinic.example), without a display name: the clinic's name is the display name.");
        }

        if (string.IsNullOrEmpty(options.User) && !string.IsNullOrEmpty(options.Password))
        {
            problems.Add($"{SmtpOptions.Section}:Password is set but User is not: set both to authenticate, or neither.");
        }

        if (options.Timeout <= TimeSpan.Zero || options.Timeout > TimeSpan.FromMinutes(10))
        {
            problems.Add($"{SmtpOptions.Section}:Timeout must be more than zero and at most 00:10:00.");
        }

        return problems;
    }

    /// <summary>The sender address: a bare addr-spec with a domain, or null.</summary>
    public static MailboxAddress? ParseFrom(string? from) =>
        !string.IsNullOrWhiteSpace(from)
        && MailboxAddress.TryParse(ParserOptions.Default, from.Trim(), out var address)
        && string.IsNullOrEmpty(address.Name)
        && address.Domain is { Length: > 0 } domain
        && domain.Contains('.', StringComparison.Ordinal)
            ? address
            : null;
}
