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

    /// <summary>One value read straight from the app's SQLite database (what is stored, beside what the API says).</summary>
    public static async Task<object?> ScalarAsync(ClinicChatApp app, string sql, params (string Name, object? Value)[] parameters)
    {
        var database = (Storage.ChatDatabase)app.Services.GetService(typeof(Storage.ChatDatabase))!;
        await using var connection = await database.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        foreach (var (name, value) in parameters)
        {
            command.Parameters.Add(new Microsoft.Data.Sqlite.SqliteParameter(name, value ?? DBNull.Value));
        }

        return await command.ExecuteScalarAsync();
    }

    /// <summary>Audit rows of <paramref name="action"/> whose detail contains <paramref name="detailContains"/>, optionally by one actor with one outcome.</summary>
    public static async Task<long> AuditCountAsync(ClinicChatApp app, string action, string detailContains = "", string? actorId = null, string? outcome = null, Guid? patientId = null) =>
        (long)(await ScalarAsync(app,
            "SELECT COUNT(*) FROM audit_log WHERE action = $action AND COALESCE(detail, '') LIKE $detail" +
            " AND ($actor IS NULL OR actor_id = $actor) AND ($outcome IS NULL OR outcome = $outcome) AND ($patient IS NULL OR patient_id = $patient)",
            ("$action", action), ("$detail", $"%{detailContains}%"), ("$actor", actorId), ("$outcome", outcome), ("$patient", patientId?.ToString())))!;

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
