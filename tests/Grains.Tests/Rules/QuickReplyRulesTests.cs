using ClinicChat.QuickReplies;

namespace ClinicChat.Tests.Rules;

public sealed class QuickReplyRulesTests
{
    private static readonly PlaceholderValues Robin = new("Robin", "Northside Family Dental", "(201) 555-0123");

    [Theory]
    [InlineData("hours", "hours")]
    [InlineData("/Hours ", "hours")]
    [InlineData("x-ray-2", "x-ray-2")]
    public void AShortcutIsStoredWithoutItsSlashInLowerCase(string typed, string stored)
    {
        Assert.Null(QuickReplyRules.Validate(new QuickReplyDraft(typed, "Text")));
        Assert.Equal(stored, QuickReplyRules.NormalizeShortcut(typed));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("/")]
    [InlineData("two words")]
    [InlineData("-dash-first")]
    [InlineData("émoji")]
    [InlineData("a/b")]
    [InlineData("abcdefghijklmnopqrstuvwxyz12345")]
    [InlineData("rx")]
    [InlineData("/APPT")]
    [InlineData("bill")]
    public void ShortcutsThatCannotBeTypedOrAreTheComposersOwnCommandsAreRefused(string? shortcut)
    {
        Assert.Equal("shortcut", QuickReplyRules.Validate(new QuickReplyDraft(shortcut, "Text"))?.Field);
    }

    [Fact]
    public void AShortcutTypedWrongIsToldHowToWriteItNotThatItIsMissing()
    {
        Assert.StartsWith("The shortcut is required", QuickReplyRules.Validate(new QuickReplyDraft(" ", "Text"))!.Detail, StringComparison.Ordinal);
        var typedWrong = QuickReplyRules.Validate(new QuickReplyDraft("bad shortcut!", "Text"))!.Detail;
        Assert.StartsWith("A shortcut is 1 to 30 letters", typedWrong, StringComparison.Ordinal);
        Assert.DoesNotContain("required", typedWrong, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("   ")]
    [InlineData("Dear {patient.lastName}")]
    [InlineData("Call {clinic.fax}")]
    [InlineData("\uFFFF")]
    public void EmptyTextUnknownPlaceholdersAndMalformedTextAreRefused(string? text)
    {
        var refused = QuickReplyRules.Validate(new QuickReplyDraft("hours", text));

        Assert.Equal((ChatErrorCode.Validation, "text"), (refused?.Code, refused?.Field));
    }

    [Fact]
    public void TextLongerThanAMessageIsRefused()
    {
        Assert.Null(QuickReplyRules.Validate(new QuickReplyDraft("long", new string('x', 4000))));
        Assert.Equal("text", QuickReplyRules.Validate(new QuickReplyDraft("long", new string('x', 4001)))?.Field);
    }

    [Fact]
    public void EveryKnownPlaceholderIsFilledAndOtherBracesStayAsWritten()
    {
        var (text, unfilled) = QuickReplyRules.Fill("Hi {patient.firstName}! {clinic.name}: {clinic.phone}. {not a placeholder} {x}", Robin);

        Assert.Equal("Hi Robin! Northside Family Dental: (201) 555-0123. {not a placeholder} {x}", text);
        Assert.Empty(unfilled);
    }

    [Fact]
    public void AnUnknownValueLeavesItsPlaceholderForStaffToCompleteAndSaysWhichOnce()
    {
        var (text, unfilled) = QuickReplyRules.Fill("Call {clinic.phone} or {clinic.phone}, {patient.firstName}.", Robin with { ClinicPhone = null, PatientFirstName = " " });

        Assert.Equal("Call {clinic.phone} or {clinic.phone}, {patient.firstName}.", text);
        Assert.Equal(["{clinic.phone}", "{patient.firstName}"], unfilled);
    }
}
