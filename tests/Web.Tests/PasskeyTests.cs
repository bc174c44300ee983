using ClinicChat.Web.Identity;
using ClinicChat.Web.Passkeys;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.WebUtilities;
using static ClinicChat.Web.Tests.SessionTestKit;

namespace ClinicChat.Web.Tests;

/// <summary>
/// Passkeys through the API, without a browser: the options Identity hands out, refusals of what no authenticator made
/// (400 passkey_rejected, never a 500), and that each person sees and removes only their own passkeys. A whole ceremony
/// with an authenticator is proved in the browser (PasskeyBrowserTests, Chromium's virtual authenticator).
/// </summary>
[Collection(AppCollection.Name)]
public sealed class PasskeyTests(AppFixture fixture)
{
    private static readonly object GarbageCredential = new
    {
        id = "AAAA",
        rawId = "AAAA",
        type = "public-key",
        response = new { clientDataJSON = "e30", attestationObject = "oA", authenticatorData = "AA", signature = "AA" },
        clientExtensionResults = new { },
    };

    private ClinicChatApp App => fixture.App;

    [Fact]
    public async Task EveryPasskeyEndpointOfAnAccountNeedsASession()
    {
        using var anonymous = Client(App);

        var list = await anonymous.GetAsync("/api/v1/auth/passkeys");
        var options = await anonymous.PostAsync("/api/v1/auth/passkeys/options", null);
        var add = await anonymous.PostAsJsonAsync("/api/v1/auth/passkeys", new { credential = GarbageCredential, name = "Phone" });
        var remove = await anonymous.DeleteAsync("/api/v1/auth/passkeys/AAAA");
        var reauthOptions = await anonymous.PostAsync("/api/v1/auth/reauth/passkey/options", null);
        var reauth = await anonymous.PostAsJsonAsync("/api/v1/auth/reauth/passkey", new { credential = GarbageCredential });

        Assert.All([list, options, add, remove, reauthOptions, reauth], r => Assert.Equal(HttpStatusCode.Unauthorized, r.StatusCode));
    }

    [Fact]
    public async Task CreationOptionsAreForThisAccountAndSiteAndAskTheDeviceToVerifyItsOwner()
    {
        var email = await CreatePatientAsync(App);
        var session = await App.SignInAsync(email);

        var response = await session.Http.PostAsync("/api/v1/auth/passkeys/options", null);
        using var options = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var root = options.RootElement;

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("localhost", root.GetProperty("rp").GetProperty("id").GetString());
        Assert.Equal(email, root.GetProperty("user").GetProperty("name").GetString());
        Assert.Equal(session.UserId, System.Text.Encoding.UTF8.GetString(WebEncoders.Base64UrlDecode(root.GetProperty("user").GetProperty("id").GetString()!)));
        Assert.Equal(32, WebEncoders.Base64UrlDecode(root.GetProperty("challenge").GetString()!).Length);
        Assert.Equal("required", root.GetProperty("authenticatorSelection").GetProperty("userVerification").GetString());
        Assert.Equal("required", root.GetProperty("authenticatorSelection").GetProperty("residentKey").GetString());
        Assert.Contains(root.GetProperty("pubKeyCredParams").EnumerateArray(), p => p.GetProperty("alg").GetInt32() == -7);
        Assert.NotNull(SetCookie(response, IdentityServiceExtensions.TwoFactorCookieName));
    }

