using System.Diagnostics;
using System.Text;

namespace ClinicChat.Bench.Scenarios;

/// <param name="Phase">new (200 patients and 800 appointments created), resent (all unchanged), changed (every appointment moved).</param>
public sealed record FhirImportStep(string Phase, int Bundles, int Entries, double MedianMs, double MaxMs, double EntriesPerSecond, double CpuMsPerEntry);

/// <summary>
/// What a day's EHR feed costs: transaction bundles of 1,000 entries (200 Patients, 800 Appointments referring to them)
/// sent one after another, as new, resent unchanged (an EHR retrying), and changed. Server CPU from the process meter.
/// Run by name only (<c>--scenario fhir-import</c>); not part of <c>all</c> or the smoke run.
/// </summary>
public sealed class FhirImportScenario(BenchTarget target, int bundles)
{
    private const int PatientsPerBundle = 200;
    private const int AppointmentsPerPatient = 4;

    public async Task<IReadOnlyList<FhirImportStep>> RunAsync()
    {
        await using var running = await target.StartAsync();
        using var olga = await ChatClient.SignInAsync(running.FirstWebNode.BaseAddress!, DemoAccounts.Olga);
        var clinic = await olga.FirstClinicAsync();
        var steps = new List<FhirImportStep>();
        foreach (var (phase, shift) in new[] { ("new", 0), ("resent", 0), ("changed", 1) })
        {
            var timings = new List<double>();
            await using var window = running.Meter.Start();
            var cpuBefore = running.Meter.CpuSeconds();
            var started = Stopwatch.GetTimestamp();
            for (var b = 0; b < bundles; b++)
            {
                var json = Bundle(b, TimeSpan.FromHours(shift));
                var sent = Stopwatch.GetTimestamp();
                using var response = await olga.ImportFhirAsync(clinic, json);
                timings.Add(Stopwatch.GetElapsedTime(sent).TotalMilliseconds);
                if (!response.IsSuccessStatusCode)
                {
                    throw new InvalidOperationException($"Import {phase} {b} answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
                }
            }

            var wall = Stopwatch.GetElapsedTime(started).TotalSeconds;
            var entries = bundles * PatientsPerBundle * (1 + AppointmentsPerPatient);
            var cpuMs = (running.Meter.CpuSeconds() - cpuBefore) * 1000;
            timings.Sort();
            var step = new FhirImportStep(phase, bundles, entries, timings[timings.Count / 2], timings[^1], entries / wall, cpuMs / entries);
            Console.WriteLine($"  {phase}: {bundles} bundles of {entries / bundles:N0} entries, median {step.MedianMs:F0} ms, max {step.MaxMs:F0} ms, " +
                              $"{step.EntriesPerSecond:N0} entries/s, server CPU {step.CpuMsPerEntry:F2} ms per entry");
            steps.Add(step);
        }

        return steps;
    }

    /// <summary>One transaction: each patient (bundled, by urn:uuid) and four appointments referring to it.</summary>
    private static string Bundle(int bundle, TimeSpan shift)
    {
        var json = new StringBuilder("""{"resourceType":"Bundle","type":"transaction","entry":[""");
        var start = new DateTimeOffset(2027, 3, 1, 9, 0, 0, TimeSpan.Zero) + shift;
        for (var p = 0; p < PatientsPerBundle; p++)
        {
            var id = $"bench-{bundle}-{p}";
            var fullUrl = $"urn:uuid:{Guid.CreateVersion7():D}";
            json.Append(p == 0 ? "" : ",").Append($$$"""
                {"fullUrl":"{{{fullUrl}}}","resource":{"resourceType":"Patient","id":"{{{id}}}","name":[{"given":["Bench"],"family":"Patient{{{bundle}}}x{{{p}}}"}],"birthDate":"1980-01-{{{(p % 28) + 1:D2}}}"},"request":{"method":"PUT","url":"Patient/{{{id}}}"}}
                """);
            for (var a = 0; a < AppointmentsPerPatient; a++)
            {
                var at = start.AddDays(a * 7 + p % 5).AddMinutes(30 * (p % 16));
                json.Append($$$"""
                    ,{"resource":{"resourceType":"Appointment","id":"{{{id}}}-appt-{{{a}}}","status":"booked","description":"Check-up","start":"{{{at:yyyy-MM-ddTHH:mm:ssZ}}}","end":"{{{at.AddMinutes(30):yyyy-MM-ddTHH:mm:ssZ}}}","participant":[{"actor":{"reference":"{{{fullUrl}}}"},"status":"accepted"}]},"request":{"method":"PUT","url":"Appointment/{{{id}}}-appt-{{{a}}}"}}
                    """);
            }
        }

        return json.Append("]}").ToString();
    }
}
