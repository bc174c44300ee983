using System.Text.Json;
using ClinicChat.Patients;
using ClinicChat.Records;
using ClinicChat.Web.Notices;
using Hl7.Fhir.Model;
using Hl7.Fhir.Rest;
using Hl7.Fhir.Serialization;
using Hl7.Fhir.Utility;
using Hl7.Fhir.Validation;
using IssueType = Hl7.Fhir.Model.OperationOutcome.IssueType;

namespace ClinicChat.Web.Integration;

/// <summary>
/// One problem with a FHIR import, or a note about it: an <c>issue-type</c> code, a sentence, where (FHIRPath), and how
/// severe (<c>error</c>, or <c>information</c> for an entry skipped on purpose).
/// </summary>
/// <param name="ErrorCode">ClinicChat's own error code when there is one (as ProblemDetails <c>code</c> elsewhere), sent as the issue's <c>details</c>.</param>
public sealed record FhirIssue(string Code, string Diagnostics, string? Expression, string Severity = "error", string? ErrorCode = null)
{
    /// <summary>The code system of <see cref="ErrorCode"/> in an OperationOutcome's <c>issue.details</c>.</summary>
    public const string ErrorCodeSystem = "urn:clinicchat:error-code";
}

/// <summary>
/// The records and patients a FHIR import carries, or why it cannot be imported. Imports are all-or-nothing, so when
/// there is any issue <see cref="Records"/> and <see cref="Patients"/> are empty: a caller cannot apply half a bundle by
/// mistake. <see cref="Information"/> says what was skipped on purpose (resources ClinicChat does not keep, in a batch,
/// collection or search result).
/// </summary>
/// <param name="Records">
/// Each record with its <c>PatientId</c> when the reference named a ClinicChat patient id, else <see cref="Guid.Empty"/>:
/// <see cref="PatientKeys"/> (same order) says how to find the patient, <see cref="PatientKeyPaths"/> where it was named.
/// </param>
/// <param name="Patients">The FHIR Patients the import carries, as the EHR sent them; <see cref="PatientPaths"/> where each is.</param>
/// <param name="Entries">
/// A Bundle's entries in order, by type and id, for answers that go entry by entry; null for a single resource or when
/// invalid. Only these strings are kept, not the parsed resources: holding a 1,000-entry bundle's object graph through
/// the grain call cost ~90 ms per bundle in garbage collection (measured with the fhir-import benchmark).
/// </param>
public sealed record FhirParseResult(
    IReadOnlyList<IncomingRecord> Records,
    IReadOnlyList<FhirIssue> Issues,
    IReadOnlyList<FhirIssue>? Information = null,
    IReadOnlyList<PatientKey>? PatientKeys = null,
    IReadOnlyList<string>? PatientKeyPaths = null,
    IReadOnlyList<EhrPatient>? Patients = null,
    IReadOnlyList<string>? PatientPaths = null,
    IReadOnlyList<FhirEntryKey>? Entries = null)
{
    public bool IsValid => Issues.Count == 0;
}

/// <summary>One entry of a Bundle as an answer names it: its resource's type and id.</summary>
public sealed record FhirEntryKey(string Type, string? Id);

/// <summary>What parsing needs to know of the clinic: its MRN system, the time (for dates of birth), the region phone numbers are read in.</summary>
public sealed record FhirImportContext(string? MrnSystem, DateTimeOffset Now, string DefaultRegion)
{
    /// <summary>No MRN system, the fallback region, and now (read on each use: a long-running process must not keep its start time).</summary>
    public static FhirImportContext None => new(null, DateTimeOffset.UtcNow, MobileNumbers.FallbackRegion);
}

