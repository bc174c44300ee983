using System.Globalization;
using ClinicChat.Patients;
using ClinicChat.Web.Notices;

namespace ClinicChat.Web.Patients;

/// <summary>
/// A patient's details as staff type them, checked and put into the one form they are stored in: names trimmed, the
/// birth date a real past date, the mobile number in E.164 (libphonenumber, read in the configured default region),
/// the email with its domain lower-cased, the language a known BCP 47 tag in its canonical spelling. The first field
/// that is wrong is the refusal, named in its <c>field</c> so the editor can show the message beside it.
/// </summary>
public static class PatientInput
{
    public const int MaxNameLength = 100;
    public const int MaxMrnLength = 32;

    /// <summary>Nobody alive is older; an older date is a typing mistake (1892 for 1992).</summary>
    public const int MaxAgeYears = 130;

    /// <summary>The details, or every field's refusal in the form's order (the first is beside the first wrong field).</summary>
    public static (PatientDetails? Details, IReadOnlyList<ChatError> Errors) Read(PatientRequest request, DateTimeOffset now, string defaultRegion)
    {
        var given = Name(request.GivenName, "givenName");
        var family = Name(request.FamilyName, "familyName");
        var birthDate = ReadBirthDate(request.BirthDate, now);
        var email = Email(request.Email);
        var mobile = Mobile(request.Mobile, defaultRegion);
        var mrn = Mrn(request.Mrn);
        var language = Language(request.PreferredLanguage);
        // In the form's order (PatientEditor), so the first refusal is beside the first wrong field.
        ChatError[] errors = [.. new[] { given.Error, family.Error, birthDate.Error, mobile.Error, email.Error, mrn.Error, language.Error }.OfType<ChatError>()];
        return errors.Length > 0
            ? (null, errors)
            : (new PatientDetails(given.Value!, family.Value!, birthDate.Value, email.Value, mobile.Value, mrn.Value, language.Value), []);
    }

    private static Outcome<string> Name(string? text, string field)
    {
        var name = text?.Trim();
        if (string.IsNullOrEmpty(name))
        {
            return ChatError.Invalid(field, "A name is required.");
        }

        if (name.Length > MaxNameLength)
        {
            return ChatError.Invalid(field, $"A name has at most {MaxNameLength} characters.");
        }

        return IsPlainText(name) ? name : ChatError.Invalid(field, "The name contains characters no name has.");
    }

    /// <summary>A date of birth as typed (yyyy-mm-dd): a real date, not in the future, not more than <see cref="MaxAgeYears"/> ago.</summary>
    public static Outcome<DateOnly> ReadBirthDate(string? text, DateTimeOffset now)
    {
        if (!DateOnly.TryParseExact(text?.Trim(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
        {
            return ChatError.Invalid("birthDate", "The date of birth is required, as a date (yyyy-mm-dd).");
        }

        // Today somewhere on Earth (UTC+14): a baby born this evening in the clinic's time zone is not "in the future".
        var latestToday = DateOnly.FromDateTime(now.UtcDateTime.AddHours(14));
        if (date > latestToday)
        {
            return ChatError.Invalid("birthDate", "The date of birth is in the future.");
        }

        return date < latestToday.AddYears(-MaxAgeYears)
            ? ChatError.Invalid("birthDate", $"The date of birth is more than {MaxAgeYears} years ago.")
            : date;
    }

    private static Outcome<string?> Email(string? text)
    {
        var email = text?.Trim();
        if (string.IsNullOrEmpty(email))
        {
            return (string?)null;
        }

        if (!IsPlainText(email) || !EmailAddresses.IsPlain(email))
        {
            return ChatError.Invalid("email", "That is not an email address (name@example.org).");
        }

        // The domain is case-insensitive; the local part, strictly, is not, so it is kept as typed.
        var at = email.LastIndexOf('@');
        return $"{email[..at]}@{email[(at + 1)..].ToLowerInvariant()}";
    }

    private static Outcome<string?> Mobile(string? text, string defaultRegion)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return (string?)null;
        }

        return MobileNumbers.ToE164(text.Trim(), defaultRegion) is { } number
            ? number
            : ChatError.Invalid("mobile", MobileNumbers.NotAMobileNumber(defaultRegion));
    }

    private static Outcome<string?> Mrn(string? text)
    {
        var mrn = text?.Trim();
        if (string.IsNullOrEmpty(mrn))
        {
            return (string?)null;
        }

        return mrn.Length <= MaxMrnLength && IsPlainText(mrn)
            ? mrn
            : ChatError.Invalid("mrn", $"An MRN has at most {MaxMrnLength} characters, without line breaks or control characters.");
    }

    private static Outcome<string?> Language(string? text)
    {
        var tag = text?.Trim();
        if (string.IsNullOrEmpty(tag))
        {
            return (string?)null;
        }

        try
        {
            // predefinedOnly: ICU would otherwise accept any well-formed tag ("xx-YY") as a made-up culture.
            var culture = CultureInfo.GetCultureInfo(tag, predefinedOnly: true);
            return culture.Name.Length > 0 ? culture.Name : ChatError.Invalid("preferredLanguage", "That is not a language tag.");
        }
        catch (CultureNotFoundException)
        {
            return ChatError.Invalid("preferredLanguage", "That is not a language tag (BCP 47, e.g. en or es-MX).");
        }
    }

    /// <summary>Well-formed Unicode (see <see cref="TextInput"/>) without control characters such as line breaks.</summary>
    private static bool IsPlainText(string text) => TextInput.IsWellFormed(text) && !text.Any(char.IsControl);
}
