using BenchmarkDotNet.Attributes;
using ClinicChat.Conversations;

namespace ClinicChat.MicroBench;

/// <summary>
/// Receipts are derived from per-reader cursors on every acknowledgement and every page: the
/// derivation must stay flat however many staff have read a thread.
/// </summary>
[MemoryDiagnoser]
public class ReceiptBenchmarks
{
    private ReceiptCursor[] _cursors = null!;

    /// <summary>Readers with a cursor in the thread (the patient's devices count as one reader; staff one each).</summary>
    [Params(2, 20)]
    public int Readers { get; set; }

    [GlobalSetup]
    public void Setup() =>
        _cursors = Enumerable.Range(0, Readers)
            .Select(i => new ReceiptCursor($"reader-{i}", i == 0 ? SenderKind.Patient : SenderKind.Staff, $"Reader {i}", 1_000 - i, 990 - i, DateTimeOffset.UnixEpoch))
            .ToArray();

    [Benchmark]
    public bool AcknowledgeOneDelivery()
    {
        var side = ReceiptRules.SideOf(_cursors, SenderKind.Staff);
        var (delivered, read) = ReceiptRules.Advance(_cursors[1].DeliveredUpTo, _cursors[1].ReadUpTo, new ReceiptAck(1_001, null), 1_001);
        return ReceiptRules.IsWorthStoring(SenderKind.Staff, _cursors[1], delivered, read, side);
    }

    [Benchmark]
    public int StatusesOfAPageOf50()
    {
        var recipients = ReceiptRules.SideOf(_cursors, SenderKind.Patient);
        var read = 0;
        for (long seq = 951; seq <= 1_000; seq++)
        {
            read += ReceiptRules.StatusOf(seq, recipients) == MessageStatus.Read ? 1 : 0;
        }

        return read;
    }
}
