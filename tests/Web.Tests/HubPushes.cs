namespace ClinicChat.Web.Tests;

internal static class HubPushes
{
    /// <summary>Each pushed message in turn: a push carries a list (a clinic's staff get up to 50 ms of messages in one).</summary>
    public static IDisposable OnMessage(this HubConnection hub, Action<MessageDto> handler) =>
        hub.On<MessageDto[]>(nameof(IChatClient.MessageAdded), messages =>
        {
            foreach (var message in messages)
            {
                handler(message);
            }
        });
}
