using System.Threading.Channels;
using ClinicChat.Conversations;
using ClinicChat.Realtime;
using Microsoft.Extensions.Time.Testing;

namespace ClinicChat.Web.Tests;

/// <summary>A staff topic's pushes: the first at once, the rest of a window in one push, in order, nothing dropped.</summary>
public sealed class PushWindowTests
{
    private const string Clinic = "clinic:one";
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);

    private static readonly TimeSpan Window = ChatPushRelay.StaffPushWindow;

    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 12, 4, 9, 0, 0, TimeSpan.Zero));
    private readonly Channel<(string Topic, IReadOnlyList<long> Seqs)> _sent = Channel.CreateUnbounded<(string, IReadOnlyList<long>)>();
    private readonly List<string> _failures = [];

    private PushWindow<long> NewWindow(Func<string, IReadOnlyList<long>, Task>? send = null) => new(
        Window,
        _time,
        send ?? ((topic, seqs) => _sent.Writer.WriteAsync((topic, seqs)).AsTask()),
        (_, topic) => { lock (_failures) { _failures.Add(topic); } });

    /// <summary>The next push as "topic: seq, seq".</summary>
    private async Task<string> NextPushAsync()
    {
        var (topic, seqs) = await _sent.Reader.ReadAsync().AsTask().WaitAsync(Patience);
        return $"{topic}: {string.Join(", ", seqs)}";
    }

    [Fact]
    public async Task TheFirstPushGoesAtOnceAndTheRestOfTheWindowGoTogetherInOrderWhenItEnds()
    {
        var pushes = NewWindow();

        await pushes.PushAsync(Clinic, 1);
        var first = await NextPushAsync();
        await pushes.PushAsync(Clinic, 2);
        await pushes.PushAsync(Clinic, 3);
        _time.Advance(Window / 2);
        await pushes.PushAsync(Clinic, 4);
        var waitingBeforeTheEnd = _sent.Reader.TryRead(out _);
        _time.Advance(Window / 2);
        var burst = await NextPushAsync();

        Assert.Equal($"{Clinic}: 1", first);
        Assert.False(waitingBeforeTheEnd);
        Assert.Equal($"{Clinic}: 2, 3, 4", burst);
    }

    [Fact]
    public async Task AfterAQuietWindowTheNextPushGoesAtOnceAgain()
    {
        var pushes = NewWindow();
        await pushes.PushAsync(Clinic, 1);
        await pushes.PushAsync(Clinic, 2);
        _time.Advance(Window);
        await NextPushAsync();
        await NextPushAsync();

        _time.Advance(Window);
        await pushes.PushAsync(Clinic, 3);

        Assert.Equal($"{Clinic}: 3", await NextPushAsync());
    }

    [Fact]
    public async Task EachTopicHasItsOwnWindow()
    {
        var pushes = NewWindow();

        await pushes.PushAsync(Clinic, 1);
        await pushes.PushAsync("clinic-billing:one", 2);

        Assert.Equal($"{Clinic}: 1", await NextPushAsync());
        Assert.Equal("clinic-billing:one: 2", await NextPushAsync());
    }

    [Fact]
    public async Task AFailedBurstIsReportedAndTheNextWindowStillPushes()
    {
        var failNext = true;
        var pushes = NewWindow((topic, seqs) =>
        {
            if (seqs[0] == 2 && failNext)
            {
                failNext = false;
                throw new InvalidOperationException("The group send failed.");
            }

            return _sent.Writer.WriteAsync((topic, seqs)).AsTask();
        });
        await pushes.PushAsync(Clinic, 1);
        await NextPushAsync();
        await pushes.PushAsync(Clinic, 2);
        _time.Advance(Window);
        await WaitUntilAsync(() => { lock (_failures) { return _failures.Count == 1; } });

        await pushes.PushAsync(Clinic, 3);
        _time.Advance(Window);

        Assert.Equal($"{Clinic}: 3", await NextPushAsync());
        Assert.Equal([Clinic], _failures);
    }

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow + Patience;
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "The condition did not come true.");
            await Task.Delay(10); // polling the condition, not a wait for time to pass
        }
    }
}

/// <summary>How a staff topic's burst becomes frames: messages and receipts coalesced between other pushes, which keep their place.</summary>
public sealed class PushFramesTests
{
    private const string Topic = "clinic:one";
    private static readonly Guid Thread = Guid.NewGuid();

    private static MessageAdded Message(long seq) =>
        new(Topic, Thread, new MessageView(Thread, seq, $"c-{seq}", "patient", SenderKind.Patient, "Pat", "text", DateTimeOffset.UnixEpoch));

    private static ReceiptsUpdated Delivered(long seq) => new(Topic, Thread, SenderKind.Staff, new SideReceipts(seq, 0));

    private static string Describe(ChatEvent chatEvent) => chatEvent switch
    {
        MessageAdded added => $"m{added.Message.Seq}",
        ReceiptsUpdated moved => $"r{moved.Receipts.DeliveredUpTo}",
        TypingStarted => "typing",
        MessageWithdrawn withdrawn => $"withdrawn{withdrawn.Seq}",
        _ => chatEvent.GetType().Name,
    };

    private static string[] FramesOf(params ChatEvent[] events) =>
        [.. ChatPushRelay.Frames(events).Select(frame => string.Join(" ", frame.Select(Describe)))];

    [Fact]
    public void ABurstOfMessagesAndReceiptsIsOneFrameOfEachMessagesFirst()
    {
        Assert.Equal(["m1 m2 m3", "r1 r2"], FramesOf(Message(1), Delivered(1), Message(2), Delivered(2), Message(3)));
    }

    [Fact]
    public void TypingBeforeAMessageArrivesBeforeItAndAWithdrawalAfterIt()
    {
        var frames = FramesOf(Message(1), new TypingStarted(Topic, Thread, SenderKind.Patient, "Pat"), Message(2), Delivered(1), new MessageWithdrawn(Topic, Thread, 2));

        Assert.Equal(["m1", "typing", "m2", "r1", "withdrawn2"], frames);
    }

    [Fact]
    public void ASinglePushIsOneFrame()
    {
        Assert.Equal(["typing"], FramesOf(new TypingStarted(Topic, Thread, SenderKind.Patient, "Pat")));
        Assert.Equal(["m1"], FramesOf(Message(1)));
    }
}
