using System.Security.Cryptography;
using System.Text;

namespace ClinicChat.Bench;

/// <summary>
/// The demo accounts the harness signs in as. Mirrors src/Web/Seeding/DemoData (ids and the
/// generated-patient rule) rather than referencing the web project, so that the harness does not
/// load Orleans and the app's code into the process that measures it.
/// </summary>
public static class DemoAccounts
{
    public const string Alice = "alice.clinician@northside.example";
    public const string Frank = "frank.frontdesk@northside.example";

    public static readonly string[] NorthsideStaff = [Alice, Frank];

    private const int GeneratedPatients = 300;

    public sealed record Patient(Guid Id, string Email);

    /// <summary>Generated Northside patients with a portal account who are opted in to chat (about 180).</summary>
    public static IReadOnlyList<Patient> ChattablePatients() =>
        Enumerable.Range(0, GeneratedPatients)
            .Where(i => i % 3 != 2 && i % 10 != 9)
            .Select(i => new Patient(IdFor($"patient:generated:{i}"), $"patient{i:D3}@example.com"))
            .ToList();

    private static Guid IdFor(string name) => new(SHA256.HashData(Encoding.UTF8.GetBytes("clinicchat-demo:" + name)).AsSpan(0, 16));
}

public static class Parallelism
{
    /// <summary>Runs set-up work (sign-ins, connects) a few at a time: set-up is not what is measured, and 2 cores saturate quickly.</summary>
    public static async Task<T[]> MapAsync<TSource, T>(IReadOnlyList<TSource> items, int degree, Func<TSource, Task<T>> map)
    {
        var results = new T[items.Count];
        await Parallel.ForAsync(0, items.Count, new ParallelOptions { MaxDegreeOfParallelism = degree }, async (i, _) => results[i] = await map(items[i]));
        return results;
    }
}
