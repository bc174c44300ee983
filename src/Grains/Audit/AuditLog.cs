using System.Data.Common;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using ClinicChat.Storage;

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
                await AppendRowAsync(scope.Connection, scope.Transaction, scope.Dialect, auditEvent, occurredAt);
            }
        });

    private static async Task AppendRowAsync(DbConnection connection, DbTransaction transaction, SqlDialect dialect, AuditEvent auditEvent, DateTimeOffset occurredAt)
    {
        var chain = ChainOf(auditEvent.ClinicId);
        // Two silos appending to one chain at once would both chain to the same previous row.
        // One lock for all chains (not one per chain) cannot deadlock, however a batch orders its
        // rows; it is held until this transaction commits, and taking it again is free.
        await dialect.SerialiseAsync(connection, transaction, AuditLockKey);

        string previous;
        await using (var last = connection.Command("SELECT hash FROM audit_log WHERE chain = @chain ORDER BY id DESC LIMIT 1", transaction))
        {
            previous = await last.With("@chain", chain).ExecuteScalarAsync() as string ?? GenesisHash;
        }

        var hash = Hash(previous, chain, occurredAt.ToUnixTimeMilliseconds(), auditEvent);
        await using var insert = connection.Command(
            """
            INSERT INTO audit_log (chain, occurred_at_ms, action, actor_id, clinic_id, patient_id, conversation_id, outcome, detail, prev_hash, hash)
            VALUES (@chain, @at, @action, @actor, @clinic, @patient, @conversation, @outcome, @detail, @prev, @hash)
            """,
            transaction);
        await insert
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
    /// field is length-prefixed and a missing one is marked, so no two different rows encode alike.
    /// </summary>
    public static string Hash(string previousHash, string chain, long occurredAtMs, AuditEvent e)
    {
        var canonical = new StringBuilder();
        foreach (var field in new[]
        {
            previousHash, chain, occurredAtMs.ToString(CultureInfo.InvariantCulture), e.Action, e.ActorId,
            e.ClinicId?.ToString(), e.PatientId?.ToString(), e.ConversationId?.ToString(), e.Outcome, e.Detail,
        })
        {
            canonical.Append(field is null ? "-;" : $"{field.Length.ToString(CultureInfo.InvariantCulture)}:{field};");
        }

        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(canonical.ToString())));
    }
}
