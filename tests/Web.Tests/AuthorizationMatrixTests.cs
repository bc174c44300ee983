using System.Net;
using System.Net.Http.Json;
using ClinicChat.Web.Seeding;

namespace ClinicChat.Web.Tests;

/// <summary>
/// Every role against the demo thread between Northside and Pat: only Northside's clinicians and
/// front desk, and Pat, may touch it; everyone else learns nothing (404, as for an unknown id).
/// </summary>
[Collection(AppCollection.Name)]
public sealed class AuthorizationMatrixTests(AppFixture fixture)
{
    public enum Operation
    {
        GetConversation,
        ReadMessages,
        SendMessage,
        Acknowledge,
        Pin,
        Start,
        ListRecords,
    }

    public static TheoryData<string, Operation, HttpStatusCode> Matrix()
    {
        var data = new TheoryData<string, Operation, HttpStatusCode>();
        foreach (var operation in Enum.GetValues<Operation>())
        {
            var clinicStaffOutcome = operation == Operation.SendMessage ? HttpStatusCode.Created : HttpStatusCode.OK;
            data.Add(DemoData.Alice, operation, clinicStaffOutcome);
            data.Add(DemoData.Frank, operation, clinicStaffOutcome);
            data.Add(DemoData.Bill, operation, HttpStatusCode.NotFound);
            data.Add(DemoData.Olga, operation, HttpStatusCode.NotFound);
            // Pat is Lakeview's patient too: "start" opens Lakeview's own thread with Pat, never Northside's.
            data.Add(DemoData.Lara, operation, operation == Operation.Start ? HttpStatusCode.OK : HttpStatusCode.NotFound);
            data.Add(DemoData.Oscar, operation, HttpStatusCode.NotFound);
            data.Add(DemoData.Pat, operation, operation switch
            {
                Operation.Pin or Operation.Start => HttpStatusCode.NotFound,
                Operation.SendMessage => HttpStatusCode.Created,
                _ => HttpStatusCode.OK,
            });
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Matrix))]
    public async Task OnlyTheClinicsChatStaffAndThePatientReachTheThread(string email, Operation operation, HttpStatusCode expected)
    {
        var session = await fixture.App.SignInAsync(email);

        var response = await SendAsync(session.Http, operation);

        Assert.Equal(expected, response.StatusCode);
        if (expected == HttpStatusCode.NotFound)
        {
            Assert.Equal("not_found", (await TestData.ProblemAsync(response)).Code);
        }
    }

    [Theory]
    [InlineData(Operation.GetConversation)]
    [InlineData(Operation.ReadMessages)]
    [InlineData(Operation.SendMessage)]
    [InlineData(Operation.Acknowledge)]
    [InlineData(Operation.Pin)]
    [InlineData(Operation.Start)]
    [InlineData(Operation.ListRecords)]
    public async Task AnonymousGets401(Operation operation)
    {
        using var anonymous = fixture.App.CreateClient();

        var response = await SendAsync(anonymous, operation);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Theory]
    [InlineData(DemoData.Bill)]
    [InlineData(DemoData.Olga)]
    [InlineData(DemoData.Pat)]
    public async Task OnlyChatStaffMaySearchPatients(string email)
    {
        var session = await fixture.App.SignInAsync(email);

        var response = await session.Http.GetAsync("/api/v1/patients?query=pat");

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal("forbidden", (await TestData.ProblemAsync(response)).Code);
    }

    [Fact]
    public async Task StaffOfAnotherClinicNeverSeeThisClinicsPatientsOrThreads()
    {
        var lara = await fixture.App.SignInAsync(DemoData.Lara);

        var patients = await lara.Http.GetFromJsonAsync<List<Api.PatientDto>>("/api/v1/patients?query=nora");
        var threads = await lara.Http.GetFromJsonAsync<Api.ThreadPageDto>("/api/v1/conversations?limit=100");

        Assert.Empty(patients!);
        Assert.All(threads!.Threads, t => Assert.Equal(DemoData.Lakeview, t.ClinicId));
    }

    [Fact]
    public async Task APatientCannotChangeAnotherPatientsPreferencesOrReadTheirInbox()
    {
        var oscar = await fixture.App.SignInAsync(DemoData.Oscar);

        var inbox = await oscar.Http.GetFromJsonAsync<Api.ThreadPageDto>("/api/v1/conversations");
        var prefs = await oscar.Http.GetFromJsonAsync<Api.PreferencesDto>("/api/v1/me/preferences");

        Assert.Empty(inbox!.Threads);
        Assert.False(prefs!.ChatOptIn);
    }

    private static Task<HttpResponseMessage> SendAsync(HttpClient http, Operation operation)
    {
        var thread = TestData.PatThreadAtNorthside;
        return operation switch
        {
            Operation.GetConversation => http.GetAsync($"/api/v1/conversations/{thread}"),
            Operation.ReadMessages => http.GetAsync($"/api/v1/conversations/{thread}/messages"),
            Operation.SendMessage => http.PostAsJsonAsync($"/api/v1/conversations/{thread}/messages", new { clientMessageId = Guid.NewGuid().ToString("N"), text = "matrix" }),
            Operation.Acknowledge => http.PostAsJsonAsync($"/api/v1/conversations/{thread}/receipts", new { readUpToSeq = 1 }),
            Operation.Pin => http.PutAsJsonAsync($"/api/v1/conversations/{thread}/pin", new { value = false }),
            Operation.ListRecords => http.GetAsync($"/api/v1/conversations/{thread}/artifacts?kind=appointment"),
            _ => http.PostAsJsonAsync("/api/v1/conversations", new { patientId = DemoData.PatPortal }),
        };
    }
}