    [Fact]
    public async Task AnAttestationNoAuthenticatorMadeIsRejectedAndNothingIsStored()
    {
        var email = await CreatePatientAsync(App);
        var session = await App.SignInVerifiedAsync(email);
        var unverified = await App.SignInAsync(email);
        var options = await session.Http.PostAsync("/api/v1/auth/passkeys/options", null);
        using var withCeremony = WithCeremony(session, options);
        var unverifiedOptions = await unverified.Http.PostAsync("/api/v1/auth/passkeys/options", null);
        using var unverifiedWithCeremony = WithCeremony(unverified, unverifiedOptions);

        var garbage = await withCeremony.PostAsJsonAsync("/api/v1/auth/passkeys", new { credential = GarbageCredential, name = "My phone" });
        var garbageUnverified = await unverifiedWithCeremony.PostAsJsonAsync("/api/v1/auth/passkeys", new { credential = GarbageCredential, name = "My phone" });
        var noCeremony = await session.Http.PostAsJsonAsync("/api/v1/auth/passkeys", new { credential = GarbageCredential, name = "My phone" });
        var notAnObject = await session.Http.PostAsJsonAsync("/api/v1/auth/passkeys", new { credential = "text", name = "My phone" });
        var noName = await session.Http.PostAsJsonAsync("/api/v1/auth/passkeys", new { credential = GarbageCredential, name = " " });
        var list = await session.Http.GetFromJsonAsync<PasskeyDto[]>("/api/v1/auth/passkeys");

        Assert.Equal((HttpStatusCode.BadRequest, "passkey_rejected"), (garbage.StatusCode, (await TestData.ProblemAsync(garbage)).Code));
        Assert.Equal((HttpStatusCode.BadRequest, "passkey_rejected"), (garbageUnverified.StatusCode, (await TestData.ProblemAsync(garbageUnverified)).Code));
        Assert.Equal((HttpStatusCode.BadRequest, "passkey_rejected"), (noCeremony.StatusCode, (await TestData.ProblemAsync(noCeremony)).Code));
        Assert.Equal((HttpStatusCode.BadRequest, ("validation_failed", "credential")), (notAnObject.StatusCode, await TestData.ProblemAsync(notAnObject)));
        Assert.Equal((HttpStatusCode.BadRequest, ("validation_failed", "name")), (noName.StatusCode, await TestData.ProblemAsync(noName)));
        Assert.Empty(list!);
        Assert.Equal(3, await TestData.AuditCountAsync(App, "passkey.added", actorId: session.UserId, outcome: "failure"));
    }

    [Fact]
    public async Task SignInWithAPasskeyOffersOptionsWithoutAnAccountAndRejectsAnAssertionNoAuthenticatorMade()
    {
        using var anonymous = Client(App);

        var options = await anonymous.PostAsync("/api/v1/auth/login/passkey/options", null);
        using var body = JsonDocument.Parse(await options.Content.ReadAsStringAsync());
        using var withCeremony = Client(App, SetCookie(options, IdentityServiceExtensions.TwoFactorCookieName)!);
        var garbage = await withCeremony.PostAsJsonAsync("/api/v1/auth/login/passkey", new { credential = GarbageCredential });
        var noCeremony = await anonymous.PostAsJsonAsync("/api/v1/auth/login/passkey", new { credential = GarbageCredential });
        var missing = await anonymous.PostAsJsonAsync("/api/v1/auth/login/passkey", new { });

        Assert.Equal(HttpStatusCode.OK, options.StatusCode);
        Assert.Equal("localhost", body.RootElement.GetProperty("rpId").GetString());
        Assert.False(body.RootElement.TryGetProperty("allowCredentials", out var allowed) && allowed.GetArrayLength() > 0);
        Assert.Equal("required", body.RootElement.GetProperty("userVerification").GetString());
        Assert.Equal((HttpStatusCode.BadRequest, "passkey_rejected"), (garbage.StatusCode, (await TestData.ProblemAsync(garbage)).Code));
        Assert.Null(SetCookie(garbage, IdentityServiceExtensions.AuthCookieName));
        Assert.Equal((HttpStatusCode.BadRequest, "passkey_rejected"), (noCeremony.StatusCode, (await TestData.ProblemAsync(noCeremony)).Code));
        Assert.Equal((HttpStatusCode.BadRequest, ("validation_failed", "credential")), (missing.StatusCode, await TestData.ProblemAsync(missing)));
    }

