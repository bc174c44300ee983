namespace ClinicChat.Tests.Rules;

public sealed class AuditChainVerifierTests
{
    private static readonly AuditCheckpointSigner Signer = new("a-test-key-of-at-least-thirty-two-characters");
    private static readonly Guid Clinic = Guid.NewGuid();
    private static readonly string Chain = AuditLog.ChainOf(Clinic);
    private static readonly DateTimeOffset Start = DateTimeOffset.FromUnixTimeMilliseconds(1_767_603_600_000);

    [Fact]
    public void AnIntactChainVerifiesWithItsRowAndCheckpointCounts()
    {
        var rows = Rows(5);

        var result = AuditChainVerifier.Verify(Chain, [Checkpoint(1, rows[2])], rows, Signer);

        Assert.True(result.Ok);
        Assert.Equal(5, result.Rows);
        Assert.Equal(1, result.Checkpoints);
        Assert.Null(result.Problem);
    }

    [Fact]
    public void AnEmptyChainWithoutCheckpointsVerifies()
    {
        var result = AuditChainVerifier.Verify(Chain, [], [], Signer);

        Assert.True(result.Ok);
        Assert.Equal(0, result.Rows);
    }

    [Fact]
    public void AnEditedRowBreaksTheChainAtThatRow()
    {
        var rows = Rows(4);
        rows[2] = rows[2] with { Event = rows[2].Event with { Outcome = AuditOutcomes.Denied } };

        var result = AuditChainVerifier.Verify(Chain, [], rows, Signer);

        Assert.False(result.Ok);
        Assert.Equal(AuditBreak.HashMismatch, result.Problem);
        Assert.Equal(rows[2].Id, result.BrokenAtId);
        Assert.Equal(3, result.Position);
        Assert.Equal(2, result.Rows);
    }

    [Fact]
    public void ADeletedRowBreaksTheChainAtTheRowAfterIt()
    {
        var rows = Rows(4);
        var deleted = rows[1];
        rows.RemoveAt(1);

        var result = AuditChainVerifier.Verify(Chain, [], rows, Signer);

        Assert.Equal(AuditBreak.PrevHashMismatch, result.Problem);
        Assert.Equal(deleted.Id + 1, result.BrokenAtId);
        Assert.Equal(2, result.Position);
    }

    [Fact]
    public void ReorderedRowsBreakTheChainWhereTheOrderChanged()
    {
        var rows = Rows(4);
        (rows[1], rows[2]) = (rows[2] with { Id = rows[1].Id }, rows[1] with { Id = rows[2].Id });

        var result = AuditChainVerifier.Verify(Chain, [], rows, Signer);

        Assert.Equal(AuditBreak.PrevHashMismatch, result.Problem);
        Assert.Equal(rows[1].Id, result.BrokenAtId);
    }

    [Fact]
    public void AForgedCheckpointSignatureIsReportedBeforeAnyRowIsRead()
    {
        var rows = Rows(3);
        var forged = Checkpoint(7, rows[1]) with { Signature = new string('0', 64) };

        var result = AuditChainVerifier.Verify(Chain, [forged], rows, Signer);

        Assert.Equal(AuditBreak.CheckpointSignatureMismatch, result.Problem);
        Assert.Equal(7, result.CheckpointId);
        Assert.Equal(rows[1].Id, result.BrokenAtId);
        Assert.Equal(0, result.Rows);
    }

    [Fact]
    public void AChainRewrittenFromScratchDiffersFromWhatItsCheckpointSigned()
    {
        var signed = Rows(3);
        var checkpoint = Checkpoint(1, signed[2]);
        var rewritten = Rows(3, detail: "rewritten");

        var result = AuditChainVerifier.Verify(Chain, [checkpoint], rewritten, Signer);

        Assert.Equal(AuditBreak.CheckpointHashMismatch, result.Problem);
        Assert.Equal(1, result.CheckpointId);
        Assert.Equal(rewritten[2].Id, result.BrokenAtId);
    }

    [Fact]
    public void ACheckpointedRowDeletedWithEverythingAfterItIsReportedMissing()
    {
        var rows = Rows(4);
        var checkpoint = Checkpoint(2, rows[3]);

        var result = AuditChainVerifier.Verify(Chain, [checkpoint], rows.Take(3), Signer);

        Assert.Equal(AuditBreak.CheckpointHashMismatch, result.Problem);
        Assert.Equal(rows[3].Id, result.BrokenAtId);
        Assert.Equal(4, result.Position);
        Assert.Equal(3, result.Rows);
    }

    [Fact]
    public void ACheckpointedRowRechainedAwayIsReportedMissingWhenTheWalkPassesIt()
    {
        var rows = Rows(4);
        var checkpoint = Checkpoint(3, rows[1]);
        var withoutIt = Rechain([rows[0], rows[2], rows[3]]);

        var result = AuditChainVerifier.Verify(Chain, [checkpoint], withoutIt, Signer);

        Assert.Equal(AuditBreak.CheckpointHashMismatch, result.Problem);
        Assert.Equal(3, result.CheckpointId);
        Assert.Equal(rows[1].Id, result.BrokenAtId);
    }

    private static List<AuditRecord> Rows(int count, string detail = "seq") =>
        Rechain([.. Enumerable.Range(1, count).Select(i => new AuditRecord(
            i, Chain, Start.AddSeconds(i),
            new AuditEvent(AuditActions.MessageSent, "staff-1", Clinic, null, null, AuditOutcomes.Success, $"{detail}={i}"),
            string.Empty, string.Empty))]);

    /// <summary>Links the rows as the log would have written them, in the order given.</summary>
    private static List<AuditRecord> Rechain(List<AuditRecord> rows)
    {
        var previous = AuditLog.GenesisHash;
        var chained = new List<AuditRecord>(rows.Count);
        foreach (var row in rows)
        {
            var hash = AuditLog.Hash(previous, row.Chain, row.OccurredAt.ToUnixTimeMilliseconds(), row.Event);
            chained.Add(row with { PrevHash = previous, Hash = hash });
            previous = hash;
        }

        return chained;
    }

    private static AuditCheckpoint Checkpoint(long id, AuditRecord upTo)
    {
        var at = Start.AddHours(1).ToUnixTimeMilliseconds();
        return new AuditCheckpoint(id, Chain, upTo.Id, upTo.Hash, Signer.Sign(Chain, upTo.Id, upTo.Hash, at), at);
    }
}
