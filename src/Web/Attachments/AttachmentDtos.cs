namespace ClinicChat.Web.Attachments;

public sealed record AttachmentDto(Guid AttachmentId, string ContentType, long Size);
