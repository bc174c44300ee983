using ClinicChat.Notices;

namespace ClinicChat.Web.Notices;

/// <summary>
/// The development outbox over HTTP: what notices a clinic's patients would have received, for its Admins, in the
/// Development environment only (everywhere else, and for anyone else, 404). Who may read is the grain's decision.
/// </summary>
public static class DevelopmentOutboxApi
{
    public static RouteGroupBuilder MapDevelopmentOutboxApi(this RouteGroupBuilder api)
    {
        api.MapGet("/clinics/{clinicId:guid}/dev-outbox", ListAsync).WithTags("Notices");
        return api;
    }

    private static async Task<Results<Ok<List<DevelopmentOutboxEntryDto>>, ProblemHttpResult>> ListAsync(
        Guid clinicId, Caller caller, IGrainFactory grains, IHostEnvironment environment)
    {
        // Not even a grain call outside Development: the page does not exist there.
        if (!environment.IsDevelopment())
        {
            return ApiProblems.Problem(ApiErrors.NotFound, "Not found.", null);
        }

        return (await grains.GetGrain<IDevelopmentOutboxGrain>(clinicId).ListAsync(caller.Actor))
            .ToOk(entries => entries.Select(DevelopmentOutboxEntryDto.From).ToList());
    }
}

/// <summary>One notice as its recipient would read it (<c>Subject</c> for email; no text for a decision that sent nothing); the address masked.</summary>
public sealed record DevelopmentOutboxEntryDto(
    Guid Id, DateTimeOffset DecidedAt, string Channel, string Template, string? MaskedAddress, string State, string? Subject, string? Text)
{
    public static DevelopmentOutboxEntryDto From(DevelopmentOutboxEntry entry) =>
        new(entry.Id, entry.DecidedAt, NoticeChannels.Name(entry.Channel), entry.Template, entry.MaskedAddress, entry.State, entry.Subject, entry.Text);
}
