using ClinicChat.Clinics;
using ClinicChat.Notices;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Concurrency;

namespace ClinicChat.ResponseTimes;

/// <summary>Reads a clinic's measured waits for its Admins: stateless, one per silo, nothing kept between calls.</summary>
[StatelessWorker]
public sealed class ResponseReportGrain(ResponseStore store, [FromKeyedServices(ChatTime.Key)] TimeProvider time) : Grain, IResponseReportGrain
{
    private Guid ClinicId => this.GetPrimaryKey();

    public async Task<Outcome<ResponseReport>> ReadAsync(Actor actor, int weeks)
    {
        if (!actor.HasRoleAt(ClinicId, StaffRole.Admin))
        {
            return await GrainFactory.DenyAsync(actor, ClinicId, null, null, "response_times",
                actor.Kind == ActorKind.Staff && actor.IsOf(ClinicId) ? new ChatError(ChatErrorCode.Forbidden, "Response times are for the clinic's Admins.") : null);
        }

        if (weeks is < 1 or > IResponseReportGrain.MaxWeeks)
        {
            return ChatError.Invalid("weeks", $"weeks is between 1 and {IResponseReportGrain.MaxWeeks}.");
        }

        var hours = (await GrainFactory.GetGrain<IClinicProfileGrain>(ClinicId).GetAsync()).Hours;
        var zone = NoticeRules.ZoneOf(hours.TimeZone);
        var now = time.GetUtcNow();
        var samples = await store.ReadAsync(ClinicId, ResponseReportRules.From(now, zone, weeks));
        return new ResponseReport(hours.TimeZone, hours.ReplyTarget, ResponseReportRules.Weeks(samples, zone, hours.ReplyTarget, weeks, now));
    }
}
