using System.Security.Claims;
using ClinicChat.Patients;
using ClinicChat.Web.Identity;
using Microsoft.AspNetCore.Identity;

namespace ClinicChat.Tests.Shared;

/// <summary>A patient a test made for itself: nobody else's test can read, write or count in their thread.</summary>
public sealed record TestPatient(Guid Id, string Name, string Email)
{
    /// <summary>As the clinic entered them: the name before the last space.</summary>
    public string GivenName => Name[..Name.LastIndexOf(' ')];
}

/// <summary>
/// Fresh portal patients, made the way a clinic's patients come to be (a portal account, then a registration through
/// <see cref="IPatientProfileGrain"/>, as the seeder does), so that a test never has to pick one of the seeded portal
/// patients by a hand-chosen index that another test may already use. Shared by the web and browser tests.
/// </summary>
public static class PortalPatients
{
    private static int _next;

    /// <summary>A new portal patient of <paramref name="clinics"/> (Northside when none), opted in to chat.</summary>
    public static async Task<TestPatient> NewAsync(IServiceProvider services, params Guid[] clinics)
    {
        var number = Interlocked.Increment(ref _next);
        var id = Guid.NewGuid();
        // Names search can tell apart: a per-process number spelled into the family name.
        var name = $"Robin Testcase{number:D4}";
        var email = $"patient-{id:N}@tests.example";
        using var scope = services.CreateScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<ClinicChatUser>>();
        var user = new ClinicChatUser { UserName = email, Email = email, EmailConfirmed = true, DisplayName = name, LockoutEnabled = true };
        Assert.True((await users.CreateAsync(user, DemoData.Password)).Succeeded);
        Assert.True((await users.AddClaimsAsync(user, [
            new Claim(ChatClaims.Kind, ChatClaims.PatientKind), new Claim(ChatClaims.Name, name), new Claim(ChatClaims.PatientId, id.ToString()),
        ])).Succeeded);
        var registration = new PatientRegistration(id, name, $"+1555{number:D7}", email, user.Id, ChatOptIn: true, clinics.Length == 0 ? [DemoData.Northside] : clinics);
        await services.GetRequiredService<IGrainFactory>().GetGrain<IPatientProfileGrain>(id).RegisterAsync(registration);
        return new TestPatient(id, name, email);
    }
}
