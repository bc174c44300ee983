using System.Text.RegularExpressions;
using ClinicChat.Patients;
using ClinicChat.Web.Activation;
using ClinicChat.Web.Tests.Notices;

namespace ClinicChat.Web.Tests;

/// <summary>The mailing app with SMS on as well, to a local Twilio Messages API: invitations really arrive by both.</summary>
public sealed class PortalInvitationApp : MailingApp
{
    public TwilioApiEndpoint Twilio { get; private set; } = null!;

    protected override async Task<IReadOnlyDictionary<string, string>> MoreSettingsAsync()
    {
        Twilio = await TwilioApiEndpoint.StartAsync();
        return new Dictionary<string, string>
        {
            ["ClinicChat:Sms:Twilio:AccountSid"] = TwilioApiEndpoint.AccountSid,
            ["ClinicChat:Sms:Twilio:AuthToken"] = TwilioApiEndpoint.AuthToken,
            ["ClinicChat:Sms:Twilio:From"] = "+15005550006",
            ["ClinicChat:Sms:Twilio:BaseUrl"] = Twilio.BaseUrl.ToString(),
        };
    }

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        await Twilio.DisposeAsync();
    }

    /// <summary>A patient as staff would add them (date of birth, contacts, SMS consent), without a portal account. Each test its own.</summary>
    public async Task<Guid> AddPatientAsync(Guid clinicId, string? email, string? mobile, bool smsConsent = true, string birthDate = "1984-03-21")
    {
        var id = Guid.NewGuid();
        await App.Services.GetRequiredService<IGrainFactory>().GetGrain<IPatientProfileGrain>(id)
            .RegisterAsync(new PatientRegistration(id, "Ines Invited", mobile, email, null, true, [clinicId]));
        await ExecuteAsync(
            "UPDATE patients SET birth_date = $birth, sms_consent_at_ms = CASE WHEN $consent = 1 THEN 1 END, sms_consent_by = 'test' WHERE id = $id",
            ("$birth", birthDate), ("$consent", smsConsent ? 1 : 0), ("$id", id.ToString()));
        return id;
    }

    public async Task ExecuteAsync(string sql, params (string Name, object Value)[] parameters)
    {
        var database = App.Services.GetRequiredService<Storage.ChatDatabase>();
        await using var connection = await database.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        foreach (var (name, value) in parameters)
        {
            command.Parameters.Add(new Microsoft.Data.Sqlite.SqliteParameter(name, value));
        }

        await command.ExecuteNonQueryAsync();
    }

    public static string UniqueEmail() => $"invited-{Guid.NewGuid():N}@patients.test";

    /// <summary>A unique US mobile number (+1 201 555 xxxx).</summary>
    public static string UniqueMobile() => "+1201555" + Random.Shared.Next(1000, 9999).ToString(System.Globalization.CultureInfo.InvariantCulture);
}

public sealed partial class PortalInvitationTests(PortalInvitationApp fixture) : IClassFixture<PortalInvitationApp>
{
    private const string StrongPassword = "Activated-Patient-2026";

    private ClinicChatApp App => fixture.App;

    [Fact]
    public async Task AnEmailInvitationArrivesAtTheSmtpServerWithAOneTimeLinkAndNoHealthInformation()
    {
        var email = PortalInvitationApp.UniqueEmail();
        var patientId = await fixture.AddPatientAsync(DemoData.Northside, email, null);
        var frank = await App.SignInAsync(DemoData.Frank);

        var invited = await InviteAsync(frank, patientId, "email");
        var mail = await fixture.Smtp.WaitForAsync(m => m.EnvelopeRecipients.Contains(email));

        Assert.Equal(HttpStatusCode.OK, invited.StatusCode);
        var status = (await invited.Content.ReadFromJsonAsync<PortalInvitationDto>())!;
        Assert.Equal(("email", "i***@patients.test", "pending"), (status.Channel, status.MaskedAddress, status.State));
        Assert.InRange(status.ExpiresAt - status.InvitedAt, TimeSpan.FromDays(7), TimeSpan.FromDays(7));
        Assert.Contains("Northside", mail.Message.Subject, StringComparison.Ordinal);
        var token = TokenIn(mail.Message.TextBody);
        Assert.DoesNotContain("Ines", mail.Message.TextBody, StringComparison.Ordinal);
        Assert.Equal(1, await TestData.AuditCountAsync(App, "patient.invited", $"invitation={token[..32]}", frank.UserId));
        Assert.Equal(((Guid?)status.Id, "pending"), await LatestAsync(frank, patientId));
    }

