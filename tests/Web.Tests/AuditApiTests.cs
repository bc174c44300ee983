using System.Diagnostics;
using System.Globalization;
using System.Security.Claims;
using ClinicChat.Access;
using ClinicChat.Storage;
using ClinicChat.Web.Identity;
using Hl7.Fhir.Serialization;
using Microsoft.AspNetCore.Identity;
using Microsoft.Data.Sqlite;

namespace ClinicChat.Web.Tests;

/// <summary>The clinic audit log for its Admins: what is recorded, who may see it, exports, and verification of the chain.</summary>
[Collection(AppCollection.Name)]
public sealed class AuditApiTests(AppFixture fixture)
{
    private static readonly Guid Northside = DemoData.Northside;

    private ClinicChatApp App => fixture.App;

    [Fact]
    public async Task EachFeaturesActionsShowUpInTheClinicsLogForItsAdmin()
    {
        var (_, alice, patient, thread) = await ChatScenario.StartAsync(App);
        await TestData.SendAsync(alice, thread, "Your results are in.");
        var pat = await App.SignInAsync(patient.Email);
        var page = await TestData.PageAsync(pat, thread);
        (await pat.Http.PostAsJsonAsync($"/api/v1/conversations/{thread}/receipts", new { deliveredUpToSeq = page.LastSeq, readUpToSeq = page.LastSeq })).EnsureSuccessStatusCode();
        (await pat.Http.PutAsJsonAsync("/api/v1/me/preferences", new { chatOptIn = true })).EnsureSuccessStatusCode();
        // A clinician of another clinic with no earlier refusals: a caller's first refusal at a clinic is written at once
        // (later ones in the same minute are summarised, and demo accounts are refused by other tests of this app).
        var lara = await App.SignInAsync(await SessionTestKit.CreateStaffAsync(App, Guid.NewGuid(), StaffRole.Clinician));
        Assert.Equal(HttpStatusCode.NotFound, (await lara.Http.GetAsync($"/api/v1/conversations/{thread}/messages")).StatusCode);
        var olga = await App.SignInAsync(DemoData.Olga);

        var aboutPatient = await AllAsync(olga, $"patientId={patient.Id}");
        Assert.Contains(aboutPatient, e => e is { Action: AuditActions.MessageSent } && e.ActorId == alice.UserId && e.ConversationId == thread);
        Assert.Contains(aboutPatient, e => e is { Action: AuditActions.ConversationViewed } && e.ActorId == pat.UserId);
        Assert.Contains(aboutPatient, e => e is { Action: AuditActions.MessageRead or AuditActions.MessageDelivered } && e.ActorId == pat.UserId);
        Assert.Contains(aboutPatient, e => e is { Action: AuditActions.PreferencesChanged } && e.ActorId == pat.UserId);
        Assert.Contains(await AllAsync(olga, $"actorId={lara.UserId}&action={AuditActions.AccessDenied}"), e => e.ConversationId == thread && e.Outcome == AuditOutcomes.Denied);
        Assert.Contains(await AllAsync(olga, $"actorId={alice.UserId}&action=signin"), e => e.Outcome == AuditOutcomes.Success);

        (await olga.Http.GetAsync($"/api/v1/clinics/{Northside}/audit/export?format=csv")).EnsureSuccessStatusCode();
        Assert.NotEmpty(await AllAsync(olga, $"actorId={olga.UserId}&action={AuditActions.AuditViewed}"));
        Assert.Contains(await AllAsync(olga, $"actorId={olga.UserId}&action={AuditActions.AuditExported}"), e => e.Detail!.StartsWith("format=csv", StringComparison.Ordinal));
    }

    [Fact]
    public async Task PagesNameTheClinicsOwnPeopleAndLeaveSomeoneFromOutsideAsAnId()
    {
        var (_, alice, patient, thread) = await ChatScenario.StartAsync(App);
        await TestData.SendAsync(alice, thread, "Your results are in.");
        var pat = await App.SignInAsync(patient.Email);
        await TestData.PageAsync(pat, thread);
        var outsider = await App.SignInAsync(await SessionTestKit.CreateStaffAsync(App, Guid.NewGuid(), StaffRole.Clinician));
        Assert.Equal(HttpStatusCode.NotFound, (await outsider.Http.GetAsync($"/api/v1/conversations/{thread}/messages")).StatusCode);
        var olga = await App.SignInAsync(DemoData.Olga);

        var events = await AllAsync(olga, $"patientId={patient.Id}");

        Assert.All(events, e => Assert.Equal(patient.Name, e.PatientName));
        Assert.Equal(alice.Me.DisplayName, events.Single(e => e.Action == AuditActions.MessageSent).ActorName);
        Assert.Equal(patient.Name, events.First(e => e.Action == AuditActions.ConversationViewed && e.ActorId == pat.UserId).ActorName);
        var denied = Assert.Single(events, e => e.ActorId == outsider.UserId);
        Assert.Null(denied.ActorName);
        var imported = await PageAsync(olga, "actorId=integration:demo&limit=1");
        Assert.Equal("Integration (demo)", Assert.Single(imported.Events).ActorName);
    }

