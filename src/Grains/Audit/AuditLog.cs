using System.Buffers;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace ClinicChat.Audit;

/// <summary>
/// Appends audit rows inside the caller's transaction, chaining each row to the previous one of the
/// same clinic by SHA-256. The previous hash is read inside the same transaction, so the chain is
/// correct however many writers there are, as long as writes to one database are serialised.
/// SQLite serialises every write transaction; on PostgreSQL, where each silo has its own writer,
/// the transaction takes one advisory lock before its first audit row (see <see cref="AppendRowAsync"/>).
/// </summary>
public static class AuditLog
{
    /// <summary>The PostgreSQL advisory lock that serialises audit appends across silos ("CCAUDIT" in ASCII).</summary>
    private const long AuditLockKey = 0x43_43_41_55_44_49_54;

    public const string GenesisHash = "0000000000000000000000000000000000000000000000000000000000000000";

    /// <summary>Appends <paramref name="events"/>, all stamped <paramref name="occurredAt"/>, in the writer's transaction.</summary>
    public static WriteUnit Append(DateTimeOffset occurredAt, params IReadOnlyList<AuditEvent> events) =>
        new(async scope =>
        {
            foreach (var auditEvent in events)
            {
                await AppendRowAsync(scope, auditEvent, occurredAt);
            }
        });

    private static async Task AppendRowAsync(WriteScope scope, AuditEvent auditEvent, DateTimeOffset occurredAt)
    {
        var chain = ChainOf(auditEvent.ClinicId);
        // Two silos appending to one chain at once would both chain to the same previous row.
        // One lock for all chains (not one per chain) cannot deadlock, however a batch orders its
        // rows; it is held until this transaction commits, and taking it again is free.
        await scope.SerialiseAsync(AuditLockKey);

        var previous = await scope.Command("SELECT hash FROM audit_log WHERE chain = @chain ORDER BY id DESC LIMIT 1")
            .With("@chain", chain).ExecuteScalarAsync() as string ?? GenesisHash;

        var hash = Hash(previous, chain, occurredAt.ToUnixTimeMilliseconds(), auditEvent);
        await scope.Command(
            """
            INSERT INTO audit_log (chain, occurred_at_ms, action, actor_id, clinic_id, patient_id, conversation_id, outcome, detail, prev_hash, hash)
            VALUES (@chain, @at, @action, @actor, @clinic, @patient, @conversation, @outcome, @detail, @prev, @hash)
            """)
            .With("@chain", chain)
            .With("@at", occurredAt)
            .With("@action", auditEvent.Action)
            .With("@actor", auditEvent.ActorId)
            .With("@clinic", auditEvent.ClinicId)
            .With("@patient", auditEvent.PatientId)
            .With("@conversation", auditEvent.ConversationId)
            .With("@outcome", auditEvent.Outcome)
            .With("@detail", auditEvent.Detail)
            .With("@prev", previous)
            .With("@hash", hash)
            .ExecuteNonQueryAsync();
    }

    /// <summary>
    /// Appends audit rows as one unit of the group-commit writer. Takes the time rather than a clock:
    /// units run on the writer's thread, so everything they use must be captured before queueing.
    /// </summary>
    public static Task AuditAsync(this GroupCommitWriter writer, DateTimeOffset occurredAt, params IReadOnlyList<AuditEvent> events) =>
        writer.WriteAsync(Append(occurredAt, events));

    public static string ChainOf(Guid? clinicId) => clinicId?.ToString() ?? string.Empty;

    /// <summary>
    /// The row hash: SHA-256 over the previous hash and every stored field in a fixed order. Each
    /// field is length-prefixed and a missing one is marked, so no two different rows encode alike:
    /// <c>&lt;UTF-16 length&gt;:&lt;text&gt;;</c>, or <c>-;</c> for a missing field, in UTF-8.
    /// </summary>
    /// <remarks>
    /// Every audit row is hashed, several per message, so the encoding is written straight into a
    /// buffer on the stack (a pooled one for a long detail) rather than built as strings first. Rows
    /// stored years ago are verified with this function: its output must never change
    /// (<c>AuditLogHashTests</c> pins it).
    /// </remarks>
    public static string Hash(string previousHash, string chain, long occurredAtMs, AuditEvent e)
    {
        // At most 3 UTF-8 bytes a UTF-16 char, and 13 for a field's length prefix and separators.
        const int GuidChars = 36;
        const int LongChars = 20;
        var textChars = previousHash.Length + chain.Length + LongChars + (e.Action?.Length ?? 0) + (e.ActorId?.Length ?? 0)
            + 3 * GuidChars + (e.Outcome?.Length ?? 0) + (e.Detail?.Length ?? 0);
        var bound = 3 * textChars + 10 * 13;
        byte[]? rented = null;
        var buffer = bound <= 1024 ? stackalloc byte[1024] : (rented = ArrayPool<byte>.Shared.Rent(bound));
        try
        {
            var canonical = new CanonicalText(buffer);
            canonical.Field(previousHash);
            canonical.Field(chain);
            Span<char> at = stackalloc char[LongChars];
            occurredAtMs.TryFormat(at, out var atLength, provider: CultureInfo.InvariantCulture);
            canonical.Field(at[..atLength]);
            canonical.Field(e.Action);
            canonical.Field(e.ActorId);
            canonical.Field(e.ClinicId);
            canonical.Field(e.PatientId);
            canonical.Field(e.ConversationId);
            canonical.Field(e.Outcome);
            canonical.Field(e.Detail);
            Span<byte> digest = stackalloc byte[SHA256.HashSizeInBytes];
            SHA256.HashData(canonical.Written, digest);
            return Convert.ToHexStringLower(digest);
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<byte>.Shared.Return(rented);
            }
        }
    }

    /// <summary>The hashed encoding of a row's fields, written into a buffer large enough for all of them.</summary>
    private ref struct CanonicalText(Span<byte> buffer)
    {
        private readonly Span<byte> _buffer = buffer;
        private int _length;

        public readonly ReadOnlySpan<byte> Written => _buffer[.._length];

        public void Field(string? value)
        {
            if (value is null)
            {
                Missing();
            }
            else
            {
                Field(value.AsSpan());
            }
        }

        public void Field(Guid? id)
        {
            if (id is not { } value)
            {
                Missing();
                return;
            }

            // "D": 36 lowercase characters, as Guid.ToString() writes.
            Span<char> text = stackalloc char[36];
            value.TryFormat(text, out _);
            Field(text);
        }

        public void Field(scoped ReadOnlySpan<char> value)
        {
            value.Length.TryFormat(_buffer[_length..], out var written, provider: CultureInfo.InvariantCulture);
            _length += written;
            _buffer[_length++] = (byte)':';
            _length += Encoding.UTF8.GetBytes(value, _buffer[_length..]);
            _buffer[_length++] = (byte)';';
        }

        private void Missing()
        {
            _buffer[_length++] = (byte)'-';
            _buffer[_length++] = (byte)';';
        }
    }
}
