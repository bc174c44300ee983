using System.Reflection;
using ClinicChat.Access;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;

namespace ClinicChat.Web.Tests;

/// <summary>The error catalogue and the one translation of grain refusals, without a host.</summary>
public sealed class ApiErrorsTests
{
    [Fact]
    public void EveryErrorCodeIsCataloguedWithAStatus()
    {
        var codes = typeof(ApiErrors).GetFields(BindingFlags.Public | BindingFlags.Static)
            .Where(f => f.IsLiteral && f.FieldType == typeof(string))
            .Select(f => (string)f.GetRawConstantValue()!)
            .ToList();

        Assert.NotEmpty(codes);
        Assert.All(codes, code => Assert.InRange(ApiErrors.Status[code], 400, 599));
        Assert.Equal(codes.Count, codes.Distinct(StringComparer.Ordinal).Count());
        Assert.Equal(codes.Order(StringComparer.Ordinal), ApiErrors.Status.Keys.Order(StringComparer.Ordinal));
    }

    [Theory]
    [InlineData(ChatErrorCode.NotFound, StatusCodes.Status404NotFound, ApiErrors.NotFound)]
    [InlineData(ChatErrorCode.Validation, StatusCodes.Status400BadRequest, ApiErrors.ValidationFailed)]
    [InlineData(ChatErrorCode.PatientHasNoPortalAccount, StatusCodes.Status409Conflict, ApiErrors.PatientHasNoPortalAccount)]
    [InlineData(ChatErrorCode.PatientOptedOut, StatusCodes.Status409Conflict, ApiErrors.PatientOptedOut)]
    [InlineData(ChatErrorCode.Forbidden, StatusCodes.Status403Forbidden, ApiErrors.Forbidden)]
    [InlineData(ChatErrorCode.RetryLater, StatusCodes.Status503ServiceUnavailable, ApiErrors.TemporarilyUnavailable)]
    [InlineData(ChatErrorCode.SensitiveLocked, StatusCodes.Status403Forbidden, ApiErrors.SensitiveLocked)]
    [InlineData(ChatErrorCode.VersionConflict, StatusCodes.Status412PreconditionFailed, ApiErrors.VersionConflict)]
    [InlineData(ChatErrorCode.AccountOfAnother, StatusCodes.Status409Conflict, ApiErrors.PortalAccountOfAnother)]
    public void AGrainRefusalIsAnsweredWithItsCodeAndStatus(ChatErrorCode refusal, int status, string code)
    {
        var problem = ApiProblems.From(new ChatError(refusal, "detail", "field")).ProblemDetails;

        Assert.Equal(status, problem.Status);
        Assert.Equal(code, problem.Extensions["code"]);
    }

    /// <summary>A refusal added to the grains without an answer here would reach the caller as a 500-like internal_error.</summary>
    [Fact]
    public void EveryGrainRefusalHasAnAnswerOfItsOwn()
    {
        var unanswered = Enum.GetValues<ChatErrorCode>()
            .Where(refusal => (string?)ApiProblems.From(new ChatError(refusal, "detail")).ProblemDetails.Extensions["code"] == ApiErrors.InternalError);

        Assert.Empty(unanswered);
    }

    [Fact]
    public void AValidationRefusalNamesTheFieldItIsAbout()
    {
        var problem = ApiProblems.From(ChatError.Invalid("text", "Too long.")).ProblemDetails;

        Assert.Equal("text", problem.Extensions["field"]);
        Assert.Equal("Too long.", problem.Detail);
    }

    [Fact]
    public void ASuccessfulOutcomeIsAnsweredWithItsMappedValueAndARefusalWithItsProblem()
    {
        var ok = new Outcome<int>(41, null).ToOk(n => n + 1).Result;
        var refused = new Outcome<int>(0, ChatError.NotFound()).ToOk(n => n + 1).Result;

        Assert.Equal(42, Assert.IsType<Microsoft.AspNetCore.Http.HttpResults.Ok<int>>(ok).Value);
        Assert.Equal(StatusCodes.Status404NotFound, Assert.IsType<Microsoft.AspNetCore.Http.HttpResults.ProblemHttpResult>(refused).StatusCode);
    }

    [Fact]
    public void AProblemTakesItsStatusFromTheCatalogue()
    {
        ProblemDetails problem = ApiProblems.Problem(ApiErrors.AttachmentTooLarge, "Too large.", null).ProblemDetails;

        Assert.Equal(StatusCodes.Status413PayloadTooLarge, problem.Status);
    }
}
