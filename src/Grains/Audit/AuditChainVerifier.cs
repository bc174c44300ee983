namespace ClinicChat.Audit;

/// <summary>
/// Walks one chain in id order and reports the first broken link: a row whose hash does not match its
/// content, a row that does not point at its predecessor, a checkpoint whose signature does not match,
/// or a signed checkpoint whose row's hash changed (or whose row is gone) since it was signed.
/// </summary>
/// <remarks>
/// Fed one row at a time, so the store can read a chain in bounded pages and never hold it whole.
/// Use: <see cref="CheckSignatures"/> once, <see cref="Accept"/> for each row in id order while it
/// returns null, then <see cref="Finish"/>.
/// </remarks>
public sealed class AuditChainVerifier(string chain, IReadOnlyList<AuditCheckpoint> checkpoints, AuditCheckpointSigner signer)
{
    private int _nextCheckpoint;
    private string _expectedPrevious = AuditLog.GenesisHash;
    private long _position;

    /// <summary>The whole walk over rows already in memory (for tests and small chains).</summary>
    public static AuditVerification Verify(string chain, IReadOnlyList<AuditCheckpoint> checkpoints, IEnumerable<AuditRecord> rows, AuditCheckpointSigner signer)
    {
        var verifier = new AuditChainVerifier(chain, checkpoints, signer);
        if (verifier.CheckSignatures() is { } forged)
        {
            return forged;
        }

        foreach (var row in rows)
        {
            if (verifier.Accept(row) is { } broken)
            {
                return broken;
            }
        }

        return verifier.Finish();
    }

    /// <summary>The first checkpoint whose signature does not match, as a broken result; null when all match.</summary>
    public AuditVerification? CheckSignatures()
    {
        foreach (var checkpoint in checkpoints)
        {
            if (!signer.IsValid(checkpoint))
            {
                return new AuditVerification(chain, false, 0, checkpoints.Count, checkpoint.UpToId, null, AuditBreak.CheckpointSignatureMismatch, checkpoint.Id,
                    $"Checkpoint {checkpoint.Id} (up to row {checkpoint.UpToId}) has a signature that does not match.");
            }
        }

        return null;
    }

    /// <summary>Checks the next row of the chain; returns the break it reveals, or null when the chain still holds.</summary>
    public AuditVerification? Accept(AuditRecord row)
    {
        _position++;
        // A checkpoint that names a row the walk has passed without meeting it: that row is gone.
        if (_nextCheckpoint < checkpoints.Count && checkpoints[_nextCheckpoint].UpToId < row.Id)
        {
            var missing = checkpoints[_nextCheckpoint];
            return Broken(missing.UpToId, _position, AuditBreak.CheckpointHashMismatch, missing.Id, $"Row {missing.UpToId}, signed by checkpoint {missing.Id}, is missing.");
        }

        if (!string.Equals(row.PrevHash, _expectedPrevious, StringComparison.Ordinal))
        {
            return Broken(row.Id, _position, AuditBreak.PrevHashMismatch, null,
                $"Row {row.Id} does not follow the row before it in the chain: a row was deleted, inserted or reordered.");
        }

        if (!string.Equals(AuditLog.Hash(row.PrevHash, row.Chain, row.OccurredAt.ToUnixTimeMilliseconds(), row.Event), row.Hash, StringComparison.Ordinal))
        {
            return Broken(row.Id, _position, AuditBreak.HashMismatch, null, $"Row {row.Id}'s content does not match its hash: the row was changed.");
        }

        while (_nextCheckpoint < checkpoints.Count && checkpoints[_nextCheckpoint].UpToId == row.Id)
        {
            var checkpoint = checkpoints[_nextCheckpoint++];
            if (!string.Equals(checkpoint.Hash, row.Hash, StringComparison.Ordinal))
            {
                return Broken(row.Id, _position, AuditBreak.CheckpointHashMismatch, checkpoint.Id,
                    $"Row {row.Id}'s hash differs from what checkpoint {checkpoint.Id} signed: the chain was rewritten.");
            }
        }

        _expectedPrevious = row.Hash;
        return null;
    }

    /// <summary>The verdict after the last row: intact, unless a checkpoint names a row past the chain's end.</summary>
    public AuditVerification Finish()
    {
        if (_nextCheckpoint < checkpoints.Count)
        {
            var missing = checkpoints[_nextCheckpoint];
            return Broken(missing.UpToId, _position + 1, AuditBreak.CheckpointHashMismatch, missing.Id, $"Row {missing.UpToId}, signed by checkpoint {missing.Id}, is missing.");
        }

        return new AuditVerification(chain, true, _position, checkpoints.Count);
    }

    private AuditVerification Broken(long id, long at, AuditBreak problem, long? checkpointId, string detail) =>
        new(chain, false, at - 1, checkpoints.Count, id, at, problem, checkpointId, detail);
}
