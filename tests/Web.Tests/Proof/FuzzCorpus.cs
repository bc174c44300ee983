using System.Text.Json.Nodes;

namespace ClinicChat.Web.Tests.Proof;

/// <summary>One hostile request: a name for the report, a path or query value it replaces (raw, URL-encoded), and its body.</summary>
public sealed record FuzzCell(string Name, (string Name, string Raw)? Replaced, Func<HttpContent?> Body);

/// <summary>
/// Malformed and hostile inputs, derived for each operation from its OpenAPI description and its
/// matrix entry's valid body: every path and query parameter gets garbage, every body property
/// gets wrong types, huge and hostile values, and the body as a whole is broken in every way a
/// parser can be surprised. Deterministic: the only random bytes come from a fixed seed.
/// </summary>
public static class FuzzCorpus
{
    public const int Seed = 20261125;

    private const int Deep = 10_000;
    private const string Boundary = "proof-boundary";

    /// <summary>A name no stored file may ever have: finding it anywhere means a client chose a path.</summary>
    public const string TraversalMarker = "proof-traversal";

    private static readonly string HugeString = new('a', 1024 * 1024);

    // No %00 in paths: the test server refuses to send it (Kestrel answers 400 before routing).
    private static readonly (string Name, string Raw)[] PathValues =
    [
        ("not a guid", "not-a-guid"),
        ("empty guid", Guid.Empty.ToString()),
        ("traversal", "..%2F..%2F..%2Fetc%2Fpasswd"),
        ("dot-dot", "%2e%2e"),
        ("SQL", Uri.EscapeDataString("1'; DROP TABLE messages; --")),
        ("script", Uri.EscapeDataString("<script>alert(1)</script>")),
        ("invalid UTF-8", "%FF%FE%C0%AF"),
        ("5,000 digits", new string('9', 5000)),
        ("negative", "-1"),
    ];

    private static readonly (string Name, string Raw)[] QueryValues =
    [
        ("empty", string.Empty),
        ("negative", "-1"),
        ("zero", "0"),
        ("long min", "-9223372036854775808"),
        ("long max", "9223372036854775807"),
        ("long overflow", "9223372036854775808"),
        ("40 digits", new string('9', 40)),
        ("1e309", "1e309"),
        ("fraction", "1.5"),
        ("NaN", "NaN"),
        ("boolean", "true"),
        ("not a guid", "not-a-guid"),
        ("bad date", "9999-99-99T99:99:99Z"),
        ("min date", Uri.EscapeDataString("0001-01-01T00:00:00+14:00")),
        ("max date", Uri.EscapeDataString("9999-12-31T23:59:59-14:00")),
        ("NUL", "%00"),
        ("invalid UTF-8", "%FF%FE%C0%AF"),
        ("bad escape", "%zz%"),
        ("control characters", Uri.EscapeDataString("\u0001\u0007\u001b[31m\r\n\u202e")),
        ("script", Uri.EscapeDataString("<script>alert(1)</script>")),
        ("SQL", Uri.EscapeDataString("' OR '1'='1'; DROP TABLE audit_log; --")),
        ("LIKE wildcards", Uri.EscapeDataString("%_%\\")),
        ("10,000 characters", new string('a', 10_000)),
    ];

    /// <summary>Values put in place of each property of a JSON body, as raw JSON.</summary>
    private static readonly (string Name, string Json)[] PropertyValues =
    [
        ("number", "123"),
        ("negative", "-1"),
        ("fraction", "1.5"),
        ("long min", "-9223372036854775808"),
        ("long overflow", "9223372036854775808"),
        ("1e309", "1e309"),
        ("negative zero", "-0"),
        // false, not true: an accepted true would switch something on (a clinic's two-step requirement) for the rest of the run.
        ("boolean", "false"),
        ("string", "\"text\""),
        ("empty string", "\"\""),
        ("null", "null"),
        ("empty array", "[]"),
        ("array", "[1, \"two\", null]"),
        ("object", "{\"a\": 1}"),
        ("1 MB string", $"\"{HugeString}\""),
        ("control characters", "\"\\u0000\\u0007\\u001b[31m\\r\\n\\u202e\""),
        ("lone surrogate", "\"\\ud800\""),
        ("script", "\"<script>alert(1)</script><img src=x onerror=alert(1)>\""),
        ("SQL", "\"'; DROP TABLE messages; --\""),
        ("traversal", "\"../../../../etc/passwd\""),
        ("10,000 nested arrays", new string('[', Deep) + new string(']', Deep)),
        ("10,000-element array", "[" + string.Join(',', Enumerable.Repeat($"\"{Guid.Empty}\"", 10_000)) + "]"),
    ];

