using System.Globalization;
using Hl7.Fhir.Model;

namespace ClinicChat.Web.Integration;

/// <summary>
/// A prescription's dosage as one text a card can show, from every <c>dosageInstruction</c>, not only the first: a
/// tapering course is several steps, and showing only the first is a clinical error. Steps follow their
/// <c>sequence</c> ("…, then …"); dosages sharing a sequence are taken together ("… and …"). A dosage without text is
/// written from its structured parts (dose, frequency, duration, as needed, route), as FHIR's own narrative would.
/// </summary>
public static class DosageText
{
    public static string? Describe(IReadOnlyList<Dosage> dosages)
    {
        var steps = dosages
            .Select((dosage, index) => (Dosage: dosage, Index: index))
            .GroupBy(d => d.Dosage.Sequence ?? int.MaxValue)
            .OrderBy(step => step.Key)
            .Select(step => string.Join(" and ", step.OrderBy(d => d.Index).Select(d => Describe(d.Dosage)).Where(text => text is not null)))
            .Where(step => step.Length > 0)
            .ToList();
        return steps.Count == 0 ? null : string.Join(", then ", steps);
    }

    private static string? Describe(Dosage dosage)
    {
        if (!string.IsNullOrWhiteSpace(dosage.Text))
        {
            return dosage.Text.Trim();
        }

        string?[] parts =
        [
            Dose(dosage.DoseAndRate.FirstOrDefault()?.Dose),
            Frequency(dosage.Timing),
            Duration(dosage.Timing?.Repeat?.Bounds),
            AsNeeded(dosage.AsNeeded),
            dosage.Route is { } route ? Text(route) is { } name ? $"by {name}" : null : null,
            .. dosage.AdditionalInstruction.Select(Text),
        ];
        var written = string.Join(", ", parts.Where(part => !string.IsNullOrWhiteSpace(part)));
        return written.Length == 0 ? null : written;
    }

    private static string? Dose(DataType? dose) => dose switch
    {
        Quantity quantity when quantity.Value is { } value => $"{Number(value)} {quantity.Unit ?? quantity.Code}".TrimEnd(),
        Hl7.Fhir.Model.Range { Low.Value: { } low, High.Value: { } high } range => $"{Number(low)}–{Number(high)} {range.High.Unit ?? range.High.Code}".TrimEnd(),
        _ => null,
    };

    private static string? Frequency(Timing? timing)
    {
        if (timing?.Code is { } code && Text(code) is { } named)
        {
            return named;
        }

        if (timing?.Repeat is not { Frequency: { } frequency, Period: { } period, PeriodUnit: { } unit } repeat)
        {
            return null;
        }

        var max = repeat.FrequencyMax is { } most && most > frequency ? $"–{most}" : string.Empty;
        var times = frequency == 1 && max.Length == 0 ? "once" : frequency == 2 && max.Length == 0 ? "twice" : $"{frequency}{max} times";
        return period == 1m
            ? $"{times} a {UnitName(unit, plural: false)}"
            : frequency == 1 && max.Length == 0
                ? $"every {Number(period)} {UnitName(unit, plural: true)}"
                : $"{times} every {Number(period)} {UnitName(unit, plural: true)}";
    }

    private static string? Duration(DataType? bounds) => bounds switch
    {
        Hl7.Fhir.Model.Duration { Value: { } value } duration => $"for {Number(value)} {duration.Unit ?? duration.Code}",
        Period { Start: { } start, End: { } end } => $"from {start} to {end}",
        _ => null,
    };

    private static string? AsNeeded(DataType? asNeeded) => asNeeded switch
    {
        FhirBoolean { Value: true } => "as needed",
        CodeableConcept reason when Text(reason) is { } why => $"as needed for {why}",
        _ => null,
    };

    private static string UnitName(Timing.UnitsOfTime unit, bool plural)
    {
        var name = unit switch
        {
            Timing.UnitsOfTime.S => "second",
            Timing.UnitsOfTime.Min => "minute",
            Timing.UnitsOfTime.H => "hour",
            Timing.UnitsOfTime.D => "day",
            Timing.UnitsOfTime.Wk => "week",
            Timing.UnitsOfTime.Mo => "month",
            _ => "year",
        };
        return plural ? name + "s" : name;
    }

    private static string Number(decimal value) => value.ToString("0.###", CultureInfo.InvariantCulture);

    private static string? Text(CodeableConcept concept) =>
        concept.Text ?? concept.Coding.Select(coding => coding?.Display).FirstOrDefault(display => !string.IsNullOrEmpty(display));
}
