namespace ClinicChat.Conversations;

/// <summary>What a response-time sample measures: the first answer in an episode, a later one, or the episode's close.</summary>
public enum ResponseKind
{
    FirstReply = 0,
    Reply = 1,
    Resolution = 2,
}

/// <summary>One measured wait, from the patient's first unanswered message (or the episode's start) to the end.</summary>
public sealed record ResponseSample(ResponseKind Kind, DateTimeOffset StartedAt, DateTimeOffset EndedAt);

/// <summary>
/// How a thread's response clock moves. A patient's message starts a wait (and an episode, when none is open); a
/// person's answer ends the wait with a sample; the clinic's automatic reply answers nobody; closing ends the episode with
/// a resolution sample; "waiting on the patient" stops the wait without a sample (the clinic chose to wait). Pure.
/// </summary>
internal static class ResponseRules
{
    public static (ThreadTeam Team, ResponseSample? Sample) AfterMessage(ThreadTeam team, MessageView message)
    {
        if (message.SenderKind == SenderKind.Patient)
        {
            return (team with { WaitingSince = team.WaitingSince ?? message.SentAt, EpisodeStarted = team.EpisodeStarted ?? message.SentAt }, null);
        }

        if (message.Automatic || team.WaitingSince is not { } since)
        {
            return (team, null);
        }

        var kind = since == team.EpisodeStarted ? ResponseKind.FirstReply : ResponseKind.Reply;
        return (team with { WaitingSince = null }, new ResponseSample(kind, since, message.SentAt));
    }

    /// <summary>The clock after a status change; <paramref name="team"/> already holds the new status.</summary>
    public static (ThreadTeam Team, ResponseSample? Sample) AfterStatus(ThreadTeam team, DateTimeOffset at) => team.Status switch
    {
        ThreadStatus.Closed => (team with { WaitingSince = null, EpisodeStarted = null },
            team.EpisodeStarted is { } started ? new ResponseSample(ResponseKind.Resolution, started, at) : null),
        ThreadStatus.Waiting => (team with { WaitingSince = null }, null),
        _ => (team, null),
    };
}
