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
    public const string Olga = "olga.admin@northside.example";

    public static readonly string[] NorthsideStaff = [Alice, Frank];

    /// <summary>The demo seed's default (<c>ClinicChat:Seed:GeneratedPatients</c>).</summary>
    public const int GeneratedPatients = 300;

    /// <param name="Index">Position in the list, used to spread clients over web nodes.</param>
    public sealed record Patient(int Index, Guid Id, string Email);

    /// <summary>Generated Northside patients with a portal account who are opted in to chat (about 60 % of them: 180 of the default 300).</summary>
    public static IReadOnlyList<Patient> ChattablePatients(int generated = GeneratedPatients) =>
        Enumerable.Range(0, generated)
            .Where(i => i % 3 != 2 && i % 10 != 9)
            .Select((i, index) => new Patient(index, IdFor($"patient:generated:{i}"), $"patient{i:D3}@example.com"))
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
