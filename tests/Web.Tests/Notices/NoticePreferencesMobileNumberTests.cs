using ClinicChat.Web.Notices;

namespace ClinicChat.Web.Tests.Notices;

/// <summary>Mobile numbers as patients type them, to the E.164 form stored and texted.</summary>
public sealed class NoticePreferencesMobileNumberTests
{
    [Theory]
    [InlineData("(201) 555-0123", "US", "+12015550123")]
    [InlineData("201.555.0123", "US", "+12015550123")]
    [InlineData("+1 201 555 0123", "GB", "+12015550123")]
    [InlineData("07400 123456", "GB", "+447400123456")]
    [InlineData("+44 7400 123456", "US", "+447400123456")]
    public void ANumberTypedTheUsualWaysOfItsCountryBecomesE164(string typed, string region, string expected) =>
        Assert.Equal(expected, MobileNumbers.ToE164(typed, region));

    /// <summary>A stored number is shown grouped as its country writes numbers (a walk: "+447911123456" was hard to read back).</summary>
    [Theory]
    [InlineData("+447911123456", "+44 7911 123456")]
    [InlineData("+12015550170", "+1 201-555-0170")]
    [InlineData("+4915112345678", "+49 1511 2345678")]
    [InlineData("not stored by us", "not stored by us")]
    [InlineData(null, null)]
    public void AStoredNumberIsShownGroupedTheWayItsCountryWritesIt(string? stored, string? shown) =>
        Assert.Equal(shown, MobileNumbers.ForDisplay(stored));

    [Theory]
    [InlineData("")]
    [InlineData("12")]
    [InlineData("not a number")]
    [InlineData("+1 800 555 0123")] // toll-free: takes no text messages
    [InlineData("020 7946 0123")] // a London landline
    [InlineData("+999 1234 5678")]
    public void AnythingThatCannotReceiveTextMessagesIsRefused(string typed) =>
        Assert.Null(MobileNumbers.ToE164(typed, "GB"));

    /// <summary>
    /// A refusal says which country a number without + was read in, by name and calling code, for whatever region the
    /// deployment reads numbers in (a walk: "include the country code for a number abroad" on a deployment reading them
    /// as US numbers left a London front desk typing 07911 123456 with nothing to go on).
    /// </summary>
    [Theory]
    [InlineData("US", "United States (+1)")]
    [InlineData("GB", "United Kingdom (+44)")]
    [InlineData("DE", "Germany (+49)")]
    public void ARefusalNamesTheCountryANumberWithoutPlusIsReadIn(string region, string country) =>
        Assert.Equal(
            $"That is not a mobile number that can receive texts. A number without + is read as a {country} number: for another country, start with + and its country code.",
            MobileNumbers.NotAMobileNumber(region));

    /// <summary>The seeder stores the demo's numbers as they are: one the editor refuses would make that patient's record unsavable.</summary>
    [Fact]
    public void EveryDemoPatientsMobileIsOneTheEditorAccepts()
    {
        var mobiles = new[] { DemoData.PatDetails, DemoData.OscarDetails, DemoData.NoraDetails }.Select(d => d.Mobile!)
            .Concat(DemoData.Generated(50_000).Select(p => p.Mobile))
            .ToList();

        Assert.All(mobiles, mobile => Assert.Equal(mobile, MobileNumbers.ToE164(mobile, MobileNumbers.FallbackRegion)));
        Assert.Equal(mobiles.Count, mobiles.Distinct().Count());
    }
}
