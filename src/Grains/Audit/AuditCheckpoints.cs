using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace ClinicChat.Audit;

public sealed class AuditOptions
{
    public const string Section = "ClinicChat:Audit";

    /// <summary>
    /// The HMAC key that signs checkpoints (any string of at least 32 characters). Production must set
    /// one and keep it out of the database's reach; without it, Development uses a fixed, public key.
    /// </summary>
    public string? CheckpointKey { get; set; }

    /// <summary>How often each silo signs the head of every chain that moved (verification also signs on demand).</summary>
    public TimeSpan CheckpointInterval { get; set; } = TimeSpan.FromHours(1);
}

/// <summary>Signs and checks checkpoints. Knows its key, or knows it has none (then it refuses to work).</summary>
public sealed class AuditCheckpointSigner
{
    /// <summary>For Development only: public, so its signatures prove nothing.</summary>
    public const string DevelopmentKey = "clinicchat-development-audit-key-not-a-secret";

    public const int MinimumKeyLength = 32;

    private readonly byte[]? _key;

    public AuditCheckpointSigner(string? key) =>
        _key = key is { Length: >= MinimumKeyLength } ? Encoding.UTF8.GetBytes(key) : null;

    public bool HasKey => _key is not null;

    public string Sign(string chain, long upToId, string hash, long createdAtMs)
    {
        var key = _key ?? throw new InvalidOperationException(
            $"{AuditOptions.Section}:CheckpointKey is not set (at least {MinimumKeyLength} characters); audit checkpoints cannot be signed or checked.");
        var payload = string.Join('\n', chain, upToId.ToString(CultureInfo.InvariantCulture), hash, createdAtMs.ToString(CultureInfo.InvariantCulture));
        return Convert.ToHexStringLower(HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(payload)));
    }

    public bool IsValid(AuditCheckpoint checkpoint) =>
        CryptographicOperations.FixedTimeEquals(
            Encoding.ASCII.GetBytes(Sign(checkpoint.Chain, checkpoint.UpToId, checkpoint.Hash, checkpoint.CreatedAtMs)),
            Encoding.ASCII.GetBytes(checkpoint.Signature));
}

public sealed record AuditCheckpoint(long Id, string Chain, long UpToId, string Hash, string Signature, long CreatedAtMs);

public static class AuditCheckpoints
{
    /// <summary>
    /// Signs the chain's current head, inside the caller's transaction (a group-commit unit), unless
    /// the newest checkpoint already covers it. Returns the head's id, or null for an empty chain.
    /// </summary>
    public static WriteUnit<long?> Write(string chain, AuditCheckpointSigner signer, DateTimeOffset now) =>
        new(scope => WriteAsync(scope, chain, signer, now));

    private static async Task<long?> WriteAsync(WriteScope scope, string chain, AuditCheckpointSigner signer, DateTimeOffset now)
    {
        long headId;
        string headHash;
        var head = scope.Command("SELECT id, hash FROM audit_log WHERE chain = @chain ORDER BY id DESC LIMIT 1");
        await using (var reader = await head.With("@chain", chain).ExecuteReaderAsync())
        {
            if (!await reader.ReadAsync())
            {
                return null;
            }

            headId = reader.GetInt64(0);
            headHash = reader.GetString(1);
        }

        var latest = scope.Command("SELECT MAX(up_to_id) FROM audit_checkpoints WHERE chain = @chain");
        if (await latest.With("@chain", chain).ExecuteScalarAsync() is long covered && covered >= headId)
        {
            return headId;
        }

        var createdAtMs = now.ToUnixTimeMilliseconds();
        var insert = scope.Command(
            "INSERT INTO audit_checkpoints (chain, up_to_id, hash, signature, created_at_ms) VALUES (@chain, @upTo, @hash, @signature, @at)");
        await insert
            .With("@chain", chain)
            .With("@upTo", headId)
            .With("@hash", headHash)
            .With("@signature", signer.Sign(chain, headId, headHash, createdAtMs))
            .With("@at", createdAtMs)
            .ExecuteNonQueryAsync();
        return headId;
    }

    public static Task<long?> CheckpointAsync(this GroupCommitWriter writer, string chain, AuditCheckpointSigner signer, DateTimeOffset now) =>
        writer.WriteAsync(Write(chain, signer, now));
}
