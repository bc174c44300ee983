using System.Text.RegularExpressions;

namespace ClinicChat.Web.Tests.Proof;

/// <summary>Builds the request of one matrix or fuzz cell from an entry's templates.</summary>
public static partial class CellRequests
{
    /// <param name="replaced">A path or query parameter whose value is replaced by raw (already URL-encoded) text.</param>
    public static HttpRequestMessage Build(MatrixEntry entry, ScopeResources? resources, HttpContent? body, (string Name, string Raw)? replaced = null)
    {
        var path = Placeholder().Replace(entry.PathTemplate, match => Fill(match.Groups[1].Value, resources, replaced));
        var query = (entry.Query ?? string.Empty).Split('&', StringSplitOptions.RemoveEmptyEntries)
            .Select(pair => pair.Split('=', 2))
            .Select(pair => (Name: pair[0], Value: Placeholder().Replace(pair[1], match => Fill(match.Groups[1].Value, resources, null))))
            .ToList();
        if (replaced is { } value && !entry.PathTemplate.Contains($"{{{value.Name}}}", StringComparison.Ordinal))
        {
            query.RemoveAll(q => q.Name == value.Name);
            query.Add((value.Name, value.Raw));
        }

        var target = query.Count == 0 ? path : path + "?" + string.Join('&', query.Select(q => $"{q.Name}={q.Value}"));
        return new HttpRequestMessage(new HttpMethod(entry.Method), target) { Content = body };
    }

    private static string Fill(string name, ScopeResources? resources, (string Name, string Raw)? replaced) =>
        replaced is { } value && value.Name == name ? value.Raw
        : resources is not null ? Uri.EscapeDataString(resources.ValueOf(name))
        : throw new InvalidOperationException($"{{{name}}} needs a scope: give the entry an own/unknown scope.");

    [GeneratedRegex(@"\{(\w+)\}")]
    private static partial Regex Placeholder();
}
