using System.Security.Cryptography;

namespace ClinicChat.Conversations;

/// <summary>
/// A clinic has exactly one thread with each patient. Deriving the conversation id from the pair
/// makes "open the thread with this patient" idempotent without a lookup table or a registry grain.
/// </summary>
public static class ConversationId
{
    public static Guid For(Guid clinicId, Guid patientId)
    {
        Span<byte> input = stackalloc byte[32];
        clinicId.TryWriteBytes(input[..16]);
        patientId.TryWriteBytes(input[16..]);
        Span<byte> hash = stackalloc byte[32];
        SHA256.HashData(input, hash);
        var bytes = hash[..16];
        // Mark it as a version-8 (custom) RFC 9562 UUID so it never collides with random v4 ids.
        // The bytes are in RFC (big-endian) order, so the Guid must be built big-endian too.
        bytes[6] = (byte)((bytes[6] & 0x0F) | 0x80);
        bytes[8] = (byte)((bytes[8] & 0x3F) | 0x80);
        return new Guid(bytes, bigEndian: true);
    }
}
