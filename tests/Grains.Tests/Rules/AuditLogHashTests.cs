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

    /// <summary>
    /// Rows stored by every earlier build are verified with today's function, so its output is pinned: these digests were
    /// computed by the first implementation (a StringBuilder over the fields, then UTF-8).
    /// </summary>
    [Theory]
    [InlineData(0, "eed8408988f6ea58013b4032c626f77d59bd7b67ee23362e4973d9313fa1d702")]
    [InlineData(1, "eb11905ab1b699a8de79db5f74591e4e5079b3fa4645c020c36c2b1cbfa1a3c4")]
    [InlineData(2, "d06a93edb1368643a94c8c60d4d487ddb1bc6d759cb34a7786fc0b0606d68b3e")]
    [InlineData(3, "67db114b69050d180ab2620cb0ef1c0485d313cd322f0466a44b2f1db6e4e477")]
    public void TheHashOfARowNeverChangesAcrossBuilds(int row, string expected)
    {
        var clinic = Guid.Parse("6f1c2b7e-4d3a-4c8b-9e2f-1a0b3c4d5e6f");
        var patient = Guid.Parse("0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d");
        var conversation = Guid.Parse("f0e1d2c3-b4a5-4968-8776-655443322110");
        var hash = row switch
        {
            0 => AuditLog.Hash(Previous, clinic.ToString(), At, new AuditEvent("message.sent", "staff-1", clinic, patient, conversation, "success", "seq=1")),
            1 => AuditLog.Hash(AuditLog.GenesisHash, string.Empty, 0, new AuditEvent("signin", "user-9", null, null, null, "denied")),
            // Non-ASCII text, a character outside the BMP, a negative time and a detail longer than the stack buffer.
            2 => AuditLog.Hash(Previous, clinic.ToString(), -5, new AuditEvent("patient.updated", "Zoë Ünal 😀", clinic, patient, null, "success", "name=Zoë;note=" + new string('é', 700) + "😀")),
            _ => AuditLog.Hash(Previous, clinic.ToString(), long.MaxValue, new AuditEvent(string.Empty, string.Empty, clinic, null, conversation, string.Empty, string.Empty)),
        };

        Assert.Equal(expected, hash);
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
