using System.Globalization;
using PhoneNumbers;

namespace ClinicChat.Web.Notices;

/// <summary>
/// A mobile number as a patient types it ("(201) 555-0123", "+44 7911 123456") to E.164, the one form stored and
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

    /// <summary>
    /// A stored (E.164) number as people read it, grouped as its country writes numbers: "+44 7911 123456" (found on a
    /// walk: "Mobile on file: +447911123456" is hard to read back to a patient). The stored form where it does not parse.
    /// </summary>
    public static string? ForDisplay(string? e164)
    {
        if (string.IsNullOrEmpty(e164))
        {
            return e164;
        }

        var numbers = PhoneNumberUtil.GetInstance();
        try
        {
            return numbers.Format(numbers.Parse(e164, null), PhoneNumberFormat.INTERNATIONAL);
        }
        catch (NumberParseException)
        {
            return e164;
        }
    }

    public static string DefaultRegion(IConfiguration configuration) => configuration[DefaultRegionKey] is { Length: > 0 } region ? region : FallbackRegion;

    /// <summary>
    /// The refusal of a number, naming the country a number without + was read in: "include the country code for a number
    /// abroad" misled where that country was not the reader's (a walk: a London clinic's front desk typed 07911 123456 on
    /// a deployment reading numbers as US ones, and the portal's own text said "outside the US" whatever the setting).
    /// </summary>
    public static string NotAMobileNumber(string defaultRegion) =>
        $"That is not a mobile number that can receive texts. A number without + is read as a {CountryOf(defaultRegion)} number: for another country, start with + and its country code.";

    /// <summary>"United Kingdom (+44)"; without the calling code where the region has none.</summary>
    public static string CountryOf(string region)
    {
        var code = PhoneNumberUtil.GetInstance().GetCountryCodeForRegion(region);
        return code > 0 ? $"{EnglishNameOf(region)} (+{code})" : EnglishNameOf(region);
    }

    /// <summary>"United Kingdom"; the region's code where .NET does not know it.</summary>
    public static string EnglishNameOf(string region)
    {
        try
        {
            return new RegionInfo(region).EnglishName;
        }
        catch (ArgumentException)
        {
            return region;
        }
    }
}
