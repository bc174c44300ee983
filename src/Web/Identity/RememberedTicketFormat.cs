using System.Collections.Concurrent;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using Microsoft.AspNetCore.Authentication;

namespace ClinicChat.Web.Identity;

/// <summary>
/// The auth cookie's format with a per-node memory of the tickets it has decrypted. Decrypting a cookie (Data Protection's
/// AES and HMAC, then the ticket's deserialization) cost about 22 µs on every request, the same cookie over and over for a
/// signed-in browser. Here a cookie seen for the <see cref="SightingsBeforeRemembering"/>th time keeps its ticket, and later
/// sightings get a copy of it (the handler and the session check may change the principal and properties they are given).
/// </summary>
/// <remarks>
/// Only the decryption is skipped: the handler still checks the ticket's expiry and the session check still asks the user's
/// session grain on every request, so signing out (here or everywhere) ends access exactly as before. Entries are keyed by
/// the cookie's SHA-256 (never the cookie itself) and forgotten after <see cref="ForgetAfter"/> without use; a connection
/// that only negotiates and connects (two sightings) holds a few bytes, not a ticket, and that only until the next sweep.
/// A remembered ticket is decrypted again after <see cref="DecryptAgainAfter"/> however busy its cookie is, so a Data
/// Protection key an operator revokes stops the cookies it protects within that time on every node.
/// </remarks>
public sealed class RememberedTicketFormat(ISecureDataFormat<AuthenticationTicket> inner, TimeProvider time) : ISecureDataFormat<AuthenticationTicket>
{
    public const int SightingsBeforeRemembering = 3;

    public static readonly TimeSpan ForgetAfter = TimeSpan.FromMinutes(2);

    public static readonly TimeSpan DecryptAgainAfter = TimeSpan.FromMinutes(5);

    /// <summary>A ceiling on the memory: beyond it, new cookies are decrypted every time until a sweep makes room.</summary>
    public const int MaxEntries = 50_000;

    private readonly ConcurrentDictionary<UInt128, Sighting> _seen = new();
    private long _nextSweepTicks;

    public int Count => _seen.Count;

    public string Protect(AuthenticationTicket data) => inner.Protect(data);

    public string Protect(AuthenticationTicket data, string? purpose) => inner.Protect(data, purpose);

    public AuthenticationTicket? Unprotect(string? protectedText) => Unprotect(protectedText, null);

    public AuthenticationTicket? Unprotect(string? protectedText, string? purpose)
    {
        if (string.IsNullOrEmpty(protectedText) || purpose is not null)
        {
            // The auth cookie has no purpose; anything else is not what this remembers.
            return inner.Unprotect(protectedText, purpose);
        }

        var now = time.GetUtcNow().UtcTicks;
        SweepIfDue(now);
        var key = KeyOf(protectedText);
        if (_seen.TryGetValue(key, out var sighting))
        {
            sighting.LastUsedTicks = now;
            if (sighting.Ticket is { } remembered)
            {
                if (now - sighting.RememberedAtTicks < DecryptAgainAfter.Ticks)
                {
                    return remembered.Clone();
                }

                // Long enough: ask Data Protection again (a revoked key refuses now); the cookie is then counted from its first
                // sighting again, so two more decryptions come before it is remembered anew.
                _seen.TryRemove(key, out _);
                sighting = null;
            }
        }

        var ticket = inner.Unprotect(protectedText, purpose);
        if (ticket is null)
        {
            // Not ours, tampered with, or its key is gone: nothing to remember.
            return null;
        }

        if (sighting is null)
        {
            if (_seen.Count < MaxEntries)
            {
                _seen.TryAdd(key, new Sighting(now));
            }
        }
        else if (Interlocked.Increment(ref sighting.Count) >= SightingsBeforeRemembering)
        {
            sighting.RememberedAtTicks = now;
            sighting.Ticket = ticket.Clone();
        }

        return ticket;
    }

    /// <summary>Forgets cookies unused for <see cref="ForgetAfter"/>; at most one sweep per half of that, by whichever request is first.</summary>
    private void SweepIfDue(long now)
    {
        var due = Interlocked.Read(ref _nextSweepTicks);
        if (now < due || Interlocked.CompareExchange(ref _nextSweepTicks, now + (ForgetAfter.Ticks / 2), due) != due)
        {
            return;
        }

        var cutoff = now - ForgetAfter.Ticks;
        foreach (var (key, sighting) in _seen)
        {
            if (sighting.LastUsedTicks < cutoff)
            {
                _seen.TryRemove(key, out _);
            }
        }
    }

    private static UInt128 KeyOf(string protectedText)
    {
        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(MemoryMarshal.AsBytes(protectedText.AsSpan()), hash);
        return MemoryMarshal.Read<UInt128>(hash);
    }

    private sealed class Sighting(long at)
    {
        public int Count = 1;

        public long LastUsedTicks = at;

        public long RememberedAtTicks;

        public AuthenticationTicket? Ticket;
    }
}
