using System.Security.Claims;
using ClinicChat.Web.Identity;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.Time.Testing;

namespace ClinicChat.Web.Tests;

/// <summary>
/// The auth cookie's remembered tickets, over the real Data Protection format: every sighting gets the ticket the cookie
/// holds, as its own copy; decryption stops from the third sighting; tampered cookies are refused; unused ones are forgotten.
/// </summary>
public sealed class RememberedTicketFormatTests
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 12, 5, 9, 0, 0, TimeSpan.Zero));
    private readonly CountingFormat _inner = new(new TicketDataFormat(new EphemeralDataProtectionProvider().CreateProtector("cookie")));
    private readonly RememberedTicketFormat _format;

    public RememberedTicketFormatTests() => _format = new RememberedTicketFormat(_inner, _time);

    [Fact]
    public void EverySightingGetsTheCookiesTicketAndDecryptionStopsFromTheThird()
    {
        var cookie = _format.Protect(Ticket("user-1", "session-1"));

        var tickets = Enumerable.Range(0, 5).Select(_ => _format.Unprotect(cookie)).ToList();

        Assert.All(tickets, ticket =>
        {
            Assert.Equal("user-1", ticket!.Principal.FindFirstValue(ClaimTypes.NameIdentifier));
            Assert.Equal("session-1", ticket.Principal.FindFirstValue("sid"));
            Assert.Equal(Expires, ticket.Properties.ExpiresUtc);
        });
        Assert.Equal(3, _inner.Unprotected);
    }

    [Fact]
    public void ARememberedTicketIsACopyWhatOneRequestChangesTheNextDoesNotSee()
    {
        var cookie = _format.Protect(Ticket("user-1", "session-1"));
        for (var i = 0; i < 3; i++)
        {
            _format.Unprotect(cookie);
        }

        var first = _format.Unprotect(cookie)!;
        ((ClaimsIdentity)first.Principal.Identity!).AddClaim(new Claim("added", "by a request"));
        first.Properties.ExpiresUtc = Expires.AddDays(30);

        var next = _format.Unprotect(cookie)!;
        Assert.Null(next.Principal.FindFirst("added"));
        Assert.Equal(Expires, next.Properties.ExpiresUtc);
    }

    [Fact]
    public void EachCookieGetsItsOwnTicket()
    {
        var alice = _format.Protect(Ticket("alice", "a"));
        var bob = _format.Protect(Ticket("bob", "b"));

        for (var i = 0; i < 4; i++)
        {
            Assert.Equal("alice", _format.Unprotect(alice)!.Principal.FindFirstValue(ClaimTypes.NameIdentifier));
            Assert.Equal("bob", _format.Unprotect(bob)!.Principal.FindFirstValue(ClaimTypes.NameIdentifier));
        }
    }

    [Fact]
    public void ATamperedCookieIsRefusedEvenBesideARememberedOne()
    {
        var cookie = _format.Protect(Ticket("user-1", "session-1"));
        for (var i = 0; i < 4; i++)
        {
            _format.Unprotect(cookie);
        }

        var middle = cookie.Length / 2;
        var tampered = cookie[..middle] + (cookie[middle] == 'A' ? 'B' : 'A') + cookie[(middle + 1)..];

        Assert.Null(_format.Unprotect(tampered));
        Assert.Null(_format.Unprotect("not a cookie"));
        Assert.Null(_format.Unprotect(null));
    }

    [Fact]
    public void ACookieUnusedForTheForgetTimeIsForgottenAndDecryptedAgain()
    {
        var cookie = _format.Protect(Ticket("user-1", "session-1"));
        for (var i = 0; i < 4; i++)
        {
            _format.Unprotect(cookie);
        }

        Assert.Equal(1, _format.Count);

        _time.Advance(RememberedTicketFormat.ForgetAfter + TimeSpan.FromSeconds(1));
        var other = _format.Protect(Ticket("user-2", "session-2"));
        _format.Unprotect(other);

        Assert.Equal(1, _format.Count);
        var before = _inner.Unprotected;
        Assert.Equal("user-1", _format.Unprotect(cookie)!.Principal.FindFirstValue(ClaimTypes.NameIdentifier));
        Assert.Equal(before + 1, _inner.Unprotected);
    }

    [Fact]
    public void ABusyCookieIsDecryptedAgainAfterTheRememberTimeSoARevokedKeyStopsIt()
    {
        var cookie = _format.Protect(Ticket("user-1", "session-1"));
        for (var i = 0; i < RememberedTicketFormat.SightingsBeforeRemembering; i++)
        {
            _format.Unprotect(cookie);
        }

        // Used every 30 s (never idle long enough to be forgotten) up to the remember time: no decryption.
        var remembered = _inner.Unprotected;
        for (var elapsed = TimeSpan.Zero; elapsed + TimeSpan.FromSeconds(30) < RememberedTicketFormat.DecryptAgainAfter; elapsed += TimeSpan.FromSeconds(30))
        {
            _time.Advance(TimeSpan.FromSeconds(30));
            Assert.NotNull(_format.Unprotect(cookie));
        }

        Assert.Equal(remembered, _inner.Unprotected);

        _time.Advance(TimeSpan.FromSeconds(30));
        _inner.Refuse = true;

        Assert.Null(_format.Unprotect(cookie));
        Assert.Equal(remembered + 1, _inner.Unprotected);
    }

    private static readonly DateTimeOffset Expires = new(2026, 12, 5, 21, 0, 0, TimeSpan.Zero);

    private static AuthenticationTicket Ticket(string userId, string sessionId)
    {
        var identity = new ClaimsIdentity([new Claim(ClaimTypes.NameIdentifier, userId), new Claim("sid", sessionId)], "Identity.Application");
        return new AuthenticationTicket(new ClaimsPrincipal(identity), new AuthenticationProperties { ExpiresUtc = Expires }, "Identity.Application");
    }

    /// <summary>The real format, counting how often it decrypts; <see cref="Refuse"/> stands for a key revoked since.</summary>
    private sealed class CountingFormat(ISecureDataFormat<AuthenticationTicket> real) : ISecureDataFormat<AuthenticationTicket>
    {
        public int Unprotected { get; private set; }

        public bool Refuse { get; set; }

        public string Protect(AuthenticationTicket data) => real.Protect(data);

        public string Protect(AuthenticationTicket data, string? purpose) => real.Protect(data, purpose);

        public AuthenticationTicket? Unprotect(string? protectedText) => Unprotect(protectedText, null);

        public AuthenticationTicket? Unprotect(string? protectedText, string? purpose)
        {
            Unprotected++;
            return Refuse ? null : real.Unprotect(protectedText, purpose);
        }
    }
}
