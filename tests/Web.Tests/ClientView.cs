namespace ClinicChat.Web.Tests;

/// <summary>
/// The client protocol the web app follows, in C#: merge pushes by seq, sync from the last seq when
/// a push reveals a gap and after every (re)subscription, never keep a seq twice. Tests use it to
/// check that what a client ends up with equals what the server stored.
/// </summary>
internal sealed class ClientView : IAsyncDisposable
{
    private readonly ApiSession _session;
    private readonly Guid _conversationId;
    private readonly SortedDictionary<long, MessageDto> _messages = [];
    private readonly Lock _gate = new();
    private readonly SemaphoreSlim _syncing = new(1, 1);
    private readonly List<(long Seq, TaskCompletionSource Reached)> _waiters = [];

    public ClientView(ApiSession session, Guid conversationId)
    {
        _session = session;
        _conversationId = conversationId;
        Hub = session.App.CreateHubConnection(session.Cookie);
        Hub.OnMessage(OnPush);
        Hub.On(nameof(IChatClient.Subscribed), () => _ = SyncAsync());
    }

    public HubConnection Hub { get; }

    /// <summary>Pushes to pretend were lost on the way (to exercise gap detection).</summary>
    public Func<MessageDto, bool> LosePush { get; set; } = _ => false;

    public int DuplicatePushes { get; private set; }

    public int GapsDetected { get; private set; }

    public long LastSeq
    {
        get
        {
            lock (_gate)
            {
                return _messages.Count == 0 ? 0 : _messages.Keys.Last();
            }
        }
    }

    public IReadOnlyList<MessageDto> Messages
    {
        get
        {
            lock (_gate)
            {
                return [.. _messages.Values];
            }
        }
    }

    /// <summary>Connects, waits until the subscription is live, then syncs: the client's start-up.</summary>
    public async Task ConnectAsync()
    {
        await ClinicChatApp.ConnectAsync(Hub);
        await SyncAsync();
    }

    public Task DisconnectAsync() => Hub.StopAsync();

    /// <summary>Completes when the view holds every message up to <paramref name="seq"/>.</summary>
    public Task WaitForSeqAsync(long seq, TimeSpan patience)
    {
        lock (_gate)
        {
            if (LastSeq >= seq)
            {
                return Task.CompletedTask;
            }

            var reached = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            _waiters.Add((seq, reached));
            return reached.Task.WaitAsync(patience);
        }
    }

    /// <summary>Called under the lock after messages were added.</summary>
    private void ReleaseWaiters()
    {
        var last = _messages.Count == 0 ? 0 : _messages.Keys.Last();
        foreach (var waiter in _waiters.Where(w => w.Seq <= last).ToList())
        {
            waiter.Reached.TrySetResult();
            _waiters.Remove(waiter);
        }
    }

    public async Task SyncAsync()
    {
        await _syncing.WaitAsync();
        try
        {
            bool more;
            do
            {
                var page = await _session.Http.GetFromJsonAsync<MessagePageDto>($"/api/v1/conversations/{_conversationId}/messages?afterSeq={LastSeq}&limit=200");
                lock (_gate)
                {
                    foreach (var message in page!.Messages)
                    {
                        _messages.TryAdd(message.Seq, message);
                    }

                    ReleaseWaiters();
                }

                more = page.HasMore;
            }
            while (more);
        }
        finally
        {
            _syncing.Release();
        }
    }

    private void OnPush(MessageDto message)
    {
        if (message.ConversationId != _conversationId || LosePush(message))
        {
            return;
        }

        lock (_gate)
        {
            if (_messages.ContainsKey(message.Seq))
            {
                DuplicatePushes++;
                return;
            }

            var last = _messages.Count == 0 ? 0 : _messages.Keys.Last();
            if (message.Seq == last + 1)
            {
                _messages.Add(message.Seq, message);
                ReleaseWaiters();
                return;
            }

            GapsDetected++;
        }

        _ = SyncAsync();
    }

    public async ValueTask DisposeAsync() => await Hub.DisposeAsync();
}
