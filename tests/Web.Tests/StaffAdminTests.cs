using System.Text.RegularExpressions;
using ClinicChat.Access;
using ClinicChat.Onboarding;
using ClinicChat.Staff;
using ClinicChat.Web.Staff;
using static ClinicChat.Web.Tests.SessionTestKit;

namespace ClinicChat.Web.Tests;

public sealed partial class StaffAdminTests(MailingApp fixture) : IClassFixture<MailingApp>
{
    private const string StrongPassword = "Staff-Admin-2026!";

    private ClinicChatApp App => fixture.App;

    [Fact]
    public async Task AnAdminInvitesAClinicianWhoReceivesAnEmailWithAWorkingLinkAndJoinsTheClinic()
    {
        var (clinicId, admin) = await NewClinicAsync();
        var email = NewEmail();

        var invited = await admin.Http.PostAsJsonAsync(StaffPath(clinicId, "/invitations"), new { email, displayName = "Casey Clinician", role = "Clinician" });
        var invitation = await invited.Content.ReadFromJsonAsync<StaffInvitationDto>();
        var pending = await RosterAsync(admin, clinicId);
        var token = await TokenFromEmailAsync(email);
        using var anonymous = Client(App);
        var lookup = await (await anonymous.PostAsJsonAsync("/api/v1/invitations/lookup", new { token })).Content.ReadFromJsonAsync<InvitationDto>();
        var accepted = await anonymous.PostAsJsonAsync("/api/v1/invitations/accept", new { token, password = StrongPassword });
        var me = await accepted.Content.ReadFromJsonAsync<MeDto>();
        var roster = await RosterAsync(admin, clinicId);

        Assert.Equal(HttpStatusCode.Created, invited.StatusCode);
        Assert.Equal((email, "Casey Clinician", "Clinician", false), (invitation!.Email, invitation.DisplayName, invitation.Role, invitation.Expired));
        Assert.InRange(invitation.ExpiresAt - fixture.Clock.GetUtcNow(), TimeSpan.FromDays(6.9), TimeSpan.FromDays(7));
        Assert.Equal([invitation.Id], pending.Invitations.Select(i => i.Id));
        Assert.Equal(("Clinician", false), (lookup!.Role, lookup.AccountExists));
        Assert.Equal(HttpStatusCode.OK, accepted.StatusCode);
        Assert.Equal([(clinicId, "Clinician")], me!.Memberships.Select(m => (m.ClinicId, m.Role)));
        Assert.Empty(roster.Invitations);
        var member = Assert.Single(roster.Members, m => m.Email == email);
        Assert.Equal(("Casey Clinician", "Clinician", "active"), (member.DisplayName, string.Join(',', member.Roles), member.Status));
        Assert.NotNull(roster.Members.Single(m => m.UserId == admin.UserId).LastSignInAt);
        Assert.Equal(1, await TestData.AuditCountAsync(App, "staff.invited", $"invitation={invitation.Id:N} role=Clinician email={email[0]}***@", admin.UserId, "success"));
        Assert.True(await TestData.AuditCountAsync(App, "staff.invited", email) == 0, "the audit row carries a masked address only");
    }