/// <summary>
/// Reads the FHIR R4 JSON a clinic's system sends (an Appointment, Invoice or MedicationRequest, or a Bundle of them
/// with the Patient, Practitioner, PractitionerRole, Organization, Location and Medication entries they refer to,
/// bundled or contained) into ClinicChat records.
/// The integration contract: a FHIR Patient's logical id is the ClinicChat patient id (a GUID). Whether that patient
/// belongs to the clinic is for the caller to check; this only reads the id.
/// </summary>
public static partial class FhirRecords
{
    // Sent along so references can be resolved; never records themselves.
    private static readonly HashSet<string> ContextTypes = ["Patient", "Practitioner", "PractitionerRole", "Organization", "Location", "Medication"];

    public static FhirParseResult Parse(string json, FhirImportContext? context = null)
    {
        context ??= FhirImportContext.None;
        var issues = new List<FhirIssue>();
        var resource = Deserialize(json, issues);
        if (resource is null)
        {
            return new FhirParseResult([], issues);
        }

        var entries = resource is Bundle bundle ? ReadEntries(bundle, issues) : [new Entry(resource, resource.TypeName, FullUrl: null)];
        // A transaction is all or nothing by definition; a batch, a collection or a search result (e.g. with _include)
        // routinely carries resources ClinicChat does not keep, and those are skipped, saying so.
        var skipsOthers = resource is Bundle { Type: Bundle.BundleType.Batch or Bundle.BundleType.Collection or Bundle.BundleType.Searchset };
        var information = new List<FhirIssue>();
        foreach (var unknown in entries.Where(entry => entry.Resource is DynamicResource))
        {
            // The SDK reports every element of a resource type it does not know as unknown too; the type is the issue.
            issues.RemoveAll(issue => issue.Expression?.StartsWith($"{unknown.Path}.", StringComparison.Ordinal) == true);
        }

        if (resource is not DynamicResource)
        {
            issues.AddRange(FhirInvariants.Check(resource, resource.TypeName));
        }

        foreach (var entry in entries.Where(entry => resource is Bundle && entry.Resource is not DynamicResource))
        {
            issues.AddRange(FhirInvariants.Check(entry.Resource, entry.Path));
        }

        var bundled = new BundledResources(entries);
        var patients = new PatientEntries(context, bundled, issues);
        var records = new List<(IncomingRecord Record, PatientKey Key, string KeyPath)>();
        foreach (var entry in entries)
        {
            try
            {
                if (entry.Resource is Patient patient)
                {
                    patients.Add(patient, entry.Path);
                }
                else if (entry.Resource is not (DynamicResource or Appointment or Invoice or MedicationRequest) && skipsOthers && !ContextTypes.Contains(entry.Resource.TypeName))
                {
                    information.Add(Issue(IssueType.Informational, $"{entry.Resource.TypeName} is not kept by ClinicChat; this entry was skipped.", entry.Path) with { Severity = "information" });
                }
                else if (Map(entry, isBundled: resource is Bundle, bundled, patients, issues) is { } mapped)
                {
                    if (records.Any(r => r.Record.Kind == mapped.Record.Kind && r.Record.ResourceId == mapped.Record.ResourceId))
                    {
                        issues.Add(Issue(IssueType.Invalid, $"This {entry.Resource.TypeName} appears more than once; send each record once.", $"{entry.Path}.id"));
                    }

                    records.Add(mapped);
                }
            }
            catch (CodedValidationException)
            {
                ReportUnreadable(issues, entry.Path);
            }
        }

        return issues.Count == 0
            ? new FhirParseResult([.. records.Select(r => r.Record)], [], information, [.. records.Select(r => r.Key)], [.. records.Select(r => r.KeyPath)], patients.Sent, patients.Paths,
                resource is Bundle ? [.. entries.Select(entry => new FhirEntryKey(entry.Resource.TypeName, entry.Resource.Id))] : null)
            : new FhirParseResult([], issues, information);
    }

    public static string ToOperationOutcomeJson(IEnumerable<FhirIssue> issues) => FhirJsonSerializer.Default.SerializeToString(ToOperationOutcome(issues));

