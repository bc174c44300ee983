using System.Text.Json.Nodes;

namespace ClinicChat.Web.Tests.Proof;

/// <summary>One operation of the app's OpenAPI document: what the matrix and the fuzz test enumerate.</summary>
public sealed record ApiOperation(string Method, string Path, IReadOnlyList<ApiParameter> Parameters, IReadOnlyList<string> BodyContentTypes, IReadOnlyList<ApiProperty> BodyProperties)
{
    /// <summary>"GET /api/v1/conversations/{id}": the key of the operation's matrix entry.</summary>
    public string Key => $"{Method} {Path}";

    public IEnumerable<ApiParameter> PathParameters => Parameters.Where(p => p.In == "path");

    public IEnumerable<ApiParameter> QueryParameters => Parameters.Where(p => p.In == "query");
}

public sealed record ApiParameter(string Name, string In, string? Type, string? Format);

/// <summary>A property of a JSON request body, with its declared type ("string", "integer", "boolean", "array", ...).</summary>
public sealed record ApiProperty(string Name, string? Type);

/// <summary>Reads the document the running app serves at /openapi/v1.json (Microsoft.AspNetCore.OpenApi).</summary>
public static class OpenApiOperations
{
    public const string DocumentPath = "/openapi/v1.json";

    public static IReadOnlyList<ApiOperation> Parse(string json)
    {
        var document = JsonNode.Parse(json)!;
        var schemas = document["components"]?["schemas"]?.AsObject();
        var operations = new List<ApiOperation>();
        foreach (var (path, item) in document["paths"]!.AsObject())
        {
            foreach (var (method, operation) in item!.AsObject())
            {
                var parameters = operation!["parameters"]?.AsArray().Select(p => new ApiParameter(
                    p!["name"]!.GetValue<string>(),
                    p["in"]!.GetValue<string>(),
                    TypeOf(p["schema"]),
                    p["schema"]?["format"]?.GetValue<string>())).ToList() ?? [];
                var content = operation["requestBody"]?["content"]?.AsObject();
                var bodyTypes = content?.Select(c => c.Key).ToList() ?? [];
                var properties = content?.Select(c => Resolve(c.Value?["schema"], schemas)?["properties"]?.AsObject())
                    .FirstOrDefault(p => p is not null)?
                    .Select(p => new ApiProperty(p.Key, TypeOf(Resolve(p.Value, schemas)))).ToList() ?? [];
                operations.Add(new ApiOperation(method.ToUpperInvariant(), path, parameters, bodyTypes, properties));
            }
        }

        return operations;
    }

    private static JsonNode? Resolve(JsonNode? schema, JsonObject? schemas) =>
        schema?["$ref"]?.GetValue<string>() is { } reference ? schemas?[reference.Split('/')[^1]] : schema;

    /// <summary>OpenAPI 3.1 writes nullable types as ["null", "string"]: the non-null one is the type.</summary>
    private static string? TypeOf(JsonNode? schema) => schema?["type"] switch
    {
        JsonArray types => types.Select(t => t!.GetValue<string>()).FirstOrDefault(t => t != "null"),
        JsonValue type => type.GetValue<string>(),
        _ => null,
    };
}
