using System.Net.Http.Json;
using System.Text.RegularExpressions;
using ClinicChat.Web.Seeding;
using Microsoft.Playwright;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace ClinicChat.Browser.Tests;

/// <summary>A front desk works as a team (issue 22): what waits for the clinic's answer, seen alike in every staff tab.</summary>
[Collection(BrowserCollection.Name)]
public sealed partial class TeamBrowserTests(BrowserFixture fixture, ITestOutputHelper output) : BrowserTest(fixture, output)
{
    /// <summary>Alice and Frank in two windows: the patient's message waits for both; Frank's answer clears it for Alice too, live.</summary>
    [Fact]
    public Task APatientsMessageNeedsAReplyInEveryStaffTabUntilAColleagueAnswers() => RunAsync(async () =>
    {
        var (patient, thread, alice) = await OpenNewThreadAsync(176);
        await alice.GotoAsync("/#/chat");
        var frank = await SignInAsync(DemoData.Frank);
        var row = ThreadItem(alice, patient.Name);
        await Expect(row).ToBeVisibleAsync();
        await Expect(row.GetByText("Needs reply", new() { Exact = true })).ToHaveCountAsync(0);
        var waitingBefore = await WaitingAsync(alice);

        using var portal = await Fixture.ApiAsync(patient.Email!);
        (await portal.PostAsJsonAsync($"/api/v1/conversations/{thread}/messages",
            new { clientMessageId = Guid.NewGuid().ToString("N"), text = "Can I come on Thursday?" })).EnsureSuccessStatusCode();

        await Expect(row.GetByText("Needs reply", new() { Exact = true })).ToBeVisibleAsync();
        await Expect(NeedsReplyTab(alice)).ToHaveAccessibleNameAsync($"Needs reply {waitingBefore + 1} waiting");
        await alice.GetByRole(AriaRole.Tab, new() { Name = "Needs reply" }).ClickAsync();
        await Expect(row).ToBeVisibleAsync();

        await frank.GotoAsync($"/#/chat/{thread}");
        await SendAsync(frank, "Thursday at 3 pm works.");

        // Answered by a colleague: gone from Alice's "Needs reply" list, and the count is back.
        await Expect(row).ToHaveCountAsync(0);
        await Expect(NeedsReplyTab(alice)).ToHaveAccessibleNameAsync(waitingBefore == 0 ? "Needs reply" : $"Needs reply {waitingBefore} waiting");
        await alice.GetByRole(AriaRole.Tab, new() { Name = "Inbox" }).ClickAsync();
        await Expect(row.GetByText("Thursday at 3 pm works.")).ToBeVisibleAsync();
        await Expect(row.GetByText("Needs reply", new() { Exact = true })).ToHaveCountAsync(0);
    });

    private static ILocator NeedsReplyTab(IPage page) => page.GetByRole(AriaRole.Tab, new() { NameRegex = NeedsReplyName() });

    /// <summary>The tab's count as the sidebar says it now (none shown: 0).</summary>
    private static async Task<int> WaitingAsync(IPage page)
    {
        var tab = NeedsReplyTab(page);
        await Expect(tab).ToBeVisibleAsync();
        var digits = Regex.Match(await tab.InnerTextAsync(), "[0-9]+");
        return digits.Success ? int.Parse(digits.Value, System.Globalization.CultureInfo.InvariantCulture) : 0;
    }

    [GeneratedRegex("^Needs reply")]
    private static partial Regex NeedsReplyName();
}
