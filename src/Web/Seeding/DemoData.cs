using System.Security.Cryptography;
using System.Text;
using ClinicChat.Patients;

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

    /// <summary>The identifier system of each demo clinic's MRNs in FHIR (what its EHR would send as Patient.identifier.system).</summary>
    public static string MrnSystemOf(Guid clinicId) => clinicId == Northside ? "https://northside.example/fhir/sid/mrn" : "https://lakeview.example/fhir/sid/mrn";

    /// <summary>
    /// The named demo patients as staff would have entered them (Pat is also Lakeview's, without an MRN there). Their
    /// mobiles are numbers the patient editor accepts (libphonenumber: +1 555 … has no valid area code, and a record holding
    /// one could not be saved again), from the 555-01xx range kept for fiction.
    /// </summary>
    public static readonly PatientDetails PatDetails = new("Pat", "Portal", new DateOnly(1985, 4, 12), Pat, "+13125550101", "NS-1001", "en");
    public static readonly PatientDetails OscarDetails = new("Oscar", "Optout", new DateOnly(1962, 9, 3), Oscar, "+13125550102", "NS-1002", "en");
    public static readonly PatientDetails NoraDetails = new("Nora", "Noportal", new DateOnly(1993, 1, 27), null, "+13125550103", "NS-1003", "es-MX");

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
            // Consecutive birth days: a name repeats every 480 patients, its birth date not before 348,000 (so no two
            // generated patients are the same person, however many the benchmark asks for).
            yield return new GeneratedPatient(
                IdFor($"patient:generated:{i}"),
                name,
                hasPortal ? $"patient{i:D3}@example.com" : null,
                // 555-0000…9999 under area codes 201, 202, …: valid for the patient editor, one number each up to 100,000.
                $"+1{201 + i / 10_000}555{i % 10_000:D4}",
                OptedIn: i % 10 != 9,
                AlsoLakeview: i % 4 == 0,
                new DateOnly(1940, 1, 1).AddDays(i % 29_000),
                $"NS-{10_000 + i}");
        }
    }
}

public sealed record GeneratedPatient(Guid Id, string Name, string? Email, string Mobile, bool OptedIn, bool AlsoLakeview, DateOnly BirthDate, string Mrn)
{
    /// <summary>As entered at Northside (the demo's mobile numbers are made up, but of a form the patient editor accepts).</summary>
    public PatientDetails Details => new(Name[..Name.IndexOf(' ')], Name[(Name.IndexOf(' ') + 1)..], BirthDate, Email, Mobile, Mrn, null);
}
