using System.Reflection;

namespace ClinicChat.Web.Tests.Proof;

/// <summary>
/// One WebSocket message for the hub. <c>Handshake</c>: sent after a valid handshake; <c>Stalls</c>: see <see cref="HubCorpus"/>;
/// <c>Valid</c>: every argument is a value of its parameter's type (a seq of 123), which a command may act on and store.
/// </summary>
public sealed record HubFrame(string Name, byte[] Bytes, bool Handshake = true, bool Stalls = false, bool Valid = false);

/// <summary>
/// Frames a well-behaved SignalR client never sends: for every method of <see cref="ChatHub"/>
/// (found by reflection, so a new method is fuzzed too) wrong, hostile and missing arguments, and
/// for the protocol itself broken framing, unknown targets and message types, oversize and deep
/// messages and bad handshakes. <c>Stalls</c>: SignalR (10.0) skips a message of an unknown type,
/// and with a maximum message size set the connection then reads nothing more from that client;
/// only the sender's own connection stops, so no probe is sent after those.
/// </summary>
public static class HubCorpus
{
    public const char RecordSeparator = '\u001e';

    /// <summary>The methods a client may invoke: public, declared on the hub, not the connection lifecycle overrides.</summary>
    public static IReadOnlyList<MethodInfo> Methods { get; } = typeof(ChatHub)
        .GetMethods(BindingFlags.Public | BindingFlags.Instance | BindingFlags.DeclaredOnly)
        .Where(m => !m.IsSpecialName && m.GetBaseDefinition().DeclaringType == typeof(ChatHub))
        .ToList();

    private static readonly (string Name, string Json)[] HostileArguments =
    [
        ("not a guid", "\"not-a-guid\""), ("number", "123"), ("negative", "-1"), ("1e309", "1e309"), ("null", "null"), ("object", "{\"a\":1}"),
        ("array", "[1]"), ("boolean", "true"), ("3 KB string", $"\"{new string('a', 3000)}\""), ("control characters", "\"\\u0000\\u001b[31m\""),
        ("script", "\"<script>alert(1)</script>\""), ("SQL", "\"'; DROP TABLE messages; --\""), ("lone surrogate", "\"\\ud800\""),
        ("1,000 nested arrays", new string('[', 1000) + new string(']', 1000)),
    ];

    /// <summary>An invocation the server answers with a completion: sent after each frame to know it has been dealt with.</summary>
    public static string Probe => Invocation(Methods[0].Name, ValidArguments(Methods[0], Guid.Empty), "probe");