    [Fact]
    public async Task AResentInvitationHasANewLinkTheOldOneSaysANewerWasSentAndARevokedOneWorksNoMore()
    {
        var (clinicId, admin) = await NewClinicAsync();
        var email = NewEmail();
        var invitation = await InviteAsync(admin, clinicId, email, "FrontDesk");
        var firstToken = await TokenFromEmailAsync(email);

        var resent = await admin.Http.PostAsync(StaffPath(clinicId, $"/invitations/{invitation.Id}/resend"), null);
        var secondToken = await TokenFromEmailAsync(email, notThis: firstToken);
        using var anonymous = Client(App);
        var oldLink = await anonymous.PostAsJsonAsync("/api/v1/invitations/lookup", new { token = firstToken });
        var oldAccept = await anonymous.PostAsJsonAsync("/api/v1/invitations/accept", new { token = firstToken, password = StrongPassword });
        var forged = await anonymous.PostAsJsonAsync("/api/v1/invitations/lookup", new { token = firstToken[..(firstToken.IndexOf('.') + 1)] + new string('A', 43) });
        var newLink = await anonymous.PostAsJsonAsync("/api/v1/invitations/lookup", new { token = secondToken });
        var revoked = await admin.Http.DeleteAsync(StaffPath(clinicId, $"/invitations/{invitation.Id}"));
        var afterRevoke = await anonymous.PostAsJsonAsync("/api/v1/invitations/accept", new { token = secondToken, password = StrongPassword });
        var oldAfterRevoke = await anonymous.PostAsJsonAsync("/api/v1/invitations/lookup", new { token = firstToken });
        var revokedAgain = await admin.Http.DeleteAsync(StaffPath(clinicId, $"/invitations/{invitation.Id}"));
        var roster = await RosterAsync(admin, clinicId);

        Assert.Equal(HttpStatusCode.OK, resent.StatusCode);
        Assert.NotEqual(firstToken, secondToken);
        // The old link was real: it says a newer one was sent (and accepts nothing); a made-up secret for the same id learns nothing.
        Assert.Equal((HttpStatusCode.Gone, "invitation_replaced"), (oldLink.StatusCode, (await TestData.ProblemAsync(oldLink)).Code));
        Assert.Equal((HttpStatusCode.Gone, "invitation_replaced"), (oldAccept.StatusCode, (await TestData.ProblemAsync(oldAccept)).Code));
        Assert.Equal((HttpStatusCode.NotFound, "not_found"), (forged.StatusCode, (await TestData.ProblemAsync(forged)).Code));
        Assert.Equal(HttpStatusCode.OK, newLink.StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, revoked.StatusCode);
        Assert.Equal((HttpStatusCode.Gone, "invitation_revoked"), (afterRevoke.StatusCode, (await TestData.ProblemAsync(afterRevoke)).Code));
        Assert.Equal((HttpStatusCode.Gone, "invitation_revoked"), (oldAfterRevoke.StatusCode, (await TestData.ProblemAsync(oldAfterRevoke)).Code));
        Assert.Equal(HttpStatusCode.NotFound, revokedAgain.StatusCode);
        Assert.Empty(roster.Invitations);
        Assert.Equal(1, await TestData.AuditCountAsync(App, "staff.invitation_resent", $"invitation={invitation.Id:N}", admin.UserId));
        Assert.Equal(1, await TestData.AuditCountAsync(App, "invitation.revoked", $"invitation={invitation.Id:N}", admin.UserId));
    }

    [Fact]
    public async Task AnInvitationLinkWorksOnceAndNotAfterSevenDays()
    {
        var clinicId = await NewClinicIdAsync();
        var adminEmail = await CreateStaffAsync(App, clinicId, StaffRole.Admin);
        var admin = await App.SignInAsync(adminEmail);
        var onceEmail = NewEmail();
        var lateEmail = NewEmail();
        await InviteAsync(admin, clinicId, onceEmail, "Billing");
        var onceToken = await TokenFromEmailAsync(onceEmail);
        await InviteAsync(admin, clinicId, lateEmail, "Billing");
        var lateToken = await TokenFromEmailAsync(lateEmail);
        using var anonymous = Client(App);

        var first = await anonymous.PostAsJsonAsync("/api/v1/invitations/accept", new { token = onceToken, password = StrongPassword });
        var again = await anonymous.PostAsJsonAsync("/api/v1/invitations/accept", new { token = onceToken, password = StrongPassword });
        HttpResponseMessage late;
        StaffRosterDto rosterThen;
        fixture.Clock.Offset = TimeSpan.FromDays(7) + TimeSpan.FromMinutes(1);
        try
        {
            late = await anonymous.PostAsJsonAsync("/api/v1/invitations/accept", new { token = lateToken, password = StrongPassword });
            rosterThen = await RosterAsync(await App.SignInAsync(adminEmail), clinicId);
        }
        finally
        {
            fixture.Clock.Offset = TimeSpan.Zero;
        }

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal((HttpStatusCode.Gone, "invitation_used"), (again.StatusCode, (await TestData.ProblemAsync(again)).Code));
        Assert.Equal((HttpStatusCode.Gone, "invitation_expired"), (late.StatusCode, (await TestData.ProblemAsync(late)).Code));
        Assert.True(Assert.Single(rosterThen.Invitations).Expired, "an expired invitation stays listed, marked, so that it can be resent");
    }