    public static OperationOutcome ToOperationOutcome(IEnumerable<FhirIssue> issues)
    {
        return new OperationOutcome
        {
            Issue = issues.Select(issue => new OperationOutcome.IssueComponent
            {
                Severity = EnumUtility.ParseLiteral<OperationOutcome.IssueSeverity>(issue.Severity) ?? OperationOutcome.IssueSeverity.Error,
                Code = EnumUtility.ParseLiteral<IssueType>(issue.Code) ?? IssueType.Invalid,
                Diagnostics = issue.Diagnostics,
                Details = issue.ErrorCode is null ? null : new CodeableConcept(FhirIssue.ErrorCodeSystem, issue.ErrorCode),
                Expression = issue.Expression is null ? [] : [issue.Expression],
            }).ToList(),
        };
    }

    private sealed record Entry(Resource Resource, string Path, string? FullUrl);

    /// <summary>
    /// Answers name the place (FHIRPath, or line and position) and say what is wrong in general terms. They never repeat
    /// what was sent nor the parser's own text: a value can be megabytes, or health data an integrator's log should not
    /// receive back, and parser messages describe the SDK's internals rather than the integration contract.
    /// </summary>
    private static readonly Dictionary<IssueType, string> GenericDiagnostics = new()
    {
        [IssueType.Structure] = "This element is not allowed here, or its JSON type is wrong.",
        [IssueType.Required] = "A required element is missing.",
        [IssueType.Value] = "This value is not valid for the element.",
        [IssueType.Invariant] = "This element breaks a FHIR rule.",
        [IssueType.TooLong] = "This value is too long.",
        [IssueType.CodeInvalid] = "This code is not one the element allows.",
        [IssueType.NotSupported] = "This is not supported.",
    };

    /// <summary>
    /// Strict parsing: unknown elements, wrong types, invalid codes and literals, and missing required elements
    /// (the SDK checks cardinality while it reads) are all reported, every one of them, not only the first.
    /// </summary>
    private static Resource? Deserialize(string json, List<FhirIssue> issues)
    {
        try
        {
            FhirJsonDeserializer.STRICT.TryDeserializeResource(json, out var resource, out var errors);
            issues.AddRange(errors.Select(error => FromSdk(error, resource)));
            return resource;
        }
        catch (JsonException e)
        {
            var at = e.LineNumber is { } line ? $" (line {line + 1}, position {e.BytePositionInLine + 1})" : string.Empty;
            issues.Add(Issue(IssueType.Structure, $"The body is not valid JSON{at}.", null));
        }
        catch (InvalidOperationException)
        {
            // What the deserializer throws for JSON that is not an object, e.g. an array.
            issues.Add(Issue(IssueType.Structure, "The body is not a FHIR resource: expected a JSON object with a resourceType.", null));
        }

        return null;
    }

    private static FhirIssue FromSdk(CodedException error, Resource? root)
    {
        if (error is not ExtendedCodedException coded)
        {
            return Issue(IssueType.Invalid, Generic(IssueType.Invalid), null);
        }

        // For the resource at the root the SDK names the place "$this" (e.g. "$this.status"); integrators know it by its type.
        var rootName = root is null or DynamicResource ? null : root.TypeName;
        string Rooted(string text) => rootName is null ? text : text.Replace("$this", rootName, StringComparison.Ordinal);

        // The SDK's error code (e.g. JSON109) is a stable name for the rule, documented by the SDK; its message is not ours to echo.
        var rule = string.IsNullOrEmpty(coded.ErrorCode) ? string.Empty : $"; rule {coded.ErrorCode}";
        var diagnostics = coded.LineNumber is { } line
            ? $"{Generic(coded.IssueType)} (line {line}, position {coded.Position}{rule})"
            : $"{Generic(coded.IssueType)}{(rule.Length == 0 ? string.Empty : $" ({rule[2..]})")}";
        var expression = string.IsNullOrEmpty(coded.InstancePath) ? null : Rooted(coded.InstancePath);
        return new FhirIssue(coded.IssueType.GetLiteral(), diagnostics, expression);
    }

