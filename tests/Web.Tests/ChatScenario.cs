using System.Security.Claims;
using ClinicChat.Patients;
using ClinicChat.Web.Identity;
using ClinicChat.Web.Seeding;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;

namespace ClinicChat.Web.Tests;

/// <summary>A patient a test made for itself: nobody else's test can read, write or count in their thread.</summary>
public sealed record TestPatient(Guid Id, string Name, string Email);

/// <summary>
/// Fresh patients, made the way a clinic's patients come to be (a portal account, then a registration
/// through <see cref="IPatientProfileGrain"/>, the grain the seeder and the future admin pages use), so
/// that a test never has to pick one of the ~180 seeded portal patients by a hand-chosen index that
/// another test may already use.
/// </summary>
public static class TestPatients
{
    private static int _next;

    /// <summary>A new portal patient of <paramref name="clinics"/> (Northside when none), opted in to chat.</summary>
    public static async Task<TestPatient> NewAsync(ClinicChatApp app, params Guid[] clinics)
    {
        var number = Interlocked.Increment(ref _next);
        var id = Guid.NewGuid();
        // Names search can tell apart: a per-process number spelled into the family name.
        var name = $"Robin Testcase{number:D4}";
        var email = $"patient-{id:N}@tests.example";
        using var scope = app.Services.CreateScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<ClinicChatUser>>();
        var user = new ClinicChatUser { UserName = email, Email = email, EmailConfirmed = true, DisplayName = name, LockoutEnabled = true };
        Assert.True((await users.CreateAsync(user, DemoData.Password)).Succeeded);
        Assert.True((await users.AddClaimsAsync(user, [
            new Claim(ChatClaims.Kind, ChatClaims.PatientKind), new Claim(ChatClaims.Name, name), new Claim(ChatClaims.PatientId, id.ToString()),
        ])).Succeeded);
        var registration = new PatientRegistration(id, name, $"+1555{number:D7}", email, user.Id, ChatOptIn: true, clinics.Length == 0 ? [DemoData.Northside] : clinics);
        await app.Services.GetRequiredService<IGrainFactory>().GetGrain<IPatientProfileGrain>(id).RegisterAsync(registration);
        return new TestPatient(id, name, email);
    }
}

/// <summary>
/// The usual start of a chat test: a staff member (Alice unless told) has opened a thread with a
/// fresh patient. Replaces the five-to-eight-line preamble each test used to repeat.
/// </summary>
public sealed record ChatScenario(ClinicChatApp App, ApiSession Staff, TestPatient Patient, Guid ThreadId)
{
    public static async Task<ChatScenario> StartAsync(ClinicChatApp app, string staffEmail = DemoData.Alice)
    {
        var patient = await TestPatients.NewAsync(app);
        var staff = await app.SignInAsync(staffEmail);
        var thread = await TestData.StartAsync(staff, patient.Id);
        return new ChatScenario(app, staff, patient, thread.Id);
    }

    public Task<ApiSession> SignInPatientAsync() => App.SignInAsync(Patient.Email);

    public Task<MessageDto> SendAsync(ApiSession sender, string text, string? clientMessageId = null) =>
        TestData.SendAsync(sender, ThreadId, text, clientMessageId);

    public Task<MessagePageDto> PageAsync(ApiSession reader, string query = "limit=200") => TestData.PageAsync(reader, ThreadId, query);
}