    [Fact]
    public async Task TheAdminsPatientPickerFindsTheClinicsPatientsByNameAndNobodyElseMayUseIt()
    {
        var patient = await TestPatients.NewAsync(App);
        var olga = await App.SignInAsync(DemoData.Olga);
        var alice = await App.SignInAsync(DemoData.Alice);

        var found = await olga.Http.GetFromJsonAsync<List<AuditPatientDto>>($"/api/v1/clinics/{Northside}/audit/patients?query={Uri.EscapeDataString(patient.Name)}");

        Assert.Contains(found!, p => p.Id == patient.Id && p.DisplayName == patient.Name);
        Assert.Equal(HttpStatusCode.NotFound, (await alice.Http.GetAsync($"/api/v1/clinics/{Northside}/audit/patients?query=a")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await olga.Http.GetAsync($"/api/v1/clinics/{DemoData.Lakeview}/audit/patients?query=a")).StatusCode);
        var tooLong = await olga.Http.GetAsync($"/api/v1/clinics/{Northside}/audit/patients?query={new string('a', AuditLimits.MaxFilterLength + 1)}");
        Assert.Equal(HttpStatusCode.BadRequest, tooLong.StatusCode);
    }

    [Fact]
    public async Task PagesAreNewestFirstAndFollowTheCursorWithoutOverlap()
    {
        var (_, alice, patient, thread) = await ChatScenario.StartAsync(App);
        for (var i = 0; i < 5; i++)
        {
            await TestData.SendAsync(alice, thread, $"note {i}");
        }

        var olga = await App.SignInAsync(DemoData.Olga);
        var first = await PageAsync(olga, $"patientId={patient.Id}&limit=3");
        var second = await PageAsync(olga, $"patientId={patient.Id}&limit=3&before={first.NextBefore}");

        Assert.Equal(3, first.Events.Count);
        Assert.NotNull(first.NextBefore);
        var ids = first.Events.Concat(second.Events).Select(e => e.Id).ToList();
        Assert.Equal(ids.OrderByDescending(id => id), ids);
        Assert.Equal(ids.Count, ids.Distinct().Count());
        Assert.Equal(6, ids.Count); // conversation.started and five message.sent
    }

