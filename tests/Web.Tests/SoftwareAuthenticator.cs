using System.Security.Cryptography;
using Microsoft.AspNetCore.WebUtilities;

namespace ClinicChat.Web.Tests;

/// <summary>
/// A passkey authenticator in the test process, standing in for Face ID at the one true boundary of a WebAuthn ceremony
/// (the device): an ES256 key pair per credential, "none" attestation, user presence and verification always given. It
/// answers the options the server made exactly as a browser's <c>PublicKeyCredential.toJSON()</c> would, so the
/// server's side (Identity's verification included) runs unchanged. Browser tests use Chromium's virtual authenticator.
/// </summary>
public sealed class SoftwareAuthenticator : IDisposable
{
    private const byte UserPresent = 0x01, UserVerified = 0x04, AttestedCredentialData = 0x40;

    private readonly Dictionary<string, (ECDsa Key, byte[] UserHandle)> _credentials = [];
    private uint _signCount;

    public SoftwareAuthenticator(string origin = "http://localhost") => Origin = origin;

    public string Origin { get; }

    /// <summary>Answers creation options (<c>navigator.credentials.create()</c>) with a new credential. Returns the credential JSON.</summary>
    public object Create(JsonElement options)
    {
        var rpId = options.GetProperty("rp").GetProperty("id").GetString()!;
        var userHandle = WebEncoders.Base64UrlDecode(options.GetProperty("user").GetProperty("id").GetString()!);
        var credentialId = RandomNumberGenerator.GetBytes(16);
        var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var id = WebEncoders.Base64UrlEncode(credentialId);
        _credentials[id] = (key, userHandle);

        var clientData = ClientData("webauthn.create", options.GetProperty("challenge").GetString()!);
        var point = key.ExportParameters(includePrivateParameters: false).Q;
        var coseKey = Cbor.Map(
            (Cbor.Int(1), Cbor.Int(2)), (Cbor.Int(3), Cbor.Int(-7)), (Cbor.Int(-1), Cbor.Int(1)), (Cbor.Int(-2), Cbor.Bytes(point.X!)), (Cbor.Int(-3), Cbor.Bytes(point.Y!)));
        byte[] authenticatorData =
        [
            .. SHA256.HashData(Encoding.UTF8.GetBytes(rpId)), UserPresent | UserVerified | AttestedCredentialData, .. BigEndian(_signCount),
            .. new byte[16], (byte)(credentialId.Length >> 8), (byte)credentialId.Length, .. credentialId, .. coseKey,
        ];
        var attestationObject = Cbor.Map(
            (Cbor.Text("fmt"), Cbor.Text("none")), (Cbor.Text("attStmt"), Cbor.Map()), (Cbor.Text("authData"), Cbor.Bytes(authenticatorData)));
        return new
        {
            id,
            rawId = id,
            type = "public-key",
            authenticatorAttachment = "platform",
            response = new { clientDataJSON = WebEncoders.Base64UrlEncode(clientData), attestationObject = WebEncoders.Base64UrlEncode(attestationObject), transports = new[] { "internal" } },
            clientExtensionResults = new { },
        };
    }

    /// <summary>Answers request options (<c>navigator.credentials.get()</c>) with the credential it holds (the first allowed, or <paramref name="credentialId"/>).</summary>
    public object Get(JsonElement options, string? credentialId = null)
    {
        var rpId = options.GetProperty("rpId").GetString()!;
        var id = credentialId ?? _credentials.Keys.First();
        var (key, userHandle) = _credentials[id];
        var clientData = ClientData("webauthn.get", options.GetProperty("challenge").GetString()!);
        byte[] authenticatorData = [.. SHA256.HashData(Encoding.UTF8.GetBytes(rpId)), UserPresent | UserVerified, .. BigEndian(++_signCount)];
        var signature = key.SignData([.. authenticatorData, .. SHA256.HashData(clientData)], HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence);
        return new
        {
            id,
            rawId = id,
            type = "public-key",
            authenticatorAttachment = "platform",
            response = new
            {
                clientDataJSON = WebEncoders.Base64UrlEncode(clientData),
                authenticatorData = WebEncoders.Base64UrlEncode(authenticatorData),
                signature = WebEncoders.Base64UrlEncode(signature),
                userHandle = WebEncoders.Base64UrlEncode(userHandle),
            },
            clientExtensionResults = new { },
        };
    }

    public void Dispose()
    {
        foreach (var (key, _) in _credentials.Values)
        {
            key.Dispose();
        }
    }

    private byte[] ClientData(string type, string challenge) =>
        JsonSerializer.SerializeToUtf8Bytes(new { type, challenge, origin = Origin, crossOrigin = false });

    private static byte[] BigEndian(uint value) => [(byte)(value >> 24), (byte)(value >> 16), (byte)(value >> 8), (byte)value];

    /// <summary>The few CBOR items (RFC 8949) an attestation object needs, in the order CTAP2's canonical form wants them given.</summary>
    private static class Cbor
    {
        public static byte[] Int(long value) => value >= 0 ? Head(0, (ulong)value) : Head(1, (ulong)(-1 - value));

        public static byte[] Bytes(byte[] value) => [.. Head(2, (ulong)value.Length), .. value];

        public static byte[] Text(string value) => [.. Head(3, (ulong)Encoding.UTF8.GetByteCount(value)), .. Encoding.UTF8.GetBytes(value)];

        public static byte[] Map(params (byte[] Key, byte[] Value)[] entries) =>
            [.. Head(5, (ulong)entries.Length), .. entries.SelectMany(e => e.Key.Concat(e.Value))];

        private static byte[] Head(int major, ulong value) => value switch
        {
            < 24 => [(byte)((major << 5) | (int)value)],
            <= byte.MaxValue => [(byte)((major << 5) | 24), (byte)value],
            <= ushort.MaxValue => [(byte)((major << 5) | 25), (byte)(value >> 8), (byte)value],
            _ => throw new ArgumentOutOfRangeException(nameof(value), "Longer items are not needed here."),
        };
    }
}
