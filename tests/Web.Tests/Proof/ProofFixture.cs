using System.Net.Http.Headers;
using ClinicChat.Conversations;
using Microsoft.Extensions.Logging;

namespace ClinicChat.Web.Tests.Proof;

/// <summary>Who sends a request in the matrix: one column each.</summary>
public enum Caller
{
    Anonymous,
    Clinician,
    FrontDesk,
    Billing,
    Admin,
    OtherClinicStaff,
    ThreadPatient,
    OtherPatient,
}

/// <summary>Whose resource the path (or body) names.</summary>
public enum Scope
{
    /// <summary>The endpoint names no resource.</summary>
    None,

    /// <summary>The Clinician's clinic, the ThreadPatient's thread and its files and records.</summary>
    Own,

    /// <summary>Another clinic's thread, file, record or the clinic itself (OtherClinicStaff's clinic).</summary>
    OtherClinic,

    /// <summary>Ids that name nothing.</summary>
    Unknown,
}

/// <summary>The ids a path template's parameters are filled with, for one scope.</summary>
public sealed record ScopeResources(Guid ClinicId, Guid PatientId, Guid ConversationId, Guid AttachmentId, Guid RecordId)
{
    /// <summary>The value for a route parameter or a {placeholder} in a query; an endpoint with a new parameter name fails here until one is added.</summary>
    private static readonly Guid NoSuchStaffId = Guid.Parse("5a5a5a5a-0000-4000-8000-00000000057a");

    public string ValueOf(string parameter) => parameter switch
    {
        "clinicId" => ClinicId.ToString(),
        "patientId" => PatientId.ToString(),
        "id" => ConversationId.ToString(),
        "attachmentId" => AttachmentId.ToString(),
        "recordId" => RecordId.ToString(),
        // The patient's reply in each scope's thread (the second message): nothing a staff member may withdraw.
        "seq" => "2",
        // Nobody's: a staff action on a real member or invitation would change what later cells see (StaffAdminTests prove those).
        "userId" or "invitationId" => NoSuchStaffId.ToString(),
        "clientId" => NoSuchStaffId.ToString("N"),
        // Nobody's quick reply: QuickRepliesTests change and delete real ones.
        "replyId" => NoSuchStaffId.ToString(),
        // The worlds hold no passkeys: a credential id (base64url) that is no one's, in every scope.
        "passkeyId" => Microsoft.AspNetCore.WebUtilities.WebEncoders.Base64UrlEncode(RecordId.ToByteArray()),
        _ => throw new InvalidOperationException($"No value for the parameter {{{parameter}}}: add it to {nameof(ScopeResources)}."),
    };
}

/// <summary>
/// The people and resources a test acts on. The matrix and the fuzz test each have their own world,
/// so that what the fuzz corpus is allowed to change (a message with a script in it, a locked-out
/// spare account) never changes what a matrix cell expects.
/// </summary>
public sealed record World(string Name, IReadOnlyDictionary<Caller, string> Emails, string SpareEmail, IReadOnlyDictionary<Scope, ScopeResources> Resources);

/// <summary>
/// One app of its own for the proof tests (so that stored-data comparisons see only their own
/// requests), its OpenAPI document, signed-in sessions and the resources every cell names, created once.
/// </summary>
public sealed class ProofFixture : IAsyncLifetime
{
    private readonly Dictionary<string, Session> _sessions = [];

    public ProofFixture()
    {
        App = new ClinicChatApp(
            services: services => services.AddSingleton<ILoggerProvider>(Logs),
            // Stored-data comparisons must see only the request under test: the notice sweeper and dispatcher would
            // otherwise move an earlier request's notice (outbox row, notice.sent audit row) while a refused one runs.
            configure: builder => builder.UseSetting("ClinicChat:Notifications:RunInBackground", "false"));
        Api = new ProofApi(App);
    }

    public CapturedLogs Logs { get; } = new();

    public ClinicChatApp App { get; }

    public ProofApi Api { get; }

    public IReadOnlyList<ApiOperation> Operations { get; private set; } = [];

    public World MatrixWorld { get; private set; } = null!;

    public World FuzzWorld { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        using (var ready = await Api.GetAsync("/readyz", null))
        {
            Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        }

        using (var document = await Api.GetAsync(OpenApiOperations.DocumentPath, null))
        {
            Operations = OpenApiOperations.Parse(await document.Content.ReadAsStringAsync());
        }

        // Northside-only portal patients, opted in; the first 30 generated patients have seeded appointments.
        var northsideOnly = DemoData.Generated().Select((patient, index) => (patient, index))
            .Where(p => p.patient.Email is not null && p.patient.OptedIn && !p.patient.AlsoLakeview).ToList();
        var withRecords = northsideOnly.Where(p => p.index < 30).Select(p => p.patient).ToList();
        var others = northsideOnly.Where(p => p.index >= 30).Select(p => p.patient).ToList();

        var otherClinic = await OtherClinicResourcesAsync();
        var unknown = new ScopeResources(
            new Guid("0badc0de-0000-4000-8000-000000000001"), new Guid("0badc0de-0000-4000-8000-000000000002"), new Guid("0badc0de-0000-4000-8000-000000000003"),
            new Guid("0badc0de-0000-4000-8000-000000000004"), new Guid("0badc0de-0000-4000-8000-000000000005"));

        MatrixWorld = await WorldAsync("matrix", DemoData.Frank, threadPatient: withRecords[0], otherPatient: others[^1], spare: others[^2], otherClinic, unknown);
        // Mo is front desk here too; wrong passwords sent as the fuzz world's front desk lock out no one a matrix cell needs.
        FuzzWorld = await WorldAsync("fuzz", DemoData.Mo, threadPatient: withRecords[1], otherPatient: others[^3], spare: others[^4], otherClinic, unknown);
    }

