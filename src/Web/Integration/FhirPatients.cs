using ClinicChat.Patients;
using ClinicChat.Web.Patients;
using Hl7.Fhir.Model;
using IssueType = Hl7.Fhir.Model.OperationOutcome.IssueType;

namespace ClinicChat.Web.Integration;

public static partial class FhirRecords
{
    /// <summary>
    /// The FHIR Patients of one import, read into the details staff would enter (checked by <see cref="PatientInput"/>,
    /// so an EHR's patient meets the same rules), and how each record's patient reference will be resolved.
    /// </summary>
    private sealed class PatientEntries(FhirImportContext context, BundledResources bundled, List<FhirIssue> issues)
    {
        private readonly List<EhrPatient> _sent = [];
        private readonly List<string> _paths = [];
        private readonly Dictionary<Patient, int> _indexOf = new(ReferenceEqualityComparer.Instance);

        public IReadOnlyList<EhrPatient> Sent => _sent;

        public IReadOnlyList<string> Paths => _paths;

        public void Add(Patient patient, string path)
        {
            if (_indexOf.ContainsKey(patient))
            {
                return; // Read already, through a record's reference to it.
            }

            var mrn = MrnOf(patient);
            _indexOf[patient] = _sent.Count;
            _sent.Add(new EhrPatient(FhirIds.Readable(patient) is { Length: > 0 } id ? id : null, DetailsOf(patient, path, mrn), mrn));
            _paths.Add(path);
        }

        /// <summary>
        /// How the patient a record refers to is found: a Patient of this import (by fullUrl, or Type/id), a conditional
        /// reference by MRN (<c>Patient?identifier=system|value</c>, the clinic's MRN system), or <c>Patient/{id}</c>
        /// (a ClinicChat id, or the EHR's id for a patient it sent before). Whether that is a patient of the clinic is
        /// decided when the import is applied.
        /// </summary>
        public PatientKey? KeyOf(ResourceReference reference, string expression)
        {
            // Entries are read in order; a record may refer to a Patient entry further down, so look it up by resource.
            if (bundled.Find(reference.Reference, null) is Patient bundledPatient)
            {
                if (!_indexOf.ContainsKey(bundledPatient))
                {
                    Add(bundledPatient, PathOf(bundledPatient));
                }

                return new PatientKey(PatientKeyKind.Bundled, _indexOf[bundledPatient].ToString(System.Globalization.CultureInfo.InvariantCulture));
            }

            if (reference.Reference is { } text && text.StartsWith("Patient?", StringComparison.Ordinal))
            {
                return ConditionalKey(text, expression);
            }

            if (Identity(reference.Reference) is { ResourceType: "Patient", Id: { Length: > 0 } id })
            {
                return new PatientKey(PatientKeyKind.Id, id);
            }

            issues.Add(Issue(IssueType.NotFound, reference.Reference is null
                ? "The reference has no Patient/{id}, Patient?identifier= or bundle fullUrl to find the patient by."
                : "The reference does not name a patient of this clinic.", expression));
            return null;
        }

        /// <summary>The paths of Patients found through a reference before their own entry was read are named by the entry itself later.</summary>
        private string PathOf(Patient patient) => bundled.PathOf(patient) ?? "Patient";

        private PatientKey? ConditionalKey(string reference, string expression)
        {
            var query = Microsoft.AspNetCore.WebUtilities.QueryHelpers.ParseQuery(reference["Patient".Length..]);
            if (query.Count != 1 || !query.TryGetValue("identifier", out var values) || values.Count != 1 || values[0]!.Split('|') is not [var system, var value] || value.Length == 0)
            {
                issues.Add(Issue(IssueType.NotSupported, "A conditional reference to a patient is Patient?identifier={system}|{value}, by the MRN system of the clinic.", expression));
                return null;
            }

            if (context.MrnSystem is null || system != context.MrnSystem)
            {
                issues.Add(Issue(IssueType.NotFound, context.MrnSystem is null
                    ? "This clinic has no MRN system set, so patients cannot be found by identifier; an Admin sets it first."
                    : "The identifier system is not the MRN system of this clinic.", expression));
                return null;
            }

            return new PatientKey(PatientKeyKind.Mrn, value);
        }

        private string? MrnOf(Patient patient) =>
            context.MrnSystem is null ? null : patient.Identifier.FirstOrDefault(identifier => identifier?.System == context.MrnSystem && !string.IsNullOrEmpty(identifier.Value))?.Value;

        /// <summary>The details to keep, or null when the Patient carries no name and date of birth (it only names a patient).</summary>
        private PatientDetails? DetailsOf(Patient patient, string path, string? mrn)
        {
            var name = patient.Name.Where(n => n is not null).OrderBy(n => n.Use switch
            {
                HumanName.NameUse.Official => 0,
                HumanName.NameUse.Usual => 1,
                null => 2,
                _ => 3,
            }).FirstOrDefault();
            if (name is null && patient.BirthDate is null)
            {
                return null;
            }

            var email = patient.Telecom.FirstOrDefault(t => t?.System == ContactPoint.ContactPointSystem.Email && !string.IsNullOrEmpty(t.Value))?.Value;
            var mobile = patient.Telecom.FirstOrDefault(t => t?.System is ContactPoint.ContactPointSystem.Phone or ContactPoint.ContactPointSystem.Sms
                && t.Use == ContactPoint.ContactPointUse.Mobile && !string.IsNullOrEmpty(t.Value))?.Value;
            var language = patient.Communication.Where(c => c?.Language is not null).OrderByDescending(c => c.Preferred == true).FirstOrDefault()?.Language;
            var request = new PatientRequest(
                name is null ? null : string.Join(' ', name.Given.Where(g => !string.IsNullOrEmpty(g))),
                name?.Family,
                patient.BirthDate,
                email,
                mobile,
                mrn,
                language?.Coding.FirstOrDefault(c => !string.IsNullOrEmpty(c?.Code))?.Code ?? language?.Text);
            var (details, errors) = PatientInput.Read(request, context.Now, context.DefaultRegion);
            // Every refused element, one issue each: the EHR's team fixes the record once, not once per round trip.
            issues.AddRange(errors.Select(error => Issue(IssueType.Value,
                $"{error.Detail} (ClinicChat keeps a patient's name, date of birth, contact details and language as staff would enter them.)", $"{path}.{ElementOf(error)}")));
            return details;
        }

        private static string ElementOf(ChatError error) => error.Field switch
        {
            "givenName" or "familyName" => "name",
            "birthDate" => "birthDate",
            "email" or "mobile" => "telecom",
            "mrn" => "identifier",
            "preferredLanguage" => "communication",
            _ => string.Empty,
        };
    }
}
