using ClinicChat.Patients;

namespace ClinicChat.Web.Patients;

/// <param name="HasConversation">The clinic already has a thread with this patient (starting one opens it).</param>
/// <param name="Hint">What tells two patients of one name apart: "mobile ending 0042" or a masked email.</param>
public sealed record PatientDto(Guid Id, string DisplayName, bool HasPortalAccount, bool ChatOptIn, string? MobileNumber, bool HasConversation = false, string? Hint = null)
{
    public static PatientDto From(PatientSummary p) => new(p.Id, p.DisplayName, p.HasPortalAccount, p.ChatOptIn, p.MobileNumber, p.HasConversation, p.Hint);
}
