using System.Security.Cryptography;
using System.Text.Json;
using ClinicChat.Access;

namespace ClinicChat.Browser.Tests;

/// <summary>A clinic's Admin registers the clinic's EHR for SMART Backend Services sign-in, is stopped from pasting a private key, and revokes it.</summary>
[Collection(BrowserCollection.Name)]
public sealed class IntegrationsBrowserTests(BrowserFixture fixture, ITestOutputHelper output) : BrowserTest(fixture, output)
{
    [Fact]
    public Task AnAdminRegistersTheEhrWithItsPublicKeyIsRefusedAPrivateKeyAndRevokesIt() => RunAsync(async () =>
    {
        AllowConsoleError("status of 400"); // the refused private key, on purpose
        using var rsa = RSA.Create(2048);
        var page = await SignInAsync(await Fixture.CreateStaffAsync(DemoData.Northside, StaffRole.Admin));
        // Revoke asks in place, as the Staff page does (found on a walk: it asked in the browser's own dialog, which
        // Playwright would dismiss, so the integration would stay and the test fail). Any such dialog is recorded.
        var dialogs = new List<string>();
        page.Dialog += (_, dialog) =>
        {
            dialogs.Add(dialog.Message);
            _ = dialog.DismissAsync();
        };
        var name = $"Chart EHR {Guid.NewGuid().ToString("N")[..6]}";

        await page.GetByRole(AriaRole.Navigation, new() { Name = "Main" }).GetByRole(AriaRole.Link, new() { Name = "Security" }).ClickAsync();
        var form = page.GetByRole(AriaRole.Form, new() { Name = "Register an integration" });
        await form.GetByRole(AriaRole.Textbox, new() { Name = "Name" }).FillAsync(name);
        await form.GetByRole(AriaRole.Group, new() { Name = "It may" }).Locator(".scope-row", new() { HasText = "Appointments" }).GetByRole(AriaRole.Checkbox, new() { Name = "write" }).CheckAsync();
        await form.GetByRole(AriaRole.Textbox, new() { Name = "JWKS (public keys only)" }).FillAsync(Jwks(rsa, includePrivate: true));
        await form.GetByRole(AriaRole.Button, new() { Name = "Register" }).ClickAsync();
        await Expect(form.GetByRole(AriaRole.Alert)).ToContainTextAsync("private key");

        await form.GetByRole(AriaRole.Textbox, new() { Name = "JWKS (public keys only)" }).FillAsync(Jwks(rsa, includePrivate: false));
        await form.GetByRole(AriaRole.Button, new() { Name = "Register" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Status).Filter(new() { HasText = $"{name} is registered" })).ToBeVisibleAsync();
        var integrations = page.GetByRole(AriaRole.List, new() { Name = "Integrations", Exact = true });
        await Expect(integrations.GetByRole(AriaRole.Listitem).Filter(new() { HasText = name })).ToContainTextAsync("may write appointments");

        // Cancel, then Escape, answer no: the integration stays and the keyboard is back on Revoke.
        var revoke = integrations.GetByRole(AriaRole.Button, new() { Name = $"Revoke {name}" });
        var confirm = integrations.GetByRole(AriaRole.Group, new() { Name = $"Confirm: Revoke {name}" });
        await revoke.ClickAsync();
        await Expect(confirm).ToContainTextAsync($"Revoke {name}? It stops at once: its tokens no longer work and it cannot get new ones.");
        await Expect(confirm.GetByRole(AriaRole.Button, new() { Name = "Cancel" })).ToBeFocusedAsync();
        await confirm.GetByRole(AriaRole.Button, new() { Name = "Cancel" }).ClickAsync();
        await Expect(confirm).ToHaveCountAsync(0);
        await Expect(revoke).ToBeFocusedAsync();
        await revoke.PressAsync("Enter");
        await Expect(confirm.GetByRole(AriaRole.Button, new() { Name = "Cancel" })).ToBeFocusedAsync();
        await page.Keyboard.PressAsync("Escape");
        await Expect(confirm).ToHaveCountAsync(0);
        await Expect(revoke).ToBeFocusedAsync();

        // While the revocation is on its way (held here, as a slow network would hold it) the button is back with the
        // keyboard on it, busy: a second press asks nothing and sends nothing (found on a walk: it stood ready, and the
        // keyboard had fallen to the page).
        var revocations = 0;
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await page.RouteAsync("**/api/v1/clinics/*/integrations/*", async route =>
        {
            if (route.Request.Method == "DELETE")
            {
                Interlocked.Increment(ref revocations);
                await release.Task;
            }

            await route.ContinueAsync();
        });
        await revoke.ClickAsync();
        await confirm.GetByRole(AriaRole.Button, new() { Name = "Yes, revoke" }).ClickAsync();
        try
        {
            await Expect(revoke).ToBeFocusedAsync();
            await Expect(revoke).ToHaveAttributeAsync("aria-disabled", "true");
            await revoke.PressAsync("Enter");
            await Expect(confirm).ToHaveCountAsync(0);
            Assert.Equal(1, Volatile.Read(ref revocations));
        }
        finally
        {
            release.TrySetResult();
        }

        await Expect(revoke).ToHaveCountAsync(0);
        // Revoked, it is no longer "registered" with a client id to hand out (found on a walk: that stayed), and the
        // keyboard followed the row to the Revoked list instead of falling to the page.
        await Expect(page.GetByText($"{name} is registered")).ToHaveCountAsync(0);
        await Expect(page.GetByText("Revoked (")).ToBeFocusedAsync();
        await page.GetByText("Revoked (").ClickAsync();
        await Expect(page.GetByRole(AriaRole.List, new() { Name = "Revoked integrations" })).ToContainTextAsync(name);
        Assert.Empty(dialogs);
    });

