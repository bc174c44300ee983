using ClinicChat.Conversations;
using ClinicChat.Patients;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace ClinicChat.Realtime;

public sealed class PresenceGrain(IOptions<RealtimeOptions> options, [FromKeyedServices(ChatTime.Key)] TimeProvider time) : Grain, IPresenceGrain
{
    private readonly Dictionary<string, DateTimeOffset> _connections = [];
    private bool _announcedOnline;

    private TimeSpan Expiry => options.Value.SubscriptionExpiry;

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        // Connections whose web node stopped renewing them (it died) lapse; check once a minute.
        this.RegisterGrainTimer(ExpireAsync, TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(1));
        return Task.CompletedTask;
    }

    public Task ConnectedAsync(string connectionId)
    {
        _connections[connectionId] = time.GetUtcNow() + Expiry;
        return AnnounceAsync();
    }

    public Task DisconnectedAsync(string connectionId)
    {
        _connections.Remove(connectionId);
        return AnnounceAsync();
    }

    public Task RenewAsync(IReadOnlyList<string> connectionIds)
    {
        var until = time.GetUtcNow() + Expiry;
        foreach (var connectionId in connectionIds)
        {
            _connections[connectionId] = until;
        }

        return AnnounceAsync();
    }

    public Task<bool> IsOnlineAsync()
    {
        Prune();
        return Task.FromResult(_connections.Count > 0);
    }

    private Task ExpireAsync(CancellationToken cancellationToken) => AnnounceAsync();

    private void Prune()
    {
        var now = time.GetUtcNow();
        foreach (var lapsed in _connections.Where(c => c.Value <= now).Select(c => c.Key).ToList())
        {
            _connections.Remove(lapsed);
        }
    }

    /// <summary>Tells the staff of the patient's clinics when the patient comes online or goes away.</summary>
    private async Task AnnounceAsync()
    {
        Prune();
        var online = _connections.Count > 0;
        if (online == _announcedOnline)
        {
            return;
        }

        _announcedOnline = online;
        var patientId = this.GetPrimaryKey();
        foreach (var clinicId in await GrainFactory.GetGrain<IPatientProfileGrain>(patientId).GetClinicIdsAsync())
        {
            var topic = Topics.Clinic(clinicId);
            _ = GrainFactory.GetGrain<ITopicNotifierGrain>(topic)
                .PublishAsync(new PresenceChanged(topic, ConversationId.For(clinicId, patientId), online));
        }

        if (!online)
        {
            // Nothing left to track: let the activation go.
            DeactivateOnIdle();
        }
    }
}
