using System.Text.Json;
using Microsoft.AspNetCore.Identity;

namespace ClinicChat.Web.Passkeys;

/// <summary>
/// Step two of a WebAuthn ceremony through Identity, with every way it can refuse as one answer (null or a failed
/// result). Identity throws, rather than failing, when no ceremony of that kind is under way in this browser (no
/// options asked for, the five minutes passed, or the options were for the other ceremony): a client error, not a 500.
/// </summary>
internal static class Ceremony
{
    /// <summary>A browser's answer is a few kilobytes; anything far larger is not one.</summary>
    private const int MaxCredentialLength = 64 * 1024;

    /// <summary>The browser's answer (<c>PublicKeyCredential.toJSON()</c>) as Identity takes it; null when it is not a JSON object of sane size.</summary>
    public static string? CredentialJson(JsonElement? credential) =>
        credential is { ValueKind: JsonValueKind.Object } value && value.GetRawText() is { Length: <= MaxCredentialLength } text ? text : null;

    /// <summary>Identity's options (JSON text) as the JSON object the browser's <c>parse…OptionsFromJSON</c> takes.</summary>
    public static JsonElement Json(string json)
    {
        using var document = JsonDocument.Parse(json);
        return document.RootElement.Clone();
    }

    public static async Task<PasskeyAttestationResult?> AttestAsync(SignInManager<ClinicChatUser> signIn, string credentialJson)
    {
        try
        {
            return await signIn.PerformPasskeyAttestationAsync(credentialJson);
        }
        catch (Exception e) when (e is InvalidOperationException or PasskeyException or JsonException or FormatException)
        {
            return null;
        }
    }

    public static async Task<PasskeyAssertionResult<ClinicChatUser>?> AssertAsync(SignInManager<ClinicChatUser> signIn, string credentialJson)
    {
        try
        {
            return await signIn.PerformPasskeyAssertionAsync(credentialJson);
        }
        catch (Exception e) when (e is InvalidOperationException or PasskeyException or JsonException or FormatException)
        {
            return null;
        }
    }
}
