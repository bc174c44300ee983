using ClinicChat.Clinics;
using ClinicChat.ResponseTimes;

namespace ClinicChat.Conversations;

/// <summary>
/// Stores a thread's measured waits (see <see cref="ResponseRules"/>) with the office time they took, in the commit that
/// ends them. The clinic's hours come from the thread's copy of its profile.
/// </summary>
internal sealed class ResponseClock(CachedClinicProfile profile, Guid conversationId, Guid clinicId)
{
    public async Task<WriteUnit?> RecordAsync(ResponseSample? sample)
    {
        if (sample is null)
        {
            return null;
        }

        var hours = OfficeHoursRules.CountingHours((await profile.GetAsync()).Hours);
        return ResponseStore.Record(conversationId, clinicId, sample, OfficeHoursRules.OfficeTimeBetween(hours, sample.StartedAt, sample.EndedAt));
    }
}
