using System.Buffers.Binary;
using System.Text;

namespace ClinicChat.Attachments;

/// <summary>
/// The chunk types of PNG and WebP (RIFF) files, read from their length-prefixed headers only:
/// seeking past each chunk's data, so a file of any size costs a few reads. A length that runs past
/// the end stops the walk (the decoder will refuse such a file anyway).
/// </summary>
public static class ContainerChunks
{
    public static IEnumerable<string> Png(string path)
    {
        using var file = File.OpenRead(path);
        file.Position = 8; // signature
        Span<byte> header = stackalloc byte[8];
        var types = new List<string>();
        while (file.ReadAtLeast(header, 8, throwOnEndOfStream: false) == 8)
        {
            var length = BinaryPrimitives.ReadUInt32BigEndian(header);
            types.Add(Encoding.ASCII.GetString(header[4..]));
            var next = file.Position + length + 4; // data and CRC
            if (next > file.Length)
            {
                break;
            }

            file.Position = next;
        }

        return types;
    }

    public static IEnumerable<string> WebP(string path)
    {
        using var file = File.OpenRead(path);
        file.Position = 12; // "RIFF", size, "WEBP"
        Span<byte> header = stackalloc byte[8];
        var types = new List<string>();
        while (file.ReadAtLeast(header, 8, throwOnEndOfStream: false) == 8)
        {
            var length = BinaryPrimitives.ReadUInt32LittleEndian(header[4..]);
            types.Add(Encoding.ASCII.GetString(header[..4]));
            var next = file.Position + length + (length & 1); // chunks are padded to even sizes
            if (next > file.Length)
            {
                break;
            }

            file.Position = next;
        }

        return types;
    }
}
