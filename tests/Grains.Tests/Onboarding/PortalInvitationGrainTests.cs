using ClinicChat.Notices;
using ClinicChat.Onboarding;

namespace ClinicChat.Tests.Onboarding;

/// <summary>One link, one grain: concurrent holders of one link meet its rules one at a time.</summary>
[Collection(ClusterCollection.Name)]
public sealed class PortalInvitationGrainTests(ClusterFixture fixture)
{
    private static readonly DateOnly BirthDate = new(1980, 5, 17);

    [Fact]
    public async Task ConcurrentWrongBirthDatesLockTheLinkExactlyOnceAfterTheThird()
    {
        var (link, secret) = await InvitedAsync();

        var checks = await Task.WhenAll(Enumerable.Range(0, 6).Select(_ => link.CheckBirthDateAsync(secret, BirthDate.AddDays(1))));
        var rightAfterwards = await link.CheckBirthDateAsync(secret, BirthDate);

        Assert.Equal(2, checks.Count(c => c.Standing == ActivationStanding.BirthDateMismatch));
        Assert.Equal(4, checks.Count(c => c.Standing == ActivationStanding.Locked));
        Assert.Equal([2, 1], checks.Where(c => c.Standing == ActivationStanding.BirthDateMismatch).Select(c => c.AttemptsLeft).Order().Reverse());
        Assert.Equal(ActivationStanding.Locked, rightAfterwards.Standing);
        Assert.Equal(1, await AuditCountAsync("activation.locked", link));
        Assert.Equal(3, await AuditCountAsync("activation.birth_date_mismatch", link));
    }

    [Fact]
    public async Task TwoConcurrentActivationsOfOneLinkLeaveExactlyOneAccountOnThePatient()
    {
        var (link, secret) = await InvitedAsync();

        var results = await Task.WhenAll(
            link.ActivateAsync(secret, BirthDate, new ActivationAccount("user-a", null, ChatOptIn: true)),
            link.ActivateAsync(secret, BirthDate, new ActivationAccount("user-b", null, ChatOptIn: true)));

        var winner = results[0].Standing == ActivationStanding.Valid ? "user-a" : "user-b";
        Assert.Single(results, r => r.Standing == ActivationStanding.Valid);
        Assert.Single(results, r => r.Standing == ActivationStanding.Used);
        var patientId = results.Single(r => r.Invitation is not null).Invitation!.PatientId;
        Assert.Equal([winner], await fixture.QueryAsync("SELECT portal_user_id FROM patients WHERE id = @id", r => r.GetString(0), ("@id", patientId)));
        Assert.Equal(1, await AuditCountAsync("patient.activated", link));
    }

    [Fact]
    public async Task APendingInvitationLetsStaffPrepareTheThreadAndNothingElseChangesForThePatient()
    {
        var scenario = await Scenario.CreateAsync(fixture.Grains);
        var patientId = await scenario.PatientAsync(portal: false);
        await PrepareAsync(patientId);
        var frontDesk = scenario.Staff(StaffRole.FrontDesk);

        var before = await scenario.Conversation(patientId).StartAsync(frontDesk, scenario.ClinicId, patientId);
        var invited = await fixture.Grains.For(scenario.ClinicId, patientId).InviteAsync(frontDesk, NoticeChannel.Email, emailAccountPatientId: null);
        var started = await scenario.Conversation(patientId).StartAsync(frontDesk, scenario.ClinicId, patientId);
        var sent = await scenario.Conversation(patientId).SendAsync(frontDesk, new Conversations.SendMessage("prep-1", "Welcome"));
        await fixture.Grains.For(scenario.ClinicId, patientId).CancelAsync(frontDesk);
        var afterCancel = await scenario.Conversation(patientId).SendAsync(frontDesk, new Conversations.SendMessage("prep-2", "Still there?"));

        Assert.Equal(ChatErrorCode.PatientHasNoPortalAccount, before.Error?.Code);
        Assert.True(invited.Succeeded);
        Assert.True(started.Succeeded);
        Assert.True(sent.Succeeded);
        Assert.Equal(ChatErrorCode.PatientHasNoPortalAccount, afterCancel.Error?.Code);
        Assert.Equal(Patients.ChatEligibility.NoPortalAccount, await fixture.Grains.GetGrain<Patients.IPatientProfileGrain>(patientId).GetChatEligibilityAsync(scenario.ClinicId));
    }

    private async Task<(IPortalInvitationGrain Link, string Secret)> InvitedAsync()
    {
        var scenario = await Scenario.CreateAsync(fixture.Grains);
        var patientId = await scenario.PatientAsync(portal: false);
        await PrepareAsync(patientId);
        var invited = await fixture.Grains.For(scenario.ClinicId, patientId).InviteAsync(scenario.Staff(StaffRole.Clinician), NoticeChannel.Email, emailAccountPatientId: null);
        Assert.True(invited.Succeeded, invited.Error?.Detail);
        var token = (await fixture.QueryAsync(
            "SELECT code FROM notice_outbox WHERE patient_id = @patient AND template = @template", r => r.GetString(0),
            ("@patient", patientId), ("@template", NoticeTemplates.PatientInvitation))).Single();
        Assert.True(InvitationToken.TryParse(token, out var id, out var secret));
        return (fixture.Grains.GetGrain<IPortalInvitationGrain>(id), secret);
    }

    private Task<IReadOnlyList<int>> PrepareAsync(Guid patientId) => fixture.QueryAsync(
        "UPDATE patients SET birth_date = @birth, email = @email WHERE id = @id RETURNING 1", r => r.GetInt32(0),
        ("@birth", BirthDate.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture)), ("@email", $"p-{patientId:N}@patients.test"), ("@id", patientId));

    private Task<long> AuditCountAsync(string action, IPortalInvitationGrain link) => fixture.ScalarAsync(
        "SELECT COUNT(*) FROM audit_log WHERE action = @action AND detail LIKE @detail", ("@action", action), ("@detail", $"invitation={link.GetPrimaryKey():N}%"));
}