    private static List<Entry> ReadEntries(Bundle bundle, List<FhirIssue> issues)
    {
        var entries = new List<Entry>();
        for (var i = 0; i < bundle.Entry.Count; i++)
        {
            var path = $"Bundle.entry[{i}]";
            try
            {
                // A null entry is what the SDK makes of a non-object in the array ("entry": [1]): reported as an entry without a resource.
                var entry = bundle.Entry[i];
                if (entry?.Request?.Method == Bundle.HTTPVerb.DELETE)
                {
                    issues.Add(Issue(IssueType.NotSupported, "Deleting records is not supported: send the record with a status such as cancelled or entered-in-error instead.", $"{path}.request.method"));
                }
                else if (entry?.Resource is null)
                {
                    issues.Add(Issue(IssueType.Required, "A bundle entry needs a resource.", $"{path}.resource"));
                }
                else
                {
                    entries.Add(new Entry(entry.Resource, $"{path}.resource", entry.FullUrl));
                }
            }
            catch (CodedValidationException)
            {
                ReportUnreadable(issues, path);
            }
        }

        return entries;
    }

    private static (IncomingRecord Record, PatientKey Key, string KeyPath)? Map(Entry entry, bool isBundled, BundledResources bundled, PatientEntries patients, List<FhirIssue> issues)
    {
        var (resource, path, _) = entry;
        if (resource is DynamicResource)
        {
            return null; // An unknown resourceType: the deserializer has reported it.
        }

        if (resource is not (Appointment or Invoice or MedicationRequest))
        {
            if (!isBundled || !ContextTypes.Contains(resource.TypeName))
            {
                issues.Add(Issue(IssueType.NotSupported, $"{resource.TypeName} is not supported: send a Patient, Appointment, Invoice or MedicationRequest, or a Bundle of them.", path));
            }

            return null;
        }

        if (string.IsNullOrEmpty(resource.Id))
        {
            issues.Add(Issue(IssueType.Required, $"{resource.TypeName} needs an id: records are updated by id.", $"{path}.id"));
        }

        var mapped = resource switch
        {
            Appointment appointment => MapAppointment(appointment, path, bundled, patients, issues),
            Invoice invoice => MapInvoice(invoice, path, bundled, patients, issues),
            _ => MapPrescription((MedicationRequest)resource, path, bundled, patients, issues),
        };
        if (mapped is not ((var key, var keyPath), var snapshot) || string.IsNullOrEmpty(resource.Id))
        {
            return null;
        }

        // Known now when the reference names a ClinicChat id, directly or through a bundled Patient; else once applied.
        var named = key.Kind == PatientKeyKind.Bundled ? patients.Sent[int.Parse(key.Value, System.Globalization.CultureInfo.InvariantCulture)].LogicalId : key.Value;
        var patientId = key.Kind != PatientKeyKind.Mrn && Guid.TryParse(named, out var ours) ? ours : Guid.Empty;
        return (new IncomingRecord(snapshot.Kind, resource.Id, patientId, snapshot, SourceOf(resource)), key, keyPath);
    }