    public static async IAsyncEnumerable<FuzzCell> For(ApiOperation operation, Func<HttpContent?> validBody)
    {
        foreach (var parameter in operation.PathParameters)
        {
            foreach (var (name, raw) in PathValues)
            {
                yield return new FuzzCell($"path {parameter.Name} = {name}", (parameter.Name, raw), validBody);
            }
        }

        foreach (var parameter in operation.QueryParameters)
        {
            foreach (var (name, raw) in QueryValues)
            {
                yield return new FuzzCell($"query {parameter.Name} = {name}", (parameter.Name, raw), validBody);
            }

            yield return new FuzzCell($"query {parameter.Name} twice", (parameter.Name, $"1&{parameter.Name}=2"), validBody);
        }

        using var sample = validBody();
        var cells = sample switch
        {
            null => UnexpectedBodies(),
            MultipartFormDataContent => MultipartBodies(),
            _ => JsonBodies(await sample.ReadAsStringAsync(), sample.Headers.ContentType?.MediaType ?? "application/json", operation.BodyProperties),
        };
        foreach (var cell in cells)
        {
            yield return cell;
        }
    }

    /// <summary>Bodies sent to endpoints that take none.</summary>
    private static IEnumerable<FuzzCell> UnexpectedBodies()
    {
        yield return Body("random bytes as JSON", RandomBytes(2048), "application/json");
        yield return Body("10,000 nested arrays", Encoding.UTF8.GetBytes(new string('[', Deep) + new string(']', Deep)), "application/json");
        yield return Body("1 MB of text", Encoding.UTF8.GetBytes(HugeString), "text/plain");
    }

    private static IEnumerable<FuzzCell> JsonBodies(string valid, string mediaType, IReadOnlyList<ApiProperty> documented)
    {
        var utf8 = Encoding.UTF8.GetBytes(valid);
        var properties = JsonNode.Parse(valid)!.AsObject().Select(p => (p.Key, Json: p.Value?.ToJsonString() ?? "null")).ToList();
        var names = properties.Select(p => p.Key).Union(documented.Select(p => p.Name)).ToList();

        yield return Body("empty body", [], mediaType);
        yield return Json("null", "null", mediaType);
        yield return Json("array", "[]", mediaType);
        yield return Json("string", "\"text\"", mediaType);
        yield return Json("number", "42", mediaType);
        yield return Json("empty object", "{}", mediaType);
        yield return Json("unterminated", "{", mediaType);
        yield return Json("truncated", valid[..(valid.Length / 2)], mediaType);
        yield return Json("trailing garbage", valid + "}}}", mediaType);
        yield return Json("comment", "/* hi */" + valid, mediaType);
        yield return Json("10,000 nested arrays", new string('[', Deep) + new string(']', Deep), mediaType);
        yield return Json("10,000 nested objects", string.Concat(Enumerable.Repeat("{\"a\":", Deep)) + "1" + new string('}', Deep), mediaType);
        yield return Json("unexpected properties", Compose(properties.Append(("__proto__", "{\"isAdmin\": true}")).Append(("senderId", "\"someone-else\"")).Append(("clinicId", $"\"{Guid.Empty}\""))), mediaType);
        yield return Body("byte order mark", [0xEF, 0xBB, 0xBF, .. utf8], mediaType);
        yield return Body("invalid UTF-8", [.. Encoding.UTF8.GetBytes("{\"" + (names.FirstOrDefault() ?? "a") + "\": \""), 0xFF, 0xFE, 0xC0, 0xAF, 0xED, 0xA0, 0x80, .. "\"}"u8.ToArray()], mediaType);
        yield return Body("NUL bytes", new byte[64], mediaType);
        yield return Body("random bytes", RandomBytes(4096), mediaType);

        foreach (var name in names)
        {
            foreach (var (valueName, json) in PropertyValues)
            {
                var replaced = properties.Where(p => p.Key != name).Append((name, json));
                yield return Json($"{name} = {valueName}", Compose(replaced), mediaType);
            }

            yield return Json($"{name} twice", Compose(properties.Append((name, "\"<script>alert(1)</script>\""))), mediaType);
        }

        foreach (var contentType in new[] { "text/plain", "application/xml", "application/x-www-form-urlencoded", "multipart/form-data", $"{mediaType}; charset=utf-16", $"{mediaType}; charset=bogus", string.Empty })
        {
            yield return Body($"content type '{contentType}'", utf8, contentType);
        }
    }