    [Fact]
    public async Task VerifyItsYouWithAPasskeyListsOnlyTheCallersOwnPasskeysAndRejectsAnAssertionNoAuthenticatorMade()
    {
        var (email, mine) = await PatientWithPasskeyAsync("Phone");
        var (_, theirs) = await PatientWithPasskeyAsync("Tablet");
        var session = await App.SignInAsync(email);

        var options = await session.Http.PostAsync("/api/v1/auth/reauth/passkey/options", null);
        using var body = JsonDocument.Parse(await options.Content.ReadAsStringAsync());
        using var withCeremony = WithCeremony(session, options);
        var garbage = await withCeremony.PostAsJsonAsync("/api/v1/auth/reauth/passkey", new { credential = GarbageCredential });
        var window = await session.Http.GetFromJsonAsync<MeDto>("/api/v1/me");

        var allowed = body.RootElement.GetProperty("allowCredentials").EnumerateArray().Select(c => c.GetProperty("id").GetString()).ToList();
        Assert.Equal([mine], allowed);
        Assert.DoesNotContain(theirs, allowed);
        Assert.Equal((HttpStatusCode.BadRequest, "passkey_rejected"), (garbage.StatusCode, (await TestData.ProblemAsync(garbage)).Code));
        Assert.Null(window!.SensitiveUntil);
        Assert.Equal(1, await TestData.AuditCountAsync(App, "reauth", "passkey", actorId: session.UserId, outcome: "failure"));
    }

    [Fact]
    public async Task APersonSeesOnlyTheirOwnPasskeysAndCannotRemoveAnotherAccountsWhichAnswersLikeOneThatDoesNotExist()
    {
        var (email, mine) = await PatientWithPasskeyAsync("Phone");
        var (otherEmail, theirs) = await PatientWithPasskeyAsync("Tablet");
        var session = await App.SignInVerifiedAsync(email);

        var listed = await session.Http.GetFromJsonAsync<PasskeyDto[]>("/api/v1/auth/passkeys");
        var removeTheirs = await session.Http.DeleteAsync($"/api/v1/auth/passkeys/{theirs}");
        var removeUnknown = await session.Http.DeleteAsync("/api/v1/auth/passkeys/bm90LWEtcGFzc2tleQ");
        var removeNotBase64 = await session.Http.DeleteAsync("/api/v1/auth/passkeys/!!!");
        var theirsAfter = await (await App.SignInAsync(otherEmail)).Http.GetFromJsonAsync<PasskeyDto[]>("/api/v1/auth/passkeys");

        Assert.Equal(["Phone"], listed!.Select(p => p.Name));
        Assert.Equal(mine, listed!.Single().Id);
        Assert.Equal((HttpStatusCode.NotFound, "not_found"), (removeTheirs.StatusCode, (await TestData.ProblemAsync(removeTheirs)).Code));
        Assert.Equal((HttpStatusCode.NotFound, "not_found"), (removeUnknown.StatusCode, (await TestData.ProblemAsync(removeUnknown)).Code));
        Assert.Equal(HttpStatusCode.NotFound, removeNotBase64.StatusCode);
        Assert.Equal([theirs], theirsAfter!.Select(p => p.Id));
    }

    [Fact]
    public async Task RemovingAPasskeyNeedsARecentVerifyItsYouAndIsAudited()
    {
        var (email, mine) = await PatientWithPasskeyAsync("Old phone");
        var session = await App.SignInAsync(email);
        var unverified = await session.Http.DeleteAsync($"/api/v1/auth/passkeys/{mine}");
        var verified = await App.SignInVerifiedAsync(email);

        var removed = await verified.Http.DeleteAsync($"/api/v1/auth/passkeys/{mine}");
        var again = await verified.Http.DeleteAsync($"/api/v1/auth/passkeys/{mine}");
        var listed = await verified.Http.GetFromJsonAsync<PasskeyDto[]>("/api/v1/auth/passkeys");

        Assert.Equal((HttpStatusCode.Forbidden, "sensitive_locked"), (unverified.StatusCode, (await TestData.ProblemAsync(unverified)).Code));
        Assert.Equal(HttpStatusCode.NoContent, removed.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, again.StatusCode);
        Assert.Empty(listed!);
        Assert.Equal(1, await TestData.AuditCountAsync(App, "passkey.removed", $"passkey={mine[..12]}", actorId: verified.UserId, outcome: "success"));
    }

