using ClinicChat.Inbox;

namespace ClinicChat.Tests.Rules;

public sealed class ThreadCursorTests
{
    [Fact]
    public void ACursorSurvivesARoundTripThroughItsText()
    {
        var cursor = new ThreadCursor(1_767_603_600_123, Guid.NewGuid());

        Assert.True(ThreadCursor.TryParse(cursor.ToString(), out var parsed));
        Assert.Equal(cursor, parsed);
    }

    [Fact]
    public void NoCursorMeansTheFirstPage()
    {
        Assert.True(ThreadCursor.TryParse(null, out var parsed));
        Assert.Null(parsed);
    }

    [Theory]
    [InlineData("")]
    [InlineData("garbage")]
    [InlineData("123")]
    [InlineData("123_")]
    [InlineData("_0f8fad5bd9cb469fa16570867728950e")]
    [InlineData("-5_0f8fad5bd9cb469fa16570867728950e")]
    [InlineData(" 5_0f8fad5bd9cb469fa16570867728950e")]
    [InlineData("5_0f8fad5b-d9cb-469f-a165-70867728950e")]
    [InlineData("5_not-a-guid")]
    [InlineData("1_2_0f8fad5bd9cb469fa16570867728950e")]
    [InlineData("99999999999999999999_0f8fad5bd9cb469fa16570867728950e")]
    public void TextThisApiNeverProducedIsRejected(string text)
    {
        Assert.False(ThreadCursor.TryParse(text, out var parsed));
        Assert.Null(parsed);
    }
}
