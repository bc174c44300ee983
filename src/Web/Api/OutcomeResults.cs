namespace ClinicChat.Web.Api;

/// <summary>The one translation of a grain's <see cref="Outcome{T}"/> into an HTTP answer: the value as 200, a refusal as its ProblemDetails.</summary>
public static class OutcomeResults
{
    public static Results<Ok<TDto>, ProblemHttpResult> ToOk<T, TDto>(this Outcome<T> outcome, Func<T, TDto> map) =>
        outcome.Error is { } error ? ApiProblems.From(error) : TypedResults.Ok(map(outcome.Value!));
}
