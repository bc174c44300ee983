namespace ClinicChat.Web.Attachments;

public sealed class AttachmentOptions
{
    public const string Section = "ClinicChat:Attachments";

    /// <summary>Largest file accepted, in bytes (25 MB by default).</summary>
    public long MaxBytes { get; set; } = 25L * 1024 * 1024;
}