    private static ((PatientKey, string), RecordSnapshot)? MapAppointment(Appointment appointment, string path, BundledResources bundled, PatientEntries patients, List<FhirIssue> issues)
    {
        var actors = new List<(ResourceReference Reference, string Path)>();
        for (var i = 0; i < appointment.Participant.Count; i++)
        {
            if (appointment.Participant[i]?.Actor is { } actor)
            {
                actors.Add((actor, $"{path}.participant[{i}].actor"));
            }
        }

        var patient = actors.FirstOrDefault(actor => bundled.TypeOf(actor.Reference, appointment) == "Patient");
        if (patient.Reference is null)
        {
            AddOnce(issues, Issue(IssueType.Required, "An appointment needs a participant whose actor is the Patient.", $"{path}.participant"));
        }

        var patientKey = patient.Reference is null ? null : patients.KeyOf(patient.Reference, patient.Path);
        foreach (var (reference, actorPath) in actors.Where(actor => bundled.IsDangling(actor.Reference)))
        {
            AddOnce(issues, Issue(IssueType.NotFound, "The reference matches no entry's fullUrl in this bundle.", actorPath));
        }

        var providers = actors.Where(actor => bundled.TypeOf(actor.Reference, appointment) is "Practitioner" or "PractitionerRole").ToList();
        var location = actors.FirstOrDefault(actor => bundled.TypeOf(actor.Reference, appointment) == "Location");
        var (description, describedAt) = appointment.Description is not null
            ? (appointment.Description, $"{path}.description")
            : appointment.ServiceType.Select(Text).FirstOrDefault(text => text is not null) is { } service
                ? (service, $"{path}.serviceType")
                : (Text(appointment.AppointmentType), $"{path}.appointmentType");
        var names = providers.Select(provider => bundled.NameOf(provider.Reference, appointment)).Where(name => !string.IsNullOrEmpty(name)).Distinct().ToList();
        var providerName = Bounded(names.Count == 0 ? null : string.Join(", ", names), RecordLimits.MaxTextLength, "practitioners' names",
            providers.Count == 1 ? providers[0].Path : $"{path}.participant", issues);
        var reason = Bounded(Text(appointment.CancelationReason), RecordLimits.MaxTextLength, "cancellation reason", $"{path}.cancelationReason", issues);
        var locationName = Bounded(bundled.NameOf(location.Reference, appointment), RecordLimits.MaxNameLength, "location's name", location.Path, issues);
        description = Bounded(description, RecordLimits.MaxTextLength, "description", describedAt, issues);

        if (patientKey is not { } key || appointment.Status is not { } status)
        {
            return null;
        }

        var requested = appointment.RequestedPeriod.FirstOrDefault(period => period is not null);
        var details = new AppointmentDetails(
            appointment.Start, appointment.End, providerName, locationName, status.GetLiteral(), description, reason,
            CalendarDay(requested?.StartElement), CalendarDay(requested?.EndElement));
        return ((key, patient.Path), new RecordSnapshot(RecordKind.Appointment, Appointment: details));
    }

    /// <remarks>
    /// Amount and currency are the gross total (net when there is no gross). FHIR's Invoice has no balance, so it is
    /// derived from the status: <c>balanced</c> (FHIR's word for settled), <c>cancelled</c> and <c>entered-in-error</c>
    /// leave nothing to pay (a patient must never read a withdrawn invoice as money owed); draft and issued the whole amount.
    /// </remarks>
    private static ((PatientKey, string), RecordSnapshot)? MapInvoice(Invoice invoice, string path, BundledResources bundled, PatientEntries patients, List<FhirIssue> issues)
    {
        if (invoice.Subject is null)
        {
            issues.Add(Issue(IssueType.Required, "An invoice needs a subject: the Patient it is for.", $"{path}.subject"));
        }

        var patientKey = invoice.Subject is null ? null : patients.KeyOf(invoice.Subject, $"{path}.subject");
        var date = DateOf(invoice.DateElement, $"{path}.date", issues);
        var total = invoice.TotalGross ?? invoice.TotalNet;

        if (patientKey is not { } key || invoice.Status is not { } status)
        {
            return null;
        }

        var number = Bounded(
            invoice.Identifier.Select(identifier => identifier?.Value).FirstOrDefault(value => !string.IsNullOrEmpty(value)) ?? invoice.Id,
            RecordLimits.MaxNameLength, "invoice number", $"{path}.identifier", issues);
        var reason = Bounded(invoice.CancelledReason, RecordLimits.MaxTextLength, "cancellation reason", $"{path}.cancelledReason", issues);
        var balance = status is Invoice.InvoiceStatus.Balanced or Invoice.InvoiceStatus.Cancelled or Invoice.InvoiceStatus.EnteredInError ? 0m : total?.Value;
        var net = invoice.TotalNet?.Value is { } netValue && netValue != total?.Value ? netValue : (decimal?)null;
        var details = new InvoiceDetails(
            number, date, total?.Value, total?.Currency?.GetLiteral(), balance, status.GetLiteral(), DayOf(invoice.DateElement, date), reason, net,
            LinesOf(invoice, path, bundled, issues));
        return ((key, $"{path}.subject"), new RecordSnapshot(RecordKind.Invoice, Invoice: details));
    }

