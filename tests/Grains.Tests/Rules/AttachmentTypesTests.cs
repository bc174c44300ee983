using ClinicChat.Attachments;

namespace ClinicChat.Tests.Rules;

public sealed class AttachmentTypesTests : IDisposable
{
    private readonly string _file = Path.GetTempFileName();

    public void Dispose() => File.Delete(_file);

    [Fact]
    public void APhonesHeicIsRecognisedByItsFileTypeBox()
    {
        File.WriteAllBytes(_file, [0x00, 0x00, 0x00, 0x18, .. "ftypheic"u8, 0x00, 0x00, 0x00, 0x00, .. "mif1heic"u8]);

        Assert.Equal(AttachmentTypes.Heic, AttachmentTypes.Detect(_file, "IMG_0001.HEIC"));
    }

    [Theory]
    [InlineData("<!DOCTYPE html><p>hi</p>")]
    [InlineData("  <svg><script>alert(1)</script></svg>")]
    [InlineData("MZ\u0090\u0000binary")]
    [InlineData("\u200B<html><script>alert(1)</script></html>")]
    [InlineData("\u2066\u202E \u2060<svg onload=alert(1)>")]
    public void MarkupAndExecutablesAreNeverAccepted(string content)
    {
        File.WriteAllBytes(_file, Encoding.UTF8.GetBytes(content));

        Assert.Null(AttachmentTypes.Detect(_file, "file.txt"));
    }

    [Fact]
    public void TextIsCsvOnlyWhenNamedSo()
    {
        File.WriteAllText(_file, "a,b\n1,2\n");

        Assert.Equal(AttachmentTypes.Csv, AttachmentTypes.Detect(_file, "data.csv"));
        Assert.Equal(AttachmentTypes.Text, AttachmentTypes.Detect(_file, "data.txt"));
    }

    [Fact]
    public void ANameWithAnotherTypesExtensionIsAMismatch()
    {
        Assert.False(AttachmentTypes.NameMatches(AttachmentTypes.Png, "report.pdf"));
        Assert.True(AttachmentTypes.NameMatches(AttachmentTypes.Jpeg, "photo.JPEG"));
        Assert.True(AttachmentTypes.NameMatches(AttachmentTypes.Pdf, "no-extension"));
    }
}
