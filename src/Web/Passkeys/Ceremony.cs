using System.Text.Json;
using ClinicChat.Web.Identity;
using Microsoft.AspNetCore.Identity;

namespace ClinicChat.Web.Passkeys;

/// <summary>
/// Step two of a WebAuthn ceremony through Identity, with every way it can refuse as one answer (null or a failed
/// result). Identity throws, rather than failing, when no ceremony of that kind is under way in this browser (no
/// options asked for, the five minutes passed, or the options were for the other ceremony): a client error, not a 500.
/// </summary>
internal static class Ceremony
{
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