    /// <summary>Uploads: broken multipart framing, hostile file names, content that lies about its type.</summary>
    private static IEnumerable<FuzzCell> MultipartBodies()
    {
        var png = SampleFiles.For(".png");
        var type = $"multipart/form-data; boundary={Boundary}";

        yield return Body("truncated multipart", Encoding.UTF8.GetBytes($"--{Boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.txt\"\r\n\r\nhello"), type);
        yield return Body("garbage with a boundary", RandomBytes(2048), type);
        yield return Body("only a boundary line", Encoding.UTF8.GetBytes($"--{Boundary}\r\n"), type);
        yield return Body("empty multipart", [], type);
        yield return Body("closing boundary only", Encoding.UTF8.GetBytes($"--{Boundary}--\r\n"), type);
        yield return Body("20 KB part header", Part("a.txt", "hello"u8.ToArray(), extraHeaders: $"X-Long: {new string('a', 20_000)}\r\n"), type);
        yield return Body("200 part headers", Part("a.txt", "hello"u8.ToArray(), extraHeaders: string.Concat(Enumerable.Range(0, 200).Select(i => $"X-{i}: b\r\n"))), type);
        yield return Body("boundary of 200 characters", Encoding.UTF8.GetBytes("--x\r\n"), $"multipart/form-data; boundary={new string('b', 200)}");
        yield return Body("no boundary", Part("a.txt", "hello"u8.ToArray()), "multipart/form-data");
        yield return Body("form field only", Encoding.UTF8.GetBytes($"--{Boundary}\r\nContent-Disposition: form-data; name=\"text\"\r\n\r\nhello\r\n--{Boundary}--\r\n"), type);
        yield return Body("two files", [.. Part("a.txt", "one"u8.ToArray(), close: false), .. Part("b.txt", "two"u8.ToArray())], type);
        yield return Body("empty file", Part("a.txt", []), type);
        yield return Body("JSON instead of multipart", "{\"file\": \"a\"}"u8.ToArray(), "application/json");
        yield return Body("multipart/mixed", Part("a.txt", "hello"u8.ToArray()), $"multipart/mixed; boundary={Boundary}");

        foreach (var name in new[]
        {
            $"../../../{TraversalMarker}.png", $"..\\..\\..\\{TraversalMarker}.png", $"/tmp/{TraversalMarker}.png", $"C:\\Windows\\{TraversalMarker}.png",
            $"%2e%2e%2f%2e%2e%2f{TraversalMarker}.png", $"{TraversalMarker}\u0000.png.exe", "\u202egnp.exe.png", "CON.png", ".png", string.Empty,
            "<script>alert(1)</script>.png", "'; DROP TABLE attachments; --.png", new string('n', 10_000) + ".png", "\r\nContent-Type: text/html\r\n.png",
        })
        {
            yield return Body($"file name '{Printable(name)}'", Part(name, png), type);
        }

        yield return Body("file name in invalid UTF-8", [.. Encoding.UTF8.GetBytes($"--{Boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\""), 0xFF, 0xFE, .. Encoding.UTF8.GetBytes($".png\"\r\n\r\n"), .. png, .. Encoding.UTF8.GetBytes($"\r\n--{Boundary}--\r\n")], type);
        yield return Body("malformed filename*", Encoding.UTF8.GetBytes($"--{Boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename*=UTF-8''%FF%FE%zz.png\r\n\r\nhello\r\n--{Boundary}--\r\n"), type);
        yield return Body("HTML named .png", Part("x.png", "<html><script>alert(1)</script></html>"u8.ToArray()), type);
        yield return Body("SVG with script", Part("x.svg", "<svg xmlns=\"http://www.w3.org/2000/svg\"><script>alert(1)</script></svg>"u8.ToArray()), type);
        yield return Body("executable", Part("x.exe", [(byte)'M', (byte)'Z', .. RandomBytes(512)]), type);
        yield return Body("PNG named .pdf", Part("x.pdf", png), type);
        yield return Body("truncated PNG", Part("x.png", png[..Math.Min(40, png.Length)]), type);
        yield return Body("PNG claiming 100,000 × 100,000 pixels", Part("flood.png", PixelFlood()), type);
        yield return Body("random bytes named .jpg", Part("x.jpg", [0xFF, 0xD8, 0xFF, .. RandomBytes(4096)]), type);
    }

