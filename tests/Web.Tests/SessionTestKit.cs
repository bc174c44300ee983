using System.Security.Claims;
using ClinicChat.Access;
using ClinicChat.Web.Identity;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.Options;

namespace ClinicChat.Web.Tests;

/// <summary>Helpers for the session and two-step sign-in tests: fresh staff accounts, cookies, codes.</summary>
public static class SessionTestKit
{
    /// <summary>A new staff account with one role at <paramref name="clinicId"/> (a fresh clinic id keeps clinic settings private to a test).</summary>
    public static async Task<string> CreateStaffAsync(ClinicChatApp app, Guid clinicId, StaffRole role)
    {
        var email = $"staff-{Guid.NewGuid():N}@tests.example";
        using var scope = app.Services.CreateScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<ClinicChatUser>>();
        var user = new ClinicChatUser { UserName = email, Email = email, EmailConfirmed = true, DisplayName = "Test Staff" };
        Assert.True((await users.CreateAsync(user, Seeding.DemoData.Password)).Succeeded);
        Assert.True((await users.AddClaimsAsync(user, [
            new Claim(ChatClaims.Kind, ChatClaims.StaffKind), new Claim(ChatClaims.Name, "Test Staff"), ChatClaims.MembershipClaim(clinicId, role),
        ])).Succeeded);
        return email;
    }

    /// <summary>
    /// A new patient portal account (kind and patient id only: enough for sessions and the push hub).
    /// The demo seed has about 180 generated portal patients, all taken by other tests.
    /// </summary>
    public static async Task<string> CreatePatientAsync(ClinicChatApp app)
    {
        var email = $"patient-{Guid.NewGuid():N}@tests.example";
        using var scope = app.Services.CreateScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<ClinicChatUser>>();
        var user = new ClinicChatUser { UserName = email, Email = email, EmailConfirmed = true, DisplayName = "Test Patient" };
        Assert.True((await users.CreateAsync(user, Seeding.DemoData.Password)).Succeeded);
        Assert.True((await users.AddClaimsAsync(user, [
            new Claim(ChatClaims.Kind, ChatClaims.PatientKind), new Claim(ChatClaims.Name, "Test Patient"), new Claim(ChatClaims.PatientId, Guid.NewGuid().ToString()),
        ])).Succeeded);
        return email;
    }

    /// <summary>The session id inside an auth cookie, read the way the server reads it.</summary>
    public static string? SessionIdOf(ClinicChatApp app, string cookie)
    {
        var options = app.Services.GetRequiredService<IOptionsMonitor<CookieAuthenticationOptions>>().Get(IdentityConstants.ApplicationScheme);
        var ticket = options.TicketDataFormat.Unprotect(cookie["clinicchat.auth=".Length..]);
        return ticket?.Principal.FindFirst(ChatClaims.Session)?.Value;
    }

    /// <summary>A client without a session, carrying exactly the cookies given.</summary>
    public static HttpClient Client(ClinicChatApp app, params string[] cookies)
    {
        var client = app.CreateClient(new WebApplicationFactoryClientOptions { HandleCookies = false });
        if (cookies.Length > 0)
        {
            client.DefaultRequestHeaders.Add("Cookie", string.Join("; ", cookies));
        }

        return client;
    }

    /// <summary>The <c>name=value</c> of a cookie a response set.</summary>
    public static string? SetCookie(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues("Set-Cookie", out var values)
            ? values.Select(c => c.Split(';')[0]).LastOrDefault(c => c.StartsWith(name + "=", StringComparison.Ordinal) && c.Length > name.Length + 1)
            : null;

    public static async Task<HttpStatusCode> StatusOfMeAsync(HttpClient client) => (await client.GetAsync("/api/v1/me")).StatusCode;

    /// <summary>Completes when the server closes the connection (not when the test stops it).</summary>
    public static Task<Exception?> ClosedAsync(HubConnection connection)
    {
        var closed = new TaskCompletionSource<Exception?>(TaskCreationOptions.RunContinuationsAsynchronously);
        connection.Closed += error =>
        {
            closed.TrySetResult(error);
            return Task.CompletedTask;
        };
        return closed.Task;
    }

    public static async Task<TotpSetup> SetUpTotpAsync(ApiSession session)
    {
        var setup = await session.Http.PostAsync("/api/v1/auth/totp/setup", null);
        Assert.Equal(HttpStatusCode.OK, setup.StatusCode);
        var body = (await setup.Content.ReadFromJsonAsync<Auth.TotpSetupDto>())!;
        return new TotpSetup(body, session.App.Continue(session, setup));
    }

    public sealed record TotpSetup(Auth.TotpSetupDto Key, ApiSession Session);
}