    [Fact]
    public async Task AWholeCeremonyAddsANamedPasskeyThatThenSignsInWithoutAPasswordAndBothAreAudited()
    {
        using var device = new SoftwareAuthenticator();
        var email = await CreatePatientAsync(App);
        var verified = await App.SignInVerifiedAsync(email);

        var id = await RegisterAsync(verified, device, "My phone");
        var listed = await verified.Http.GetFromJsonAsync<PasskeyDto[]>("/api/v1/auth/passkeys");
        var signedIn = await PasskeySignInAsync(device);
        var me = await signedIn.Content.ReadFromJsonAsync<MeDto>();
        using var session = Client(App, SetCookie(signedIn, IdentityServiceExtensions.AuthCookieName)!);
        var again = await PasskeySignInAsync(device);

        Assert.Equal([("My phone", id)], listed!.Select(p => (p.Name, p.Id)));
        Assert.Equal(HttpStatusCode.OK, signedIn.StatusCode);
        Assert.Equal(verified.UserId, me!.UserId);
        Assert.Equal(HttpStatusCode.OK, await StatusOfMeAsync(session));
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        Assert.Equal(1, await TestData.AuditCountAsync(App, "passkey.added", $"passkey={id[..12]}", actorId: verified.UserId, outcome: "success"));
        Assert.Equal(2, await TestData.AuditCountAsync(App, "signin", "passkey", actorId: verified.UserId, outcome: "success"));
    }

    [Fact]
    public async Task APasskeyOpensVerifyItsYouForItsOwnerOnlyAndALockedAccountCannotSignInWithIt()
    {
        using var device = new SoftwareAuthenticator();
        var email = await CreatePatientAsync(App);
        await RegisterAsync(await App.SignInVerifiedAsync(email), device, "My phone");
        var owner = await App.SignInAsync(email);
        var someoneElse = await App.SignInAsync(await CreatePatientAsync(App));

        var opened = await PasskeyReauthAsync(owner, device);
        var window = await App.Continue(owner, opened).Http.GetFromJsonAsync<MeDto>("/api/v1/me");
        var notTheirs = await PasskeyReauthAsync(someoneElse, device);
        var theirWindow = await someoneElse.Http.GetFromJsonAsync<MeDto>("/api/v1/me");
        using (var scope = App.Services.CreateScope())
        {
            var users = scope.ServiceProvider.GetRequiredService<UserManager<ClinicChatUser>>();
            await users.SetLockoutEndDateAsync((await users.FindByEmailAsync(email))!, DateTimeOffset.UtcNow.AddMinutes(15));
        }

        var locked = await PasskeySignInAsync(device);

        Assert.Equal(HttpStatusCode.OK, opened.StatusCode);
        Assert.NotNull(window!.SensitiveUntil);
        Assert.Equal((await opened.Content.ReadFromJsonAsync<ReauthDto>())!.SensitiveUntil, window.SensitiveUntil);
        Assert.Equal((HttpStatusCode.BadRequest, "passkey_rejected"), (notTheirs.StatusCode, (await TestData.ProblemAsync(notTheirs)).Code));
        Assert.Null(theirWindow!.SensitiveUntil);
        Assert.Equal((HttpStatusCode.Forbidden, "account_locked"), (locked.StatusCode, (await TestData.ProblemAsync(locked)).Code));
        Assert.Null(SetCookie(locked, IdentityServiceExtensions.AuthCookieName));
        Assert.Equal(1, await TestData.AuditCountAsync(App, "reauth", "passkey until=", actorId: owner.UserId, outcome: "success"));
    }

    [Fact]
    public async Task StaffSigningInWithAPasskeyMeetTheirClinicsTwoStepRequirementAndAreRefusedWhenItIsDisabled()
    {
        using var device = new SoftwareAuthenticator();
        var clinic = Guid.NewGuid();
        var account = App.Services.GetRequiredService<IGrainFactory>().GetGrain<ClinicChat.Onboarding.IClinicAccountGrain>(clinic);
        await account.CreateAsync("Passkey Dental", "Europe/Berlin", "operator-test");
        var admin = await App.SignInAsync(await CreateStaffAsync(App, clinic, Access.StaffRole.Admin));
        var email = await CreateStaffAsync(App, clinic, Access.StaffRole.Clinician);
        await RegisterAsync(await App.SignInVerifiedAsync(email), device, "Work laptop");
        var require = await admin.Http.PutAsJsonAsync($"/api/v1/clinics/{clinic}/security", new { requireStaffTotp = true });

        var enrolOnly = await PasskeySignInAsync(device);
        var me = await enrolOnly.Content.ReadFromJsonAsync<MeDto>();
        await account.SetEnabledAsync(false, "operator-test");
        var disabled = await PasskeySignInAsync(device);

        Assert.Equal(HttpStatusCode.OK, require.StatusCode);
        Assert.Equal(HttpStatusCode.OK, enrolOnly.StatusCode);
        Assert.True(me!.TotpEnrolmentRequired);
        Assert.Equal((HttpStatusCode.Forbidden, "clinic_disabled"), (disabled.StatusCode, (await TestData.ProblemAsync(disabled)).Code));
        Assert.Null(SetCookie(disabled, IdentityServiceExtensions.AuthCookieName));
    }

