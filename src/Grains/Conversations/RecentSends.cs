namespace ClinicChat.Conversations;

/// <summary>A bounded, insertion-ordered window of recently stored messages keyed by (sender, client id).</summary>
internal sealed class RecentSends(int capacity)
{
    private readonly Dictionary<(string Sender, string ClientId), MessageView> _byKey = [];
    private readonly Queue<(string Sender, string ClientId)> _order = new();

    public bool TryGet(string senderId, string clientMessageId, out MessageView message) =>
        _byKey.TryGetValue((senderId, clientMessageId), out message!);

    public void Add(MessageView message)
    {
        var key = (message.SenderId, message.ClientMessageId);
        if (!_byKey.TryAdd(key, message))
        {
            return;
        }

        _order.Enqueue(key);
        if (_order.Count > capacity)
        {
            _byKey.Remove(_order.Dequeue());
        }
    }
}
