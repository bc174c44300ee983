using ClinicChat.QuickReplies;

namespace ClinicChat.Web.QuickReplies;

public sealed record QuickReplyDto(Guid Id, string Shortcut, string Text, bool Personal, DateTimeOffset UpdatedAt)
{
    public static QuickReplyDto From(QuickReply reply) => new(reply.Id, reply.Shortcut, reply.Text, reply.Personal, reply.UpdatedAt);
}

/// <summary>A new quick reply: <c>personal</c> keeps it for the caller alone; otherwise it is the clinic's (Admins only).</summary>
public sealed record NewQuickReplyRequest(string? Shortcut, string? Text, bool Personal);

public sealed record QuickReplyRequest(string? Shortcut, string? Text);

/// <summary>A reply filled in for one patient; <c>unfilled</c> names the placeholders left as written (no clinic phone set).</summary>
public sealed record FilledQuickReplyDto(Guid Id, string Shortcut, bool Personal, string Text, IReadOnlyList<string> Unfilled)
{
    public static FilledQuickReplyDto From(FilledQuickReply reply) => new(reply.Id, reply.Shortcut, reply.Personal, reply.Text, reply.Unfilled);
}

/// <summary>Quick replies over HTTP. Who may list, insert and change which is the <see cref="IQuickRepliesGrain"/>'s to decide and audit.</summary>
public static class QuickRepliesApi
{
    public static RouteGroupBuilder MapQuickRepliesApi(this RouteGroupBuilder api)
    {
        var replies = api.MapGroup("/clinics/{clinicId:guid}/quick-replies").WithTags("Quick replies");
        replies.MapGet("", ListAsync);
        replies.MapGet("/filled", FillAsync);
        replies.MapPost("", CreateAsync).RequireRateLimiting(RateLimits.Send);
        replies.MapPut("/{replyId:guid}", UpdateAsync).RequireRateLimiting(RateLimits.Send);
        replies.MapDelete("/{replyId:guid}", DeleteAsync).RequireRateLimiting(RateLimits.Send);
        return api;
    }

    private static IQuickRepliesGrain Replies(IGrainFactory grains, Guid clinicId) => grains.GetGrain<IQuickRepliesGrain>(clinicId);

    /// <summary>The clinic's quick replies and the caller's own, by shortcut.</summary>
    private static async Task<Results<Ok<IReadOnlyList<QuickReplyDto>>, ProblemHttpResult>> ListAsync(Guid clinicId, Caller caller, IGrainFactory grains) =>
        (await Replies(grains, clinicId).ListAsync(caller.Actor)).ToOk(list => (IReadOnlyList<QuickReplyDto>)[.. list.Select(QuickReplyDto.From)]);

    /// <summary>The caller's quick replies with <c>{patient.firstName}</c>, <c>{clinic.name}</c> and <c>{clinic.phone}</c> filled in for the patient.</summary>
    private static async Task<Results<Ok<IReadOnlyList<FilledQuickReplyDto>>, ProblemHttpResult>> FillAsync(Guid clinicId, Guid patientId, Caller caller, IGrainFactory grains) =>
        (await Replies(grains, clinicId).FillForAsync(caller.Actor, patientId)).ToOk(list => (IReadOnlyList<FilledQuickReplyDto>)[.. list.Select(FilledQuickReplyDto.From)]);

    private static async Task<Results<Created<QuickReplyDto>, ProblemHttpResult>> CreateAsync(Guid clinicId, NewQuickReplyRequest request, Caller caller, IGrainFactory grains)
    {
        var outcome = await Replies(grains, clinicId).CreateAsync(caller.Actor, new QuickReplyDraft(request.Shortcut, request.Text), request.Personal);
        return outcome.Value is { } reply
            ? TypedResults.Created($"/api/v1/clinics/{clinicId}/quick-replies/{reply.Id}", QuickReplyDto.From(reply))
            : ApiProblems.From(outcome.Error!);
    }

    private static async Task<Results<Ok<QuickReplyDto>, ProblemHttpResult>> UpdateAsync(Guid clinicId, Guid replyId, QuickReplyRequest request, Caller caller, IGrainFactory grains) =>
        (await Replies(grains, clinicId).UpdateAsync(caller.Actor, replyId, new QuickReplyDraft(request.Shortcut, request.Text))).ToOk(QuickReplyDto.From);

    private static async Task<Results<NoContent, ProblemHttpResult>> DeleteAsync(Guid clinicId, Guid replyId, Caller caller, IGrainFactory grains) =>
        (await Replies(grains, clinicId).DeleteAsync(caller.Actor, replyId)).Error is { } error ? ApiProblems.From(error) : TypedResults.NoContent();
}
