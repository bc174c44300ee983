namespace ClinicChat.Conversations;

/// <summary>
/// What a thread is about, as the patient chose when they started it (or staff set later). It routes the thread: a
/// clinic's clinicians and front desk take part in every thread, its Billing staff in billing threads. None: a thread
/// staff started, or one from before topics.
/// </summary>
public enum ThreadTopic
{
    None = 0,
    Appointments = 1,
    Billing = 2,
    CareTeam = 3,
}

/// <summary>The topics' wire names and who they route to.</summary>
public static class ThreadTopics
{
    /// <summary>The topics a clinic may offer its patients, in the order they are listed.</summary>
    public static readonly IReadOnlyList<ThreadTopic> Offerable = [ThreadTopic.Appointments, ThreadTopic.Billing, ThreadTopic.CareTeam];

    public static string WireName(ThreadTopic topic) => topic switch
    {
        ThreadTopic.Appointments => "appointments",
        ThreadTopic.Billing => "billing",
        ThreadTopic.CareTeam => "careTeam",
        _ => "none",
    };

    /// <summary>A wire name (case-insensitive) to a topic; "none" too when <paramref name="allowNone"/>.</summary>
    public static bool TryParse(string? wireName, bool allowNone, out ThreadTopic topic)
    {
        topic = ThreadTopic.None;
        if (wireName is null)
        {
            return false;
        }

        foreach (var candidate in Enum.GetValues<ThreadTopic>())
        {
            if (string.Equals(WireName(candidate), wireName.Trim(), StringComparison.OrdinalIgnoreCase) && (allowNone || candidate != ThreadTopic.None))
            {
                topic = candidate;
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// The one routing rule: staff in <paramref name="role"/> take part in a thread about <paramref name="topic"/> when they
    /// chat with patients (clinicians, front desk), or when the thread is about billing and they are Billing. Access
    /// checks (<see cref="RoutesTo(Actor, Guid, ThreadTopic)"/>) and whom a thread may be assigned to or mention both use it.
    /// </summary>
    public static bool RoutesTo(StaffRole role, ThreadTopic topic) =>
        Actor.ChatsWithPatients(role) || (role == StaffRole.Billing && topic == ThreadTopic.Billing);

    /// <summary>Whether <paramref name="actor"/> takes part, as staff, in a thread about <paramref name="topic"/> at the clinic.</summary>
    public static bool RoutesTo(this Actor actor, Guid clinicId, ThreadTopic topic) =>
        actor.Kind == ActorKind.Staff && actor.Memberships.Any(m => m.ClinicId == clinicId && RoutesTo(m.Role, topic));

    /// <summary>Clinics where the actor is Billing staff (and not also chat staff): they see the billing threads there.</summary>
    public static IEnumerable<Guid> BillingOnlyClinics(this Actor actor) =>
        actor.Kind == ActorKind.Staff
            ? actor.Memberships.Where(m => m.Role == StaffRole.Billing).Select(m => m.ClinicId).Distinct().Where(c => !actor.CanChatAt(c))
            : [];

    public const string Help = "topic is one of appointments, billing, careTeam.";
}

/// <summary>
/// A patient starting a conversation with one of their clinics about <see cref="Topic"/>: the clinic's thread with them
/// (created if they have none) takes the topic, and <see cref="Message"/> is its next message.
/// </summary>
[GenerateSerializer, Immutable, Alias("ClinicChat.PatientStart")]
public sealed record PatientStart([property: Id(0)] ThreadTopic Topic, [property: Id(1)] SendMessage Message);
