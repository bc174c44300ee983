using ClinicChat.Access;
using static ClinicChat.Web.Tests.SessionTestKit;

namespace ClinicChat.Web.Tests;

/// <summary>
/// Refused reads are audited without flooding the log: per caller, clinic and minute the first
/// refusal is written at once and the rest as one summary row with their count, on the product clock.
/// </summary>
public sealed class AuditFloodTests(ClockedAppFixture fixture) : IClassFixture<ClockedAppFixture>
{
    private const int Refusals = 300;

    private ClinicChatApp App => fixture.App;

    [Fact]
    public async Task HundredsOfRefusedReadsAtOneClinicLeaveTheFirstRowAtOnceAndOneSummaryWithTheirCount()
    {
        var clinic = Guid.NewGuid();
        var admin = await App.SignInAsync(await CreateStaffAsync(App, clinic, StaffRole.Admin));
        var patient = await App.SignInAsync(await CreatePatientAsync(App));

        var first = await patient.Http.GetAsync($"/api/v1/clinics/{clinic}/security");
        var seenAtOnce = await RefusalsOnTheAuditPageAsync(admin, clinic, patient.UserId);
        for (var i = 1; i < Refusals; i++)
        {
            Assert.Equal(HttpStatusCode.NotFound, (await patient.Http.GetAsync($"/api/v1/clinics/{clinic}/security")).StatusCode);
        }

        var duringTheMinute = await RefusalsOnTheAuditPageAsync(admin, clinic, patient.UserId);
        fixture.Clock.Offset += TimeSpan.FromMinutes(2);
        // The next refusal, in a new window, closes the old one: its summary, then itself at once.
        await patient.Http.GetAsync($"/api/v1/clinics/{clinic}/security");
        var afterTheMinute = await RefusalsOnTheAuditPageAsync(admin, clinic, patient.UserId);
        var verified = await admin.Http.GetFromJsonAsync<AuditVerificationDto>($"/api/v1/clinics/{clinic}/audit/verify");

        Assert.Equal(HttpStatusCode.NotFound, first.StatusCode);
        Assert.Equal([AuditActions.AccessDenied], seenAtOnce.Select(e => e.Action));
        Assert.Equal([AuditActions.AccessDenied], duringTheMinute.Select(e => e.Action));
        Assert.Equal([AuditActions.AccessDenied, AuditActions.AccessDeniedSummary, AuditActions.AccessDenied], afterTheMinute.Select(e => e.Action));
        var summary = afterTheMinute[1];
        Assert.StartsWith($"count={Refusals - 1};", summary.Detail, StringComparison.Ordinal);
        Assert.Contains("targets=1;sample=clinic_security", summary.Detail, StringComparison.Ordinal);
        Assert.Equal(AuditOutcomes.Denied, summary.Outcome);
        Assert.True(verified!.Ok);
    }

    [Fact]
    public async Task RefusedReadsOfRandomThreadIdsAreSummarisedToo()
    {
        var patient = await App.SignInAsync(await CreatePatientAsync(App));

        for (var i = 0; i < 100; i++)
        {
            Assert.Equal(HttpStatusCode.NotFound, (await patient.Http.GetAsync($"/api/v1/conversations/{Guid.NewGuid()}/messages")).StatusCode);
        }

        Assert.Equal(1, await TestData.AuditCountAsync(App, AuditActions.AccessDenied, actorId: patient.UserId));
        fixture.Clock.Offset += TimeSpan.FromMinutes(2);
        await patient.Http.GetAsync($"/api/v1/conversations/{Guid.NewGuid()}/messages");
        Assert.Equal(1, await TestData.AuditCountAsync(App, AuditActions.AccessDeniedSummary, "count=99;%;targets=100;", actorId: patient.UserId));
    }

    [Fact]
    public async Task RefusedReadsOfRandomThreadIdsDoNotEachLeaveAGrainActivationBehind()
    {
        var patient = await App.SignInAsync(await CreatePatientAsync(App));
        var management = App.Services.GetRequiredService<IGrainFactory>().GetGrain<IManagementGrain>(0);
        async Task<int> ThreadActivationsAsync() =>
            (await management.GetSimpleGrainStatistics()).Where(s => s.GrainType.Contains("ConversationGrain", StringComparison.Ordinal)).Sum(s => s.ActivationCount);

        var before = await ThreadActivationsAsync();
        for (var i = 0; i < 200; i++)
        {
            await patient.Http.GetAsync($"/api/v1/conversations/{Guid.NewGuid()}/messages");
        }

        // Each guess deactivates as its call ends; a few may still be on their way out when counted.
        Assert.InRange(await ThreadActivationsAsync() - before, 0, 20);
    }

    /// <summary>The clinic's audit page as its Admin sees it, oldest first, only <paramref name="actorId"/>'s refusals.</summary>
    private static async Task<List<AuditEventDto>> RefusalsOnTheAuditPageAsync(ApiSession admin, Guid clinic, string actorId)
    {
        var page = await admin.Http.GetFromJsonAsync<AuditPageDto>($"/api/v1/clinics/{clinic}/audit?actorId={actorId}&limit=100");
        return [.. page!.Events.Where(e => e.Outcome == AuditOutcomes.Denied).OrderBy(e => e.Id)];
    }
}