    private static FuzzCell Json(string name, string json, string mediaType) => Body(name, Encoding.UTF8.GetBytes(json), mediaType);

    private static FuzzCell Body(string name, byte[] bytes, string contentType) => new(name, null, () =>
    {
        var content = new ByteArrayContent(bytes);
        if (contentType.Length > 0)
        {
            content.Headers.TryAddWithoutValidation("Content-Type", contentType);
        }

        return content;
    });

    private static string Compose(IEnumerable<(string Key, string Json)> properties) =>
        "{" + string.Join(", ", properties.Select(p => $"\"{p.Key}\": {p.Json}")) + "}";

    private static byte[] Part(string fileName, byte[] content, string extraHeaders = "", bool close = true) =>
    [
        .. Encoding.UTF8.GetBytes($"--{Boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{fileName}\"\r\n{extraHeaders}Content-Type: application/octet-stream\r\n\r\n"),
        .. content,
        .. Encoding.UTF8.GetBytes(close ? $"\r\n--{Boundary}--\r\n" : "\r\n"),
    ];

    /// <summary>A valid PNG signature and header declaring a 100,000 × 100,000 RGBA image (40 GB decoded), with almost no data.</summary>
    public static byte[] PixelFlood()
    {
        var png = SampleFiles.For(".png");
        var flood = (byte[])png.Clone();
        // IHDR's width and height follow the 8-byte signature, the chunk length and the type.
        BigEndian(flood, 16, 100_000);
        BigEndian(flood, 20, 100_000);
        // With a correct checksum the decoder believes the header and gets as far as allocating.
        BigEndian(flood, 29, (int)Crc32(flood.AsSpan(12, 17)));
        return flood;
    }

    /// <summary>The CRC-32 that PNG chunks carry (ISO 3309).</summary>
    private static uint Crc32(ReadOnlySpan<byte> data)
    {
        var crc = 0xFFFFFFFFu;
        foreach (var b in data)
        {
            crc ^= b;
            for (var bit = 0; bit < 8; bit++)
            {
                crc = (crc & 1) != 0 ? (crc >> 1) ^ 0xEDB88320u : crc >> 1;
            }
        }

        return ~crc;
    }

    private static void BigEndian(byte[] bytes, int offset, int value)
    {
        bytes[offset] = (byte)(value >> 24);
        bytes[offset + 1] = (byte)(value >> 16);
        bytes[offset + 2] = (byte)(value >> 8);
        bytes[offset + 3] = (byte)value;
    }

    private static byte[] RandomBytes(int count)
    {
        var bytes = new byte[count];
        new Random(Seed + count).NextBytes(bytes);
        return bytes;
    }

    private static string Printable(string value) =>
        new string(value.Take(40).Select(c => char.IsControl(c) ? '·' : c).ToArray()) + (value.Length > 40 ? "…" : string.Empty);
}
