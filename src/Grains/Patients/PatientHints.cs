namespace ClinicChat.Patients;

/// <summary>
/// What tells two patients of one name apart in search results besides the date of birth and MRN (which patients
/// registered before staff could enter them lack): the mobile number's last four digits, else the email with all
/// but its first letter masked.
/// Just enough to pick the right person, not enough to contact them.
/// </summary>
public static class PatientHints
{
    public static string? For(string? mobileNumber, string? email)
    {
        var digits = new string((mobileNumber ?? string.Empty).Where(char.IsAsciiDigit).ToArray());
        if (digits.Length >= 4)
        {
            return $"mobile ending {digits[^4..]}";
        }

        var at = email?.IndexOf('@') ?? -1;
        return at > 0 ? $"{email![0]}•••{email[at..]}" : null;
    }
}
