namespace ClinicChat.Realtime;

/// <summary>Push limits, read by the silo's notifier and presence grains and by every web node's hub (one configuration section).</summary>
public sealed class RealtimeOptions
{
    public const string Section = "ClinicChat:Realtime";

    /// <summary>A web node's subscription lapses unless renewed within this time (it renews at a third of it).</summary>
    public TimeSpan SubscriptionExpiry { get; set; } = TimeSpan.FromMinutes(3);

    /// <summary>
    /// Push connections one user may hold open on one web node (each node counts its own: behind a
    /// balancer with M nodes a user can hold up to M times this). A person has a few tabs and devices;
    /// each connection costs server memory and a copy of every push.
    /// </summary>
    public int MaxConnectionsPerUser { get; set; } = 20;
}
