using System.Collections.Concurrent;

namespace ClinicChat.Web.Tests;

/// <summary>
/// A record card sent in a sensitive message locks the record itself for the patient: the record routes and the
/// change pushes must not hand out what the locked message hides. Asserted on raw payloads.
/// </summary>
[Collection(AppCollection.Name)]
public sealed class SensitiveRecordsTests(AppFixture fixture)
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    private ClinicChatApp App => fixture.App;

    [Fact]
    public async Task ARecordSentInASensitiveMessageIsNeitherListedReadNorPushedToALockedPatientUntilTheyVerify()
    {
        var patient = TestData.PortalPatient(176);
        var olga = await App.SignInAsync(DemoData.Olga);
        var alice = await App.SignInAsync(DemoData.Alice);
        var session = await App.SignInAsync(patient.Email!);
        (await ImportAsync(olga, FhirFeed.Bundle(patient.Id, FhirFeed.Prescription("rx-181", patient.Id), FhirFeed.Invoice("inv-181", patient.Id, 40m)))).EnsureSuccessStatusCode();
        var thread = await TestData.StartAsync(alice, patient.Id);
        var prescription = Assert.Single(await ListAsync(alice, thread.Id, "prescription"));
        var invoice = Assert.Single(await ListAsync(alice, thread.Id, "invoice"));
        await using var hub = App.CreateHubConnection(session.Cookie);
        var pushes = new ConcurrentQueue<string>();
        var invoiceChanged = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        hub.On<JsonElement>(nameof(IChatClient.MessageAdded), m => pushes.Enqueue(m.GetRawText()));
        hub.On<JsonElement>(nameof(IChatClient.RecordUpdated), update =>
        {
            pushes.Enqueue(update.GetRawText());
            if (update.GetProperty("recordId").GetGuid() == invoice.Id)
            {
                invoiceChanged.TrySetResult();
            }
        });
        await ClinicChatApp.ConnectAsync(hub);

        var sent = await alice.Http.PostAsJsonAsync($"/api/v1/conversations/{thread.Id}/messages",
            new { clientMessageId = "rx-181-sensitive", text = "Your new prescription", sensitive = true, recordIds = new[] { prescription.Id } });
        (await ImportAsync(olga, FhirFeed.Prescription("rx-181", patient.Id).Replace("for 7 days", "for 10 days", StringComparison.Ordinal))).EnsureSuccessStatusCode();
        // The invoice is not sensitive: its change is pushed to the patient after the prescription's, on the same
        // connection, so once it has arrived the prescription's would have arrived too had it been pushed.
        (await ImportAsync(olga, FhirFeed.Invoice("inv-181", patient.Id, 45m))).EnsureSuccessStatusCode();
        await invoiceChanged.Task.WaitAsync(Patience);
        var rawList = await session.Http.GetStringAsync($"/api/v1/conversations/{thread.Id}/records?kind=prescription");
        var read = await session.Http.GetAsync($"/api/v1/records/{prescription.Id}");
        var rawRead = await read.Content.ReadAsStringAsync();
        var rawPage = await session.Http.GetStringAsync($"/api/v1/conversations/{thread.Id}/messages?limit=50");
        var staffList = await ListAsync(alice, thread.Id, "prescription");

        Assert.Equal(HttpStatusCode.Created, sent.StatusCode);
        Assert.All(pushes.Append(rawList).Append(rawRead).Append(rawPage), raw =>
        {
            Assert.DoesNotContain(prescription.Id.ToString(), raw, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain("Amoxicillin", raw, StringComparison.OrdinalIgnoreCase);
        });
        Assert.Empty(JsonSerializer.Deserialize<RecordListDto>(rawList, JsonSerializerOptions.Web)!.Items);
        Assert.Equal((HttpStatusCode.Forbidden, "sensitive_locked"), (read.StatusCode, (await TestData.ProblemAsync(read)).Code));
        Assert.Equal((prescription.Id, 2), (Assert.Single(staffList).Id, staffList[0].Version));

        var reauth = await session.Http.PostAsJsonAsync("/api/v1/auth/reauth", new { password = DemoData.Password });
        session = App.Continue(session, reauth);
        var listedAfter = await ListAsync(session, thread.Id, "prescription");
        var readAfter = await session.Http.GetFromJsonAsync<RecordDto>($"/api/v1/records/{prescription.Id}");

        Assert.Equal(HttpStatusCode.OK, reauth.StatusCode);
        Assert.Equal(prescription.Id, Assert.Single(listedAfter).Id);
        Assert.Equal((2, "One capsule three times a day for 10 days"), (readAfter!.Version, readAfter.Prescription!.Instructions));
        Assert.Equal(1, await TestData.AuditCountAsync(App, "access.denied", $"record={prescription.Id};sensitive_locked", session.UserId));
        Assert.Equal(1, await TestData.AuditCountAsync(App, "card.viewed", $"record={prescription.Id};version=2;sensitiveOpened", session.UserId));
    }

    [Fact]
    public async Task ARecordSentOnlyInOrdinaryMessagesStaysReadableWithoutVerifying()
    {
        var patient = TestData.PortalPatient(177);
        var olga = await App.SignInAsync(DemoData.Olga);
        var alice = await App.SignInAsync(DemoData.Alice);
        var session = await App.SignInAsync(patient.Email!);
        (await ImportAsync(olga, FhirFeed.Prescription("rx-182", patient.Id))).EnsureSuccessStatusCode();
        var thread = await TestData.StartAsync(alice, patient.Id);
        var prescription = Assert.Single(await ListAsync(alice, thread.Id, "prescription"));

        (await alice.Http.PostAsJsonAsync($"/api/v1/conversations/{thread.Id}/messages",
            new { clientMessageId = "rx-182-open", text = "Your prescription", recordIds = new[] { prescription.Id } })).EnsureSuccessStatusCode();
        var listed = await ListAsync(session, thread.Id, "prescription");
        var read = await session.Http.GetAsync($"/api/v1/records/{prescription.Id}");

        Assert.Equal(prescription.Id, Assert.Single(listed).Id);
        Assert.Equal(HttpStatusCode.OK, read.StatusCode);
    }

    private static Task<HttpResponseMessage> ImportAsync(ApiSession admin, string fhirJson) =>
        admin.Http.PostAsync($"/api/v1/clinics/{DemoData.Northside}/fhir", new StringContent(fhirJson, Encoding.UTF8, "application/fhir+json"));

    private static async Task<IReadOnlyList<RecordDto>> ListAsync(ApiSession caller, Guid conversationId, string kind)
    {
        var response = await caller.Http.GetAsync($"/api/v1/conversations/{conversationId}/records?kind={kind}");
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<RecordListDto>())!.Items;
    }
}