    public Task DisposeAsync() => App.DisposeAndDeleteDataAsync();

    /// <summary>The caller's session (signed in once and reused); null for the anonymous caller.</summary>
    public async Task<Session?> SessionAsync(World world, Caller caller)
    {
        if (caller == Caller.Anonymous)
        {
            return null;
        }

        var email = world.Emails[caller];
        if (!_sessions.TryGetValue(email, out var session))
        {
            session = await Api.SignInAsync(email);
            _sessions[email] = session;
        }

        return session;
    }

    /// <summary>
    /// As a browser does: a response that issues a new auth cookie (sign-in, re-authentication)
    /// continues the caller's session with it; one that clears it (sign-out) ends it, and the
    /// caller's next cell signs in again.
    /// </summary>
    public void Follow(World world, Caller caller, HttpResponseMessage response)
    {
        if (caller == Caller.Anonymous || !response.Headers.TryGetValues("Set-Cookie", out var cookies))
        {
            return;
        }

        var email = world.Emails[caller];
        var cookie = cookies.Select(c => c.Split(';')[0]).FirstOrDefault(c => c.StartsWith(ProofApi.AuthCookiePrefix, StringComparison.Ordinal));
        if (cookie is null)
        {
            return;
        }

        if (cookie.Length > ProofApi.AuthCookiePrefix.Length)
        {
            _sessions[email] = new Session(email, cookie);
        }
        else
        {
            _sessions.Remove(email);
        }
    }

    public static HttpContent PngUpload(string fileName = "scan.png")
    {
        var file = new ByteArrayContent(SampleFiles.For(".png"));
        file.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        return new MultipartFormDataContent { { file, "file", fileName } };
    }

    private async Task<World> WorldAsync(string name, string frontDesk, GeneratedPatient threadPatient, GeneratedPatient otherPatient, GeneratedPatient spare, ScopeResources otherClinic, ScopeResources unknown)
    {
        var world = new World(
            name,
            new Dictionary<Caller, string>
            {
                [Caller.Clinician] = DemoData.Alice,
                [Caller.FrontDesk] = frontDesk,
                [Caller.Billing] = DemoData.Bill,
                [Caller.Admin] = DemoData.Olga,
                [Caller.OtherClinicStaff] = DemoData.Lara,
                [Caller.ThreadPatient] = threadPatient.Email!,
                [Caller.OtherPatient] = otherPatient.Email!,
            },
            spare.Email!,
            new Dictionary<Scope, ScopeResources>());
        var alice = (await SessionAsync(world, Caller.Clinician))!;
        var patient = (await SessionAsync(world, Caller.ThreadPatient))!;
        var thread = await ExpectAsync<ConversationDto>(Api.PostAsync("/api/v1/conversations", new { patientId = threadPatient.Id }, alice));
        await ExpectAsync<MessageDto>(Api.PostAsync($"/api/v1/conversations/{thread.Id}/messages", new { clientMessageId = $"{name}-1", text = "Your results are in." }, alice));
        await ExpectAsync<MessageDto>(Api.PostAsync($"/api/v1/conversations/{thread.Id}/messages", new { clientMessageId = $"{name}-2", text = "Thank you!" }, patient));
        var own = new ScopeResources(DemoData.Northside, threadPatient.Id, thread.Id, await UploadAsync(thread.Id, alice), await FirstAppointmentAsync(thread.Id, alice));
        return world with { Resources = new Dictionary<Scope, ScopeResources> { [Scope.Own] = own, [Scope.OtherClinic] = otherClinic, [Scope.Unknown] = unknown } };
    }

    /// <summary>Lakeview's seeded thread with Pat, a file Lara uploads to it, and Pat's Lakeview appointment.</summary>
    private async Task<ScopeResources> OtherClinicResourcesAsync()
    {
        var lara = await Api.SignInAsync(DemoData.Lara);
        var thread = ConversationId.For(DemoData.Lakeview, DemoData.PatPortal);
        return new ScopeResources(DemoData.Lakeview, DemoData.PatPortal, thread, await UploadAsync(thread, lara), await FirstAppointmentAsync(thread, lara));
    }

    /// <summary>A file uploaded and sent (an unsent upload is readable by its uploader alone).</summary>
    private async Task<Guid> UploadAsync(Guid thread, Session session)
    {
        var file = (await ExpectAsync<AttachmentDto>(Api.SendAsync(new HttpRequestMessage(HttpMethod.Post, $"/api/v1/conversations/{thread}/attachments") { Content = PngUpload() }, session))).AttachmentId;
        await ExpectAsync<MessageDto>(Api.PostAsync($"/api/v1/conversations/{thread}/messages", new { clientMessageId = $"file-{file:N}", text = "", attachmentIds = new[] { file } }, session));
        return file;
    }

    private async Task<Guid> FirstAppointmentAsync(Guid thread, Session session) =>
        (await ExpectAsync<RecordListDto>(Api.GetAsync($"/api/v1/conversations/{thread}/records?kind=appointment", session))).Items[0].Id;

    private static async Task<T> ExpectAsync<T>(Task<HttpResponseMessage> request)
    {
        using var response = await request;
        Assert.True(response.IsSuccessStatusCode, $"{response.RequestMessage?.Method} {response.RequestMessage?.RequestUri} answered {(int)response.StatusCode}.");
        return (await response.Content.ReadFromJsonAsync<T>())!;
    }
}

[CollectionDefinition(Name)]
public sealed class ProofCollection : ICollectionFixture<ProofFixture>
{
    public const string Name = "proof";
}
