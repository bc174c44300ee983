using System.Reflection;
using System.Text.RegularExpressions;

namespace ClinicChat.Web.Tests;

/// <summary>The audit page's action filter offers every action the log records (it is kept by hand in the web app).</summary>
public sealed partial class AuditActionListTests
{
    [Fact]
    public void TheAuditPageFilterListsEveryActionTheLogRecords()
    {
        var recorded = typeof(AuditActions).GetFields(BindingFlags.Public | BindingFlags.Static)
            .Where(field => field.IsLiteral).Select(field => (string)field.GetRawConstantValue()!).ToList();
        var source = File.ReadAllText(Path.Combine(PublishedAppFixture.RepositoryRoot(), "src", "Web", "ClientApp", "src", "logic", "audit.ts"));
        var list = source[source.IndexOf("export const auditActions = [", StringComparison.Ordinal)..];
        var offered = QuotedName().Matches(list[..list.IndexOf("] as const", StringComparison.Ordinal)]).Select(m => m.Groups[1].Value).ToList();

        Assert.Equal(recorded, offered);
    }

    [GeneratedRegex(@"'([a-z_.]+)'")]
    private static partial Regex QuotedName();
}
