namespace ClinicChat.Tests.Rules;

public sealed class ThreadPreviewTests
{
    private static readonly AttachmentRef[] Photos =
        [new(Guid.NewGuid(), "image/jpeg", 10, "hiv-test.jpg"), new(Guid.NewGuid(), "image/png", 20, "rash.png")];

    [Fact]
    public void APlainMessageIsPreviewedByItsText() =>
        Assert.Equal("See you at 3", ThreadPreview.Of("See you at 3", sensitive: false, attachments: null));

    [Fact]
    public void ASensitiveMessageIsNeverPreviewedByItsText() =>
        Assert.Equal(SensitiveRules.PreviewText, ThreadPreview.Of("Your results are positive", sensitive: true, attachments: null));

    [Fact]
    public void ASensitiveMessageOfFilesAloneDoesNotSayWhatKindOfFilesItHolds() =>
        Assert.Equal(SensitiveRules.PreviewText, ThreadPreview.Of(string.Empty, sensitive: true, Photos));

    [Fact]
    public void AMessageOfFilesAloneIsPreviewedByKindAndCountNeverByName()
    {
        var preview = ThreadPreview.Of("  ", sensitive: false, Photos);

        Assert.Equal("📎 2 photos", preview);
        Assert.DoesNotContain("hiv", preview, StringComparison.Ordinal);
    }

    [Fact]
    public void AMessageWithTextIsPreviewedByItsTextEvenWithFiles() =>
        Assert.Equal("Here is the photo", ThreadPreview.Of("Here is the photo", sensitive: false, Photos));

    [Fact]
    public void AThreadWithoutMessagesHasNoPreview() =>
        Assert.Null(ThreadPreview.Of(null, sensitive: false, attachments: null));

    [Fact]
    public void LineBreaksAndTabsBecomeSingleSpaces() =>
        Assert.Equal("Line one line two col", ThreadPreview.Of("Line one\r\nline two\tcol", sensitive: false, attachments: null));

    [Fact]
    public void ALongMessageIsCutToTheMaximumLengthWithAnEllipsis()
    {
        var preview = ThreadPreview.Of(new string('a', 300), sensitive: false, attachments: null);

        Assert.Equal(ThreadPreview.MaxLength, preview!.Length);
        Assert.EndsWith("…", preview, StringComparison.Ordinal);
    }

    [Fact]
    public void AMessageOfExactlyTheMaximumLengthIsNotCut()
    {
        var text = new string('a', ThreadPreview.MaxLength);

        Assert.Equal(text, ThreadPreview.Of(text, sensitive: false, attachments: null));
    }
}
