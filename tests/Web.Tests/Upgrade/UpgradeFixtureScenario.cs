namespace ClinicChat.Web.Tests.Upgrade;

/// <summary>Who and what the upgrade fixture holds, so that a test can carry on where its maker stopped.</summary>
public sealed record UpgradeFixtureScenario(Guid ConversationId, string PatientEmail, string StaffEmail, long LastSeq)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    /// <summary>
    /// Writes one of each kind of record through the public API of the running app: a conversation,
    /// messages both ways, an attachment on a message, delivery and read receipts from both sides, and
    /// the audit rows all of that leaves behind.
    /// </summary>
    public static async Task<UpgradeFixtureScenario> WriteAsync(ClinicChatApp app)
    {
        var patient = await TestPatients.NewAsync(app);
        var alice = await app.SignInAsync(DemoData.Alice);
        var pat = await app.SignInAsync(patient.Email);
        var thread = (await TestData.StartAsync(alice, patient.Id)).Id;
        await TestData.SendAsync(alice, thread, "Your X-ray from Tuesday looks fine.");
        await TestData.SendAsync(alice, thread, "Please keep the splint on for two more weeks.");
        await TestData.SendAsync(pat, thread, "Thank you! Here is the photo you asked for.");
        var upload = await AttachmentsApiTests.UploadAsync(pat, thread, "swelling.png", SampleFiles.For("swelling.png"));
        upload.EnsureSuccessStatusCode();
        var attachment = (await upload.Content.ReadFromJsonAsync<AttachmentDto>())!;
        (await pat.Http.PostAsJsonAsync($"/api/v1/conversations/{thread}/messages",
            new { clientMessageId = Guid.NewGuid().ToString("N"), text = "The swelling this morning.", attachmentIds = new[] { attachment.AttachmentId } })).EnsureSuccessStatusCode();
        var patientView = await TestData.PageAsync(pat, thread);
        (await pat.Http.PostAsJsonAsync($"/api/v1/conversations/{thread}/receipts", new { deliveredUpToSeq = patientView.LastSeq, readUpToSeq = patientView.LastSeq })).EnsureSuccessStatusCode();
        var staffView = await TestData.PageAsync(alice, thread);
        (await alice.Http.PostAsJsonAsync($"/api/v1/conversations/{thread}/receipts", new { deliveredUpToSeq = staffView.LastSeq, readUpToSeq = staffView.LastSeq })).EnsureSuccessStatusCode();
        var reply = await TestData.SendAsync(alice, thread, "Thanks, that looks as expected.");
        return new UpgradeFixtureScenario(thread, patient.Email, DemoData.Alice, reply.Seq);
    }

    public void Save(string path) => File.WriteAllText(path, JsonSerializer.Serialize(this, Json));

    public static UpgradeFixtureScenario Load(string path) => JsonSerializer.Deserialize<UpgradeFixtureScenario>(File.ReadAllText(path), Json)!;
}
