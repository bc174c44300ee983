using System.Security.Claims;
using BenchmarkDotNet.Attributes;
using ClinicChat.Web.Identity;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.DataProtection;

namespace ClinicChat.MicroBench;

/// <summary>
/// Reading the auth cookie, which every request does: Data Protection's decryption of the ticket against the node's
/// remembered copy of it (issue 23). The ticket carries the claims a signed-in staff member's cookie carries.
/// </summary>
[MemoryDiagnoser]
public class AuthCookieBenchmarks
{
    private TicketDataFormat _decrypting = null!;
    private RememberedTicketFormat _remembering = null!;
    private string _cookie = null!;

    [GlobalSetup]
    public void Setup()
    {
        _decrypting = new TicketDataFormat(new EphemeralDataProtectionProvider().CreateProtector("Microsoft.AspNetCore.Authentication.Cookies.CookieAuthenticationMiddleware", "Identity.Application", "v2"));
        _remembering = new RememberedTicketFormat(_decrypting, TimeProvider.System);
        var identity = new ClaimsIdentity(
        [
            new Claim(ClaimTypes.NameIdentifier, Guid.NewGuid().ToString()),
            new Claim(ClaimTypes.Name, "alice.clinician@northside.example"),
            new Claim(ClaimTypes.Email, "alice.clinician@northside.example"),
            new Claim("AspNet.Identity.SecurityStamp", "QWERTYUIOPASDFGHJKLZXCVBNM234567"),
            new Claim("clinicchat:membership", $"{Guid.NewGuid()}:clinician"),
            new Claim("clinicchat:name", "Dr Alice Clinician"),
            new Claim("clinicchat:session", Guid.NewGuid().ToString("N")),
            new Claim("amr", "pwd"),
        ], "Identity.Application");
        _cookie = _decrypting.Protect(new AuthenticationTicket(new ClaimsPrincipal(identity), new AuthenticationProperties { ExpiresUtc = DateTimeOffset.UtcNow.AddHours(12) }, "Identity.Application"));
        for (var i = 0; i < RememberedTicketFormat.SightingsBeforeRemembering; i++)
        {
            _remembering.Unprotect(_cookie);
        }
    }

    [Benchmark(Baseline = true)]
    public AuthenticationTicket? Decrypt() => _decrypting.Unprotect(_cookie);

    [Benchmark]
    public AuthenticationTicket? Remembered() => _remembering.Unprotect(_cookie);
}
