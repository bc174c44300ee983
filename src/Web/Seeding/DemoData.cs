using System.Security.Cryptography;
using System.Text;

namespace ClinicChat.Web.Seeding;

/// <summary>The demo clinic group: fixed ids so that docs, tests and bookmarks stay valid across restarts.</summary>
public static class DemoData
{
    public const string Password = "Demo!2345";

    public static readonly Guid Northside = IdFor("clinic:northside");
    public static readonly Guid Lakeview = IdFor("clinic:lakeview");

    public static readonly Guid PatPortal = IdFor("patient:pat.portal");
    public static readonly Guid OscarOptout = IdFor("patient:oscar.optout");
    public static readonly Guid NoraNoportal = IdFor("patient:nora.noportal");

    public const string Alice = "alice.clinician@northside.example";
    public const string Frank = "frank.frontdesk@northside.example";
    public const string Bill = "bill.billing@northside.example";
    public const string Olga = "olga.admin@northside.example";
    public const string Lara = "lara.clinician@lakeview.example";
    public const string Mo = "mo.frontdesk@clinics.example";
    public const string Pat = "pat.portal@example.com";
    public const string Oscar = "oscar.optout@example.com";

    public const int GeneratedPatients = 300;

    public static Guid IdFor(string name)
    {
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes("clinicchat-demo:" + name));
        return new Guid(hash.AsSpan(0, 16));
    }

    private static readonly string[] FirstNames =
    [
        "Ava", "Liam", "Maya", "Noah", "Zoë", "Ethan", "Chloé", "Lucas", "Amélie", "Mateo", "Sofia", "Jonas",
        "Inès", "Oliver", "Freya", "Hugo", "Léa", "Arjun", "Priya", "Kenji", "Aiko", "Omar", "Leila", "Björn",
    ];

    private static readonly string[] LastNames =
    [
        "Anderson", "Brown", "Müller", "Núñez", "García", "O'Brien", "Kowalski", "Nguyen", "Okafor", "Silva",
        "Johansson", "Dubois", "Rossi", "Schmidt", "Tanaka", "Patel", "Hernández", "Novák", "Lindqvist", "Walsh",
    ];

    /// <summary>A deterministic mix: most have portal accounts, some opted out, some only reachable by SMS.</summary>
    /// <param name="count">How many; the benchmark seeds tens of thousands to measure search and inboxes at clinic-group scale.</param>
    public static IEnumerable<GeneratedPatient> Generated(int count = GeneratedPatients)
    {
        for (var i = 0; i < count; i++)
        {
            var name = $"{FirstNames[i % FirstNames.Length]} {LastNames[i / FirstNames.Length % LastNames.Length]}";
            var hasPortal = i % 3 != 2;
            yield return new GeneratedPatient(
                IdFor($"patient:generated:{i}"),
                name,
                hasPortal ? $"patient{i:D3}@example.com" : null,
                $"+1555{i:D7}",
                OptedIn: i % 10 != 9,
                AlsoLakeview: i % 4 == 0);
        }
    }
}

public sealed record GeneratedPatient(Guid Id, string Name, string? Email, string Mobile, bool OptedIn, bool AlsoLakeview);
