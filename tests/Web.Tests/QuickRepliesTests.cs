using ClinicChat.Web.QuickReplies;

namespace ClinicChat.Web.Tests;

/// <summary>
/// Quick replies (issue 22): the clinic's, kept by its Admins, and each clinician's or front desk member's own, filled
/// in for the thread's patient with the clinic's name and phone; nobody outside the clinic sees any, and a colleague's
/// personal replies are not found.
/// </summary>
[Collection(AppCollection.Name)]
public sealed class QuickRepliesTests(AppFixture fixture)
{
    private ClinicChatApp App => fixture.App;

    [Fact]
    public async Task TheClinicsReplyIsFilledInForThePatientWithTheClinicsNameAndPhone()
    {
        var chat = await ChatScenario.StartAsync(App);
        var olga = await App.SignInAsync(DemoData.Olga);
        var shortcut = Unique("hours");
        await SetPhoneAsync(olga, null);

        var created = await CreateAsync(olga, $"/{shortcut.ToUpperInvariant()}", "Hi {patient.firstName}, {clinic.name} is open 8–6. Call {clinic.phone} {after} hours.", personal: false);
        var withoutPhone = await FilledAsync(chat.Staff, chat.Patient.Id, shortcut);
        var phoneSet = await SetPhoneAsync(olga, "201-555-0123");
        var withPhone = await FilledAsync(chat.Staff, chat.Patient.Id, shortcut);
        var listedByFrank = await ListAsync(await App.SignInAsync(DemoData.Frank));

        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var reply = (await created.Content.ReadFromJsonAsync<QuickReplyDto>())!;
        Assert.Equal((shortcut, false), (reply.Shortcut, reply.Personal));
        Assert.Equal("Hi Robin, Northside Family Dental is open 8–6. Call {clinic.phone} {after} hours.", withoutPhone.Text);
        Assert.Equal(["{clinic.phone}"], withoutPhone.Unfilled);
        Assert.Equal((HttpStatusCode.OK, "(201) 555-0123"), (phoneSet.StatusCode, (await phoneSet.Content.ReadFromJsonAsync<ClinicProfileDto>())!.Phone));
        Assert.Equal("Hi Robin, Northside Family Dental is open 8–6. Call (201) 555-0123 {after} hours.", withPhone.Text);
        Assert.Empty(withPhone.Unfilled);
        Assert.Contains(listedByFrank, r => r.Id == reply.Id);
        Assert.Equal(1, await TestData.AuditCountAsync(App, AuditActions.QuickReplyCreated, $"reply={reply.Id:N};scope=clinic", olga.UserId));
        Assert.Equal(0, await TestData.AuditCountAsync(App, AuditActions.QuickReplyCreated, "open 8"));
        Assert.True(await TestData.AuditCountAsync(App, AuditActions.ClinicProfileChanged, "phone=set", olga.UserId) >= 1);
    }

