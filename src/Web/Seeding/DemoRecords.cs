using System.Globalization;
using System.Text.Json.Nodes;

namespace ClinicChat.Web.Seeding;

/// <summary>
/// The demo clinics' records, as FHIR R4 Bundles a practice-management system would send: they go
/// through the same parser and import as a real feed. Times are relative to the first start.
/// </summary>
public static class DemoRecords
{
    public static string NorthsideBundle(DateTimeOffset now)
    {
        var nextThursday = NextWeekday(now, DayOfWeek.Thursday).AddHours(14);
        var bundle = new List<JsonObject>
        {
            Appointment("ns-appt-crown", DemoData.PatPortal, nextThursday, "booked", "Crown fitting", "Dr Alice Carter", "Northside Family Dental, Room 2"),
            Appointment("ns-appt-clean", DemoData.PatPortal, now.Date.AddDays(-61).AddHours(9), "fulfilled", "Cleaning and check-up", "Dr Alice Carter", "Northside Family Dental, Room 1"),
            Invoice("ns-inv-2041", DemoData.PatPortal, "INV-2041", now.Date.AddDays(-2), 850.00m, "issued"),
            Invoice("ns-inv-1987", DemoData.PatPortal, "INV-1987", now.Date.AddDays(-61), 120.00m, "balanced"),
            Prescription("ns-rx-amox", DemoData.PatPortal, "Amoxicillin 500 mg capsules", "One capsule three times a day for 7 days", now.Date.AddDays(-2), 0),
            Prescription("ns-rx-ibu", DemoData.PatPortal, "Ibuprofen 400 mg tablets", "One tablet every 6 hours as needed for pain, with food", now.Date.AddDays(-2), 1),
        };
        foreach (var (patient, i) in DemoData.Generated().Take(30).Select((p, i) => (p, i)))
        {
            bundle.Add(Appointment($"ns-appt-g{i}", patient.Id, now.Date.AddDays(1 + i % 14).AddHours(8 + i % 9), "booked",
                i % 2 == 0 ? "Check-up" : "Filling", i % 3 == 0 ? "Dr Alice Carter" : "Dr Sam Osei", "Northside Family Dental, Room " + (1 + i % 3)));
        }

        return Bundle(bundle);
    }

    public static string LakeviewBundle(DateTimeOffset now) => Bundle(
    [
        Appointment("lv-appt-sam", DemoData.PatPortal, NextWeekday(now, DayOfWeek.Tuesday).AddDays(28).AddHours(10), "booked", "Sam's annual check-up", "Dr Lara Lin", "Lakeview Pediatrics"),
    ]);

    private static DateTimeOffset NextWeekday(DateTimeOffset now, DayOfWeek day)
    {
        var date = new DateTimeOffset(now.UtcDateTime.Date, TimeSpan.Zero).AddDays(1);
        while (date.DayOfWeek != day)
        {
            date = date.AddDays(1);
        }

        return date;
    }

    private static JsonObject Appointment(string id, Guid patient, DateTimeOffset start, string status, string description, string provider, string location) => new()
    {
        ["resourceType"] = "Appointment",
        ["id"] = id,
        ["status"] = status,
        ["description"] = description,
        ["start"] = Instant(start),
        ["end"] = Instant(start.AddMinutes(45)),
        ["participant"] = new JsonArray(
            Participant($"Patient/{patient}", null),
            Participant("Practitioner/" + Slug(provider), provider),
            Participant("Location/" + Slug(location), location)),
    };

    private static JsonObject Invoice(string id, Guid patient, string number, DateTimeOffset date, decimal amount, string status) => new()
    {
        ["resourceType"] = "Invoice",
        ["id"] = id,
        ["identifier"] = new JsonArray(new JsonObject { ["system"] = "http://pms.example/invoices", ["value"] = number }),
        ["status"] = status,
        ["subject"] = new JsonObject { ["reference"] = $"Patient/{patient}" },
        ["date"] = Instant(date),
        ["totalGross"] = new JsonObject { ["value"] = amount, ["currency"] = "USD" },
    };

    private static JsonObject Prescription(string id, Guid patient, string medication, string instructions, DateTimeOffset authored, int refills) => new()
    {
        ["resourceType"] = "MedicationRequest",
        ["id"] = id,
        ["status"] = "active",
        ["intent"] = "order",
        ["medicationCodeableConcept"] = new JsonObject { ["text"] = medication },
        ["subject"] = new JsonObject { ["reference"] = $"Patient/{patient}" },
        ["authoredOn"] = authored.UtcDateTime.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        ["requester"] = new JsonObject { ["reference"] = "Practitioner/dr-alice-carter", ["display"] = "Dr Alice Carter" },
        ["dosageInstruction"] = new JsonArray(new JsonObject { ["text"] = instructions }),
        ["dispenseRequest"] = new JsonObject { ["numberOfRepeatsAllowed"] = refills },
    };

    private static JsonObject Participant(string reference, string? display)
    {
        var actor = new JsonObject { ["reference"] = reference };
        if (display is not null)
        {
            actor["display"] = display;
        }

        return new JsonObject { ["actor"] = actor, ["status"] = "accepted" };
    }

    private static string Bundle(IEnumerable<JsonObject> resources) => new JsonObject
    {
        ["resourceType"] = "Bundle",
        ["type"] = "batch",
        ["entry"] = new JsonArray(resources.Select(r => (JsonNode)new JsonObject
        {
            ["resource"] = r,
            ["request"] = new JsonObject { ["method"] = "PUT", ["url"] = $"{r["resourceType"]}/{r["id"]}" },
        }).ToArray()),
    }.ToJsonString();

    private static string Instant(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);

    private static string Slug(string name) => new(name.ToLowerInvariant().Where(char.IsAsciiLetterOrDigit).ToArray());
}
