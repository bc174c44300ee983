using System.Threading.Channels;
using ClinicChat.Web.Realtime;
using Microsoft.Extensions.Time.Testing;

namespace ClinicChat.Web.Tests;

/// <summary>The staff topics' receipt pushes: the first at once, the rest of a window in one push, in order, nothing dropped.</summary>
public sealed class StaffReceiptThrottleTests
{
    private const string Clinic = "clinic:one";
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);

    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 12, 4, 9, 0, 0, TimeSpan.Zero));
    private readonly Channel<(string Topic, IReadOnlyList<ReceiptsUpdatedDto> Receipts)> _sent = Channel.CreateUnbounded<(string, IReadOnlyList<ReceiptsUpdatedDto>)>();
    private readonly List<string> _failures = [];

    private StaffReceiptThrottle Throttle(Func<string, IReadOnlyList<ReceiptsUpdatedDto>, Task>? send = null) => new(
        _time,
        send ?? ((topic, receipts) => _sent.Writer.WriteAsync((topic, receipts)).AsTask()),
        (_, topic) => { lock (_failures) { _failures.Add(topic); } });

    private static ReceiptsUpdatedDto Delivered(long seq) => new(Guid.Empty, "staff", seq, 0, null);

    /// <summary>The next push as "topic: seq, seq".</summary>
    private async Task<string> NextPushAsync()
    {
        var (topic, receipts) = await _sent.Reader.ReadAsync().AsTask().WaitAsync(Patience);
        return $"{topic}: {string.Join(", ", receipts.Select(r => r.DeliveredUpToSeq))}";
    }

    [Fact]
    public async Task TheFirstReceiptGoesAtOnceAndTheRestOfTheWindowGoTogetherInOrderWhenItEnds()
    {
        var throttle = Throttle();

        await throttle.PushAsync(Clinic, Delivered(1));
        var first = await NextPushAsync();
        await throttle.PushAsync(Clinic, Delivered(2));
        await throttle.PushAsync(Clinic, Delivered(3));
        _time.Advance(StaffReceiptThrottle.Window / 2);
        await throttle.PushAsync(Clinic, Delivered(4));
        var waitingBeforeTheEnd = _sent.Reader.TryRead(out _);
        _time.Advance(StaffReceiptThrottle.Window / 2);
        var burst = await NextPushAsync();

        Assert.Equal($"{Clinic}: 1", first);
        Assert.False(waitingBeforeTheEnd);
        Assert.Equal($"{Clinic}: 2, 3, 4", burst);
    }

    [Fact]
    public async Task AfterAQuietWindowTheNextReceiptGoesAtOnceAgain()
    {
        var throttle = Throttle();
        await throttle.PushAsync(Clinic, Delivered(1));
        await throttle.PushAsync(Clinic, Delivered(2));
        _time.Advance(StaffReceiptThrottle.Window);
        await NextPushAsync();
        await NextPushAsync();

        _time.Advance(StaffReceiptThrottle.Window);
        await throttle.PushAsync(Clinic, Delivered(3));

        Assert.Equal($"{Clinic}: 3", await NextPushAsync());
    }

    [Fact]
    public async Task EachTopicHasItsOwnWindow()
    {
        var throttle = Throttle();

        await throttle.PushAsync(Clinic, Delivered(1));
        await throttle.PushAsync("clinic-billing:one", Delivered(2));

        Assert.Equal($"{Clinic}: 1", await NextPushAsync());
        Assert.Equal("clinic-billing:one: 2", await NextPushAsync());
    }

    [Fact]
    public async Task AFailedBurstIsReportedAndTheNextWindowStillPushes()
    {
        var failNext = true;
        var throttle = Throttle((topic, receipts) =>
        {
            if (receipts[0].DeliveredUpToSeq == 2 && failNext)
            {
                failNext = false;
                throw new InvalidOperationException("The group send failed.");
            }

            return _sent.Writer.WriteAsync((topic, receipts)).AsTask();
        });
        await throttle.PushAsync(Clinic, Delivered(1));
        await NextPushAsync();
        await throttle.PushAsync(Clinic, Delivered(2));
        _time.Advance(StaffReceiptThrottle.Window);
        await WaitUntilAsync(() => { lock (_failures) { return _failures.Count == 1; } });

        await throttle.PushAsync(Clinic, Delivered(3));
        _time.Advance(StaffReceiptThrottle.Window);

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
