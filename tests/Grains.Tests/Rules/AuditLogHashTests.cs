namespace ClinicChat.Tests.Rules;

public sealed class AuditLogHashTests
{
    private const string Previous = "3b7e1c0f6d1a4f2e9c8b7a6d5e4f3a2b1c0d9e8f7a6b5c4d3e2f1a0b9c8d7e6f";
    private const long At = 1_767_603_600_000;

    private static readonly AuditEvent Event = new(
        AuditActions.MessageSent, "staff-1", Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid(), AuditOutcomes.Success, "seq=1");

    private static string Chain => AuditLog.ChainOf(Event.ClinicId);

    [Fact]
    public void TheHashIsARepeatableSha256HexDigest()
    {
        var hash = AuditLog.Hash(Previous, Chain, At, Event);

        Assert.Equal(hash, AuditLog.Hash(Previous, Chain, At, Event with { }));
        Assert.Matches("^[0-9a-f]{64}$", hash);
    }

    [Fact]
    public void TheHashChangesWhenAnyFieldChanges()
    {
        var original = AuditLog.Hash(Previous, Chain, At, Event);

        string[] tampered =
        [
            AuditLog.Hash(AuditLog.GenesisHash, Chain, At, Event),
            AuditLog.Hash(Previous, AuditLog.ChainOf(Guid.NewGuid()), At, Event),
            AuditLog.Hash(Previous, Chain, At + 1, Event),
            AuditLog.Hash(Previous, Chain, At, Event with { Action = AuditActions.MessageRead }),
            AuditLog.Hash(Previous, Chain, At, Event with { ActorId = "staff-2" }),
            AuditLog.Hash(Previous, Chain, At, Event with { ClinicId = Guid.NewGuid() }),
            AuditLog.Hash(Previous, Chain, At, Event with { ClinicId = null }),
            AuditLog.Hash(Previous, Chain, At, Event with { PatientId = Guid.NewGuid() }),
            AuditLog.Hash(Previous, Chain, At, Event with { PatientId = null }),
            AuditLog.Hash(Previous, Chain, At, Event with { ConversationId = Guid.NewGuid() }),
            AuditLog.Hash(Previous, Chain, At, Event with { ConversationId = null }),
            AuditLog.Hash(Previous, Chain, At, Event with { Outcome = AuditOutcomes.Denied }),
            AuditLog.Hash(Previous, Chain, At, Event with { Detail = "seq=2" }),
        ];

        Assert.DoesNotContain(original, tampered);
        Assert.Equal(tampered.Length, tampered.Distinct().Count());
    }

    [Fact]
    public void AMissingFieldAndAnEmptyOneHashDifferently()
    {
        Assert.NotEqual(AuditLog.Hash(Previous, Chain, At, Event with { Detail = null }), AuditLog.Hash(Previous, Chain, At, Event with { Detail = string.Empty }));
    }

    [Fact]
    public void MovingTextBetweenFieldsChangesTheHash()
    {
        Assert.NotEqual(
            AuditLog.Hash(Previous, Chain, At, Event with { ActorId = "a;b", Outcome = "c" }),
            AuditLog.Hash(Previous, Chain, At, Event with { ActorId = "a", Outcome = "b;c" }));
    }
}
