namespace ClinicChat.Tests.Rules;

public sealed class MessageRulesTests
{
    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData(" ")]
    [InlineData("\n\t  \r\n")]
    public void EmptyOrWhitespaceTextIsRejected(string? text)
    {
        var error = MessageRules.Validate("c-1", text);

        AssertInvalid(error, "text");
    }

    [Fact]
    public void TextOfExactlyTheMaximumLengthIsAccepted()
    {
        Assert.Null(MessageRules.Validate("c-1", new string('a', 4000)));
    }

    [Fact]
    public void TextOneCharacterOverTheMaximumIsRejected()
    {
        AssertInvalid(MessageRules.Validate("c-1", new string('a', 4001)), "text");
    }

    [Fact]
    public void TextIsNotJudgedByItsContentOnlyByItsLength()
    {
        Assert.Null(MessageRules.Validate("c-1", "<script>alert(1)</script> DROP TABLE messages; 👩‍⚕️"));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("has space")]
    [InlineData("slash/inside")]
    [InlineData("quote'inside")]
    [InlineData("ünïcödé")]
    [InlineData("emoji-😀")]
    [InlineData("new\nline")]
    public void ClientMessageIdsOutsideTheSafeAlphabetAreRejected(string? clientMessageId)
    {
        AssertInvalid(MessageRules.Validate(clientMessageId, "Hello"), "clientMessageId");
    }

    [Theory]
    [InlineData("a")]
    [InlineData("Az09-_.:")]
    [InlineData("0f8fad5b-d9cb-469f-a165-70867728950e")]
    public void ClientMessageIdsOfLettersDigitsAndSeparatorsAreAccepted(string clientMessageId)
    {
        Assert.Null(MessageRules.Validate(clientMessageId, "Hello"));
    }

    [Fact]
    public void ClientMessageIdsMayBe64CharactersButNot65()
    {
        Assert.Null(MessageRules.Validate(new string('x', 64), "Hello"));
        AssertInvalid(MessageRules.Validate(new string('x', 65), "Hello"), "clientMessageId");
    }

    [Theory]
    [InlineData(1)]
    [InlineData(200)]
    public void PageLimitsFromOneTo200AreAccepted(int limit)
    {
        Assert.Null(MessageRules.Validate(new MessagePageQuery(null, null, limit)));
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(0)]
    [InlineData(201)]
    public void PageLimitsOutsideOneTo200AreRejected(int limit)
    {
        AssertInvalid(MessageRules.Validate(new MessagePageQuery(null, null, limit)), "limit");
    }

    [Fact]
    public void PageBoundsMustNotBeNegative()
    {
        AssertInvalid(MessageRules.Validate(new MessagePageQuery(-1, null, 10)), "afterSeq");
        AssertInvalid(MessageRules.Validate(new MessagePageQuery(null, 0, 10)), "beforeSeq");
        Assert.Null(MessageRules.Validate(new MessagePageQuery(0, 1, 10)));
    }

    private static void AssertInvalid(ChatError? error, string field)
    {
        Assert.NotNull(error);
        Assert.Equal(ChatErrorCode.Validation, error.Code);
        Assert.Equal(field, error.Field);
    }
}
