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
        page.Dialog += (_, dialog) => _ = dialog.AcceptAsync();
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

        await integrations.GetByRole(AriaRole.Button, new() { Name = $"Revoke {name}" }).ClickAsync();
        await Expect(integrations.GetByRole(AriaRole.Button, new() { Name = $"Revoke {name}" })).ToHaveCountAsync(0);
        // Revoked, it is no longer "registered" with a client id to hand out (found on a walk: that stayed), and the
        // keyboard followed the row to the Revoked list instead of falling to the page.
        await Expect(page.GetByText($"{name} is registered")).ToHaveCountAsync(0);
        await Expect(page.GetByText("Revoked (")).ToBeFocusedAsync();
        await page.GetByText("Revoked (").ClickAsync();
        await Expect(page.GetByRole(AriaRole.List, new() { Name = "Revoked integrations" })).ToContainTextAsync(name);
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