    [Fact]
    public async Task AnSmsInvitationArrivesAtTheTwilioEndpointOnlyWithConsentAndNeverToANumberThatRepliedStop()
    {
        var mobile = PortalInvitationApp.UniqueMobile();
        var consenting = await fixture.AddPatientAsync(DemoData.Northside, null, mobile);
        var withoutConsent = await fixture.AddPatientAsync(DemoData.Northside, null, PortalInvitationApp.UniqueMobile(), smsConsent: false);
        var stoppedNumber = PortalInvitationApp.UniqueMobile();
        var stopped = await fixture.AddPatientAsync(DemoData.Northside, null, stoppedNumber);
        await fixture.ExecuteAsync("INSERT INTO sms_opt_outs (number, opted_out_at_ms) VALUES ($number, 1)", ("$number", stoppedNumber));
        var alice = await App.SignInAsync(DemoData.Alice);

        var invited = await InviteAsync(alice, consenting, "sms");
        var text = await fixture.Twilio.WaitForAsync(r => r.To == mobile);
        var refused = await InviteAsync(alice, withoutConsent, "sms");
        var toStopped = await InviteAsync(alice, stopped, "sms");

        Assert.Equal(HttpStatusCode.OK, invited.StatusCode);
        Assert.Equal("***" + mobile[^4..], (await invited.Content.ReadFromJsonAsync<PortalInvitationDto>())!.MaskedAddress);
        Assert.Matches(@"^Northside .* Activate: https://chat\.example-clinic\.test/#/activate/[0-9a-f]{32}\.\S+ Reply STOP to opt out\.$", text.Body!);
        Assert.Equal((HttpStatusCode.Conflict, "sms_consent_required"), (refused.StatusCode, await CodeAsync(refused)));
        Assert.Equal((HttpStatusCode.Conflict, "sms_consent_required"), (toStopped.StatusCode, await CodeAsync(toStopped)));
        Assert.DoesNotContain(fixture.Twilio.Requests, r => r.To == stoppedNumber);
    }

    [Fact]
    public async Task EmailNeedsAnEmailOnFileAndAPatientWithAPortalAccountIsNotInvited()
    {
        var noEmail = await fixture.AddPatientAsync(DemoData.Northside, null, PortalInvitationApp.UniqueMobile());
        var frank = await App.SignInAsync(DemoData.Frank);

        var withoutEmail = await InviteAsync(frank, noEmail, "email");
        var unknownChannel = await InviteAsync(frank, noEmail, "pigeon");
        var hasAccount = await InviteAsync(frank, DemoData.PatPortal, "email");
        var overview = await frank.Http.GetFromJsonAsync<PortalInvitationStatusDto>($"/api/v1/clinics/{DemoData.Northside}/patients/{noEmail}/invitations");

        Assert.Equal((HttpStatusCode.BadRequest, ("validation_failed", "channel")), (withoutEmail.StatusCode, await TestData.ProblemAsync(withoutEmail)));
        Assert.Equal((HttpStatusCode.BadRequest, ("validation_failed", "channel")), (unknownChannel.StatusCode, await TestData.ProblemAsync(unknownChannel)));
        Assert.Equal((HttpStatusCode.Conflict, ("portal_account_exists", null)), (hasAccount.StatusCode, await TestData.ProblemAsync(hasAccount)));
        Assert.Equal(new PortalInvitationStatusDto(null, EmailOnFile: false, SmsAllowed: true, MobileOnFile: true, Email: null), overview);
    }

    [Fact]
    public async Task BillingIsRefusedAndAnotherClinicsStaffFindNothing()
    {
        var patientId = await fixture.AddPatientAsync(DemoData.Northside, PortalInvitationApp.UniqueEmail(), null);
        var bill = await App.SignInAsync(DemoData.Bill);
        var lara = await App.SignInAsync(DemoData.Lara);
        var olga = await App.SignInAsync(DemoData.Olga);

        var billing = await InviteAsync(bill, patientId, "email");
        var otherClinic = await InviteAsync(lara, patientId, "email");
        var wrongClinic = await lara.Http.PostAsJsonAsync($"/api/v1/clinics/{DemoData.Lakeview}/patients/{patientId}/invitations", new { channel = "email" });
        var admin = await InviteAsync(olga, patientId, "email");

        Assert.Equal((HttpStatusCode.Forbidden, ("forbidden", null)), (billing.StatusCode, await TestData.ProblemAsync(billing)));
        Assert.Equal((HttpStatusCode.NotFound, ("not_found", null)), (otherClinic.StatusCode, await TestData.ProblemAsync(otherClinic)));
        Assert.Equal((HttpStatusCode.NotFound, ("not_found", null)), (wrongClinic.StatusCode, await TestData.ProblemAsync(wrongClinic)));
        Assert.Equal(HttpStatusCode.OK, admin.StatusCode);
    }

