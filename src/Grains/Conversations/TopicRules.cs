using ClinicChat.Clinics;

namespace ClinicChat.Conversations;

/// <summary>Whether a patient may start a conversation about a topic, and which topics an Admin may offer.</summary>
internal static class TopicRules
{
    /// <summary>Null when the clinic offers the topic to its patients; otherwise why not, as the patient is told.</summary>
    public static ChatError? PatientStartProblem(ClinicProfile clinic, PatientStart start)
    {
        var offered = clinic.StartTopics;
        if (offered.Count == 0)
        {
            return new ChatError(ChatErrorCode.Forbidden,
                $"{Named(clinic)} does not take new conversations in the portal: answer one of its messages, or call {clinic.Phone ?? "the clinic"}.");
        }

        return offered.Contains(start.Topic)
            ? null
            : ChatError.Invalid("topic", $"{Named(clinic)} takes conversations about: {string.Join(", ", offered.Select(ThreadTopics.WireName))}.");
    }

    /// <summary>The topics as stored: known ones only, each once, in the order they are listed.</summary>
    public static IReadOnlyList<ThreadTopic> Normalised(IEnumerable<ThreadTopic> topics)
    {
        var chosen = topics.ToHashSet();
        return [.. ThreadTopics.Offerable.Where(chosen.Contains)];
    }

    /// <summary>Everyone who may take part in a thread of some topic: clinicians, front desk and Billing.</summary>
    public static readonly IReadOnlyList<StaffRole> AllChatRoles = [StaffRole.Clinician, StaffRole.FrontDesk, StaffRole.Billing];

    /// <summary>
    /// Who answers a thread about <paramref name="topic"/> when nobody has taken it (whom its overdue email goes to):
    /// appointments the front desk, the care team its clinicians, billing the Billing staff, anything else both desks.
    /// </summary>
    public static IReadOnlyList<StaffRole> Owners(ThreadTopic topic) => topic switch
    {
        ThreadTopic.Appointments => [StaffRole.FrontDesk],
        ThreadTopic.CareTeam => [StaffRole.Clinician],
        ThreadTopic.Billing => [StaffRole.Billing],
        _ => [StaffRole.Clinician, StaffRole.FrontDesk],
    };

    private static string Named(ClinicProfile clinic) => string.IsNullOrWhiteSpace(clinic.Name) ? "The clinic" : clinic.Name;
}
