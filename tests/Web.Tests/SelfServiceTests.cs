using static ClinicChat.Web.Tests.SessionTestKit;

namespace ClinicChat.Web.Tests;

/// <summary>A patient's Profile: chat with each clinic on or off on its own, and "Sign out everywhere".</summary>
[Collection(AppCollection.Name)]
public sealed class SelfServiceTests(AppFixture fixture)
{
    private ClinicChatApp App => fixture.App;

    [Fact]
    public async Task OptingOutAtOneClinicBlocksOnlyThatClinicsChat()
    {
        var patient = await TestPatients.NewAsync(App, DemoData.Northside, DemoData.Lakeview);
        var alice = await App.SignInAsync(DemoData.Alice);
        var lara = await App.SignInAsync(DemoData.Lara);
        var northsideThread = await TestData.StartAsync(alice, patient.Id);
        await TestData.SendAsync(alice, northsideThread.Id, "Before the opt-out");
        var session = await App.SignInAsync(patient.Email);

        var changed = await session.Http.PutAsJsonAsync($"/api/v1/me/chat/{DemoData.Northside}", new { chatOptIn = false });
        var preferences = await session.Http.GetFromJsonAsync<PreferencesDto>("/api/v1/me/preferences");
        var toNorthside = await alice.Http.PostAsJsonAsync($"/api/v1/conversations/{northsideThread.Id}/messages", new { clientMessageId = "n1", text = "Hello?" });
        var lakeviewStart = await lara.Http.PostAsJsonAsync("/api/v1/conversations", new { patientId = patient.Id });
        var lakeviewThread = (await lakeviewStart.Content.ReadFromJsonAsync<ConversationDto>())!.Id;
        await TestData.SendAsync(lara, lakeviewThread, "Still chatting here");
        var inbox = await session.Http.GetFromJsonAsync<ThreadPageDto>("/api/v1/conversations");

        Assert.Equal(HttpStatusCode.OK, changed.StatusCode);
        Assert.False(preferences!.ChatOptIn);
        Assert.Equal(
            [(DemoData.Northside, "Northside Family Dental", false), (DemoData.Lakeview, "Lakeview Pediatrics", true)],
            preferences.Clinics.OrderBy(c => c.ClinicId == DemoData.Lakeview).Select(c => (c.ClinicId, c.ClinicName, c.ChatOptIn)).ToList());
        Assert.Equal((HttpStatusCode.Conflict, "patient_opted_out"), (toNorthside.StatusCode, (await TestData.ProblemAsync(toNorthside)).Code));
        Assert.Equal(HttpStatusCode.OK, lakeviewStart.StatusCode);
        Assert.False(Assert.Single(inbox!.Threads, t => t.ClinicId == DemoData.Northside).PatientChatOptIn);
        Assert.True(Assert.Single(inbox.Threads, t => t.ClinicId == DemoData.Lakeview).PatientChatOptIn);
        Assert.Equal(1, await TestData.AuditCountAsync(App, "chat.opt_in_changed", "optIn=False", actorId: session.UserId, outcome: "success"));
    }

    [Fact]
    public async Task StaffSearchAtEachClinicShowsThatClinicsChoice()
    {
        var patient = await TestPatients.NewAsync(App, DemoData.Northside, DemoData.Lakeview);
        var session = await App.SignInAsync(patient.Email);
        (await session.Http.PutAsJsonAsync($"/api/v1/me/chat/{DemoData.Lakeview}", new { chatOptIn = false })).EnsureSuccessStatusCode();
        var alice = await App.SignInAsync(DemoData.Alice);
        var lara = await App.SignInAsync(DemoData.Lara);

        var atNorthside = await alice.Http.GetFromJsonAsync<List<PatientDto>>("/api/v1/patients?query=" + Uri.EscapeDataString(patient.Name));
        var atLakeview = await lara.Http.GetFromJsonAsync<List<PatientDto>>("/api/v1/patients?query=" + Uri.EscapeDataString(patient.Name));

        Assert.True(Assert.Single(atNorthside!).ChatOptIn);
        Assert.False(Assert.Single(atLakeview!).ChatOptIn);
    }

    [Fact]
    public async Task AClinicThatIsNotThePatientsAnswersNotFoundAndStaffAreRefused()
    {
        var patient = await TestPatients.NewAsync(App);
        var session = await App.SignInAsync(patient.Email);
        var alice = await App.SignInAsync(DemoData.Alice);

        var otherClinic = await session.Http.PutAsJsonAsync($"/api/v1/me/chat/{DemoData.Lakeview}", new { chatOptIn = false });
        var unknownClinic = await session.Http.PutAsJsonAsync($"/api/v1/me/chat/{Guid.NewGuid()}", new { chatOptIn = false });
        var missingChoice = await session.Http.PutAsJsonAsync($"/api/v1/me/chat/{DemoData.Northside}", new { });
        var byStaff = await alice.Http.PutAsJsonAsync($"/api/v1/me/chat/{DemoData.Northside}", new { chatOptIn = false });

        Assert.Equal((HttpStatusCode.NotFound, HttpStatusCode.NotFound), (otherClinic.StatusCode, unknownClinic.StatusCode));
        Assert.Equal((HttpStatusCode.BadRequest, ("validation_failed", "chatOptIn")), (missingChoice.StatusCode, await TestData.ProblemAsync(missingChoice)));
        Assert.Equal((HttpStatusCode.Forbidden, "forbidden"), (byStaff.StatusCode, (await TestData.ProblemAsync(byStaff)).Code));
        Assert.True((await session.Http.GetFromJsonAsync<PreferencesDto>("/api/v1/me/preferences"))!.ChatOptIn);
    }

    [Fact]
    public async Task SignOutEverywhereEndsEverySessionAndClosesAnotherBrowsersPushConnection()
    {
        var patient = await TestPatients.NewAsync(App);
        var laptop = await App.SignInAsync(patient.Email);
        var phone = await App.SignInAsync(patient.Email);
        await using var phoneHub = App.CreateHubConnection(phone.Cookie);
        await ClinicChatApp.ConnectAsync(phoneHub);
        var phoneClosed = ClosedAsync(phoneHub);

        var everywhere = await laptop.Http.PostAsync("/api/v1/auth/logout/everywhere", null);
        await phoneClosed.WaitAsync(TimeSpan.FromSeconds(15));

        Assert.Equal(HttpStatusCode.NoContent, everywhere.StatusCode);
        Assert.Contains("expires=Thu, 01 Jan 1970", everywhere.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith("clinicchat.auth=", StringComparison.Ordinal)),
            StringComparison.OrdinalIgnoreCase);
        Assert.Equal((HttpStatusCode.Unauthorized, HttpStatusCode.Unauthorized), (await StatusOfMeAsync(laptop.Http), await StatusOfMeAsync(phone.Http)));
        Assert.Equal(1, await TestData.AuditCountAsync(App, "signout.everywhere", actorId: laptop.UserId, outcome: "success"));
    }
}