    [Fact]
    public async Task TheLastAdminCanNeitherBeDemotedNorDeactivatedButOneOfTwoAdminsCan()
    {
        var (clinicId, admin) = await NewClinicAsync();

        var demoteSelf = await admin.Http.PutAsJsonAsync(StaffPath(clinicId, $"/{admin.UserId}/role"), new { role = "Clinician" });
        var deactivateSelf = await admin.Http.PostAsync(StaffPath(clinicId, $"/{admin.UserId}/deactivate"), null);
        var second = await JoinAsync(admin, clinicId, "Admin");
        var demoteSecond = await admin.Http.PutAsJsonAsync(StaffPath(clinicId, $"/{second.UserId}/role"), new { role = "Clinician" });
        var demoteLast = await admin.Http.PutAsJsonAsync(StaffPath(clinicId, $"/{admin.UserId}/role"), new { role = "Billing" });

        Assert.Equal((HttpStatusCode.Conflict, "last_admin"), (demoteSelf.StatusCode, (await TestData.ProblemAsync(demoteSelf)).Code));
        Assert.Equal((HttpStatusCode.Conflict, "last_admin"), (deactivateSelf.StatusCode, (await TestData.ProblemAsync(deactivateSelf)).Code));
        Assert.Equal(HttpStatusCode.OK, demoteSecond.StatusCode);
        Assert.Equal((HttpStatusCode.Conflict, "last_admin"), (demoteLast.StatusCode, (await TestData.ProblemAsync(demoteLast)).Code));
        Assert.Equal(["Admin"], (await RosterAsync(admin, clinicId)).Members.Single(m => m.UserId == admin.UserId).Roles);
    }

    [Fact]
    public async Task TwoAdminsDemotingEachOtherAtOnceLeaveTheClinicWithAnAdmin()
    {
        var (clinicId, admin) = await NewClinicAsync();
        var second = await JoinAsync(admin, clinicId, "Admin");

        var answers = await Task.WhenAll(
            admin.Http.PutAsJsonAsync(StaffPath(clinicId, $"/{second.UserId}/role"), new { role = "Clinician" }),
            second.Session.Http.PutAsJsonAsync(StaffPath(clinicId, $"/{admin.UserId}/role"), new { role = "Clinician" }));
        var admins = await AdminsAsync(clinicId);

        Assert.Single(answers, a => a.StatusCode == HttpStatusCode.OK);
        Assert.Single(admins);
    }