    private static ((PatientKey, string), RecordSnapshot)? MapPrescription(MedicationRequest request, string path, BundledResources bundled, PatientEntries patients, List<FhirIssue> issues)
    {
        var patientKey = request.Subject is null ? null : patients.KeyOf(request.Subject, $"{path}.subject");
        var date = DateOf(request.AuthoredOnElement, $"{path}.authoredOn", issues);
        var medication = request.Medication switch
        {
            CodeableConcept concept => Text(concept),
            ResourceReference reference => reference.Display ?? Text((bundled.Find(reference.Reference, request) as Medication)?.Code),
            _ => null,
        };
        var reported = request.Reported is FhirBoolean { Value: true } or ResourceReference;
        var instructions = Bounded(DosageText.Describe(request.DosageInstruction), RecordLimits.MaxTextLength, "instructions", $"{path}.dosageInstruction", issues);
        // A medicine the patient reported has no prescriber to show: a requester that is the patient (HL7's examples say
        // "self-prescribed") or a relative is not one.
        var requester = reported && bundled.TypeOf(request.Requester, request) is "Patient" or "RelatedPerson" ? null : request.Requester;
        var prescriber = Bounded(bundled.NameOf(requester, request), RecordLimits.MaxNameLength, "prescriber's name", $"{path}.requester", issues);
        var reason = Bounded(Text(request.StatusReason), RecordLimits.MaxTextLength, "status reason", $"{path}.statusReason", issues);
        if (request.Medication is not null && medication is null)
        {
            issues.Add(Issue(IssueType.Required, "The medication needs a name to show: a text or coding display, the reference's display, or a contained or bundled Medication with a code.", $"{path}.medication"));
        }

        medication = Bounded(medication, RecordLimits.MaxNameLength, "medication's name", $"{path}.medication", issues);
        if (patientKey is not { } key || medication is null || request.Status is not { } status)
        {
            return null;
        }

        var details = new PrescriptionDetails(
            medication,
            instructions,
            prescriber,
            date,
            request.DispenseRequest?.NumberOfRepeatsAllowed,
            status.GetLiteral(),
            DayOf(request.AuthoredOnElement, date),
            reason,
            reported);
        return ((key, $"{path}.subject"), new RecordSnapshot(RecordKind.Prescription, Prescription: details));
    }

    /// <summary>The version the sending system says this is (<c>meta.versionId</c>, <c>meta.lastUpdated</c>), if it says.</summary>
    private static SourceVersion? SourceOf(Resource resource) =>
        resource.Meta is { } meta && (!string.IsNullOrEmpty(meta.VersionId) || meta.LastUpdated is not null)
            ? new SourceVersion(string.IsNullOrEmpty(meta.VersionId) ? null : meta.VersionId, meta.LastUpdated)
            : null;

    /// <summary>dateTime as sent: a date alone is midnight UTC, a partial date (2026-11) the first of its month or year.</summary>
    private static DateTimeOffset? DateOf(FhirDateTime? value, string expression, List<FhirIssue> issues)
    {
        if (value?.Value is null)
        {
            return null;
        }

        if (value.TryToDateTimeOffset(TimeSpan.Zero, out var parsed))
        {
            return parsed;
        }

        AddOnce(issues, Issue(IssueType.Value, "This is not a FHIR dateTime (a date, or a date and time with a time zone).", expression));
        return null;
    }