    /// <summary>
    /// A clinic's first integration: "… is registered" showed a moment above "No integration is registered", until the
    /// list came back (found on a walk). The list's answer is held here, as a slow network would hold it, so that the
    /// moment lasts until the test has looked; the message comes with the list that holds the integration.
    /// </summary>
    [Fact]
    public Task AClinicsFirstIntegrationIsAnnouncedTogetherWithTheListThatHoldsIt() => RunAsync(async () =>
    {
        using var rsa = RSA.Create(2048);
        // Lakeview: no other test registers an integration there, so it starts with none.
        var page = await SignInAsync(await Fixture.CreateStaffAsync(DemoData.Lakeview, StaffRole.Admin));
        var name = $"Lake EHR {Guid.NewGuid().ToString("N")[..6]}";
        await page.GetByRole(AriaRole.Navigation, new() { Name = "Main" }).GetByRole(AriaRole.Link, new() { Name = "Security" }).ClickAsync();
        var none = page.GetByText("No integration is registered.");
        await Expect(none).ToBeVisibleAsync();

        var held = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await page.RouteAsync($"**/api/v1/clinics/{DemoData.Lakeview}/integrations", async route =>
        {
            if (route.Request.Method == "GET")
            {
                held.TrySetResult();
                await release.Task;
            }

            await route.ContinueAsync();
        });
        try
        {
            var form = page.GetByRole(AriaRole.Form, new() { Name = "Register an integration" });
            await form.GetByRole(AriaRole.Textbox, new() { Name = "Name" }).FillAsync(name);
            await form.GetByRole(AriaRole.Group, new() { Name = "It may" }).Locator(".scope-row", new() { HasText = "Appointments" }).GetByRole(AriaRole.Checkbox, new() { Name = "write" }).CheckAsync();
            await form.GetByRole(AriaRole.Textbox, new() { Name = "JWKS (public keys only)" }).FillAsync(Jwks(rsa, includePrivate: false));
            await form.GetByRole(AriaRole.Button, new() { Name = "Register" }).ClickAsync();

            // Registered, and the list asked for again: until it comes, the page shows the list it has, and no message
            // that contradicts it.
            await held.Task.WaitAsync(TimeSpan.FromSeconds(10));
            await Expect(none).ToBeVisibleAsync();
            await Expect(page.GetByText($"{name} is registered")).ToHaveCountAsync(0);
        }
        finally
        {
            release.TrySetResult();
        }

        await Expect(page.GetByRole(AriaRole.Status).Filter(new() { HasText = $"{name} is registered" })).ToBeVisibleAsync();
        await Expect(page.GetByRole(AriaRole.List, new() { Name = "Integrations", Exact = true }).GetByRole(AriaRole.Listitem).Filter(new() { HasText = name })).ToBeVisibleAsync();
        await Expect(none).ToHaveCountAsync(0);
    });

    private static string Jwks(RSA rsa, bool includePrivate)
    {
        static string B64(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        var p = rsa.ExportParameters(includePrivate);
        var key = new Dictionary<string, string> { ["kty"] = "RSA", ["kid"] = "ehr-1", ["n"] = B64(p.Modulus!), ["e"] = B64(p.Exponent!) };
        if (includePrivate)
        {
            key["d"] = B64(p.D!);
        }

        return JsonSerializer.Serialize(new { keys = new[] { key } });
    }
}
