namespace ClinicChat.Web.Tests;

/// <summary>Fresh portal patients of the web tests' app (see <see cref="PortalPatients"/>).</summary>
public static class TestPatients
{
    public static Task<TestPatient> NewAsync(ClinicChatApp app, params Guid[] clinics) => PortalPatients.NewAsync(app.Services, clinics);
}

/// <summary>
/// The usual start of a chat test: a staff member (Alice unless told) has opened a thread with a
/// fresh patient. Replaces the five-to-eight-line preamble each test used to repeat.
/// </summary>
public sealed record ChatScenario(ClinicChatApp App, ApiSession Staff, TestPatient Patient, Guid ThreadId)
{
    public static async Task<ChatScenario> StartAsync(ClinicChatApp app, string staffEmail = DemoData.Alice)
    {
        var patient = await TestPatients.NewAsync(app);
        var staff = await app.SignInAsync(staffEmail);
        var thread = await TestData.StartAsync(staff, patient.Id);
        return new ChatScenario(app, staff, patient, thread.Id);
    }

    public Task<ApiSession> SignInPatientAsync() => App.SignInAsync(Patient.Email);

    public Task<MessageDto> SendAsync(ApiSession sender, string text, string? clientMessageId = null) =>
        TestData.SendAsync(sender, ThreadId, text, clientMessageId);

    public Task<MessagePageDto> PageAsync(ApiSession reader, string query = "limit=200") => TestData.PageAsync(reader, ThreadId, query);
}
