using ClinicChat.Web.Seeding;
using Microsoft.Playwright;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace ClinicChat.Browser.Tests;

[Collection(BrowserCollection.Name)]
public sealed class AuditLogBrowserTests(BrowserFixture fixture, ITestOutputHelper output) : BrowserTest(fixture, output)
{
    [Fact]
    public Task AnAdminOnlyUserLandsOnTheAuditLogFiltersItAndVerifiesTheChain() => RunAsync(async () =>
    {
        var olga = await SignInAsync(DemoData.Olga);

        await Expect(olga.GetByRole(AriaRole.Heading, new() { Name = "Audit log" })).ToBeVisibleAsync();
        await Expect(olga.GetByRole(AriaRole.Navigation, new() { Name = "Main" }).GetByRole(AriaRole.Link, new() { Name = "Chat" })).ToHaveCountAsync(0);
        var table = olga.GetByRole(AriaRole.Table, new() { Name = "Audit events, newest first" });
        await Expect(table.GetByRole(AriaRole.Columnheader, new() { Name = "Action" })).ToBeVisibleAsync();

        await olga.GetByRole(AriaRole.Combobox, new() { Name = "Action" }).SelectOptionAsync("signin");
        await olga.GetByRole(AriaRole.Button, new() { Name = "Apply filters" }).ClickAsync();
        await Expect(table.GetByRole(AriaRole.Cell, new() { Name = "signin", Exact = true }).First).ToBeVisibleAsync();
        await Expect(olga.GetByRole(AriaRole.Link, new() { Name = "Export CSV" })).ToHaveAttributeAsync("href", new System.Text.RegularExpressions.Regex("/audit/export\\?format=csv"));
        await Expect(olga.GetByRole(AriaRole.Link, new() { Name = "Export FHIR NDJSON" })).ToHaveAttributeAsync("href", new System.Text.RegularExpressions.Regex("format=ndjson"));

        await olga.GetByRole(AriaRole.Button, new() { Name = "Verify chain" }).ClickAsync();
        await Expect(olga.GetByRole(AriaRole.Status)).ToContainTextAsync("Chain intact:");
    });

    [Fact]
    public Task ACliniciansAppShowsNoAuditLog() => RunAsync(async () =>
    {
        var alice = await SignInAsync(DemoData.Alice);

        await Expect(alice.GetByRole(AriaRole.Link, new() { Name = "Chat" })).ToBeVisibleAsync();
        await Expect(alice.GetByRole(AriaRole.Link, new() { Name = "Audit log" })).ToHaveCountAsync(0);
    });
}
