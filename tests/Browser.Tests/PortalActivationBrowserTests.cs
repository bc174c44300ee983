using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using ClinicChat.Patients;
using ClinicChat.Web.Seeding;
using Microsoft.Playwright;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace ClinicChat.Browser.Tests;

[Collection(BrowserCollection.Name)]
public sealed partial class PortalActivationBrowserTests(BrowserFixture fixture, ITestOutputHelper output) : BrowserTest(fixture, output)
{
    private const string Password = "Activated-Patient-2026";

    [Fact]
    public Task FrontDeskInvitesBySmsAndThePatientActivatesOnAPhoneAndFindsTheWaitingMessage() => RunAsync(async () =>
    {
        // The first date of birth is wrong on purpose: the browser logs the 400 it answers.
        AllowConsoleError("status of 400");
        var familyName = "Zed" + Guid.NewGuid().ToString("N")[..6];
        var mobile = "+1201555" + Random.Shared.Next(1000, 9999).ToString(System.Globalization.CultureInfo.InvariantCulture);
        await AddPatientAsync($"Ines {familyName}", mobile, "1984-03-21");

        // The front desk finds the patient, invites by SMS, and prepares the thread.
        var staff = await SignInAsync(DemoData.Frank);
        await staff.GetByRole(AriaRole.Button, new() { Name = "New conversation" }).ClickAsync();
        await staff.GetByRole(AriaRole.Searchbox, new() { Name = "Search patients" }).FillAsync(familyName);
        await staff.GetByRole(AriaRole.Option, new() { Name = $"Ines {familyName}" }).ClickAsync();
        await staff.GetByRole(AriaRole.Button, new() { Name = "Invite by SMS" }).ClickAsync();
        await Expect(staff.GetByRole(AriaRole.Status)).ToContainTextAsync($"Invited by SMS to ***{mobile[^4..]}");
        await Expect(staff.GetByRole(AriaRole.Status)).ToContainTextAsync("The link expires");
        await staff.GetByRole(AriaRole.Button, new() { Name = "Start conversation" }).ClickAsync();
        await SendAsync(staff, "Welcome! Your first appointment is on Monday at 9:00.");

        // The SMS as the patient receives it (no SMS provider here: the development outbox shows what was sent).
        var link = await SmsLinkAsync(mobile);
        Assert.StartsWith(Fixture.BaseUrl + "/#/activate/", link, StringComparison.Ordinal);

        // On a phone: the link, the date of birth, an email and a password, and the Inbox with the waiting message.
        var phone = await OpenAsync(width: 375, height: 812);
        await phone.GotoAsync(link);
        await Expect(phone.GetByRole(AriaRole.Heading, new() { Name = "Activate your patient portal" })).ToBeVisibleAsync();
        await Expect(phone.GetByText("Northside Family Dental")).ToBeVisibleAsync();
        await phone.GetByLabel("Date of birth").FillAsync("1984-03-12");
        await phone.GetByRole(AriaRole.Button, new() { Name = "Continue" }).ClickAsync();
        await Expect(phone.GetByRole(AriaRole.Alert)).ToContainTextAsync("2 attempts left");
        await phone.GetByLabel("Date of birth").FillAsync("1984-03-21");
        await phone.GetByRole(AriaRole.Button, new() { Name = "Continue" }).ClickAsync();
        await phone.GetByRole(AriaRole.Textbox, new() { Name = "Email address (you sign in with it)" }).FillAsync($"ines.{familyName}@patients.test");
        await phone.GetByLabel("New password").FillAsync(Password);
        await phone.GetByLabel("Repeat the password").FillAsync(Password);
        await Expect(phone.GetByRole(AriaRole.Checkbox, new() { Name = "Chat with Northside Family Dental through the portal" })).ToBeCheckedAsync();
        await phone.GetByRole(AriaRole.Button, new() { Name = "Activate and sign in" }).ClickAsync();

        await Expect(phone.GetByRole(AriaRole.Button, new() { Name = "Sign out" })).ToBeVisibleAsync();
        Assert.EndsWith("/#/inbox", phone.Url, StringComparison.Ordinal);
        await phone.GetByRole(AriaRole.Link, new() { Name = "Northside Family Dental" }).ClickAsync();
        await Expect(Log(phone)).ToContainTextAsync("Welcome! Your first appointment is on Monday at 9:00.");
    });

    /// <summary>A patient as the front desk would add them: a date of birth and a mobile with SMS consent, no portal account.</summary>
    private async Task AddPatientAsync(string name, string mobile, string birthDate)
    {
        var id = Guid.NewGuid();
        await Fixture.Grains.GetGrain<IPatientProfileGrain>(id).RegisterAsync(new PatientRegistration(id, name, mobile, null, null, true, [DemoData.Northside]));
        await using var connection = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={Path.Combine(Fixture.DataDirectory, "clinicchat.db")};Pooling=False");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "UPDATE patients SET birth_date = $birth, sms_consent_at_ms = 1, sms_consent_by = 'test' WHERE id = $id";
        command.Parameters.AddWithValue("$birth", birthDate);
        command.Parameters.AddWithValue("$id", id.ToString());
        Assert.Equal(1, await command.ExecuteNonQueryAsync());
    }

    /// <summary>The activation link in the SMS to <paramref name="mobile"/>, read from the development outbox once the dispatcher has handled it.</summary>
    private async Task<string> SmsLinkAsync(string mobile)
    {
        using var olga = await Fixture.ApiAsync(DemoData.Olga);
        var deadline = DateTimeOffset.UtcNow + TimeSpan.FromSeconds(20);
        while (true)
        {
            var entries = await olga.GetFromJsonAsync<List<JsonElement>>($"/api/v1/clinics/{DemoData.Northside}/dev-outbox");
            var sms = entries!.FirstOrDefault(e => e.GetProperty("template").GetString() == "patient-invitation"
                && e.GetProperty("maskedAddress").GetString() == "***" + mobile[^4..] && e.GetProperty("text").GetString() is { Length: > 0 });
            if (sms.ValueKind == JsonValueKind.Object && LinkPattern().Match(sms.GetProperty("text").GetString()!) is { Success: true } link)
            {
                return link.Value;
            }

            Assert.True(DateTimeOffset.UtcNow < deadline, "The invitation SMS did not reach the outbox in time.");
            await Task.Delay(TimeSpan.FromMilliseconds(200));
        }
    }

    [GeneratedRegex(@"https?://\S+/#/activate/[0-9a-f]{32}\.[A-Za-z0-9_-]+")]
    private static partial Regex LinkPattern();
}