    [Fact]
    public async Task ResendSendsANewLinkAndTheOldOneStopsWorkingAndCancelKillsTheLink()
    {
        var email = PortalInvitationApp.UniqueEmail();
        var patientId = await fixture.AddPatientAsync(DemoData.Northside, email, null);
        var frank = await App.SignInAsync(DemoData.Frank);
        using var anonymous = App.CreateClient();

        await InviteAsync(frank, patientId, "email");
        var first = TokenIn((await fixture.Smtp.WaitForAsync(m => m.EnvelopeRecipients.Contains(email))).Message.TextBody);
        var resent = await frank.Http.PostAsync($"/api/v1/clinics/{DemoData.Northside}/patients/{patientId}/invitations/resend", null);
        var second = TokenIn((await fixture.Smtp.WaitForAsync(m => m.EnvelopeRecipients.Contains(email) && m.Message.TextBody?.Contains(first, StringComparison.Ordinal) == false)).Message.TextBody);
        var oldLink = await anonymous.PostAsJsonAsync("/api/v1/activation/lookup", new { token = first });
        var newLink = await anonymous.PostAsJsonAsync("/api/v1/activation/lookup", new { token = second });
        var cancelled = await frank.Http.PostAsync($"/api/v1/clinics/{DemoData.Northside}/patients/{patientId}/invitations/cancel", null);
        var afterCancel = await anonymous.PostAsJsonAsync("/api/v1/activation/lookup", new { token = second });
        var cancelAgain = await frank.Http.PostAsync($"/api/v1/clinics/{DemoData.Northside}/patients/{patientId}/invitations/cancel", null);

        Assert.Equal(HttpStatusCode.OK, resent.StatusCode);
        Assert.Equal((HttpStatusCode.Gone, ("invitation_revoked", null)), (oldLink.StatusCode, await TestData.ProblemAsync(oldLink)));
        Assert.Equal(HttpStatusCode.OK, newLink.StatusCode);
        var shown = (await newLink.Content.ReadFromJsonAsync<ActivationDto>())!;
        Assert.Equal(("Northside Family Dental", "email", "i***@patients.test", 3, email), (shown.ClinicName, shown.Channel, shown.MaskedAddress, shown.AttemptsLeft, shown.Email));
        Assert.Equal("cancelled", (await cancelled.Content.ReadFromJsonAsync<PortalInvitationDto>())!.State);
        Assert.Equal((HttpStatusCode.Gone, ("invitation_revoked", null)), (afterCancel.StatusCode, await TestData.ProblemAsync(afterCancel)));
        Assert.Equal((HttpStatusCode.BadRequest, ("validation_failed", "invitation")), (cancelAgain.StatusCode, await TestData.ProblemAsync(cancelAgain)));
        Assert.Equal(1, await TestData.AuditCountAsync(App, "patient.invitation_resent", $"invitation={second[..32]}", frank.UserId));
        Assert.Equal(1, await TestData.AuditCountAsync(App, "patient.invitation_cancelled", $"invitation={second[..32]}", frank.UserId));
    }

