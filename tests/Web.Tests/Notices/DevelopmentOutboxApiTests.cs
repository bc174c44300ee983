using ClinicChat.Access;
using ClinicChat.Web.Notices;
using Microsoft.AspNetCore.Hosting;

namespace ClinicChat.Web.Tests.Notices;

/// <summary>The development outbox: a clinic's Admins read, in Development, every notice as its recipient would.</summary>
[Collection(AppCollection.Name)]
public sealed class DevelopmentOutboxApiTests(AppFixture fixture)
{
    private ClinicChatApp App => fixture.App;

    [Fact]
    public async Task AnAdminSeesTheClinicsNoticesWordedAsTheirRecipientsReadThemWithTheAddressMasked()
    {
        var patient = await TestPatients.NewAsync(App);
        var session = await App.SignInAsync(patient.Email);
        var test = await session.Http.PostAsJsonAsync("/api/v1/me/notices/test", new { clinicId = DemoData.Northside, channel = "email" });
        Assert.Equal(HttpStatusCode.OK, test.StatusCode);
        var queued = (await test.Content.ReadFromJsonAsync<QueuedNoticeDto>())!;
        var olga = await App.SignInAsync(DemoData.Olga);

        var entries = await olga.Http.GetFromJsonAsync<List<DevelopmentOutboxEntryDto>>($"/api/v1/clinics/{DemoData.Northside}/dev-outbox");

        var entry = Assert.Single(entries!, e => e.Id == queued.Id);
        Assert.Equal(("email", "test", "p***@tests.example"), (entry.Channel, entry.Template, entry.MaskedAddress));
        Assert.Equal("Test notice from Northside Family Dental", entry.Subject);
        Assert.Contains("This is a test notice from Northside Family Dental.", entry.Text, StringComparison.Ordinal);
        Assert.DoesNotContain(patient.Email, entries!.Select(e => e.MaskedAddress));
        Assert.True(entries!.Count <= 100);
    }

    [Fact]
    public async Task AVerificationCodeWithNowhereToGoWaitsInTheOutboxSoADeveloperCanUseIt()
    {
        var patient = await TestPatients.NewAsync(App);
        var session = await App.SignInVerifiedAsync(patient.Email);
        (await session.Http.PostAsJsonAsync("/api/v1/me/contact/mobile", new { number = "+12015550166" })).EnsureSuccessStatusCode();
        var olga = await App.SignInAsync(DemoData.Olga);

        var entries = await olga.Http.GetFromJsonAsync<List<DevelopmentOutboxEntryDto>>($"/api/v1/clinics/{DemoData.Northside}/dev-outbox");
        var entry = Assert.Single(entries!, e => e.Template == "verify-contact" && e.MaskedAddress == "***0166");
        var code = System.Text.RegularExpressions.Regex.Match(entry.Text!, @"verification code is (\d{6})\.").Groups[1].Value;
        var verified = await session.Http.PostAsJsonAsync("/api/v1/me/contact/mobile/verify", new { number = "+12015550166", code });

        Assert.Equal("sms", entry.Channel);
        Assert.Equal(HttpStatusCode.OK, verified.StatusCode);
    }

    [Fact]
    public async Task AnyoneButTheClinicsAdminsGets404()
    {
        var outsiderAdmin = await App.SignInAsync(await SessionTestKit.CreateStaffAsync(App, Guid.NewGuid(), StaffRole.Admin));
        var callers = new[]
        {
            await App.SignInAsync(DemoData.Alice),
            await App.SignInAsync(DemoData.Bill),
            await App.SignInAsync(DemoData.Lara),
            await App.SignInAsync(DemoData.Pat),
            outsiderAdmin,
        };

        foreach (var caller in callers)
        {
            var response = await caller.Http.GetAsync($"/api/v1/clinics/{DemoData.Northside}/dev-outbox");
            Assert.Equal((HttpStatusCode.NotFound, "not_found"), (response.StatusCode, (await TestData.ProblemAsync(response)).Code));
        }
    }
}

/// <summary>Outside Development there is no development outbox, not even for a clinic's Admin.</summary>
public sealed class DevelopmentOutboxProductionTests(DevelopmentOutboxProductionTests.ProductionApp fixture) : IClassFixture<DevelopmentOutboxProductionTests.ProductionApp>
{
    [Fact]
    public async Task InProductionEvenTheClinicsAdminGets404()
    {
        var clinicId = Guid.NewGuid();
        var admin = await fixture.App.SignInAsync(await SessionTestKit.CreateStaffAsync(fixture.App, clinicId, StaffRole.Admin));

        var response = await admin.Http.GetAsync($"/api/v1/clinics/{clinicId}/dev-outbox");

        Assert.Equal((HttpStatusCode.NotFound, "not_found"), (response.StatusCode, (await TestData.ProblemAsync(response)).Code));
    }

    /// <summary>Production's required settings, without demo data; notifications off (no channel is what this test is about).</summary>
    public sealed class ProductionApp : IAsyncLifetime
    {
        public ClinicChatApp App { get; } = new(configure: builder =>
        {
            builder.UseEnvironment("Production");
            builder.UseSetting("ClinicChat:Seed:Demo", "false");
            builder.UseSetting("ClinicChat:Audit:CheckpointKey", EmptyProductionApp.AuditKey);
            builder.UseSetting("AllowedHosts", "localhost");
            builder.UseSetting("ClinicChat:Notifications:Enabled", "false");
            builder.UseDataProtectionCertificate();
        });

        public Task InitializeAsync() => App.StartReadyAsync();

        public Task DisposeAsync() => App.DisposeAndDeleteDataAsync();
    }
}
