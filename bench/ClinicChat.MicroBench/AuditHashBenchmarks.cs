using BenchmarkDotNet.Attributes;
using ClinicChat.Audit;

namespace ClinicChat.MicroBench;

/// <summary>
/// Every audit row is chained by a SHA-256 over its fields, several rows per message (sent, delivered, read), on the
/// group-commit writer's loop.
/// </summary>
[MemoryDiagnoser]
public class AuditHashBenchmarks
{
    private static readonly Guid Clinic = Guid.NewGuid();

    private static readonly AuditEvent MessageSent = new(AuditActions.MessageSent, Guid.NewGuid().ToString(), Clinic, Guid.NewGuid(), Guid.NewGuid(), AuditOutcomes.Success, "seq=1234");

    private static readonly string Previous = AuditLog.Hash(AuditLog.GenesisHash, AuditLog.ChainOf(Clinic), 0, MessageSent);

    [Benchmark]
    public string HashAMessageSentRow() => AuditLog.Hash(Previous, AuditLog.ChainOf(Clinic), 1_767_603_600_000, MessageSent);
}
