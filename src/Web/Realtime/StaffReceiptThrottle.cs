using ClinicChat.Web.Conversations;

namespace ClinicChat.Web.Realtime;

/// <summary>
/// Receipt pushes to a clinic's staff topic, at most one frame per <see cref="Window"/>: the first receipt after a quiet
/// window goes at once; those that follow within it wait for the window's end and go together, in order.
/// </summary>
/// <remarks>
/// Every staff tab of the clinic receives every receipt of the clinic: with 50 tabs open, a patient's delivery receipt
/// for each message was 50 WebSocket frames, half of what a message cost in frames, syscalls and Kestrel's writes
/// (docs/benchmarks.md, "Profile of the clinic day"). A tick that turns from sent to delivered up to a window later is
/// not something a person sees; at 500 messages a second the frames fall from 500 to 20 a second per tab. A patient's
/// topic (one or two devices) is not throttled. What is pending when the node stops is not sent: clients resync from
/// their cursors when they reconnect.
/// </remarks>
public sealed class StaffReceiptThrottle(TimeProvider time, Func<string, IReadOnlyList<ReceiptsUpdatedDto>, Task> send, Action<Exception, string> failed)
{
    public static readonly TimeSpan Window = TimeSpan.FromMilliseconds(50);

    private readonly Dictionary<string, TopicWindow> _topics = [];
    private readonly Lock _gate = new();

    private sealed class TopicWindow
    {
        public DateTimeOffset LastSentAt;
        public List<ReceiptsUpdatedDto>? Pending;
    }

    public Task PushAsync(string topic, ReceiptsUpdatedDto receipt)
    {
        TimeSpan? flushIn = null;
        lock (_gate)
        {
            var now = time.GetUtcNow();
            if (!_topics.TryGetValue(topic, out var window))
            {
                _topics[topic] = window = new TopicWindow { LastSentAt = DateTimeOffset.MinValue };
            }

            if (window.Pending is null && now - window.LastSentAt >= Window)
            {
                window.LastSentAt = now;
            }
            else
            {
                if (window.Pending is null)
                {
                    window.Pending = [];
                    flushIn = window.LastSentAt + Window - now;
                }

                window.Pending.Add(receipt);
                if (flushIn is null)
                {
                    return Task.CompletedTask;
                }
            }
        }

        if (flushIn is { } delay)
        {
            _ = FlushLaterAsync(topic, delay);
            return Task.CompletedTask;
        }

        return send(topic, [receipt]);
    }

    private async Task FlushLaterAsync(string topic, TimeSpan delay)
    {
        if (delay > TimeSpan.Zero)
        {
            await Task.Delay(delay, time);
        }

        List<ReceiptsUpdatedDto> batch;
        lock (_gate)
        {
            var window = _topics[topic];
            batch = window.Pending!;
            window.Pending = null;
            window.LastSentAt = time.GetUtcNow();
        }

        try
        {
            await send(topic, batch);
        }
        catch (Exception exception)
        {
            failed(exception, topic);
        }
    }
}