    [Fact]
    public async Task TheCsvExportParsesBackToTheEventsTheListShows()
    {
        var (_, alice, patient, thread) = await ChatScenario.StartAsync(App);
        await TestData.SendAsync(alice, thread, "hello, \"quoted\"");
        var olga = await App.SignInAsync(DemoData.Olga);
        // The export carries ids only (the names on the list are resolved for the screen).
        var listed = (await AllAsync(olga, $"patientId={patient.Id}")).OrderBy(e => e.Id).Select(e => e with { ActorName = null, PatientName = null }).ToList();
        var from = listed[0].OccurredAt;
        var to = listed[^1].OccurredAt.AddMilliseconds(1);

        var response = await olga.Http.GetAsync($"/api/v1/clinics/{Northside}/audit/export?format=csv&from={Uri.EscapeDataString(from.ToString("O"))}&to={Uri.EscapeDataString(to.ToString("O"))}");

        response.EnsureSuccessStatusCode();
        Assert.Equal("text/csv", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("attachment", response.Content.Headers.ContentDisposition?.DispositionType);
        Assert.Matches("^audit-[0-9a-f]{32}-[0-9TZ]+\\.csv$", response.Content.Headers.ContentDisposition?.FileNameStar ?? response.Content.Headers.ContentDisposition?.FileName?.Trim('"'));
        var lines = (await response.Content.ReadAsStringAsync()).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(string.Join(',', AuditApi.CsvColumns), lines[0]);
        var exported = lines.Skip(1).Select(ParseCsv).Where(e => e.PatientId == patient.Id).ToList();
        Assert.Equal(listed, exported);
    }

    [Fact]
    public async Task AFilteredExportHoldsExactlyWhatTheFilteredListShowsAndSaysWhichFiltersItUsed()
    {
        var (_, alice, patient, thread) = await ChatScenario.StartAsync(App);
        await TestData.SendAsync(alice, thread, "first");
        await TestData.SendAsync(alice, thread, "second");
        var (_, _, other, otherThread) = await ChatScenario.StartAsync(App);
        await TestData.SendAsync(alice, otherThread, "someone else's");
        var olga = await App.SignInAsync(DemoData.Olga);
        var filter = $"patientId={patient.Id}&action={AuditActions.MessageSent}";
        var listed = (await AllAsync(olga, filter)).OrderBy(e => e.Id).Select(e => e with { ActorName = null, PatientName = null }).ToList();

        var response = await olga.Http.GetAsync($"/api/v1/clinics/{Northside}/audit/export?format=csv&{filter}");

        response.EnsureSuccessStatusCode();
        var exported = (await response.Content.ReadAsStringAsync()).Split("\r\n", StringSplitOptions.RemoveEmptyEntries).Skip(1).Select(ParseCsv).ToList();
        Assert.Equal(2, listed.Count);
        Assert.Equal(listed, exported);
        Assert.DoesNotContain(exported, e => e.PatientId == other.Id);
        Assert.Equal(1, await TestData.AuditCountAsync(App, AuditActions.AuditExported, "by_action", patientId: patient.Id));
    }

    [Fact]
    public async Task AnExportFilterLongerThanTheListAllowsIsRefusedWithItsField()
    {
        var olga = await App.SignInAsync(DemoData.Olga);

        var response = await olga.Http.GetAsync($"/api/v1/clinics/{Northside}/audit/export?format=csv&actorId={new string('a', AuditLimits.MaxFilterLength + 1)}");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(("validation_failed", "actorId"), await TestData.ProblemAsync(response));
    }

    [Fact]
    public async Task EachNdjsonLineIsAFhirAuditEvent()
    {
        var (_, alice, patient, thread) = await ChatScenario.StartAsync(App);
        await TestData.SendAsync(alice, thread, "secret words");
        var olga = await App.SignInAsync(DemoData.Olga);

        var response = await olga.Http.GetAsync($"/api/v1/clinics/{Northside}/audit/export?format=ndjson");

        response.EnsureSuccessStatusCode();
        Assert.Equal("application/fhir+ndjson", response.Content.Headers.ContentType?.MediaType);
        var body = await response.Content.ReadAsStringAsync();
        Assert.DoesNotContain("secret words", body, StringComparison.Ordinal);
        var events = body.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(line => Assert.IsType<Hl7.Fhir.Model.AuditEvent>(FhirJsonDeserializer.STRICT.DeserializeResource(line)))
            .ToList();
        var sent = Assert.Single(events, e => e.Subtype.Any(s => s.Code == AuditActions.MessageSent) && e.Entity.Any(x => x.What?.Reference == $"Patient/{patient.Id}"));
        Assert.Equal(alice.UserId, sent.Agent.Single().Who?.Identifier?.Value);
        Assert.Equal(Hl7.Fhir.Model.AuditEvent.AuditEventOutcome.N0, sent.Outcome);
        Assert.NotNull(sent.Recorded);
    }

    [Theory]
    [InlineData(DemoData.Alice)]
    [InlineData(DemoData.Bill)]
    [InlineData(DemoData.Frank)]
    [InlineData(DemoData.Pat)]
    [InlineData(DemoData.Lara)]
    public async Task NoOneButTheClinicsAdminSeesItsLog(string email)
    {
        var someone = await App.SignInAsync(email);

        foreach (var path in new[] { "audit", "audit/export?format=csv", "audit/verify" })
        {
            var response = await someone.Http.GetAsync($"/api/v1/clinics/{Northside}/{path}");
            Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
            Assert.Equal(ApiErrors.NotFound, (await TestData.ProblemAsync(response)).Code);
        }

        var olga = await App.SignInAsync(DemoData.Olga);
        Assert.Contains(await AllAsync(olga, $"actorId={someone.UserId}&action={AuditActions.AccessDenied}"), e => e.Detail == "audit");
    }

    [Fact]
    public async Task AnotherClinicsAdminSeesNothingOfThisClinic()
    {
        var email = $"lakeview.admin.{Guid.NewGuid():N}@lakeview.example";
        using (var scope = App.Services.CreateScope())
        {
            var users = scope.ServiceProvider.GetRequiredService<UserManager<ClinicChatUser>>();
            var admin = new ClinicChatUser { UserName = email, Email = email, EmailConfirmed = true, DisplayName = "Lakeview Admin" };
            Assert.True((await users.CreateAsync(admin, DemoData.Password)).Succeeded);
            Assert.True((await users.AddClaimsAsync(admin,
            [
                new Claim(ChatClaims.Kind, ChatClaims.StaffKind),
                new Claim(ChatClaims.Name, "Lakeview Admin"),
                ChatClaims.MembershipClaim(DemoData.Lakeview, StaffRole.Admin),
            ])).Succeeded);
        }

        var lakeviewAdmin = await App.SignInAsync(email);

        Assert.Equal(HttpStatusCode.OK, (await lakeviewAdmin.Http.GetAsync($"/api/v1/clinics/{DemoData.Lakeview}/audit")).StatusCode);
        foreach (var path in new[] { "audit", "audit/export?format=ndjson", "audit/verify" })
        {
            Assert.Equal(HttpStatusCode.NotFound, (await lakeviewAdmin.Http.GetAsync($"/api/v1/clinics/{Northside}/{path}")).StatusCode);
        }
    }

    [Fact]
    public async Task AnonymousCallersAreAskedToSignIn()
    {
        using var anonymous = App.CreateClient(new() { HandleCookies = false });

        foreach (var path in new[] { "audit", "audit/export?format=csv", "audit/verify" })
        {
            Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync($"/api/v1/clinics/{Northside}/{path}")).StatusCode);
        }
    }

    [Fact]
    public async Task AnIntactChainVerifiesWithItsRowCount()
    {
        await using var app = new ClinicChatApp();
        try
        {
            var olga = await GenerateEventsAsync(app);
            var rows = await CountAsync(app);

            var result = await VerifyAsync(olga);

            Assert.True(result.Ok);
            Assert.Equal(rows, result.Rows);
            Assert.Null(result.BrokenAtId);
        }
        finally
        {
            app.DeleteData();
        }
    }

    public enum Tampering
    {
        EditADetail,
        DeleteARow,
        SwapTwoRows,
    }

    [Theory]
    [InlineData(Tampering.EditADetail, "hash_mismatch")]
    [InlineData(Tampering.DeleteARow, "prev_hash_mismatch")]
    [InlineData(Tampering.SwapTwoRows, "prev_hash_mismatch")]
    public async Task VerificationNamesTheExactRowWhereTheChainWasTamperedWith(Tampering tampering, string problem)
    {
        await using var app = new ClinicChatApp();
        try
        {
            var olga = await GenerateEventsAsync(app);
            var ids = await ChainIdsAsync(app);
            var (target, expected) = (ids[3], tampering == Tampering.DeleteARow ? ids[4] : ids[3]);
            await using (var connection = await OpenRawAsync(app))
            {
                var sql = tampering switch
                {
                    Tampering.EditADetail => $"UPDATE audit_log SET detail = 'nothing to see' WHERE id = {target}",
                    Tampering.DeleteARow => $"DELETE FROM audit_log WHERE id = {target}",
                    _ => $"""
                        UPDATE audit_log SET
                            occurred_at_ms = (SELECT occurred_at_ms FROM audit_log WHERE id = {ids[4]}), action = (SELECT action FROM audit_log WHERE id = {ids[4]}),
                            actor_id = (SELECT actor_id FROM audit_log WHERE id = {ids[4]}), patient_id = (SELECT patient_id FROM audit_log WHERE id = {ids[4]}),
                            conversation_id = (SELECT conversation_id FROM audit_log WHERE id = {ids[4]}), outcome = (SELECT outcome FROM audit_log WHERE id = {ids[4]}),
                            detail = (SELECT detail FROM audit_log WHERE id = {ids[4]}), prev_hash = (SELECT prev_hash FROM audit_log WHERE id = {ids[4]}),
                            hash = (SELECT hash FROM audit_log WHERE id = {ids[4]})
                        WHERE id = {target};
                        UPDATE audit_log SET
                            occurred_at_ms = (SELECT occurred_at_ms FROM kept), action = (SELECT action FROM kept), actor_id = (SELECT actor_id FROM kept),
                            patient_id = (SELECT patient_id FROM kept), conversation_id = (SELECT conversation_id FROM kept), outcome = (SELECT outcome FROM kept),
                            detail = (SELECT detail FROM kept), prev_hash = (SELECT prev_hash FROM kept), hash = (SELECT hash FROM kept)
                        WHERE id = {ids[4]};
                        """,
                };
                if (tampering == Tampering.SwapTwoRows)
                {
                    sql = $"CREATE TEMP TABLE kept AS SELECT * FROM audit_log WHERE id = {target};\n{sql}";
                }

                await ExecuteAsync(connection, sql);
            }

            var result = await VerifyAsync(olga);

            Assert.False(result.Ok);
            Assert.Equal((expected, problem), (result.BrokenAtId, result.Problem));
            Assert.Equal(ids.IndexOf(expected) + 1 - (tampering == Tampering.DeleteARow ? 1 : 0), result.Position);
        }
        finally
        {
            app.DeleteData();
        }
    }

    [Fact]
    public async Task ACheckpointWithAForgedSignatureIsReported()
    {
        await using var app = new ClinicChatApp();
        try
        {
            var olga = await GenerateEventsAsync(app);
            Assert.True((await VerifyAsync(olga)).Ok); // signs the head
            await using (var connection = await OpenRawAsync(app))
            {
                await ExecuteAsync(connection, $"UPDATE audit_checkpoints SET signature = '{new string('0', 64)}'");
            }

            var result = await VerifyAsync(olga);

            Assert.False(result.Ok);
            Assert.Equal("checkpoint_signature_mismatch", result.Problem);
            Assert.NotNull(result.CheckpointId);
        }
        finally
        {
            app.DeleteData();
        }
    }

    [Fact]
    public async Task ARewriteThatRecomputesEveryHashIsCaughtByTheSignedCheckpoint()
    {
        await using var app = new ClinicChatApp();
        try
        {
            var olga = await GenerateEventsAsync(app);
            Assert.True((await VerifyAsync(olga)).Ok); // signs the head
            var ids = await ChainIdsAsync(app);
            var store = app.Services.GetRequiredService<AuditStore>();
            var chain = AuditLog.ChainOf(Northside);
            var rows = await store.PageAfterAsync(new AuditQuery(chain, Limit: AuditStore.PageSize), 0);
            await using (var connection = await OpenRawAsync(app))
            {
                // An attacker with file access edits one row and re-chains everything after it.
                var previous = rows[2].Hash;
                foreach (var row in rows.Skip(3))
                {
                    var changed = row.Id == ids[3] ? row.Event with { Detail = "nothing to see" } : row.Event;
                    var hash = AuditLog.Hash(previous, chain, row.OccurredAt.ToUnixTimeMilliseconds(), changed);
                    await ExecuteAsync(connection, $"UPDATE audit_log SET detail = {(changed.Detail is null ? "NULL" : $"'{changed.Detail}'")}, prev_hash = '{previous}', hash = '{hash}' WHERE id = {row.Id}");
                    previous = hash;
                }
            }

            var result = await VerifyAsync(olga);

            Assert.False(result.Ok);
            Assert.Equal("checkpoint_hash_mismatch", result.Problem);
        }
        finally
        {
            app.DeleteData();
        }
    }

    [Fact]
    public async Task TheVerifyAuditCommandExitsNonZeroAndNamesTheRowWhenTheChainIsBroken()
    {
        var app = new ClinicChatApp();
        try
        {
            await GenerateEventsAsync(app);
            var ids = await ChainIdsAsync(app);
            await app.DisposeAsync();

            var intact = await RunVerifyAuditAsync(app.DataDirectory, Northside.ToString());
            Assert.Equal(0, intact.ExitCode);
            Assert.Contains("intact", intact.Output, StringComparison.Ordinal);

            await using (var connection = new SqliteConnection($"Data Source={Path.Combine(app.DataDirectory, "clinicchat.db")};Pooling=False"))
            {
                await connection.OpenAsync();
                await ExecuteAsync(connection, $"DROP TRIGGER IF EXISTS audit_log_no_update; UPDATE audit_log SET detail = 'x' WHERE id = {ids[2]}");
            }

            var broken = await RunVerifyAuditAsync(app.DataDirectory);
            Assert.NotEqual(0, broken.ExitCode);
            Assert.Contains($"row {ids[2]}", broken.Output, StringComparison.Ordinal);
        }
        finally
        {
            await app.DisposeAndDeleteDataAsync();
        }
    }

    private static async Task<(int ExitCode, string Output)> RunVerifyAuditAsync(string dataDirectory, params string[] args)
    {
        var start = new ProcessStartInfo("dotnet") { WorkingDirectory = AppContext.BaseDirectory, RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "ClinicChat.Silo.dll"));
        start.ArgumentList.Add("verify-audit");
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        start.Environment["DOTNET_ENVIRONMENT"] = "Development";
        start.Environment["ClinicChat__Storage__DataDirectory"] = dataDirectory;
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await output + await error);
    }

    /// <summary>A thread with a few messages at Northside, then Olga signed in; returns Olga's session.</summary>
    private static async Task<ApiSession> GenerateEventsAsync(ClinicChatApp app)
    {
        var patient = TestData.PortalPatient(24);
        var alice = await app.SignInAsync(DemoData.Alice);
        var thread = await TestData.StartAsync(alice, patient.Id);
        for (var i = 0; i < 4; i++)
        {
            await TestData.SendAsync(alice, thread.Id, $"message {i}");
        }

        await TestData.PageAsync(alice, thread.Id);
        return await app.SignInAsync(DemoData.Olga);
    }

    private static async Task<AuditVerificationDto> VerifyAsync(ApiSession admin)
    {
        var response = await admin.Http.GetAsync($"/api/v1/clinics/{Northside}/audit/verify");
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<AuditVerificationDto>())!;
    }

    private static async Task<List<long>> ChainIdsAsync(ClinicChatApp app)
    {
        await using var connection = await OpenRawAsync(app);
        await using var command = connection.CreateCommand();
        command.CommandText = $"SELECT id FROM audit_log WHERE chain = '{AuditLog.ChainOf(Northside)}' ORDER BY id";
        var ids = new List<long>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            ids.Add(reader.GetInt64(0));
        }

        Assert.True(ids.Count >= 6, "The test needs a few rows in the chain.");
        return ids;
    }

    private static async Task<long> CountAsync(ClinicChatApp app) => (await ChainIdsAsync(app)).Count;

    /// <summary>A raw connection with the append-only triggers dropped, as an attacker with file access would.</summary>
    private static async Task<SqliteConnection> OpenRawAsync(ClinicChatApp app)
    {
        var connection = new SqliteConnection(app.Services.GetRequiredService<ChatDatabase>().ConnectionString);
        await connection.OpenAsync();
        await ExecuteAsync(connection, """
            DROP TRIGGER IF EXISTS audit_log_no_update; DROP TRIGGER IF EXISTS audit_log_no_delete;
            DROP TRIGGER IF EXISTS audit_checkpoints_no_update; DROP TRIGGER IF EXISTS audit_checkpoints_no_delete;
            """);
        return connection;
    }

    private static async Task ExecuteAsync(SqliteConnection connection, string sql)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync();
    }

    private static async Task<AuditPageDto> PageAsync(ApiSession admin, string query)
    {
        var response = await admin.Http.GetAsync($"/api/v1/clinics/{Northside}/audit?{query}");
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<AuditPageDto>())!;
    }

    /// <summary>Every event matching the filters, following the cursor to the end.</summary>
    private static async Task<List<AuditEventDto>> AllAsync(ApiSession admin, string query)
    {
        var all = new List<AuditEventDto>();
        long? before = null;
        do
        {
            var page = await PageAsync(admin, $"{query}&limit=200{(before is null ? "" : $"&before={before}")}");
            all.AddRange(page.Events);
            before = page.NextBefore;
        }
        while (before is not null);
        return all;
    }

    /// <summary>RFC 4180 parsing of one line (the export never puts line breaks inside a field's ids or codes).</summary>
    private static AuditEventDto ParseCsv(string line)
    {
        var fields = new List<string>();
        var field = new System.Text.StringBuilder();
        var quoted = false;
        for (var i = 0; i < line.Length; i++)
        {
            var c = line[i];
            if (quoted && c == '"' && i + 1 < line.Length && line[i + 1] == '"')
            {
                field.Append('"');
                i++;
            }
            else if (c == '"')
            {
                quoted = !quoted;
            }
            else if (c == ',' && !quoted)
            {
                fields.Add(field.ToString());
                field.Clear();
            }
            else
            {
                field.Append(c);
            }
        }

        fields.Add(field.ToString());
        Guid? OptionalGuid(string value) => value.Length == 0 ? null : Guid.Parse(value);
        return new AuditEventDto(
            long.Parse(fields[0], CultureInfo.InvariantCulture), DateTimeOffset.Parse(fields[1], CultureInfo.InvariantCulture), fields[2], fields[3],
            OptionalGuid(fields[4]), OptionalGuid(fields[5]), OptionalGuid(fields[6]), fields[7], fields[8].Length == 0 ? null : fields[8]);
    }
}
