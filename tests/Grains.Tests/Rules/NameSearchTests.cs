namespace ClinicChat.Tests.Rules;

public sealed class NameSearchTests
{
    [Fact]
    public void DiacriticsCaseAndHyphensAreFoldedAway()
    {
        Assert.Equal(["zoe", "muller", "nunez"], NameSearch.Tokens("Zoë Müller-Núñez"));
    }

    [Fact]
    public void PunctuationAndRepeatedSpacesSeparateWordsButApostrophesJoinThem()
    {
        Assert.Equal("anna obrien jr", NameSearch.Normalize("  ANNA   O'Brien,  Jr. "));
        Assert.Equal(["obrien"], NameSearch.Tokens("O\u2019Brien"));
    }

    [Fact]
    public void ANameWithAnApostropheIsIndexedWholeAndByItsParts()
    {
        Assert.Equal(["sean", "obrien", "o", "brien"], NameSearch.IndexTokens("Seán O'Brien"));
    }

    [Fact]
    public void TheSameNameWithAndWithoutAccentsNormalisesIdentically()
    {
        Assert.Equal(NameSearch.Normalize("Zoe Muller-Nunez"), NameSearch.Normalize("ZOË MÜLLER NÚÑEZ"));
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("-'.,")]
    public void TextWithoutLettersHasNoTokens(string text)
    {
        Assert.Empty(NameSearch.Tokens(text));
    }

    [Fact]
    public void ThePrefixUpperBoundSortsAfterEveryCompletionOfThePrefix()
    {
        var bound = NameSearch.PrefixUpperBound("mul");

        Assert.True(string.CompareOrdinal("mul", bound) < 0);
        Assert.True(string.CompareOrdinal("muller", bound) < 0);
        Assert.True(string.CompareOrdinal("mulzzzz", bound) < 0);
        Assert.True(string.CompareOrdinal("mum", bound) > 0);
    }

    [Theory]
    [InlineData("Łukasz Øberg", "lukasz oberg")]
    [InlineData("Strauß", "strauss")]
    [InlineData("Ægir Þórsson", "aegir thorsson")]
    [InlineData("Đorđe", "dorde")]
    public void LettersWithoutADecompositionAreFoldedToTheirPlainSpelling(string name, string normalized)
    {
        Assert.Equal(normalized, NameSearch.Normalize(name));
    }
}
