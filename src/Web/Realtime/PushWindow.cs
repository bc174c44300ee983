namespace ClinicChat.Web.Realtime;

/// <summary>
/// Pushes to one topic, at most one burst per <paramref name="window"/>: the first push after a quiet window goes at once;
/// those that follow within it wait for the window's end and go together, in the order they came.
/// </summary>
/// <remarks>
/// Keeps one small entry per topic it has seen: use it for a bounded set of topics (the relay's staff topics, two per
/// clinic). What is pending when the process stops is not sent: clients resync from their cursors when they reconnect.
/// </remarks>
public sealed class PushWindow<T>(TimeSpan window, TimeProvider time, Func<string, IReadOnlyList<T>, Task> send, Action<Exception, string> failed)
{
    private readonly Dictionary<string, TopicWindow> _topics = [];
    private readonly Lock _gate = new();

    private sealed class TopicWindow
    {
        public DateTimeOffset LastSentAt = DateTimeOffset.MinValue;
        public List<T>? Pending;
    }

    public Task PushAsync(string topic, T item)
    {
        TimeSpan? flushIn = null;
        lock (_gate)
        {
            var now = time.GetUtcNow();
            if (!_topics.TryGetValue(topic, out var state))
            {
                _topics[topic] = state = new TopicWindow();
            }

            if (state.Pending is not null)
            {
                state.Pending.Add(item);
                return Task.CompletedTask;
            }

            if (now - state.LastSentAt >= window)
            {
                state.LastSentAt = now;
            }
            else
            {
                state.Pending = [item];
                flushIn = state.LastSentAt + window - now;
            }
        }

        if (flushIn is { } delay)
        {
            _ = FlushLaterAsync(topic, delay);
            return Task.CompletedTask;
        }

        return send(topic, [item]);
    }

    private async Task FlushLaterAsync(string topic, TimeSpan delay)
    {
        await Task.Delay(delay, time);
        List<T> burst;
        lock (_gate)
        {
            var state = _topics[topic];
            burst = state.Pending!;
            state.Pending = null;
            state.LastSentAt = time.GetUtcNow();
        }

        try
        {
            await send(topic, burst);
        }
        catch (Exception exception)
        {
            failed(exception, topic);
        }
    }
}
