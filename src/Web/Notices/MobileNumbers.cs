using PhoneNumbers;

namespace ClinicChat.Web.Notices;

/// <summary>
/// A mobile number as a patient types it ("(201) 555-0123", "+44 7700 900123") to E.164, the one form stored and
/// given to SMS providers. Google's libphonenumber knows every country's numbering plan; a hand-written pattern would not.
/// </summary>
public static class MobileNumbers
{
    /// <summary>The region a number without a leading + is read in: <c>ClinicChat:Sms:DefaultRegion</c>.</summary>
    public const string DefaultRegionKey = "ClinicChat:Sms:DefaultRegion";

    public const string FallbackRegion = "US";

    private static readonly PhoneNumberType[] TextCapable =
        [PhoneNumberType.MOBILE, PhoneNumberType.FIXED_LINE_OR_MOBILE, PhoneNumberType.PERSONAL_NUMBER, PhoneNumberType.VOIP];

    /// <summary>The number in E.164, or null when it is not a valid number that can receive text messages.</summary>
    public static string? ToE164(string? input, string defaultRegion)
    {
        if (string.IsNullOrWhiteSpace(input) || input.Length > 32)
        {
            return null;
        }

        var numbers = PhoneNumberUtil.GetInstance();
        try
        {
            var number = numbers.Parse(input, defaultRegion);
            return numbers.IsValidNumber(number) && TextCapable.Contains(numbers.GetNumberType(number))
                ? numbers.Format(number, PhoneNumberFormat.E164)
                : null;
        }
        catch (NumberParseException)
        {
            return null;
        }
    }

    public static string DefaultRegion(IConfiguration configuration) => configuration[DefaultRegionKey] is { Length: > 0 } region ? region : FallbackRegion;
}