    [Fact]
    public async Task DeactivatingAMemberEndsTheirSessionsAndLiveConnectionAtOnceAndKeepsWhatTheyWrote()
    {
        var (clinicId, admin) = await NewClinicAsync(DemoData.Northside);
        var clinician = await JoinAsync(admin, clinicId, "Clinician");
        var patient = await TestPatients.NewAsync(App);
        var thread = await TestData.StartAsync(clinician.Session, patient.Id);
        var sent = await TestData.SendAsync(clinician.Session, thread.Id, "Your results are in.");
        await using var hub = App.CreateHubConnection(clinician.Session.Cookie);
        await ClinicChatApp.ConnectAsync(hub);
        var closed = ClosedAsync(hub);

        var deactivated = await admin.Http.PostAsync(StaffPath(clinicId, $"/{clinician.UserId}/deactivate"), null);
        await closed.WaitAsync(TimeSpan.FromSeconds(15));
        var sessionAfter = await StatusOfMeAsync(clinician.Http);
        var signedInAgain = await App.SignInAsync(clinician.Email, StrongPassword);
        var threadAfter = await signedInAgain.Http.GetAsync($"/api/v1/conversations/{thread.Id}");
        var page = await TestData.PageAsync(await App.SignInAsync(DemoData.Alice), thread.Id);
        var roster = await RosterAsync(admin, clinicId);
        var reactivated = await admin.Http.PostAsync(StaffPath(clinicId, $"/{clinician.UserId}/reactivate"), null);
        var back = await App.SignInAsync(clinician.Email, StrongPassword);

        Assert.Equal(HttpStatusCode.OK, deactivated.StatusCode);
        Assert.Equal(HubConnectionState.Disconnected, hub.State);
        Assert.Equal(HttpStatusCode.Unauthorized, sessionAfter);
        Assert.Empty(signedInAgain.Me.Memberships);
        Assert.Equal(HttpStatusCode.NotFound, threadAfter.StatusCode);
        Assert.Contains(page.Messages, m => m.Seq == sent.Seq && m.SenderId == clinician.UserId);
        Assert.Equal(("deactivated", "Clinician"), roster.Members.Where(m => m.UserId == clinician.UserId).Select(m => (m.Status, string.Join(',', m.Roles))).Single());
        Assert.Equal(HttpStatusCode.OK, reactivated.StatusCode);
        Assert.Equal([(clinicId, "Clinician")], back.Me.Memberships.Select(m => (m.ClinicId, m.Role)));
        Assert.Equal(1, await TestData.AuditCountAsync(App, "staff.deactivated", $"member={clinician.UserId}", admin.UserId));
        Assert.Equal(1, await TestData.AuditCountAsync(App, "staff.reactivated", $"member={clinician.UserId}", admin.UserId));
    }

    [Fact]
    public async Task ARoleChangeEndsTheMembersSessionsSoTheirNextSignInCarriesTheNewRole()
    {
        var (clinicId, admin) = await NewClinicAsync();
        var member = await JoinAsync(admin, clinicId, "Clinician");

        var changed = await admin.Http.PutAsJsonAsync(StaffPath(clinicId, $"/{member.UserId}/role"), new { role = "Billing" });
        var oldSession = await StatusOfMeAsync(member.Http);
        var again = await App.SignInAsync(member.Email, StrongPassword);
        var nonsense = await admin.Http.PutAsJsonAsync(StaffPath(clinicId, $"/{member.UserId}/role"), new { role = "Superuser" });
        var number = await admin.Http.PutAsJsonAsync(StaffPath(clinicId, $"/{member.UserId}/role"), new { role = "3" });
        var stranger = await admin.Http.PutAsJsonAsync(StaffPath(clinicId, $"/{Guid.NewGuid()}/role"), new { role = "Billing" });

        Assert.Equal(HttpStatusCode.OK, changed.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, oldSession);
        Assert.Equal([(clinicId, "Billing")], again.Me.Memberships.Select(m => (m.ClinicId, m.Role)));
        Assert.Equal((HttpStatusCode.BadRequest, ("validation_failed", "role")), (nonsense.StatusCode, await TestData.ProblemAsync(nonsense)));
        Assert.Equal((HttpStatusCode.BadRequest, ("validation_failed", "role")), (number.StatusCode, await TestData.ProblemAsync(number)));
        Assert.Equal(HttpStatusCode.NotFound, stranger.StatusCode);
        Assert.Equal(1, await TestData.AuditCountAsync(App, "staff.role_changed", $"member={member.UserId} roles=Clinician->Billing", admin.UserId));
    }

