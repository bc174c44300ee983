using ClinicChat.Patients;
using ClinicChat.Web.Notices;

namespace ClinicChat.Web.Patients;

/// <param name="HasConversation">The clinic already has a thread with this patient (starting one opens it).</param>
/// <param name="Hint">What tells two patients of one name apart: "mobile ending 0042" or a masked email.</param>
/// <param name="BirthDate">With <paramref name="Mrn"/> (the clinic's own number, where set), what tells two people of one name apart.</param>
/// <param name="MobileNumber">E.164.</param>
/// <param name="MobileNumberDisplay">The same number as people read it: "+44 7911 123456".</param>
public sealed record PatientDto(
    Guid Id, string DisplayName, bool HasPortalAccount, bool ChatOptIn, string? MobileNumber, bool HasConversation = false, string? Hint = null,
    DateOnly? BirthDate = null, string? Mrn = null, string? MobileNumberDisplay = null)
{
    public static PatientDto From(PatientSummary p) =>
        new(p.Id, p.DisplayName, p.HasPortalAccount, p.ChatOptIn, p.MobileNumber, p.HasConversation, p.Hint, p.BirthDate, p.Mrn,
            MobileNumbers.ForDisplay(p.MobileNumber));
}

/// <summary>
/// A patient's details as staff type them (POST to add, PUT to edit). Strings, the date too, so that each wrong field
/// is answered as <c>validation_failed</c> naming it rather than as an unreadable request.
/// </summary>
/// <param name="BirthDate">yyyy-mm-dd.</param>
/// <param name="Mobile">As typed; stored in E.164 (a number without a country code is read in the deployment's region, ClinicChat:Sms:DefaultRegion).</param>
/// <param name="PreferredLanguage">A BCP 47 tag: en, es-MX.</param>
/// <param name="SmsConsent">True records that the patient agreed to SMS at this mobile number; false or absent changes nothing.</param>
public sealed record PatientRequest(
    string? GivenName, string? FamilyName, string? BirthDate, string? Email = null, string? Mobile = null, string? Mrn = null,
    string? PreferredLanguage = null, bool? SmsConsent = null);

/// <summary>A patient of the clinic with everything the editor shows.</summary>
/// <param name="BirthDate">Null for a patient registered before dates of birth were kept (the editor asks for one).</param>
/// <param name="SmsConsentAt">When staff recorded the patient's consent to SMS at this mobile number; null when not recorded.</param>
/// <param name="Mobile">E.164.</param>
/// <param name="MobileDisplay">The same number as people read it (and may type it back): "+44 7911 123456".</param>
public sealed record PatientFileDto(
    Guid Id, Guid ClinicId, string DisplayName, string GivenName, string FamilyName, DateOnly? BirthDate, string? Email, string? Mobile, string? Mrn,
    string? PreferredLanguage, bool HasPortalAccount, DateTimeOffset? SmsConsentAt, string? MobileDisplay)
{
    public static PatientFileDto From(PatientFile file)
    {
        var details = file.Details;
        return new(file.Id, file.ClinicId, details.DisplayName, details.GivenName, details.FamilyName,
            details.BirthDate == DateOnly.MinValue ? null : details.BirthDate, details.Email, details.Mobile, details.Mrn,
            details.PreferredLanguage, file.HasPortalAccount, file.SmsConsentAt, MobileNumbers.ForDisplay(details.Mobile));
    }
}
