using System.Text.Json;

namespace ClinicChat.Web.Passkeys;

/// <summary>
/// What <c>navigator.credentials.create()</c> or <c>.get()</c> answered, serialised with <c>PublicKeyCredential.toJSON()</c>
/// (WebAuthn's <c>RegistrationResponseJSON</c> / <c>AuthenticationResponseJSON</c>); Identity verifies it.
/// </summary>
public sealed record PasskeyCredentialRequest(JsonElement? Credential);

/// <summary>A new passkey's attestation and the name its owner gives it ("Work laptop", "My phone").</summary>
public sealed record AddPasskeyRequest(JsonElement? Credential, string? Name);

/// <summary>One of the caller's passkeys. <c>Id</c> is the credential id (base64url), which is how it is removed.</summary>
public sealed record PasskeyDto(string Id, string Name, DateTimeOffset CreatedAt);