    private async Task<string> RegisterAsync(ApiSession verified, SoftwareAuthenticator device, string name)
    {
        var options = await verified.Http.PostAsync("/api/v1/auth/passkeys/options", null);
        using var body = JsonDocument.Parse(await options.Content.ReadAsStringAsync());
        using var ceremony = WithCeremony(verified, options, device.Origin);
        var added = await ceremony.PostAsJsonAsync("/api/v1/auth/passkeys", new { credential = device.Create(body.RootElement), name });
        Assert.True(added.StatusCode == HttpStatusCode.Created, await added.Content.ReadAsStringAsync());
        return (await added.Content.ReadFromJsonAsync<PasskeyDto>())!.Id;
    }

    private async Task<HttpResponseMessage> PasskeySignInAsync(SoftwareAuthenticator device)
    {
        using var anonymous = Client(App);
        var options = await anonymous.PostAsync("/api/v1/auth/login/passkey/options", null);
        using var body = JsonDocument.Parse(await options.Content.ReadAsStringAsync());
        using var ceremony = Client(App, SetCookie(options, IdentityServiceExtensions.TwoFactorCookieName)!);
        ceremony.DefaultRequestHeaders.Add("Origin", device.Origin);
        return await ceremony.PostAsJsonAsync("/api/v1/auth/login/passkey", new { credential = device.Get(body.RootElement) });
    }

    private async Task<HttpResponseMessage> PasskeyReauthAsync(ApiSession session, SoftwareAuthenticator device)
    {
        var options = await session.Http.PostAsync("/api/v1/auth/reauth/passkey/options", null);
        using var body = JsonDocument.Parse(await options.Content.ReadAsStringAsync());
        using var ceremony = WithCeremony(session, options, device.Origin);
        return await ceremony.PostAsJsonAsync("/api/v1/auth/reauth/passkey", new { credential = device.Get(body.RootElement) });
    }

    /// <summary>
    /// The session's client plus the half-way cookie in which Identity keeps a ceremony's challenge, and the page's
    /// <c>Origin</c> a browser sends (Identity compares it with the one the authenticator signed).
    /// </summary>
    private HttpClient WithCeremony(ApiSession session, HttpResponseMessage options, string? origin = null)
    {
        Assert.Equal(HttpStatusCode.OK, options.StatusCode);
        var client = Client(App, session.Cookie, SetCookie(options, IdentityServiceExtensions.TwoFactorCookieName)!);
        if (origin is not null)
        {
            client.DefaultRequestHeaders.Add("Origin", origin);
        }

        return client;
    }

    /// <summary>
    /// A new patient account holding one stored passkey (put in through Identity's own store: what these tests are about is
    /// who may see and remove it, not the ceremony that made it). Returns the email and the passkey's id (base64url).
    /// </summary>
    private async Task<(string Email, string PasskeyId)> PatientWithPasskeyAsync(string name)
    {
        var email = await CreatePatientAsync(App);
        using var scope = App.Services.CreateScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<ClinicChatUser>>();
        var user = (await users.FindByEmailAsync(email))!;
        var credentialId = System.Security.Cryptography.RandomNumberGenerator.GetBytes(16);
        var passkey = new UserPasskeyInfo(credentialId, publicKey: [1, 2, 3], DateTimeOffset.UtcNow, signCount: 0, transports: ["internal"],
            isUserVerified: true, isBackupEligible: false, isBackedUp: false, attestationObject: [0xA0], clientDataJson: [0x7B, 0x7D]) { Name = name };
        Assert.True((await users.AddOrUpdatePasskeyAsync(user, passkey)).Succeeded);
        return (email, WebEncoders.Base64UrlEncode(credentialId));
    }
}
