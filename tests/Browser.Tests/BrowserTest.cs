using System.Runtime.CompilerServices;

namespace ClinicChat.Browser.Tests;

/// <summary>
/// Each test signs people in, in their own browser contexts. Any console error or page error fails
/// the test; a failing test leaves a screenshot of every page under TestResults/screenshots.
/// </summary>
public abstract class BrowserTest(BrowserFixture fixture, ITestOutputHelper output) : IAsyncLifetime
{
    private readonly List<IBrowserContext> _contexts = [];
    private readonly List<IPage> _pages = [];
    private readonly List<string> _errors = [];
    private readonly List<string> _allowedErrors = [];

    protected BrowserFixture Fixture => fixture;

    /// <summary>A console error the test itself causes (for example by taking the browser offline).</summary>
    protected void AllowConsoleError(string containing) => _allowedErrors.Add(containing);

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        foreach (var context in _contexts)
        {
            await context.CloseAsync();
        }
    }

    protected async Task<IPage> OpenAsync(int width = 1280, int height = 800, string? initScript = null, string timezoneId = "UTC")
    {
        var context = await fixture.Browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = fixture.BaseUrl,
            ViewportSize = new ViewportSize { Width = width, Height = height },
            Locale = "en-GB",
            // Times on cards and messages are asserted as text: pin the zone they are shown in.
            TimezoneId = timezoneId,
        });
        // CI runs the three test projects at once on two cores, and this project starts several apps with their own
        // silos and browsers; a first navigation there once took longer than Playwright's 30 s default while nothing
        // was wrong. A page that never loads still fails, a minute later; assertions keep their own 10 s expectations.
        context.SetDefaultNavigationTimeout(60_000);
        _contexts.Add(context);
        if (initScript is not null)
        {
            await context.AddInitScriptAsync(initScript);
        }

        var page = await context.NewPageAsync();
        page.Console += (_, message) =>
        {
            if (message.Type == "error")
            {
                _errors.Add($"console: {message.Text}");
            }
        };
        page.PageError += (_, error) => _errors.Add($"page error: {error}");
        _pages.Add(page);
        return page;
    }

    protected async Task<IPage> SignInAsync(string email, int width = 1280, int height = 800, string? initScript = null, string timezoneId = "UTC")
    {
        var page = await OpenAsync(width, height, initScript, timezoneId);
        await page.GotoAsync("/");
        await page.GetByRole(AriaRole.Textbox, new() { Name = "Email" }).FillAsync(email);
        await page.GetByRole(AriaRole.Textbox, new() { Name = "Password" }).FillAsync(Web.Seeding.DemoData.Password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Sign out", Exact = true })).ToBeVisibleAsync();
        return page;
    }

    /// <summary>Runs the test body; on failure saves screenshots, then rethrows. Console errors fail the test.</summary>
    protected async Task RunAsync(Func<Task> body, [CallerMemberName] string testName = "")
    {
        try
        {
            await body();
            Assert.DoesNotContain(_errors, e => !_allowedErrors.Any(allowed => e.Contains(allowed, StringComparison.Ordinal)));
        }
        catch
        {
            var folder = Path.Combine(AppContext.BaseDirectory, "TestResults", "screenshots");
            Directory.CreateDirectory(folder);
            for (var i = 0; i < _pages.Count; i++)
            {
                var path = Path.Combine(folder, $"{testName}-{i}.png");
                try
                {
                    await _pages[i].ScreenshotAsync(new() { Path = path, FullPage = true });
                    output.WriteLine($"Screenshot: {path}");
                }
                catch (PlaywrightException)
                {
                    // The page is gone; nothing to show.
                }
            }

            foreach (var error in _errors)
            {
                output.WriteLine(error);
            }

            throw;
        }
    }

    /// <summary>A new thread between Northside and a generated patient, opened in Alice's Chat.</summary>
    protected async Task<(Web.Seeding.GeneratedPatient Patient, Guid Thread, IPage Staff)> OpenNewThreadAsync(int patientIndex)
    {
        var patient = StaffChatTests.Patient(patientIndex);
        var (thread, staff) = await OpenThreadAsync(patient.Id);
        return (patient, thread, staff);
    }

    /// <summary>
    /// A new thread with a patient made for this test alone, opened in Alice's Chat. New tests use this rather than a
    /// seeded patient's index (the seeded ones are all taken).
    /// </summary>
    protected async Task<(ClinicChat.Tests.Shared.TestPatient Patient, Guid Thread, IPage Staff)> OpenFreshThreadAsync()
    {
        var patient = await fixture.CreatePatientAsync();
        var (thread, staff) = await OpenThreadAsync(patient.Id);
        return (patient, thread, staff);
    }

    private async Task<(Guid Thread, IPage Staff)> OpenThreadAsync(Guid patientId)
    {
        using var alice = await fixture.ApiAsync(Web.Seeding.DemoData.Alice);
        var thread = await fixture.StartThreadAsync(alice, patientId);
        var staff = await SignInAsync(Web.Seeding.DemoData.Alice);
        await staff.GotoAsync($"/#/chat/{thread}");
        return (thread, staff);
    }

    /// <summary>A sidebar row, found by its link (named by the patient or clinic).</summary>
    protected static ILocator ThreadItem(IPage page, string name) =>
        page.GetByRole(AriaRole.Listitem).Filter(new() { Has = page.GetByRole(AriaRole.Link, new() { Name = name, Exact = true }) });

    protected static ILocator Log(IPage page) => page.GetByRole(AriaRole.Log);

    /// <summary>The newest message in a page's conversation that contains a text.</summary>
    protected static ILocator Article(IPage page, string text) =>
        Log(page).GetByRole(AriaRole.Article).Filter(new() { HasText = text }).Last;

    protected static ILocator Composer(IPage page) => page.GetByRole(AriaRole.Textbox, new() { Name = "Message" });

    protected static async Task SendAsync(IPage page, string text)
    {
        await Composer(page).FillAsync(text);
        await Composer(page).PressAsync("Enter");
        await Expect(Log(page)).ToContainTextAsync(text);
    }
}
