namespace ClinicChat.Inbox;

/// <summary>A staff member's personal thread flags. Bounded by what they pin or mute, not by history.</summary>
public sealed class StaffInboxState
{
    public HashSet<Guid> Pinned { get; set; } = [];

    public HashSet<Guid> Muted { get; set; } = [];
}
