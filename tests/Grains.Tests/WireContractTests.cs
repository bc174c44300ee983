using System.Reflection;
using System.Runtime.CompilerServices;

namespace ClinicChat.Tests;

/// <summary>
/// What a running build reads from another build: during a rolling upgrade, silos and web nodes of two versions call each
/// other's grains, and grain state written by the old build is read by the new one. STYLE.md's rule ("never renumber,
/// reorder record parameters") was kept by review only; this test holds every wire shape to what
/// <c>WireContracts.txt</c> recorded:
/// <list type="bullet">
/// <item>a serialized type's field: by its alias and <c>[Id(n)]</c>, its type (the name is not on the wire);</item>
/// <item>an enum's value: by its number, its name (values travel as numbers);</item>
/// <item>a grain or observer interface's method: by its interface's alias (or full name) and its signature;</item>
/// <item>persisted grain state (System.Text.Json): by property name, its type.</item>
/// </list>
/// A recorded shape that changed or went away fails with why; a new one fails until it is recorded, so that it is
/// guarded from then on. Recording: <c>CLINICCHAT_RECORD_WIRE_CONTRACTS=1 dotnet test tests/Grains.Tests --filter
/// WireContract</c> rewrites the file, which the change then commits (its diff is what reviewers read).
/// </summary>
public sealed class WireContractTests
{
    private static readonly Assembly[] Assemblies = [typeof(IConversationGrain).Assembly, typeof(ConversationState).Assembly];

    [Fact]
    public void EveryWireShapeIsTheOneRecorded()
    {
        var current = CurrentShapes();
        if (Environment.GetEnvironmentVariable("CLINICCHAT_RECORD_WIRE_CONTRACTS") == "1")
        {
            File.WriteAllLines(RecordPath(), current.Select(shape => $"{shape.Key} => {shape.Value}")
                .Prepend("# What builds of ClinicChat exchange and persist; written by WireContractTests (read its summary before editing)."));
        }

        var recorded = File.ReadAllLines(RecordPath()).Where(line => line.Length > 0 && !line.StartsWith('#'))
            .Select(line => line.Split(" => ", 2)).ToDictionary(parts => parts[0], parts => parts[1], StringComparer.Ordinal);

        var changed = recorded.Where(shape => current.TryGetValue(shape.Key, out var now) && now != shape.Value)
            .Select(shape => $"{shape.Key}: was {shape.Value}, is {current[shape.Key]}");
        var gone = recorded.Keys.Where(key => !current.ContainsKey(key));
        var unrecorded = current.Keys.Where(key => !recorded.ContainsKey(key));

        Assert.True(!changed.Any() && !gone.Any(),
            "A build of this version cannot talk to one of the last (rolling upgrade), or cannot read the state it wrote. Add a " +
            "new [Id] or a new method instead of changing one; give a renamed type its old [Alias]. Changed:\n  " +
            string.Join("\n  ", changed) + "\nGone:\n  " + string.Join("\n  ", gone));
        Assert.True(!unrecorded.Any(),
            "New wire shapes, not yet guarded: record them (CLINICCHAT_RECORD_WIRE_CONTRACTS=1, see this test's summary):\n  " +
            string.Join("\n  ", unrecorded));
    }

    [Fact]
    public void EverySerializedTypeAndGrainInterfaceIsFoundByTheRecording()
    {
        var shapes = CurrentShapes();

        // The reflection sees what it must, or the test above guards nothing.
        Assert.Contains("field ClinicChat.IntegrationClient #2", (IDictionary<string, string>)shapes);
        Assert.Contains(shapes.Keys, key => key.StartsWith($"method {typeof(IConversationGrain).FullName}.SendAsync(", StringComparison.Ordinal));
        Assert.Contains(shapes.Keys, key => key.StartsWith("method ClinicChat.Staff.IClinicStaffGrain.", StringComparison.Ordinal));
        Assert.Contains($"state {typeof(ConversationState).FullName}.ClinicId", (IDictionary<string, string>)shapes);
        Assert.Contains(shapes.Keys, key => key.StartsWith("state ClinicChat.Sessions.SessionRecord.", StringComparison.Ordinal));
        Assert.Contains(shapes.Keys, key => key.StartsWith($"enum {typeof(ChatErrorCode).FullName} ", StringComparison.Ordinal));
    }

    private static SortedDictionary<string, string> CurrentShapes()
    {
        var shapes = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var type in Assemblies.SelectMany(assembly => assembly.GetTypes()))
        {
            // Enums travel as numbers whether or not they are marked; the contract assembly's are all wire types.
            if (type.GetCustomAttribute<GenerateSerializerAttribute>(inherit: false) is not null || (type.IsEnum && type.Assembly == Assemblies[0]))
            {
                AddSerialized(shapes, type);
            }
            else if (type.IsInterface && (typeof(IGrain).IsAssignableFrom(type) || typeof(IGrainObserver).IsAssignableFrom(type)) && type.Assembly == Assemblies[0])
            {
                AddInterface(shapes, type);
            }
        }