    /// <summary>
    /// The calendar date of a dateTime sent without a time ("2015-01-15", or a partial "2015-01" as its first day): a
    /// clinical date belongs to no time zone, so it must not become the day before when shown west of UTC.
    /// </summary>
    private static DateOnly? DayOf(FhirDateTime? value, DateTimeOffset? parsed) =>
        parsed is { } instant && value?.Value is { } text && !text.Contains('T', StringComparison.Ordinal)
            ? DateOnly.FromDateTime(instant.UtcDateTime)
            : null;

    /// <summary>The calendar day of a dateTime as sent (its own offset; a date alone is that date).</summary>
    private static DateOnly? CalendarDay(FhirDateTime? value) =>
        value?.Value is { Length: >= 10 } text && DateOnly.TryParseExact(text[..10], "yyyy-MM-dd", out var day) ? day : null;

    /// <summary>An invoice's charges: each line's name (its code's text, or the charge item's display) and base price.</summary>
    private static IReadOnlyList<InvoiceLine>? LinesOf(Invoice invoice, string path, BundledResources bundled, List<FhirIssue> issues)
    {
        var lines = new List<InvoiceLine>();
        for (var i = 0; i < invoice.LineItem.Count; i++)
        {
            if (invoice.LineItem[i] is not { } item)
            {
                continue;
            }

            var name = item.ChargeItem switch
            {
                CodeableConcept concept => Text(concept),
                ResourceReference reference => reference.Display ?? Text((bundled.Find(reference.Reference, invoice) as ChargeItem)?.Code),
                _ => null,
            };
            var price = item.PriceComponent.FirstOrDefault(component => component?.Type == InvoicePriceComponentType.Base)?.Amount?.Value;
            if (Bounded(name ?? $"Item {i + 1}", RecordLimits.MaxNameLength, "line item's name", $"{path}.lineItem[{i}]", issues) is { } description)
            {
                lines.Add(new InvoiceLine(description, price));
            }
        }

        if (lines.Count > RecordLimits.MaxInvoiceLines)
        {
            issues.Add(Issue(IssueType.TooCostly, $"An invoice card lists at most {RecordLimits.MaxInvoiceLines} line items; nothing is shown in part.", $"{path}.lineItem"));
        }

        return lines.Count == 0 ? null : lines;
    }

    private static string? Text(CodeableConcept? concept) =>
        concept is null ? null : concept.Text ?? concept.Coding.Select(coding => coding?.Display).FirstOrDefault(display => !string.IsNullOrEmpty(display));

    private static ResourceIdentity? Identity(string? reference) => string.IsNullOrEmpty(reference) ? null : new ResourceIdentity(reference);

    private static FhirIssue Issue(IssueType code, string diagnostics, string? expression) => new(code.GetLiteral(), diagnostics, expression);

    private static string Generic(IssueType code) => GenericDiagnostics.GetValueOrDefault(code, "This element is invalid.");

    /// <summary>A text the card keeps, or an issue when it is longer than <paramref name="limit"/>: refused, never shortened.</summary>
    private static string? Bounded(string? value, int limit, string what, string? expression, List<FhirIssue> issues)
    {
        if (value is null || value.Length <= limit)
        {
            return value;
        }

        AddOnce(issues, Issue(IssueType.TooLong, $"The {what} is longer than {limit} characters; send a shorter one (nothing is shortened on import).", expression));
        return null;
    }

    /// <summary>Some of our checks overlap the SDK's (a missing participant, an invalid date): one issue per code and place is enough.</summary>
    private static void AddOnce(List<FhirIssue> issues, FhirIssue issue)
    {
        if (!issues.Any(existing => existing.Code == issue.Code && existing.Expression == issue.Expression))
        {
            issues.Add(issue);
        }
    }

    /// <summary>
    /// The POCOs keep literals that failed validation (an unknown status code, an impossible instant) and their typed
    /// getters throw on them. The deserializer has reported each of those with its place, so only a surprise is added.
    /// </summary>
    private static void ReportUnreadable(List<FhirIssue> issues, string path)
    {
        if (!issues.Any(issue => issue.Expression?.StartsWith(path, StringComparison.Ordinal) == true))
        {
            issues.Add(Issue(IssueType.Invalid, Generic(IssueType.Invalid), path));
        }
    }

