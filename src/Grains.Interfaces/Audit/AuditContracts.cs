namespace ClinicChat.Audit;

/// <summary>One row of a clinic's audit log as readers see it: the event and when it was stored (the chain's hashes stay inside).</summary>
[GenerateSerializer, Immutable, Alias("ClinicChat.AuditEntry")]
public sealed record AuditEntry(
    [property: Id(0)] long Id,
    [property: Id(1)] DateTimeOffset OccurredAt,
    [property: Id(2)] AuditEvent Event);

/// <summary>
/// The audit page's filters, newest first. <c>Before</c> is the previous page's <c>NextBefore</c>; <c>To</c> is exclusive;
/// <c>Limit</c> null means <see cref="AuditLimits.DefaultLimit"/>.
/// </summary>
[GenerateSerializer, Immutable, Alias("ClinicChat.AuditFilter")]
public sealed record AuditFilter(
    [property: Id(0)] Guid? PatientId = null,
    [property: Id(1)] string? ActorId = null,
    [property: Id(2)] string? Action = null,
    [property: Id(3)] DateTimeOffset? From = null,
    [property: Id(4)] DateTimeOffset? To = null,
    [property: Id(5)] long? Before = null,
    [property: Id(6)] int? Limit = null);

/// <summary><c>NextBefore</c> is the cursor of the next (older) page, or null on the last page.</summary>
[GenerateSerializer, Immutable, Alias("ClinicChat.AuditPage")]
public sealed record AuditPage([property: Id(0)] IReadOnlyList<AuditEntry> Entries, [property: Id(1)] long? NextBefore);

public enum AuditExportFormat
{
    Csv = 0,
    Ndjson = 1,
}

/// <summary>
/// One chunk of an export, oldest first. <c>Format</c> null is a format the caller asked for that does not exist (refused
/// after the caller is known to be allowed, so a refusal never tells an outsider which formats exist). <c>After</c> null
/// starts the export (and audits it); later chunks pass the previous chunk's <c>NextAfter</c>. The patient, actor and action
/// filters are the list's (<see cref="AuditFilter"/>): an export is what the Admin sees filtered, every page of it.
/// </summary>
[GenerateSerializer, Immutable, Alias("ClinicChat.AuditExportQuery")]
public sealed record AuditExportQuery(
    [property: Id(0)] AuditExportFormat? Format,
    [property: Id(1)] DateTimeOffset? From = null,
    [property: Id(2)] DateTimeOffset? To = null,
    [property: Id(3)] long? After = null,
    [property: Id(4)] Guid? PatientId = null,
    [property: Id(5)] string? ActorId = null,
    [property: Id(6)] string? Action = null);

/// <summary>At most <see cref="AuditLimits.ExportChunk"/> rows; <c>NextAfter</c> null when this chunk is the last.</summary>
[GenerateSerializer, Immutable, Alias("ClinicChat.AuditExportChunk")]
public sealed record AuditExportChunk([property: Id(0)] IReadOnlyList<AuditEntry> Entries, [property: Id(1)] long? NextAfter);

/// <summary>A patient of the clinic, for the audit page's patient filter and names.</summary>
[GenerateSerializer, Immutable, Alias("ClinicChat.AuditPatient")]
public sealed record AuditPatient([property: Id(0)] Guid Id, [property: Id(1)] string DisplayName);

public enum AuditBreak
{
    /// <summary>The row's content does not hash to its stored hash: the row was edited.</summary>
    HashMismatch,

    /// <summary>The row does not point at the row before it: a row was deleted, inserted or reordered.</summary>
    PrevHashMismatch,

    /// <summary>A checkpoint's HMAC does not match: the checkpoint was forged or edited.</summary>
    CheckpointSignatureMismatch,

    /// <summary>A signed checkpoint names a row whose hash is no longer what was signed: the chain was rewritten.</summary>
    CheckpointHashMismatch,
}

/// <summary>
/// The result of walking one chain. When broken, <see cref="BrokenAtId"/> is the audit row id (or,
/// for a checkpoint problem, the row id the checkpoint covers) and <see cref="Position"/> the
/// 1-based position of that row in the chain as walked.
/// </summary>
[GenerateSerializer, Immutable, Alias("ClinicChat.AuditVerification")]
public sealed record AuditVerification(
    [property: Id(0)] string Chain,
    [property: Id(1)] bool Ok,
    [property: Id(2)] long Rows,
    [property: Id(3)] long Checkpoints,
    [property: Id(4)] long? BrokenAtId = null,
    [property: Id(5)] long? Position = null,
    [property: Id(6)] AuditBreak? Problem = null,
    [property: Id(7)] long? CheckpointId = null,
    [property: Id(8)] string? Detail = null)
{
    /// <summary>The stable name of a break, as the API answers it and the <c>audit.verified</c> row records it.</summary>
    public static string? CodeOf(AuditBreak? problem) => problem switch
    {
        AuditBreak.HashMismatch => "hash_mismatch",
        AuditBreak.PrevHashMismatch => "prev_hash_mismatch",
        AuditBreak.CheckpointSignatureMismatch => "checkpoint_signature_mismatch",
        AuditBreak.CheckpointHashMismatch => "checkpoint_hash_mismatch",
        _ => null,
    };
}

public static class AuditLimits
{
    public const int DefaultLimit = 50;
    public const int MaxLimit = 200;
    public const int PatientPickerLimit = 10;

    /// <summary>Actor ids and action names are short; a longer filter can only be a mistake or a probe.</summary>
    public const int MaxFilterLength = 128;

    /// <summary>Rows per export chunk: one grain message stays a few hundred kilobytes however long the log.</summary>
    public const int ExportChunk = 1000;
}
