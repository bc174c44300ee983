using System.Text.Json;
using BenchmarkDotNet.Attributes;
using ClinicChat.Conversations;
using ClinicChat.Web.Conversations;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Serialization;

namespace ClinicChat.MicroBench;

/// <summary>
/// What every message costs to move: the Orleans copy from the conversation grain to the web node
/// (one per push and per page), and the JSON of a page of 50 as the API writes it (statuses and
/// read-by lists derived from cursors on the way).
/// </summary>
[MemoryDiagnoser]
public class MessageSerializationBenchmarks
{
    private static readonly JsonSerializerOptions Web = new(JsonSerializerDefaults.Web);

    private Serializer _orleans = null!;
    private MessageView _message = null!;
    private MessagePage _page = null!;
    private byte[] _serializedMessage = null!;

    [GlobalSetup]
    public void Setup()
    {
        _orleans = new ServiceCollection().AddSerializer(builder => builder.AddAssembly(typeof(MessageView).Assembly))
            .BuildServiceProvider().GetRequiredService<Serializer>();
        _message = Sample.Message(1);
        _page = Sample.Page(50);
        _serializedMessage = _orleans.SerializeToArray(_message);
    }

    [Benchmark]
    public byte[] OrleansSerializeMessage() => _orleans.SerializeToArray(_message);

    [Benchmark]
    public MessageView OrleansDeserializeMessage() => _orleans.Deserialize<MessageView>(_serializedMessage)!;

    [Benchmark]
    public byte[] JsonPushMessage() => JsonSerializer.SerializeToUtf8Bytes(MessageDto.From(_message), Web);

    [Benchmark]
    public byte[] JsonPageOf50ForStaff() =>
        JsonSerializer.SerializeToUtf8Bytes(MessagePageDto.From(_page, new ActorSide(SenderKind.Staff)), Web);
}

internal static class Sample
{
    public static readonly Guid Conversation = Guid.NewGuid();

    public static MessageView Message(long seq) => new(
        Conversation, seq, $"client-{seq}", seq % 2 == 0 ? "staff-1" : "patient-1", seq % 2 == 0 ? SenderKind.Staff : SenderKind.Patient,
        seq % 2 == 0 ? "Alice Carter" : "Zoë Müller-Núñez",
        "Hi, your crown is ready. Shall we book the fitting for Thursday afternoon? Reply here or call us.",
        DateTimeOffset.UnixEpoch.AddSeconds(seq));

    public static MessagePage Page(int count)
    {
        var messages = Enumerable.Range(1, count).Select(i => Message(i)).ToList();
        var reads = messages.Where(m => m.SenderKind == SenderKind.Patient && m.Seq < count - 4)
            .Select(m => new ReadReceipt(m.Seq, "staff-1", "Alice Carter", SenderKind.Staff, m.SentAt.AddMinutes(1)))
            .ToList();
        return new MessagePage(messages, count, true, new SideReceipts(count, count - 5), new SideReceipts(count - 2, count - 10), reads);
    }
}