        var persisted = new Queue<Type>(PersistedStateTypes());
        var seen = new HashSet<Type>(persisted);
        while (persisted.TryDequeue(out var state))
        {
            foreach (var property in state.GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.CanRead && p.CanWrite))
            {
                shapes[$"state {state.FullName}.{property.Name}"] = Name(property.PropertyType);
                // What a state holds is persisted too: ClinicChat's own types inside it, however deep.
                foreach (var held in OwnTypesIn(property.PropertyType).Where(seen.Add))
                {
                    persisted.Enqueue(held);
                }
            }
        }

        return shapes;
    }

    private static IEnumerable<Type> OwnTypesIn(Type type)
    {
        var parts = type.IsArray ? [type.GetElementType()!] : type.IsGenericType ? type.GetGenericArguments() : new[] { type };
        return type.IsArray || type.IsGenericType
            ? parts.SelectMany(OwnTypesIn)
            : Assemblies.Contains(type.Assembly) && !type.IsEnum ? [type] : [];
    }

    private static void AddSerialized(SortedDictionary<string, string> shapes, Type type)
    {
        var identity = WireName(type);
        if (type.IsEnum)
        {
            foreach (var value in Enum.GetValues(type))
            {
                shapes[$"enum {identity} {Convert.ToInt64(value, System.Globalization.CultureInfo.InvariantCulture)}"] = value.ToString()!;
            }

            return;
        }

        shapes[$"type {identity}"] = type.IsValueType ? "struct" : type.GetMethod("<Clone>$") is not null ? "record" : "class";
        const BindingFlags declared = BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.DeclaredOnly;
        foreach (var member in type.GetProperties(declared).Cast<MemberInfo>().Concat(type.GetFields(declared)))
        {
            if (member.GetCustomAttribute<IdAttribute>() is { } id)
            {
                var memberType = member is PropertyInfo property ? property.PropertyType : ((FieldInfo)member).FieldType;
                shapes[$"field {identity} #{id.Id}"] = Name(memberType);
            }
        }
    }

    private static void AddInterface(SortedDictionary<string, string> shapes, Type type)
    {
        var identity = WireName(type);
        foreach (var method in type.GetMethods())
        {
            var alias = method.GetCustomAttributes<AliasAttribute>().Select(a => a.Alias).Order(StringComparer.Ordinal).FirstOrDefault() ?? method.Name;
            var parameters = string.Join(", ", method.GetParameters().Select(p => Name(p.ParameterType)));
            shapes[$"method {identity}.{alias}({parameters})"] = Name(method.ReturnType);
        }
    }

    /// <summary>The state types the grains persist: <c>IPersistentState&lt;T&gt;</c> parameters of the grains' constructors.</summary>
    private static IEnumerable<Type> PersistedStateTypes() =>
        typeof(ConversationState).Assembly.GetTypes()
            .SelectMany(type => type.GetConstructors(BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance))
            .SelectMany(constructor => constructor.GetParameters())
            .Where(parameter => parameter.ParameterType.IsGenericType && parameter.ParameterType.GetGenericTypeDefinition() == typeof(IPersistentState<>))
            .Select(parameter => parameter.ParameterType.GetGenericArguments()[0])
            .Distinct();

    /// <summary>A type's aliases (a renamed type keeps its old one beside the new), or its full name without one.</summary>
    private static string WireName(Type type) =>
        type.GetCustomAttributes<AliasAttribute>(inherit: false).Select(alias => alias.Alias).Order(StringComparer.Ordinal).ToList() is { Count: > 0 } aliases
            ? string.Join(" | ", aliases)
            : type.FullName!;

    /// <summary>A type as the wire knows it: a serialized type by its alias, generics spelled out.</summary>
    private static string Name(Type type)
    {
        if (Nullable.GetUnderlyingType(type) is { } underlying)
        {
            return Name(underlying) + "?";
        }

        if (type.IsArray)
        {
            return Name(type.GetElementType()!) + "[]";
        }

        if (type.IsGenericType)
        {
            var definition = type.GetGenericTypeDefinition().FullName!;
            return $"{definition[..definition.IndexOf('`')]}<{string.Join(", ", type.GetGenericArguments().Select(Name))}>";
        }

        return type.GetCustomAttribute<GenerateSerializerAttribute>(inherit: false) is not null ? WireName(type) : type.FullName ?? type.Name;
    }

    private static string RecordPath([CallerFilePath] string source = "") => Path.Combine(Path.GetDirectoryName(source)!, "WireContracts.txt");
}
