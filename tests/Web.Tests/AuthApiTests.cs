using Microsoft.AspNetCore.Identity;

namespace ClinicChat.Web.Tests;

[Collection(AppCollection.Name)]
public sealed class AuthApiTests(AppFixture fixture)
{
    private ClinicChatApp App => fixture.App;

    [Fact]
    public async Task SignInReturnsWhoIAmWithClinicAndRole()
    {
        var alice = await App.SignInAsync(DemoData.Alice);

        var me = await alice.Http.GetFromJsonAsync<MeDto>("/api/v1/me");

        Assert.Equal("staff", me!.Kind);
        Assert.Equal("Alice Carter", me.DisplayName);
        var membership = Assert.Single(me.Memberships);
        Assert.Equal(("Northside Family Dental", "Clinician"), (membership.ClinicName, membership.Role));
    }

    [Fact]
    public async Task PatientSignInCarriesThePatientId()
    {
        var pat = await App.SignInAsync(DemoData.Pat);

        Assert.Equal("patient", pat.Me.Kind);
        Assert.Equal(DemoData.PatPortal, pat.Me.PatientId);
        Assert.Empty(pat.Me.Memberships);
    }

    [Fact]
    public async Task MeSaysWhereTheCallerMayChatByTheServersRule()
    {
        var chatClinics = new Dictionary<string, IReadOnlyList<Guid>?>();
        foreach (var email in new[] { DemoData.Alice, DemoData.Mo, DemoData.Bill, DemoData.Olga, DemoData.Pat })
        {
            var session = await App.SignInAsync(email);
            chatClinics[email] = (await session.Http.GetFromJsonAsync<ChatClinicsView>("/api/v1/me"))!.ChatClinicIds;
        }

        Assert.Equal([DemoData.Northside], chatClinics[DemoData.Alice]);
        Assert.Equal(new HashSet<Guid> { DemoData.Northside, DemoData.Lakeview }, chatClinics[DemoData.Mo]!.ToHashSet());
        // Billing and Admin hold roles at Northside but no chat role: the list is empty, not their memberships.
        Assert.Equal([], chatClinics[DemoData.Bill]);
        Assert.Equal([], chatClinics[DemoData.Olga]);
        Assert.Equal([], chatClinics[DemoData.Pat]);
    }

    /// <summary>Only the part of /me this test is about, read by name as a client reads it.</summary>
    private sealed record ChatClinicsView(IReadOnlyList<Guid>? ChatClinicIds);

    [Theory]
    [InlineData(DemoData.Alice, "wrong-password")]
    [InlineData("nobody@example.com", DemoData.Password)]
    public async Task WrongPasswordAndUnknownAccountGetTheSameAnswer(string email, string password)
    {
        using var client = App.CreateClient();

        var response = await client.PostAsJsonAsync("/api/v1/auth/login", new { email, password });

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("invalid_credentials", (await TestData.ProblemAsync(response)).Code);
        Assert.False(response.Headers.Contains("Set-Cookie"));
    }

    [Fact]
    public async Task RepeatedFailuresLockTheAccountAndSignInSaysSoEvenForTheRightPassword()
    {
        var victim = TestData.PortalPatient(150).Email!;
        using var client = App.CreateClient();
        for (var attempt = 0; attempt < 5; attempt++)
        {
            await client.PostAsJsonAsync("/api/v1/auth/login", new { email = victim, password = "not-it" });
        }

        var response = await client.PostAsJsonAsync("/api/v1/auth/login", new { email = victim, password = DemoData.Password });

        // Locked, and told so (with until when): no password is checked meanwhile, so the answer confirms no guess.
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal("account_locked", (await TestData.ProblemAsync(response)).Code);
        Assert.False(response.Headers.Contains("Set-Cookie"));
    }

    [Fact]
    public async Task AnonymousCallsAreRefusedWith401()
    {
        using var client = App.CreateClient();

        foreach (var path in new[] { "/api/v1/me", "/api/v1/conversations", "/api/v1/patients?query=pat", $"/api/v1/conversations/{TestData.PatThreadAtNorthside}/messages" })
        {
            var response = await client.GetAsync(path);
            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
            Assert.Equal("unauthenticated", (await TestData.ProblemAsync(response)).Code);
        }
    }

    [Fact]
    public async Task SignOutEndsTheSession()
    {
        var frank = await App.SignInAsync(DemoData.Frank);

        var logout = await frank.Http.PostAsync("/api/v1/auth/logout", null);
        var cleared = logout.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith("clinicchat.auth=", StringComparison.Ordinal));

        Assert.Equal(HttpStatusCode.NoContent, logout.StatusCode);
        Assert.Contains("expires=Thu, 01 Jan 1970", cleared, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task MissingFieldsAreNamedInTheError()
    {
        using var client = App.CreateClient();

        var response = await client.PostAsJsonAsync("/api/v1/auth/login", new { email = DemoData.Alice });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(("validation_failed", "password"), await TestData.ProblemAsync(response));
    }

    [Fact]
    public async Task ChangingAUsersSecurityStampEndsTheirExistingSessions()
    {
        var patient = TestData.PortalPatient(151);
        var session = await App.SignInAsync(patient.Email!);
        var before = await session.Http.GetAsync("/api/v1/me");

        using (var scope = App.Services.CreateScope())
        {
            var users = scope.ServiceProvider.GetRequiredService<UserManager<Identity.ClinicChatUser>>();
            await users.UpdateSecurityStampAsync((await users.FindByEmailAsync(patient.Email!))!);
        }

        var after = await session.Http.GetAsync("/api/v1/me");

        Assert.Equal(HttpStatusCode.OK, before.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, after.StatusCode);
    }
}