    public static IEnumerable<HubFrame> Frames(Guid own, Guid otherClinic)
    {
        foreach (var method in Methods)
        {
            var name = method.Name;
            var valid = ValidArguments(method, own);
            yield return Frame($"{name} with valid arguments", Invocation(name, valid)) with { Valid = true };
            for (var i = 0; i < valid.Count; i++)
            {
                var position = i;
                string[] With(string json) => valid.Select((v, j) => j == position ? json : v).ToArray();
                if (method.GetParameters()[i].ParameterType == typeof(Guid))
                {
                    yield return Frame($"{name}: another clinic's id", Invocation(name, With($"\"{otherClinic}\"")));
                    yield return Frame($"{name}: an unknown id", Invocation(name, With($"\"{Guid.NewGuid()}\"")));
                    yield return Frame($"{name}: the empty id", Invocation(name, With($"\"{Guid.Empty}\"")));
                }

                foreach (var (hostile, json) in HostileArguments)
                {
                    yield return Frame($"{name}: argument {i} {hostile}", Invocation(name, With(json))) with { Valid = IsValueOf(method.GetParameters()[i].ParameterType, json) };
                }
            }

            yield return Frame($"{name} without arguments", Invocation(name, []));
            yield return Frame($"{name} with an argument too many", Invocation(name, [.. valid, "\"extra\""]));
            yield return Frame($"{name} as a stream invocation", Invocation(name, valid).Replace("\"type\":1", "\"type\":4", StringComparison.Ordinal));
            yield return Frame($"{name} with stream ids", Invocation(name, valid, extra: ",\"streamIds\":[\"s1\",\"s2\"]"));
            yield return Frame($"{name} with headers", Invocation(name, valid, extra: ",\"headers\":{\"a\":\"b\",\"Cookie\":\"x\"}"));
            yield return Frame($"{name} with a 3,000-character invocation id", Invocation(name, valid, new string('i', 3000)));
            yield return Frame($"{name} with a numeric invocation id", Invocation(name, valid).Replace("\"invocationId\":\"1\"", "\"invocationId\":1", StringComparison.Ordinal));
            yield return Frame($"{name} with type twice", Invocation(name, valid).Replace("\"type\":1", "\"type\":1,\"type\":4", StringComparison.Ordinal));
            yield return Frame($"{name} with type as a string", Invocation(name, valid).Replace("\"type\":1", "\"type\":\"1\"", StringComparison.Ordinal));
        }

        var some = Invocation(Methods[0].Name, ValidArguments(Methods[0], own));
        foreach (var target in new[] { "DropTables", "OnConnectedAsync", "OnDisconnectedAsync", "TopicsFor", "Dispose", "Subscribed", string.Empty })
        {
            yield return Frame($"target '{target}'", Invocation(target, []));
        }

        yield return Frame("target a number", "{\"type\":1,\"invocationId\":\"1\",\"target\":123,\"arguments\":[]}");
        yield return Frame("no target", "{\"type\":1,\"invocationId\":\"1\",\"arguments\":[]}");
        yield return Frame("no type", some.Replace("\"type\":1,", string.Empty, StringComparison.Ordinal));
        yield return Frame("type 99", "{\"type\":99}", stalls: true);
        yield return Frame("type -1", "{\"type\":-1}", stalls: true);
        yield return Frame("stream item for nothing", "{\"type\":2,\"invocationId\":\"nothing\",\"item\":1}");
        yield return Frame("unsolicited completion", "{\"type\":3,\"invocationId\":\"nothing\",\"result\":1}");
        yield return Frame("cancel nothing", "{\"type\":5,\"invocationId\":\"nothing\"}");
        yield return Frame("ping", "{\"type\":6}");
        yield return Frame("close from the client", "{\"type\":7,\"error\":\"bye\"}");
        yield return Frame("unterminated JSON", "{\"type\":1,");
        yield return Frame("array", "[]");
        yield return Frame("null", "null");
        yield return Frame("string", "\"x\"");
        yield return Frame("10,000 nested arrays (over the size limit)", new string('[', 10_000) + new string(']', 10_000));
        yield return Frame("8 KB message (over the size limit)", Invocation(Methods[0].Name, [$"\"{new string('a', 8 * 1024)}\""]));
        yield return Frame("1 MB message", Invocation(Methods[0].Name, [$"\"{new string('a', 1024 * 1024)}\""]));
        yield return new HubFrame("no record separator", Encoding.UTF8.GetBytes(some));
        yield return new HubFrame("invalid UTF-8", [.. Encoding.UTF8.GetBytes($"{{\"type\":1,\"target\":\"{Methods[0].Name}\",\"arguments\":[\""), 0xFF, 0xFE, 0xC0, 0xAF, .. "\"]}\u001e"u8.ToArray()]);
        yield return new HubFrame("binary frame", [0x96, 0x01, 0x80, 0xA1, 0x31, 0xA6, 0x54, 0x79, 0x70, 0x69, 0x6E, 0x67]);
        yield return new HubFrame("two frames in one message", Encoding.UTF8.GetBytes(some + RecordSeparator + "{\"type\":6}" + RecordSeparator));
        yield return Frame("handshake: unknown protocol", "{\"protocol\":\"xml\",\"version\":1}", handshake: false);
        yield return Frame("handshake: MessagePack (not enabled)", "{\"protocol\":\"messagepack\",\"version\":1}", handshake: false);
        yield return Frame("handshake: version 99", "{\"protocol\":\"json\",\"version\":99}", handshake: false);
        yield return Frame("handshake: garbage", "hello", handshake: false);
        yield return Frame("handshake: 3 KB protocol name", $"{{\"protocol\":\"{new string('p', 3000)}\",\"version\":1}}", handshake: false);
        yield return Frame("no handshake, an invocation", some, handshake: false);
    }

    /// <summary>Arguments a well-behaved client would send; a hub method with a new parameter type fails here until it is taught one.</summary>
    private static List<string> ValidArguments(MethodInfo method, Guid conversationId) =>
        method.GetParameters().Select(p => p.ParameterType switch
        {
            var t when t == typeof(Guid) => $"\"{conversationId}\"",
            var t when t == typeof(string) => "\"hello\"",
            var t when t == typeof(bool) => "true",
            var t when t == typeof(int) || t == typeof(long) => "1",
            var t => throw new InvalidOperationException($"{method.Name}({t.Name} {p.Name}): teach HubCorpus.ValidArguments a valid {t.Name}."),
        }).ToList();

    /// <summary>Whether <paramref name="json"/> is a well-formed value of <paramref name="type"/> (what it means is the command's to judge).</summary>
    private static bool IsValueOf(Type type, string json) =>
        (type == typeof(long) && long.TryParse(json, System.Globalization.CultureInfo.InvariantCulture, out _)) ||
        (type == typeof(int) && int.TryParse(json, System.Globalization.CultureInfo.InvariantCulture, out _));

    private static string Invocation(string target, IEnumerable<string> arguments, string invocationId = "1", string extra = "") =>
        $"{{\"type\":1,\"invocationId\":\"{invocationId}\",\"target\":\"{target}\",\"arguments\":[{string.Join(',', arguments)}]{extra}}}";

    private static HubFrame Frame(string name, string json, bool handshake = true, bool stalls = false) =>
        new(name, Encoding.UTF8.GetBytes(json + RecordSeparator), handshake, stalls);
}
