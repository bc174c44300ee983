namespace ClinicChat.Tests.Rules;

/// <summary>The one rule for an address a person types: invitations, patients' details, notice addresses, activation.</summary>
public sealed class EmailAddressesTests
{
    [Theory]
    [InlineData("pat@example.com")]
    [InlineData("o'brien+clinic@mail.example.org")]
    [InlineData("ADA@Example.COM")]
    public void APlainAddressIsOne(string email) => Assert.True(EmailAddresses.IsPlain(email));

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("not an address")]
    [InlineData("x@y")] // parses, but no one receives mail at a domain without a dot: a typo (found on a walk)
    [InlineData("Pat <pat@example.com>")]
    [InlineData("pat@example.com, ada@example.com")]
    [InlineData(" pat@example.com")]
    public void AnythingElseIsNot(string? email) => Assert.False(EmailAddresses.IsPlain(email));

    [Fact]
    public void TextThatCannotBeNormalisedIsNot() =>
        // Built at run time: an attribute's string cannot hold an unpaired surrogate (it is stored as U+FFFD).
        Assert.False(EmailAddresses.IsPlain("pat" + (char)0xD800 + "@example.com"));

    [Fact]
    public void AnAddressHasAtMost256Characters()
    {
        static string OfLength(int length) => "pat@" + new string('a', length - "pat@.example.com".Length) + ".example.com";
        Assert.True(EmailAddresses.IsPlain(OfLength(256)));
        Assert.False(EmailAddresses.IsPlain(OfLength(257)));
    }
}
