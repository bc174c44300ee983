using ClinicChat.Conversations;

namespace ClinicChat.Web.Tests;

/// <summary>Demo accounts and helpers. Each test that changes data uses its own generated patient.</summary>
public static class TestData
{
    /// <summary>A generated portal patient of Northside, opted in; the index-th such patient; each test its own.</summary>
    public static GeneratedPatient PortalPatient(int index)
    {
        return DemoData.Generated().Where(p => p.Email is not null && p.OptedIn).ElementAt(index);
    }

    public static Guid PatThreadAtNorthside => ConversationId.For(DemoData.Northside, DemoData.PatPortal);

    public static async Task<ConversationDto> StartAsync(ApiSession staff, Guid patientId)
    {
        var response = await staff.Http.PostAsJsonAsync("/api/v1/conversations", new { patientId });
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<ConversationDto>())!;
    }

    public static async Task<MessageDto> SendAsync(ApiSession sender, Guid conversationId, string text, string? clientMessageId = null)
    {
        var response = await sender.Http.PostAsJsonAsync(
            $"/api/v1/conversations/{conversationId}/messages", new { clientMessageId = clientMessageId ?? Guid.NewGuid().ToString("N"), text });
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<MessageDto>())!;
    }

    public static async Task<MessagePageDto> PageAsync(ApiSession reader, Guid conversationId, string query = "limit=200")
    {
        var response = await reader.Http.GetAsync($"/api/v1/conversations/{conversationId}/messages?{query}");
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<MessagePageDto>())!;
    }

    /// <summary>Audit rows of <paramref name="action"/> whose detail contains <paramref name="detailContains"/>, optionally by one actor with one outcome.</summary>
    public static async Task<long> AuditCountAsync(ClinicChatApp app, string action, string detailContains = "", string? actorId = null, string? outcome = null, Guid? patientId = null)
    {
        var database = (Storage.ChatDatabase)app.Services.GetService(typeof(Storage.ChatDatabase))!;
        await using var connection = await database.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText =
            "SELECT COUNT(*) FROM audit_log WHERE action = $action AND COALESCE(detail, '') LIKE $detail" +
            " AND ($actor IS NULL OR actor_id = $actor) AND ($outcome IS NULL OR outcome = $outcome) AND ($patient IS NULL OR patient_id = $patient)";
        command.Parameters.Add(new Microsoft.Data.Sqlite.SqliteParameter("$action", action));
        command.Parameters.Add(new Microsoft.Data.Sqlite.SqliteParameter("$detail", $"%{detailContains}%"));
        command.Parameters.Add(new Microsoft.Data.Sqlite.SqliteParameter("$actor", (object?)actorId ?? DBNull.Value));
        command.Parameters.Add(new Microsoft.Data.Sqlite.SqliteParameter("$outcome", (object?)outcome ?? DBNull.Value));
        command.Parameters.Add(new Microsoft.Data.Sqlite.SqliteParameter("$patient", (object?)patientId?.ToString() ?? DBNull.Value));
        return (long)(await command.ExecuteScalarAsync())!;
    }

    /// <summary>The ProblemDetails <c>code</c> (and <c>field</c>) of an error response.</summary>
    public static async Task<(string? Code, string? Field)> ProblemAsync(HttpResponseMessage response)
    {
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return (
            json.RootElement.TryGetProperty("code", out var code) ? code.GetString() : null,
            json.RootElement.TryGetProperty("field", out var field) ? field.GetString() : null);
    }
}