    [Fact]
    public async Task ThreeWrongBirthDatesLockTheLinkEvenForTheRightDateAfterwards()
    {
        var email = PortalInvitationApp.UniqueEmail();
        var patientId = await fixture.AddPatientAsync(DemoData.Northside, email, null, birthDate: "1990-07-04");
        var frank = await App.SignInAsync(DemoData.Frank);
        using var anonymous = App.CreateClient();
        await InviteAsync(frank, patientId, "email");
        var token = TokenIn((await fixture.Smtp.WaitForAsync(m => m.EnvelopeRecipients.Contains(email))).Message.TextBody);

        var right = await CheckBirthDateAsync(anonymous, token, "1990-07-04");
        // Nobody's date of birth: refused as a typing mistake, without using up one of the three attempts.
        var future = await CheckBirthDateAsync(anonymous, token, "2999-01-01");
        var wrong1 = await CheckBirthDateAsync(anonymous, token, "1990-04-07");
        var wrong2 = await CheckBirthDateAsync(anonymous, token, "1991-07-04");
        var wrong3 = await Activate(anonymous, token, "1990-07-05");
        var rightAfterLock = await CheckBirthDateAsync(anonymous, token, "1990-07-04");
        var malformed = await CheckBirthDateAsync(anonymous, token, "04/07/1990");

        Assert.Equal(HttpStatusCode.NoContent, right.StatusCode);
        Assert.Equal((HttpStatusCode.BadRequest, ("validation_failed", "birthDate")), (future.StatusCode, await TestData.ProblemAsync(future)));
        Assert.Equal((HttpStatusCode.BadRequest, "birth_date_mismatch", 2), (wrong1.StatusCode, await CodeAsync(wrong1), await AttemptsLeftAsync(wrong1)));
        Assert.Contains("does not match", await wrong1.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal((HttpStatusCode.BadRequest, "birth_date_mismatch", 1), (wrong2.StatusCode, await CodeAsync(wrong2), await AttemptsLeftAsync(wrong2)));
        Assert.Equal((HttpStatusCode.Gone, "invitation_locked"), (wrong3.StatusCode, await CodeAsync(wrong3)));
        Assert.Equal((HttpStatusCode.Gone, "invitation_locked"), (rightAfterLock.StatusCode, await CodeAsync(rightAfterLock)));
        Assert.Equal((HttpStatusCode.BadRequest, ("validation_failed", "birthDate")), (malformed.StatusCode, await TestData.ProblemAsync(malformed)));
        Assert.Equal(3, await TestData.AuditCountAsync(App, "activation.birth_date_mismatch", $"invitation={token[..32]}"));
        Assert.Equal(1, await TestData.AuditCountAsync(App, "activation.locked", $"invitation={token[..32]}"));
        Assert.Equal("locked", (await LatestAsync(frank, patientId)).State);
    }

    [Fact]
    public async Task ALinkExpiresAfterSevenDays()
    {
        var email = PortalInvitationApp.UniqueEmail();
        var patientId = await fixture.AddPatientAsync(DemoData.Northside, email, null);
        var frank = await App.SignInAsync(DemoData.Frank);
        using var anonymous = App.CreateClient();
        await InviteAsync(frank, patientId, "email");
        var token = TokenIn((await fixture.Smtp.WaitForAsync(m => m.EnvelopeRecipients.Contains(email))).Message.TextBody);

        var lateBy = TimeSpan.FromDays(7) + TimeSpan.FromMinutes(1);
        fixture.Clock.Offset += lateBy;
        try
        {
            var expired = await anonymous.PostAsJsonAsync("/api/v1/activation/lookup", new { token });

            Assert.Equal((HttpStatusCode.Gone, ("invitation_expired", null)), (expired.StatusCode, await TestData.ProblemAsync(expired)));
            // Staff sessions do not last a week: Frank signs in again.
            Assert.Equal("expired", (await LatestAsync(await App.SignInAsync(DemoData.Frank), patientId)).State);
        }
        finally
        {
            fixture.Clock.Offset -= lateBy;
        }
    }

    [Fact]
    public async Task AThreadPreparedForAnInvitedPatientWaitsInTheirInboxAndTheLinkWorksOnce()
    {
        var mobile = PortalInvitationApp.UniqueMobile();
        var patientId = await fixture.AddPatientAsync(DemoData.Northside, null, mobile, birthDate: "1975-12-01");
        var alice = await App.SignInAsync(DemoData.Alice);
        using var anonymous = App.CreateClient();

        var beforeInvitation = await alice.Http.PostAsJsonAsync("/api/v1/conversations", new { patientId });
        await InviteAsync(alice, patientId, "sms");
        var thread = await TestData.StartAsync(alice, patientId);
        await TestData.SendAsync(alice, thread.Id, "Welcome! Your appointment is on Monday.");
        var token = TokenIn((await fixture.Twilio.WaitForAsync(r => r.To == mobile)).Body!);
        var lookup = await anonymous.PostAsJsonAsync("/api/v1/activation/lookup", new { token });
        var email = PortalInvitationApp.UniqueEmail();
        var noEmail = await Activate(anonymous, token, "1975-12-01", email: null);
        var activated = await Activate(anonymous, token, "1975-12-01", email);
        var again = await Activate(App.CreateClient(), token, "1975-12-01", PortalInvitationApp.UniqueEmail());

        Assert.Equal((HttpStatusCode.Conflict, "patient_has_no_portal_account"), (beforeInvitation.StatusCode, await CodeAsync(beforeInvitation)));
        var shown = (await lookup.Content.ReadFromJsonAsync<ActivationDto>())!;
        Assert.Equal(("sms", "***" + mobile[^4..], null, false), (shown.Channel, shown.MaskedAddress, shown.Email, shown.AccountExists));
        Assert.Equal((HttpStatusCode.BadRequest, ("validation_failed", "email")), (noEmail.StatusCode, await TestData.ProblemAsync(noEmail)));
        Assert.Equal(HttpStatusCode.OK, activated.StatusCode);
        var me = (await activated.Content.ReadFromJsonAsync<MeDto>())!;
        Assert.Equal(("patient", patientId, "Ines Invited"), (me.Kind, me.PatientId, me.DisplayName));
        Assert.Equal((HttpStatusCode.Gone, "invitation_used"), (again.StatusCode, await CodeAsync(again)));

        var patient = await App.SignInAsync(email, StrongPassword);
        var inbox = (await (await patient.Http.GetAsync("/api/v1/conversations")).Content.ReadFromJsonAsync<ThreadPageDto>())!;
        var waiting = Assert.Single(inbox.Threads);
        Assert.Equal((thread.Id, "Welcome! Your appointment is on Monday."), (waiting.Id, waiting.LastMessagePreview));
        Assert.Equal("Welcome! Your appointment is on Monday.", Assert.Single((await TestData.PageAsync(patient, thread.Id)).Messages).Text);
        Assert.Equal(1, await TestData.AuditCountAsync(App, "patient.activated", $"invitation={token[..32]}", me.UserId));
        Assert.Equal("used", (await LatestAsync(alice, patientId)).State);
        Assert.Equal(HttpStatusCode.Created, (await alice.Http.PostAsJsonAsync($"/api/v1/conversations/{thread.Id}/messages", new { clientMessageId = "after", text = "Hello" })).StatusCode);
    }

    [Fact]
    public async Task StaffWithTheThreadOpenAreToldAtOnceWhenTheInvitedPatientActivates()
    {
        var email = PortalInvitationApp.UniqueEmail();
        var patientId = await fixture.AddPatientAsync(DemoData.Northside, email, null, birthDate: "1968-07-04");
        var frank = await App.SignInAsync(DemoData.Frank);
        await InviteAsync(frank, patientId, "email");
        var thread = await TestData.StartAsync(frank, patientId);
        var token = TokenIn((await fixture.Smtp.WaitForAsync(m => m.EnvelopeRecipients.Contains(email))).Message.TextBody);
        await using var staffHub = App.CreateHubConnection(frank.Cookie);
        var updated = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        staffHub.On<ConversationUpdatedDto>(nameof(IChatClient.ConversationUpdated), u =>
        {
            if (u.ConversationId == thread.Id)
            {
                updated.TrySetResult();
            }
        });
        await ClinicChatApp.ConnectAsync(staffHub);
        var before = await frank.Http.GetFromJsonAsync<ThreadDto>($"/api/v1/conversations/{thread.Id}");

        Assert.Equal(HttpStatusCode.OK, (await Activate(App.CreateClient(), token, "1968-07-04")).StatusCode);

        // The staff page reads the thread again on this push: the composer's "no portal account" goes away without a reload.
        await updated.Task.WaitAsync(TimeSpan.FromSeconds(30));
        var after = await frank.Http.GetFromJsonAsync<ThreadDto>($"/api/v1/conversations/{thread.Id}");
        Assert.Equal((false, true), (before!.PatientHasPortalAccount, after!.PatientHasPortalAccount));
    }

    [Fact]
    public async Task AnEmailThatHasAPortalAccountLinksTheNewClinicToItAfterItsPasswordInsteadOfASecondAccount()
    {
        // A patient of Northside with a portal account (activated through their own invitation)...
        var (email, northsideId, first) = await ActivatedAtNorthsideAsync("1969-02-14");

        // ...is added at Lakeview with the same email and invited there.
        var lakeviewId = await fixture.AddPatientAsync(DemoData.Lakeview, email, null, birthDate: "1969-02-14");
        var lara = await App.SignInAsync(DemoData.Lara);
        Assert.Equal(HttpStatusCode.OK, (await InviteAsync(lara, lakeviewId, "email", DemoData.Lakeview)).StatusCode);
        var second = TokenIn((await fixture.Smtp.WaitForAsync(m => m.EnvelopeRecipients.Contains(email) && m.Message.TextBody?.Contains(first, StringComparison.Ordinal) == false)).Message.TextBody);
        using var anonymous = App.CreateClient();
        var lookup = (await (await anonymous.PostAsJsonAsync("/api/v1/activation/lookup", new { token = second })).Content.ReadFromJsonAsync<ActivationDto>())!;
        var wrongPassword = await Activate(anonymous, second, "1969-02-14", password: "Not-The-Password-1");
        var linked = await Activate(anonymous, second, "1969-02-14");

        Assert.True(lookup.AccountExists);
        Assert.Equal((HttpStatusCode.Unauthorized, ("invalid_credentials", "password")), (wrongPassword.StatusCode, await TestData.ProblemAsync(wrongPassword)));
        Assert.Equal(HttpStatusCode.OK, linked.StatusCode);
        var me = (await linked.Content.ReadFromJsonAsync<MeDto>())!;
        Assert.Equal(northsideId, me.PatientId);
        Assert.Equal(1, await TestData.AuditCountAsync(App, "patient.account_linked", $"merged={lakeviewId:N}", me.UserId));

        // Lakeview now finds the one patient (the linked id) and chats with them; the patient reads it with the same account.
        var found = await (await lara.Http.GetAsync($"/api/v1/patients?query=ines&clinicId={DemoData.Lakeview}&limit=50")).Content.ReadFromJsonAsync<List<JsonElement>>();
        Assert.Contains(found!, p => p.GetProperty("id").GetGuid() == northsideId);
        Assert.DoesNotContain(found!, p => p.GetProperty("id").GetGuid() == lakeviewId);
        var thread = await TestData.StartAsync(lara, northsideId);
        await TestData.SendAsync(lara, thread.Id, "Welcome to Lakeview.");
        var patient = await App.SignInAsync(email, StrongPassword);
        Assert.Equal("Welcome to Lakeview.", Assert.Single((await TestData.PageAsync(patient, thread.Id)).Messages).Text);
    }

    /// <summary>
    /// A family shares one email, and both were invited while it had no portal account yet: the parent at Northside, and the
    /// child (a second record there) or, at Lakeview, a grandparent with another date of birth. The parent activates first.
    /// The other link opens with its own patient's date of birth, but the account's password does not make the child or the
    /// grandparent the parent: nothing is merged, the link stays unused, and the record is still the clinic's own.
    /// </summary>
    [Theory]
    [InlineData("1969-02-14", false)] // the same clinic, the same date of birth: twins
    [InlineData("2012-09-30", false)] // the same clinic, another date of birth
    [InlineData("1941-05-02", true)] // another clinic, another date of birth
    public async Task AnotherPatientInvitedAtAnEmailWhosePortalAccountIsAlreadySomeonesIsNotMergedIntoThem(string birthDate, bool atLakeview)
    {
        var email = PortalInvitationApp.UniqueEmail();
        var clinic = atLakeview ? DemoData.Lakeview : DemoData.Northside;
        var staff = await App.SignInAsync(atLakeview ? DemoData.Lara : DemoData.Frank);
        var otherId = await fixture.AddPatientAsync(clinic, email, null, birthDate: birthDate);
        Assert.Equal(HttpStatusCode.OK, (await InviteAsync(staff, otherId, "email", clinic)).StatusCode);
        var otherToken = TokenIn((await fixture.Smtp.WaitForAsync(m => m.EnvelopeRecipients.Contains(email))).Message.TextBody);
        var parentId = await fixture.AddPatientAsync(DemoData.Northside, email, null, birthDate: "1969-02-14");
        Assert.Equal(HttpStatusCode.OK, (await InviteAsync(await App.SignInAsync(DemoData.Frank), parentId, "email")).StatusCode);
        var parentToken = TokenIn((await fixture.Smtp.WaitForAsync(m => m.EnvelopeRecipients.Contains(email) && m.Message.TextBody?.Contains(otherToken, StringComparison.Ordinal) == false)).Message.TextBody);
        Assert.Equal(HttpStatusCode.OK, (await Activate(App.CreateClient(), parentToken, "1969-02-14")).StatusCode);
        using var anonymous = App.CreateClient();

        var refused = await Activate(anonymous, otherToken, birthDate);

        Assert.Equal((HttpStatusCode.Conflict, "portal_account_of_another"), (refused.StatusCode, await CodeAsync(refused)));
        Assert.Equal("pending", (await LatestAsync(staff, otherId, clinic)).State);
        var file = (await staff.Http.GetFromJsonAsync<PatientFileDto>($"/api/v1/clinics/{clinic}/patients/{otherId}"))!;
        Assert.False(file.HasPortalAccount);
        Assert.Equal(0, await TestData.AuditCountAsync(App, "patient.account_linked", $"merged={otherId:N}"));
        var parent = await App.SignInAsync(email, StrongPassword);
        Assert.Equal(parentId, parent.Me.PatientId);

        // Sending that link again would reach the same dead end: staff are told now, and the pending link is left as it was.
        var resent = await staff.Http.PostAsync($"/api/v1/clinics/{clinic}/patients/{otherId}/invitations/resend", null);
        Assert.Equal((HttpStatusCode.Conflict, ("portal_account_of_another", "channel")), (resent.StatusCode, await TestData.ProblemAsync(resent)));
        Assert.Equal("pending", (await LatestAsync(staff, otherId, clinic)).State);
    }

    /// <summary>
    /// The same family, invited after the parent activated: an invitation by email to an address that already signs in to
    /// another person's portal account could never be activated, so staff are told when they send it (with the fix: another
    /// email address, or SMS) and nothing is stored or sent. A staff account's address is refused the same way.
    /// </summary>
    [Theory]
    [InlineData("1969-02-14", false)]
    [InlineData("2012-09-30", false)]
    [InlineData("1941-05-02", true)]
    public async Task AnInvitationByEmailToAnotherPersonsPortalAccountIsRefusedWhenStaffSendIt(string birthDate, bool atLakeview)
    {
        var (email, _, _) = await ActivatedAtNorthsideAsync("1969-02-14");
        var clinic = atLakeview ? DemoData.Lakeview : DemoData.Northside;
        var staff = await App.SignInAsync(atLakeview ? DemoData.Lara : DemoData.Frank);
        var otherId = await fixture.AddPatientAsync(clinic, email, null, birthDate: birthDate);
        var atStaffAddress = await fixture.AddPatientAsync(clinic, atLakeview ? DemoData.Lara : DemoData.Alice, null, birthDate: birthDate);

        var refused = await InviteAsync(staff, otherId, "email", clinic);
        var toStaff = await InviteAsync(staff, atStaffAddress, "email", clinic);

        Assert.Equal((HttpStatusCode.Conflict, ("portal_account_of_another", "channel")), (refused.StatusCode, await TestData.ProblemAsync(refused)));
        Assert.Contains("another email address", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal((HttpStatusCode.Conflict, ("invitation_account_mismatch", "channel")), (toStaff.StatusCode, await TestData.ProblemAsync(toStaff)));
        Assert.Equal((null, null), await LatestAsync(staff, otherId, clinic));
        Assert.Equal((null, null), await LatestAsync(staff, atStaffAddress, clinic));
        var overview = await staff.Http.GetFromJsonAsync<PortalInvitationStatusDto>($"/api/v1/clinics/{clinic}/patients/{otherId}/invitations");
        Assert.Equal(email, overview!.Email);
    }

    [Fact]
    public async Task APatientActivatesWithAPasskeyInsteadOfAPasswordAndSignsInWithIt()
    {
        var email = PortalInvitationApp.UniqueEmail();
        var patientId = await fixture.AddPatientAsync(DemoData.Northside, email, null, birthDate: "1991-07-09");
        var frank = await App.SignInAsync(DemoData.Frank);
        await InviteAsync(frank, patientId, "email");
        var token = TokenIn((await fixture.Smtp.WaitForAsync(m => m.EnvelopeRecipients.Contains(email))).Message.TextBody);
        using var device = new SoftwareAuthenticator();
        using var browser = App.CreateClient();
        browser.DefaultRequestHeaders.Add("Origin", device.Origin);

        var wrongDate = await browser.PostAsJsonAsync("/api/v1/activation/passkey-options", new { token, birthDate = "1991-07-10" });
        var garbage = await browser.PostAsJsonAsync("/api/v1/activation/activate",
            new { token, birthDate = "1991-07-09", chatOptIn = true, passkey = new { id = "AAAA", type = "public-key", response = new { } } });
        var options = await browser.PostAsJsonAsync("/api/v1/activation/passkey-options", new { token, birthDate = "1991-07-09" });
        using var creation = JsonDocument.Parse(await options.Content.ReadAsStringAsync());
        var activated = await browser.PostAsJsonAsync("/api/v1/activation/activate",
            new { token, birthDate = "1991-07-09", chatOptIn = true, passkey = device.Create(creation.RootElement) });

        Assert.Equal((HttpStatusCode.BadRequest, "birth_date_mismatch"), (wrongDate.StatusCode, await CodeAsync(wrongDate)));
        Assert.Equal((HttpStatusCode.BadRequest, "passkey_rejected"), (garbage.StatusCode, await CodeAsync(garbage)));
        Assert.Equal(HttpStatusCode.OK, options.StatusCode);
        Assert.Equal(email, creation.RootElement.GetProperty("user").GetProperty("name").GetString());
        Assert.True(activated.StatusCode == HttpStatusCode.OK, await activated.Content.ReadAsStringAsync());
        var me = (await activated.Content.ReadFromJsonAsync<MeDto>())!;
        Assert.Equal(("patient", patientId), (me.Kind, me.PatientId));
        Assert.Equal(1, await TestData.AuditCountAsync(App, "passkey.added", "passkey=", me.UserId));
        Assert.Equal("used", (await LatestAsync(frank, patientId)).State);

        // The account has no password: a password never signs in; the passkey does, from a fresh browser.
        using var anonymous = App.CreateClient();
        var byPassword = await anonymous.PostAsJsonAsync("/api/v1/auth/login", new { email, password = StrongPassword });
        Assert.Equal(HttpStatusCode.Unauthorized, byPassword.StatusCode);
        using var later = App.CreateClient();
        later.DefaultRequestHeaders.Add("Origin", device.Origin);
        using var request = JsonDocument.Parse(await (await later.PostAsync("/api/v1/auth/login/passkey/options", null)).Content.ReadAsStringAsync());
        var signedIn = await later.PostAsJsonAsync("/api/v1/auth/login/passkey", new { credential = device.Get(request.RootElement) });
        Assert.True(signedIn.StatusCode == HttpStatusCode.OK, await signedIn.Content.ReadAsStringAsync());
        Assert.Equal(patientId, (await signedIn.Content.ReadFromJsonAsync<MeDto>())!.PatientId);
    }

    [Fact]
    public async Task APasskeyCannotTakeOverAnEmailThatHasAPortalAccount()
    {
        // A patient of Northside has a portal account; Lakeview invites its own record of them (the same person: linking).
        var (email, _, first) = await ActivatedAtNorthsideAsync("1980-01-02");
        var patientId = await fixture.AddPatientAsync(DemoData.Lakeview, email, null, birthDate: "1980-01-02");
        var lara = await App.SignInAsync(DemoData.Lara);
        Assert.Equal(HttpStatusCode.OK, (await InviteAsync(lara, patientId, "email", DemoData.Lakeview)).StatusCode);
        var token = TokenIn((await fixture.Smtp.WaitForAsync(m => m.EnvelopeRecipients.Contains(email) && m.Message.TextBody?.Contains(first, StringComparison.Ordinal) == false)).Message.TextBody);
        using var browser = App.CreateClient();

        var options = await browser.PostAsJsonAsync("/api/v1/activation/passkey-options", new { token, birthDate = "1980-01-02" });

        Assert.Equal((HttpStatusCode.Conflict, ("portal_account_exists", "password")), (options.StatusCode, await TestData.ProblemAsync(options)));
        Assert.Equal("pending", (await LatestAsync(lara, patientId, DemoData.Lakeview)).State);
    }

    /// <summary>A patient of Northside invited by email and activated with <see cref="StrongPassword"/>: their email, id and the used link's token.</summary>
    private async Task<(string Email, Guid PatientId, string Token)> ActivatedAtNorthsideAsync(string birthDate)
    {
        var email = PortalInvitationApp.UniqueEmail();
        var patientId = await fixture.AddPatientAsync(DemoData.Northside, email, null, birthDate: birthDate);
        await InviteAsync(await App.SignInAsync(DemoData.Frank), patientId, "email");
        var token = TokenIn((await fixture.Smtp.WaitForAsync(m => m.EnvelopeRecipients.Contains(email))).Message.TextBody);
        Assert.Equal(HttpStatusCode.OK, (await Activate(App.CreateClient(), token, birthDate)).StatusCode);
        return (email, patientId, token);
    }

    private static Task<HttpResponseMessage> InviteAsync(ApiSession staff, Guid patientId, string channel, Guid? clinicId = null) =>
        staff.Http.PostAsJsonAsync($"/api/v1/clinics/{clinicId ?? DemoData.Northside}/patients/{patientId}/invitations", new { channel });

    private static async Task<(Guid? Id, string? State)> LatestAsync(ApiSession staff, Guid patientId, Guid? clinicId = null)
    {
        var status = await staff.Http.GetFromJsonAsync<PortalInvitationStatusDto>($"/api/v1/clinics/{clinicId ?? DemoData.Northside}/patients/{patientId}/invitations");
        return (status!.Latest?.Id, status.Latest?.State);
    }

    private static Task<HttpResponseMessage> CheckBirthDateAsync(HttpClient client, string token, string birthDate) =>
        client.PostAsJsonAsync("/api/v1/activation/birth-date", new { token, birthDate });

    private static Task<HttpResponseMessage> Activate(HttpClient client, string token, string birthDate, string? email = null, string password = StrongPassword) =>
        client.PostAsJsonAsync("/api/v1/activation/activate", new { token, birthDate, email, password, chatOptIn = true });

    private static async Task<string?> CodeAsync(HttpResponseMessage response) => (await TestData.ProblemAsync(response)).Code;

    private static async Task<int> AttemptsLeftAsync(HttpResponseMessage response)
    {
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return json.RootElement.GetProperty("attemptsLeft").GetInt32();
    }

    private static string TokenIn(string? text) => LinkPattern().Match(text ?? string.Empty) is { Success: true } link ? link.Groups[1].Value : throw new InvalidOperationException("No activation link in: " + text);

    [GeneratedRegex(@"/#/activate/([0-9a-f]{32}\.[A-Za-z0-9_-]+)")]
    private static partial Regex LinkPattern();
}
