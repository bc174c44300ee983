namespace ClinicChat.Conversations;

/// <summary>
/// What the conversation grain persists through Orleans grain storage. Deliberately small and bounded:
/// the history lives in the append-only messages table, never here, because grain state is rewritten
/// whole on every write. LastSeq is recovered from that table on activation.
/// </summary>
public sealed class ConversationState
{
    public Guid ClinicId { get; set; }

    public Guid PatientId { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public bool Archived { get; set; }

    public DateTimeOffset? ArchivedAt { get; set; }

    public void Archive(DateTimeOffset at)
    {
        Archived = true;
        ArchivedAt = at;
    }

    public void Reopen()
    {
        Archived = false;
        ArchivedAt = null;
    }
}