    [Fact]
    public async Task TheSameEmailInvitedByASecondClinicJoinsItWithTheSameAccountAndAMemberIsNotInvitedTwice()
    {
        var (firstClinic, firstAdmin) = await NewClinicAsync();
        var (secondClinic, secondAdmin) = await NewClinicAsync();
        var member = await JoinAsync(firstAdmin, firstClinic, "Clinician");

        var again = await firstAdmin.Http.PostAsJsonAsync(StaffPath(firstClinic, "/invitations"), new { email = member.Email, displayName = "Again", role = "Billing" });
        await InviteAsync(secondAdmin, secondClinic, member.Email, "FrontDesk");
        var pendingTwice = await secondAdmin.Http.PostAsJsonAsync(StaffPath(secondClinic, "/invitations"), new { email = member.Email, displayName = "Twice", role = "Billing" });
        var token = await TokenFromEmailAsync(member.Email, clinicName: ClinicName(secondClinic));
        using var anonymous = Client(App);
        var lookup = await (await anonymous.PostAsJsonAsync("/api/v1/invitations/lookup", new { token })).Content.ReadFromJsonAsync<InvitationDto>();
        var wrongPassword = await anonymous.PostAsJsonAsync("/api/v1/invitations/accept", new { token, password = "Not-The-Password-1" });
        var accepted = await anonymous.PostAsJsonAsync("/api/v1/invitations/accept", new { token, password = StrongPassword });
        var me = await accepted.Content.ReadFromJsonAsync<MeDto>();

        Assert.Equal((HttpStatusCode.Conflict, "already_member"), (again.StatusCode, (await TestData.ProblemAsync(again)).Code));
        Assert.Equal((HttpStatusCode.Conflict, "already_member"), (pendingTwice.StatusCode, (await TestData.ProblemAsync(pendingTwice)).Code));
        // The Admin is told which: a member (whose role can change) or an invitation waiting (which can be resent).
        Assert.Contains("member of the clinic already", await again.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Contains("invitation waiting", await pendingTwice.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.True(lookup!.AccountExists);
        Assert.Equal((HttpStatusCode.Unauthorized, "invalid_credentials"), (wrongPassword.StatusCode, (await TestData.ProblemAsync(wrongPassword)).Code));
        Assert.Equal(HttpStatusCode.OK, accepted.StatusCode);
        Assert.Equal(member.UserId, me!.UserId);
        Assert.Equal([(firstClinic, "Clinician"), (secondClinic, "FrontDesk")], me.Memberships.Select(m => (m.ClinicId, m.Role)).OrderBy(m => m.Item1 == secondClinic));
    }

    [Fact]
    public async Task OnlyTheClinicsAdminsManageItsStaffItsOtherStaffGet403AndEveryoneElse404()
    {
        var (clinicId, admin) = await NewClinicAsync();
        var clinician = await JoinAsync(admin, clinicId, "Clinician");
        var (_, otherAdmin) = await NewClinicAsync();
        using var anonymous = Client(App);

        var asClinician = await clinician.Http.GetAsync(StaffPath(clinicId, ""));
        var clinicianInvites = await clinician.Http.PostAsJsonAsync(StaffPath(clinicId, "/invitations"), new { email = NewEmail(), displayName = "X", role = "Admin" });
        var clinicianPromotes = await clinician.Http.PutAsJsonAsync(StaffPath(clinicId, $"/{clinician.UserId}/role"), new { role = "Admin" });
        var asOtherAdmin = await otherAdmin.Http.GetAsync(StaffPath(clinicId, ""));
        var otherAdminDeactivates = await otherAdmin.Http.PostAsync(StaffPath(clinicId, $"/{admin.UserId}/deactivate"), null);
        var unknownClinic = await admin.Http.GetAsync(StaffPath(Guid.NewGuid(), ""));
        var asAnonymous = await anonymous.GetAsync(StaffPath(clinicId, ""));
        var badEmail = await admin.Http.PostAsJsonAsync(StaffPath(clinicId, "/invitations"), new { email = "not an address", displayName = "X", role = "Clinician" });
        var noName = await admin.Http.PostAsJsonAsync(StaffPath(clinicId, "/invitations"), new { email = NewEmail(), role = "Clinician" });

        Assert.Equal((HttpStatusCode.Forbidden, "forbidden"), (asClinician.StatusCode, (await TestData.ProblemAsync(asClinician)).Code));
        Assert.Equal(HttpStatusCode.Forbidden, clinicianInvites.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, clinicianPromotes.StatusCode);
        Assert.Equal((HttpStatusCode.NotFound, "not_found"), (asOtherAdmin.StatusCode, (await TestData.ProblemAsync(asOtherAdmin)).Code));
        Assert.Equal(HttpStatusCode.NotFound, otherAdminDeactivates.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, unknownClinic.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, asAnonymous.StatusCode);
        Assert.Equal((HttpStatusCode.BadRequest, ("validation_failed", "email")), (badEmail.StatusCode, await TestData.ProblemAsync(badEmail)));
        Assert.Equal((HttpStatusCode.BadRequest, ("validation_failed", "displayName")), (noName.StatusCode, await TestData.ProblemAsync(noName)));
        Assert.Equal(["Clinician"], (await RosterAsync(admin, clinicId)).Members.Single(m => m.UserId == clinician.UserId).Roles);
        Assert.True(await TestData.AuditCountAsync(App, "access.denied", "staff_", otherAdmin.UserId, "denied") >= 1, "refusals are audited (later ones of a window as its summary)");
    }

    // ---- helpers ------------------------------------------------------------------------------

    /// <summary>
    /// A member lost their phone and their recovery codes: an Admin of their clinic turns their two-step sign-in off. Their
    /// sessions end, the password alone signs them in again, and the clinic's audit log says which Admin did it. Colleagues
    /// who are not Admins are told no, other clinics' Admins learn nothing, and an Admin's own goes through their Security page.
    /// </summary>
    [Fact]
    public async Task AnAdminTurnsOffTheTwoStepSignInOfAMemberWhoLostTheirPhone()
    {
        var (clinicId, admin) = await NewClinicAsync();
        var (_, otherAdmin) = await NewClinicAsync();
        var member = await JoinAsync(admin, clinicId, "Clinician");
        var colleague = await JoinAsync(admin, clinicId, "FrontDesk");
        var (key, setUp) = await SetUpTotpAsync(member.Session);
        var enabled = await setUp.Http.PostAsJsonAsync("/api/v1/auth/totp/enable", new { code = Totp.Code(key.SharedKey) });
        Assert.Equal(HttpStatusCode.OK, enabled.StatusCode);
        var memberSession = App.Continue(setUp, enabled);
        var resetPath = StaffPath(clinicId, $"/{member.UserId}/two-step/reset");

        var byColleague = await colleague.Http.PostAsync(resetPath, null);
        var byOtherClinic = await otherAdmin.Http.PostAsync(resetPath, null);
        var ownReset = await admin.Http.PostAsync(StaffPath(clinicId, $"/{admin.UserId}/two-step/reset"), null);
        var unknown = await admin.Http.PostAsync(StaffPath(clinicId, $"/{Guid.NewGuid()}/two-step/reset"), null);
        var stillAsked = await Client(App).PostAsJsonAsync("/api/v1/auth/login", new { email = member.Email, password = StrongPassword });
        var before = await RosterAsync(admin, clinicId);
        var reset = await admin.Http.PostAsync(resetPath, null);
        var after = await RosterAsync(admin, clinicId);
        var resetAgain = await admin.Http.PostAsync(resetPath, null);
        var passwordOnly = await Client(App).PostAsJsonAsync("/api/v1/auth/login", new { email = member.Email, password = StrongPassword });

        Assert.Equal((HttpStatusCode.Forbidden, "forbidden"), (byColleague.StatusCode, (await TestData.ProblemAsync(byColleague)).Code));
        Assert.Equal((HttpStatusCode.NotFound, "not_found"), (byOtherClinic.StatusCode, (await TestData.ProblemAsync(byOtherClinic)).Code));
        Assert.Equal((HttpStatusCode.BadRequest, ("validation_failed", "userId")), (ownReset.StatusCode, await TestData.ProblemAsync(ownReset)));
        Assert.Equal((HttpStatusCode.NotFound, "not_found"), (unknown.StatusCode, (await TestData.ProblemAsync(unknown)).Code));
        Assert.Equal(HttpStatusCode.Accepted, stillAsked.StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, reset.StatusCode);
        // The list says whose two-step sign-in is on (whom the Staff page offers a reset for).
        Assert.Equal((true, false), (before.Members.Single(m => m.UserId == member.UserId).TwoStepOn, before.Members.Single(m => m.UserId == colleague.UserId).TwoStepOn));
        Assert.False(after.Members.Single(m => m.UserId == member.UserId).TwoStepOn);
        Assert.Equal(HttpStatusCode.Unauthorized, await StatusOfMeAsync(memberSession.Http));
        Assert.Equal((HttpStatusCode.Conflict, "totp_not_set_up"), (resetAgain.StatusCode, (await TestData.ProblemAsync(resetAgain)).Code));
        Assert.Equal(HttpStatusCode.OK, passwordOnly.StatusCode);
        Assert.Equal(1, await TestData.AuditCountAsync(App, AuditActions.TotpResetByAdmin, $"member={member.UserId}", actorId: admin.UserId, outcome: "success"));
        Assert.Equal(1, await TestData.AuditCountAsync(App, "access.denied", "staff_totp_reset", actorId: colleague.UserId));

        // The member is told, by email, as the clinic whose Admin did it: a reset they did not ask for does not go unseen.
        var told = await fixture.Smtp.WaitForAsync(m => m.EnvelopeRecipients.Contains(member.Email, StringComparer.OrdinalIgnoreCase)
            && (m.Message.Subject ?? string.Empty).Contains("Two-step sign-in was turned off", StringComparison.Ordinal));
        Assert.Equal(ClinicName(clinicId), told.Message.From.Mailboxes.Single().Name);
        Assert.Contains($"An Admin of {ClinicName(clinicId)} turned off two-step sign-in", told.Message.TextBody, StringComparison.Ordinal);
        Assert.Contains($"{MailingApp.PublicBaseUrl}/#/security", told.Message.TextBody, StringComparison.Ordinal);
        Assert.Null(told.Message.Headers[MimeKit.HeaderId.ListUnsubscribe]);
        Assert.Equal(1, fixture.Smtp.Received.Count(m => m.EnvelopeRecipients.Contains(member.Email, StringComparer.OrdinalIgnoreCase)
            && (m.Message.Subject ?? string.Empty).Contains("Two-step", StringComparison.Ordinal)));
    }

    private static string StaffPath(Guid clinicId, string rest) => $"/api/v1/clinics/{clinicId}/staff{rest}";

    private static string ClinicName(Guid clinicId) => $"Clinic {clinicId.ToString("N")[..8]}";

    private static string NewEmail() => $"staff-{Guid.NewGuid():N}@tests.example";

    /// <summary>A clinic of the test's own (so its Admins and last-Admin rule are nobody else's) and its first Admin, signed in.</summary>
    private async Task<(Guid ClinicId, ApiSession Admin)> NewClinicAsync(Guid? existing = null)
    {
        var clinicId = existing ?? await NewClinicIdAsync();
        var email = await CreateStaffAsync(App, clinicId, StaffRole.Admin);
        return (clinicId, await App.SignInAsync(email));
    }

    private async Task<Guid> NewClinicIdAsync()
    {
        var clinicId = Guid.NewGuid();
        var created = await App.Services.GetRequiredService<IGrainFactory>().GetGrain<IClinicAccountGrain>(clinicId)
            .CreateAsync(ClinicName(clinicId), "Europe/Berlin", "tests");
        Assert.True(created.Succeeded, created.Error?.Detail);
        return clinicId;
    }

    private async Task<StaffInvitationDto> InviteAsync(ApiSession admin, Guid clinicId, string email, string role)
    {
        var invited = await admin.Http.PostAsJsonAsync(StaffPath(clinicId, "/invitations"), new { email, displayName = "Invited Person", role });
        Assert.Equal(HttpStatusCode.Created, invited.StatusCode);
        return (await invited.Content.ReadFromJsonAsync<StaffInvitationDto>())!;
    }

    /// <summary>Invites a new person, who accepts from the emailed link and signs in: a member with a session.</summary>
    private async Task<Member> JoinAsync(ApiSession admin, Guid clinicId, string role)
    {
        var email = NewEmail();
        await InviteAsync(admin, clinicId, email, role);
        var token = await TokenFromEmailAsync(email);
        using var anonymous = Client(App);
        Assert.Equal(HttpStatusCode.OK, (await anonymous.PostAsJsonAsync("/api/v1/invitations/accept", new { token, password = StrongPassword })).StatusCode);
        return new Member(await App.SignInAsync(email, StrongPassword), email);
    }

    private sealed record Member(ApiSession Session, string Email)
    {
        public string UserId => Session.UserId;

        public HttpClient Http => Session.Http;
    }

    /// <summary>
    /// A refused invitation says what is wrong in the dialog's words (a walk saw "displayName is required (at most 120
    /// characters)" for a name of spaces), and an address at a domain without a dot ("x@y") is refused as the typo it is.
    /// </summary>
    [Fact]
    public async Task ARefusedInvitationSaysWhatIsWrongInTheDialogsWords()
    {
        var (clinicId, admin) = await NewClinicAsync();

        async Task<(HttpStatusCode, string?, string?)> InviteAsync(string email, string name)
        {
            var response = await admin.Http.PostAsJsonAsync(StaffPath(clinicId, "/invitations"), new { email, displayName = name, role = "Clinician" });
            var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
            return (response.StatusCode, problem.GetProperty("field").GetString(), problem.GetProperty("detail").GetString());
        }

        Assert.Equal((HttpStatusCode.BadRequest, "email", "Enter one plain email address, such as name@example.org (at most 256 characters)."), await InviteAsync("x@y", "Ann"));
        Assert.Equal((HttpStatusCode.BadRequest, "displayName", "Enter the person's name."), await InviteAsync(NewEmail(), "   "));
        Assert.Equal((HttpStatusCode.BadRequest, "displayName", "The name can have at most 120 characters, and no control characters."), await InviteAsync(NewEmail(), new string('n', 121)));
        Assert.Empty((await RosterAsync(admin, clinicId)).Invitations);
    }

    private static async Task<StaffRosterDto> RosterAsync(ApiSession admin, Guid clinicId)
    {
        var response = await admin.Http.GetAsync(StaffPath(clinicId, ""));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<StaffRosterDto>())!;
    }

    private async Task<IReadOnlyList<string>> AdminsAsync(Guid clinicId)
    {
        var members = await App.Services.GetRequiredService<StaffStore>().ListMembersAsync(clinicId);
        return [.. members.Where(m => m.Status == StaffStatus.Active && m.Roles.Contains(StaffRole.Admin)).Select(m => m.UserId)];
    }

    /// <summary>The token of the set-password link in the invitation email the address received (as the invitee reads it).</summary>
    private async Task<string> TokenFromEmailAsync(string email, string? notThis = null, string? clinicName = null)
    {
        var received = await fixture.Smtp.WaitForAsync(m =>
            m.EnvelopeRecipients.Contains(email, StringComparer.OrdinalIgnoreCase)
            && (clinicName is null || (m.Message.Subject ?? string.Empty).Contains(clinicName, StringComparison.Ordinal))
            && LinkPattern().Match(m.Message.TextBody ?? string.Empty) is { Success: true } link && link.Groups[1].Value != notThis);
        Assert.StartsWith($"{MailingApp.PublicBaseUrl}/#/set-password/", LinkPattern().Match(received.Message.TextBody ?? string.Empty).Value, StringComparison.Ordinal);
        return LinkPattern().Match(received.Message.TextBody ?? string.Empty).Groups[1].Value;
    }

    [GeneratedRegex(@"https://\S+/#/set-password/(\S+)")]
    private static partial Regex LinkPattern();
}
