using ClinicChat.Clinics;
using ClinicChat.ResponseTimes;
using ClinicChat.Storage;

namespace ClinicChat.Conversations;

/// <summary>
/// Stores a thread's measured waits (see <see cref="ResponseRules"/>) with the office time they took, in the commit that
/// ends them. The clinic's hours come from its profile grain's memory.
/// </summary>
internal sealed class ResponseClock(IGrainFactory grains, Guid conversationId, Guid clinicId)
{
    public async Task<WriteUnit?> RecordAsync(ResponseSample? sample)
    {
        if (sample is null)
        {
            return null;
        }

        var hours = OfficeHoursRules.CountingHours((await grains.GetGrain<IClinicProfileGrain>(clinicId).GetAsync()).Hours);
        return ResponseStore.Record(conversationId, clinicId, sample, OfficeHoursRules.OfficeTimeBetween(hours, sample.StartedAt, sample.EndedAt));
    }
}
