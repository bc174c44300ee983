using ClinicChat.Web.Seeding;
using Microsoft.Playwright;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace ClinicChat.Browser.Tests;

[Collection(BrowserCollection.Name)]
public sealed class DeliveryBrowserTests(BrowserFixture fixture, ITestOutputHelper output) : BrowserTest(fixture, output)
{
    [Fact]
    public Task ReceiptsGoFromSentToDeliveredToReadOnBothSides() => RunAsync(async () =>
    {
        var (patient, thread, staff) = await OpenNewThreadAsync(20);

        await SendAsync(staff, "Your prescription is ready for pickup.");
        var staffMessage = Article(staff, "Your prescription is ready for pickup.");
        await Expect(staffMessage.Locator(".status")).ToHaveTextAsync("Sent");

        var portal = await SignInAsync(patient.Email!);
        await Expect(staffMessage.Locator(".status")).ToHaveTextAsync("Delivered");
        await portal.GetByRole(AriaRole.Link, new() { Name = "Northside Family Dental" }).ClickAsync();
        await Expect(staffMessage.Locator(".status")).ToHaveTextAsync("Read");

        await SendAsync(portal, "Thank you, I'll come by tomorrow.");
        var reply = Article(portal, "Thank you, I'll come by tomorrow.");
        // Alice has the thread open and in view: her client receives and reads it at once.
        await Expect(reply.Locator(".status")).ToHaveTextAsync("Read");
    });

    [Fact]
    public Task AnOfflinePatientCatchesUpAndTheirUnsentMessageGoesOutWhenBackOnline() => RunAsync(async () =>
    {
        var patient = StaffChatTests.Patient(21);
        using var alice = await Fixture.ApiAsync(DemoData.Alice);
        var thread = await Fixture.StartThreadAsync(alice, patient.Id);
        await BrowserFixture.SendAsync(alice, thread, "Hello!");
        var portal = await SignInAsync(patient.Email!);
        await portal.GetByRole(AriaRole.Link, new() { Name = "Northside Family Dental" }).ClickAsync();
        await Expect(Log(portal)).ToContainTextAsync("Hello!");

        AllowConsoleError("net::ERR_INTERNET_DISCONNECTED");
        await portal.Context.SetOfflineAsync(true);
        await Composer(portal).FillAsync("Written while offline");
        await Composer(portal).PressAsync("Enter");
        await Expect(Article(portal, "Written while offline").Locator(".status")).ToHaveTextAsync("Sending…");
        await BrowserFixture.SendAsync(alice, thread, "Sent while you were offline 1");
        await BrowserFixture.SendAsync(alice, thread, "Sent while you were offline 2");
        await portal.Context.SetOfflineAsync(false);

        await Expect(Log(portal)).ToContainTextAsync("Sent while you were offline 2");
        await Expect(Log(portal)).ToContainTextAsync("Sent while you were offline 1");
        await Expect(Article(portal, "Written while offline").Locator(".status")).Not.ToHaveTextAsync("Sending…");
        var staff = await SignInAsync(DemoData.Alice);
        await staff.GotoAsync($"/#/chat/{thread}");
        await Expect(Log(staff).GetByText("Written while offline")).ToHaveCountAsync(1);
    });

    [Fact]
    public Task StaffSeeWhenThePatientIsOnlineAndTyping() => RunAsync(async () =>
    {
        var (patient, thread, staff) = await OpenNewThreadAsync(22);
        // The portal lists a thread from its first message on.
        await SendAsync(staff, "Any questions before Friday?");
        await Expect(staff.GetByText("Online in the portal")).ToHaveCountAsync(0);
        var portal = await SignInAsync(patient.Email!);
        await Expect(staff.GetByText("Online in the portal")).ToBeVisibleAsync();
        await portal.GetByRole(AriaRole.Link, new() { Name = "Northside Family Dental" }).ClickAsync();

        await Composer(portal).PressSequentiallyAsync("I have a question");

        await Expect(staff.GetByText($"{patient.Name} is typing…")).ToBeVisibleAsync();
    });

    private static ILocator Article(IPage page, string text) =>
        Log(page).GetByRole(AriaRole.Article).Filter(new() { HasText = text }).Last;
}
