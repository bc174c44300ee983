namespace ClinicChat.Browser.Tests;

/// <summary>
/// Patients start conversations about a topic, and a billing one reaches the clinic's Billing staff (issue 22): Olga
/// offers topics on the Clinic page (and sets the clinic's phone; both come back from one read after a reload), a patient
/// on a phone starts a billing conversation, Bill answers it live in his own window, and when Alice routes it to
/// appointments it leaves Bill's Chat.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class TopicsBrowserTests(BrowserFixture fixture, Xunit.Abstractions.ITestOutputHelper output) : BrowserTest(fixture, output)
{
    [Fact]
    public Task APatientStartsABillingConversationThatBillAnswersLiveUntilAliceRoutesItElsewhere() => RunAsync(async () =>
    {
        try
        {
            var olga = await SignInAsync(DemoData.Olga);
            await olga.GotoAsync("/#/clinic");
            var topics = olga.GetByRole(AriaRole.Region, new() { Name = "Patients start conversations" });
            await topics.GetByRole(AriaRole.Checkbox, new() { Name = "Billing" }).CheckAsync();
            await topics.GetByRole(AriaRole.Checkbox, new() { Name = "Appointments" }).CheckAsync();
            await topics.GetByRole(AriaRole.Button, new() { Name = "Save topics" }).ClickAsync();
            await Expect(topics.GetByRole(AriaRole.Status)).ToContainTextAsync("Saved: patients may start conversations about Appointments and Billing.");

            // The page reads the clinic's profile once for its phone and its topics: after a reload both show what was saved.
            await olga.ReloadAsync();
            await Expect(topics.GetByRole(AriaRole.Checkbox, new() { Name = "Billing" })).ToBeCheckedAsync();
            await Expect(topics.GetByRole(AriaRole.Checkbox, new() { Name = "A question for my care team" })).Not.ToBeCheckedAsync();
            var clinicPhone = olga.GetByRole(AriaRole.Textbox, new() { Name = "Clinic phone" });
            await Expect(clinicPhone).ToBeEnabledAsync();
            await clinicPhone.FillAsync("(201) 555-0199");
            await olga.GetByRole(AriaRole.Button, new() { Name = "Save phone" }).ClickAsync();
            await Expect(olga.GetByRole(AriaRole.Status).Filter(new() { HasText = "Clinic phone saved" })).ToBeVisibleAsync();
            await olga.ReloadAsync();
            await Expect(clinicPhone).Not.ToHaveValueAsync(string.Empty);

            var patient = await Fixture.CreatePatientAsync();
            var phone = await SignInAsync(patient.Email, width: 390, height: 844);
            await phone.GetByRole(AriaRole.Button, new() { Name = "New message" }).ClickAsync();
            var form = phone.GetByRole(AriaRole.Region, new() { Name = "New message" });
            await form.GetByRole(AriaRole.Button, new() { Name = "Send" }).ClickAsync();
            await Expect(form).ToContainTextAsync("Choose what your message is about.");
            await form.GetByRole(AriaRole.Radio, new() { Name = "Billing" }).CheckAsync();
            await form.GetByLabel("Message").FillAsync("Why was I charged twice for my crown?");
            await form.GetByRole(AriaRole.Button, new() { Name = "Send" }).ClickAsync();
            await Expect(Log(phone)).ToContainTextAsync("Why was I charged twice for my crown?");
            Assert.Matches("#/inbox/[0-9a-f-]{36}$", phone.Url);
            await AssertNoHorizontalScrollAsync(phone);

            var bill = await SignInAsync(DemoData.Bill);
            await bill.GotoAsync("/#/chat");
            var row = ThreadItem(bill, patient.Name);
            await Expect(row).ToContainTextAsync("Billing");
            await Expect(bill.GetByRole(AriaRole.Button, new() { Name = "+ New conversation" })).ToHaveCountAsync(0);
            await row.GetByRole(AriaRole.Link, new() { Name = patient.Name, Exact = true }).ClickAsync();
            await Expect(Log(bill)).ToContainTextAsync("Why was I charged twice for my crown?");
            await SendAsync(bill, "The second charge was the deposit; it is refunded.");
            await Expect(Log(phone)).ToContainTextAsync("The second charge was the deposit; it is refunded.");

            var alice = await SignInAsync(DemoData.Alice);
            await alice.GotoAsync(phone.Url.Replace("#/inbox/", "#/chat/", StringComparison.Ordinal));
            await Expect(alice.GetByText($"{patient.Name} set the topic to Billing")).ToBeVisibleAsync();
            await alice.GetByLabel("Topic").SelectOptionAsync("appointments");
            await Expect(alice.GetByText("Alice Carter set the topic to Appointments")).ToBeVisibleAsync();
            await Expect(bill.GetByRole(AriaRole.Status).Filter(new() { HasText = "This conversation was moved to another team." })).ToBeVisibleAsync();
            await Expect(ThreadItem(bill, patient.Name)).ToHaveCountAsync(0);
        }
        finally
        {
            // The shared app's other tests start with Northside offering no topics.
            using var olgaApi = await Fixture.ApiAsync(DemoData.Olga);
            (await olgaApi.PutAsJsonAsync($"/api/v1/clinics/{DemoData.Northside}/patient-topics", new { topics = Array.Empty<string>() })).EnsureSuccessStatusCode();
            (await olgaApi.PutAsJsonAsync($"/api/v1/clinics/{DemoData.Northside}/profile", new { phone = (string?)null })).EnsureSuccessStatusCode();
        }
    });

    private static async Task AssertNoHorizontalScrollAsync(IPage page) =>
        Assert.True(await page.EvaluateAsync<bool>("() => document.documentElement.scrollWidth <= window.innerWidth"), "The page scrolls sideways at phone width.");
}