    /// <summary>The resources of one bundle, found by fullUrl (e.g. urn:uuid:...) or by Type/id.</summary>
    private sealed class BundledResources
    {
        private readonly Dictionary<string, Resource> _byReference = new(StringComparer.Ordinal);
        private readonly Dictionary<Resource, string> _paths = new(ReferenceEqualityComparer.Instance);

        public BundledResources(IEnumerable<Entry> entries)
        {
            foreach (var (resource, path, fullUrl) in entries)
            {
                _paths.TryAdd(resource, path);
                if (!string.IsNullOrEmpty(fullUrl))
                {
                    _byReference.TryAdd(fullUrl, resource);
                }

                if (FhirIds.Readable(resource) is { Length: > 0 } id)
                {
                    _byReference.TryAdd($"{resource.TypeName}/{id}", resource);
                }
            }
        }

        /// <summary>Where an entry's resource is in the bundle (FHIRPath).</summary>
        public string? PathOf(Resource resource) => _paths.GetValueOrDefault(resource);

        /// <summary>
        /// The resource a reference points to: one contained in <paramref name="container"/> (<c>#id</c>), else a bundle
        /// entry by fullUrl or Type/id.
        /// </summary>
        public Resource? Find(string? reference, DomainResource? container)
        {
            if (reference is null)
            {
                return null;
            }

            if (reference.StartsWith('#'))
            {
                return container?.Contained.FirstOrDefault(contained => contained is not null && FhirIds.Readable(contained) == reference[1..]);
            }

            return _byReference.TryGetValue(reference, out var resource) ? resource : null;
        }

        /// <summary>A urn (urn:uuid:...) only means something inside its bundle: one that no entry has is a broken reference.</summary>
        public bool IsDangling(ResourceReference reference) =>
            reference.Reference?.StartsWith("urn:", StringComparison.Ordinal) == true && Find(reference.Reference, null) is null;

        /// <summary>The type of resource a reference points to: the contained or bundled resource's, else the reference's own say.</summary>
        public string? TypeOf(ResourceReference? reference, DomainResource container) => reference is null ? null :
            Find(reference.Reference, container)?.TypeName ?? DeclaredType(reference.Reference) ?? reference.Type;

        /// <summary>The type a reference's text names: <c>Type/id</c>, or a conditional <c>Type?search</c>; none for a contained <c>#id</c>.</summary>
        private static string? DeclaredType(string? reference) => reference switch
        {
            null or "" => null,
            _ when reference.StartsWith('#') => null,
            _ when reference.IndexOf('?') is > 0 and var query && !reference[..query].Contains('/') => reference[..query],
            _ => Identity(reference)?.ResourceType,
        };

        /// <summary>
        /// What to call a provider or place: the reference's display, else the contained or bundled resource's name (a
        /// PractitionerRole by its practitioner, else its organization).
        /// </summary>
        public string? NameOf(ResourceReference? reference, DomainResource container) => reference is null ? null : reference.Display ?? Find(reference.Reference, container) switch
        {
            Practitioner practitioner => practitioner.Name.Where(name => name is not null).Select(FullName).FirstOrDefault(name => name is not null),
            PractitionerRole role => NameOf(role.Practitioner, role) ?? NameOf(role.Organization, role),
            Organization organization => organization.Name,
            Location location => location.Name,
            _ => null,
        };

        private static string? FullName(HumanName name)
        {
            if (!string.IsNullOrEmpty(name.Text))
            {
                return name.Text;
            }

            var parts = name.Prefix.Concat(name.Given).Append(name.Family).Where(part => !string.IsNullOrEmpty(part));
            var full = string.Join(' ', parts);
            return full.Length == 0 ? null : full;
        }
    }
}
