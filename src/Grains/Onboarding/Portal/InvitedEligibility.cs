using ClinicChat.Patients;

namespace ClinicChat.Onboarding.Portal;

/// <summary>
/// A thread can be prepared for an invited patient: without a portal account but with a pending invitation, the patient is
/// <see cref="ChatEligibility.Invited"/>, which the send path accepts. Notices and pushes still ask the patient's profile, which
/// says "no portal account", so nothing reaches the patient until they activate and find the messages in their Inbox.
/// </summary>
public static class InvitedEligibility
{
    public static async Task<ChatEligibility> WithInvitationAsync(this IGrainFactory grains, Guid clinicId, Guid patientId, ChatEligibility eligibility) =>
        eligibility == ChatEligibility.NoPortalAccount && await grains.For(clinicId, patientId).HasPendingAsync() ? ChatEligibility.Invited : eligibility;
}