    [Fact]
    public async Task PersonalRepliesAreTheirOwnersAloneToSeeChangeAndDelete()
    {
        var alice = await App.SignInAsync(DemoData.Alice);
        var frank = await App.SignInAsync(DemoData.Frank);
        var olga = await App.SignInAsync(DemoData.Olga);
        var shortcut = Unique("mine");
        var clinics = await CreateAsync(olga, shortcut, "The clinic's words.", personal: false);
        var reply = (await (await CreateAsync(alice, shortcut, "Alice's words.", personal: true)).Content.ReadFromJsonAsync<QuickReplyDto>())!;

        var franksList = await ListAsync(frank);
        var changedByFrank = await UpdateAsync(frank, reply.Id, shortcut, "Frank's words.");
        var deletedByOlga = await olga.Http.DeleteAsync(ReplyPath(reply.Id));
        var changed = await UpdateAsync(alice, reply.Id, shortcut + "-2", "Alice's new words.");
        var alicesList = await ListAsync(alice);
        var deleted = await alice.Http.DeleteAsync(ReplyPath(reply.Id));
        var deletedAgain = await alice.Http.DeleteAsync(ReplyPath(reply.Id));

        Assert.Equal(HttpStatusCode.Created, clinics.StatusCode);
        Assert.DoesNotContain(franksList, r => r.Id == reply.Id);
        Assert.Equal(HttpStatusCode.NotFound, changedByFrank.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, deletedByOlga.StatusCode);
        Assert.Equal(HttpStatusCode.OK, changed.StatusCode);
        Assert.Contains(alicesList, r => r is { Personal: true, Text: "Alice's new words." } && r.Shortcut == shortcut + "-2");
        Assert.Contains(alicesList, r => r is { Personal: false, Text: "The clinic's words." } && r.Shortcut == shortcut);
        Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, deletedAgain.StatusCode);
        Assert.DoesNotContain(await ListAsync(alice), r => r.Id == reply.Id);
        Assert.Equal(1, await TestData.AuditCountAsync(App, AuditActions.QuickReplyDeleted, $"reply={reply.Id:N};scope=personal", alice.UserId));
    }

    [Fact]
    public async Task OnlyAdminsKeepTheClinicsRepliesAndNobodyOutsideTheClinicSeesAny()
    {
        var chat = await ChatScenario.StartAsync(App);
        var bill = await App.SignInAsync(DemoData.Bill);
        var lara = await App.SignInAsync(DemoData.Lara);
        var olga = await App.SignInAsync(DemoData.Olga);
        var patient = await chat.SignInPatientAsync();
        var lakeviewPatient = await TestPatients.NewAsync(App, DemoData.Lakeview);
        var clinics = (await (await CreateAsync(olga, Unique("admin"), "Words.", personal: false)).Content.ReadFromJsonAsync<QuickReplyDto>())!;

        Assert.Equal(HttpStatusCode.Forbidden, (await CreateAsync(chat.Staff, Unique("a"), "Words.", personal: false)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await UpdateAsync(chat.Staff, clinics.Id, clinics.Shortcut, "Changed.")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await chat.Staff.Http.DeleteAsync(ReplyPath(clinics.Id))).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await CreateAsync(bill, Unique("b"), "Words.", personal: true)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await CreateAsync(olga, Unique("c"), "Words.", personal: true)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await CreateAsync(lara, Unique("d"), "Words.", personal: true)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await lara.Http.GetAsync(RepliesPath)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await patient.Http.GetAsync(RepliesPath)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await UpdateAsync(lara, clinics.Id, clinics.Shortcut, "Changed.")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await bill.Http.GetAsync($"{RepliesPath}/filled?patientId={chat.Patient.Id}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await chat.Staff.Http.GetAsync($"{RepliesPath}/filled?patientId={lakeviewPatient.Id}")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await SetPhoneAsync(chat.Staff, "201-555-0199")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await patient.Http.GetAsync($"/api/v1/clinics/{DemoData.Northside}/profile")).StatusCode);
        Assert.Equal("Words.", (await ListAsync(bill)).Single(r => r.Id == clinics.Id).Text);
        Assert.True(await TestData.AuditCountAsync(App, AuditActions.AccessDenied, "quick_replies.list", lara.UserId) >= 1);
    }

    [Fact]
    public async Task BadShortcutsTextsAndPhonesAreRefusedWithTheFieldAndNothingIsSaved()
    {
        var alice = await App.SignInAsync(DemoData.Alice);
        var olga = await App.SignInAsync(DemoData.Olga);
        var taken = Unique("taken");
        await CreateAsync(alice, taken, "First.", personal: true);
        var before = (await ListAsync(alice)).Count;

        Assert.Equal(("validation_failed", "shortcut"), await TestData.ProblemAsync(await CreateAsync(alice, "two words", "Text.", personal: true)));
        Assert.Equal(("validation_failed", "shortcut"), await TestData.ProblemAsync(await CreateAsync(alice, "/rx", "Text.", personal: true)));
        Assert.Equal(("validation_failed", "shortcut"), await TestData.ProblemAsync(await CreateAsync(alice, new string('a', 31), "Text.", personal: true)));
        Assert.Equal(("validation_failed", "text"), await TestData.ProblemAsync(await CreateAsync(alice, Unique("t"), "  ", personal: true)));
        Assert.Equal(("validation_failed", "text"), await TestData.ProblemAsync(await CreateAsync(alice, Unique("t"), "Hi {patient.lastName}", personal: true)));
        Assert.Equal(("validation_failed", "text"), await TestData.ProblemAsync(await CreateAsync(alice, Unique("t"), new string('x', 4001), personal: true)));
        Assert.Equal(("shortcut_taken", "shortcut"), await TestData.ProblemAsync(await CreateAsync(alice, "/" + taken.ToUpperInvariant(), "Second.", personal: true)));
        Assert.Equal(("validation_failed", "phone"), await TestData.ProblemAsync(await SetPhoneAsync(olga, "call us")));
        Assert.Equal(("validation_failed", "phone"), await TestData.ProblemAsync(await SetPhoneAsync(olga, "555-01")));
        Assert.Equal(before, (await ListAsync(alice)).Count);
    }

    private static readonly string RepliesPath = $"/api/v1/clinics/{DemoData.Northside}/quick-replies";

    private static string ReplyPath(Guid id) => $"{RepliesPath}/{id}";

    /// <summary>Tests share the clinic's lists: each names its replies apart.</summary>
    private static string Unique(string prefix) => $"{prefix}-{Guid.NewGuid():N}"[..20];

    private static Task<HttpResponseMessage> CreateAsync(ApiSession caller, string shortcut, string text, bool personal) =>
        caller.Http.PostAsJsonAsync(RepliesPath, new { shortcut, text, personal });

    private static Task<HttpResponseMessage> UpdateAsync(ApiSession caller, Guid id, string shortcut, string text) =>
        caller.Http.PutAsJsonAsync(ReplyPath(id), new { shortcut, text });

    private static Task<HttpResponseMessage> SetPhoneAsync(ApiSession caller, string? phone) =>
        caller.Http.PutAsJsonAsync($"/api/v1/clinics/{DemoData.Northside}/profile", new { phone });

    private static async Task<List<QuickReplyDto>> ListAsync(ApiSession caller) =>
        (await caller.Http.GetFromJsonAsync<List<QuickReplyDto>>(RepliesPath))!;

    private static async Task<FilledQuickReplyDto> FilledAsync(ApiSession caller, Guid patientId, string shortcut) =>
        (await caller.Http.GetFromJsonAsync<List<FilledQuickReplyDto>>($"{RepliesPath}/filled?patientId={patientId}"))!.Single(r => r.Shortcut == shortcut);
}
