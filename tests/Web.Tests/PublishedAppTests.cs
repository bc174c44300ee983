using System.Collections.Concurrent;
using System.Diagnostics;
using System.Reflection.PortableExecutable;
using System.Text.RegularExpressions;

namespace ClinicChat.Web.Tests;

/// <summary>
/// What an operator installs: <c>dotnet publish src/Web -c Release</c> into a folder, started from there in
/// Production on an empty data folder with its secrets from the environment and key-per-file, listening where
/// ASPNETCORE_URLS says. Each fact is one step through the real files; later steps (first Admin, sign-in, chat)
/// are added as facts on the same running app.
/// </summary>
[Trait("Category", "Slow")] // a Release publish and a process
public sealed class PublishedAppTests(PublishedAppFixture published) : IClassFixture<PublishedAppFixture>
{
    [Fact]
    public void ThePublishHoldsTheWebAppAndOnlyLinuxX64NativeLibraries()
    {
        var folder = published.PublishDirectory;

        Assert.True(File.Exists(Path.Combine(folder, "wwwroot", "index.html")));
        Assert.NotEmpty(Directory.GetFiles(Path.Combine(folder, "wwwroot", "assets"), "*.js"));
        Assert.True(File.Exists(Path.Combine(folder, "libe_sqlite3.so")));
        Assert.True(File.Exists(Path.Combine(folder, "Magick.Native-Q8-x64.dll.so")));
        Assert.False(Directory.Exists(Path.Combine(folder, "runtimes")), "native libraries of other platforms were published");
    }

    [Theory]
    [InlineData("ClinicChat.Web.dll", true)]
    [InlineData("ClinicChat.Grains.dll", true)]
    [InlineData("Orleans.Runtime.dll", true)]
    [InlineData("Microsoft.AspNetCore.Identity.EntityFrameworkCore.dll", true)]
    // Roslyn comes with Orleans' SDK and never runs: compiling it ahead would only add 12 MB.
    [InlineData("Microsoft.CodeAnalysis.dll", false)]
    public void ThePublishIsReadyToRunForWhatAStartRuns(string assembly, bool precompiled)
    {
        using var stream = File.OpenRead(Path.Combine(published.PublishDirectory, assembly));
        using var reader = new PEReader(stream);

        // A ReadyToRun image's CLI header points at its native code's header; an IL-only image has none.
        Assert.Equal(precompiled, reader.PEHeaders.CorHeader!.ManagedNativeHeaderDirectory.Size > 0);
    }

    [Fact]
    public async Task TheRootServesTheWebAppAndItsHashedScriptsAndStylesLoad()
    {
        using var client = published.Client();

        var index = await client.GetAsync("/");
        var html = await index.Content.ReadAsStringAsync();
        var assets = Regex.Matches(html, "(?:src|href)=\"(/assets/[^\"]+\\.(?:js|css))\"").Select(m => m.Groups[1].Value).ToList();
        var loaded = await Task.WhenAll(assets.Select(async asset => (asset, response: await client.GetAsync(asset))));

        Assert.Equal(HttpStatusCode.OK, index.StatusCode);
        Assert.Equal("text/html", index.Content.Headers.ContentType?.MediaType);
        Assert.Contains(assets, a => a.EndsWith(".js", StringComparison.Ordinal));
        Assert.Contains(assets, a => a.EndsWith(".css", StringComparison.Ordinal));
        Assert.All(loaded, l => Assert.Equal(HttpStatusCode.OK, l.response.StatusCode));
        Assert.All(loaded, l => Assert.Equal(l.asset.EndsWith(".js", StringComparison.Ordinal) ? "text/javascript" : "text/css", l.response.Content.Headers.ContentType?.MediaType));
    }

    [Fact]
    public async Task ADeepLinkFallsBackToTheWebApp()
    {
        using var client = published.Client();

        var root = await client.GetStringAsync("/");
        var deepLink = await client.GetAsync("/chat");

        Assert.Equal(HttpStatusCode.OK, deepLink.StatusCode);
        Assert.Equal(root, await deepLink.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task HealthzReportsTheVersionAndTheCommitItWasBuiltFrom()
    {
        using var client = published.Client();

        using var health = JsonDocument.Parse(await client.GetStringAsync("/healthz"));

        Assert.Equal("Healthy", health.RootElement.GetProperty("status").GetString());
        Assert.Matches(@"^\d+\.\d+\.\d+", health.RootElement.GetProperty("version").GetString());
        Assert.Equal(published.BuiltFromCommit ?? "unknown", health.RootElement.GetProperty("commit").GetString());
    }

    [Fact]
    public async Task SignInWithWrongCredentialsAnswers401ProblemDetails()
    {
        using var client = published.Client();

        var response = await client.PostAsJsonAsync("/api/v1/auth/login", new { email = "nobody@clinic.example", password = "not-the-password" });
        using var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync());

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(ApiErrors.InvalidCredentials, problem.RootElement.GetProperty("code").GetString());
    }

    /// <summary>
    /// The install as an operator does it, on the published files: the operator command creates the first clinic and
    /// prints its Admin's link; the Admin chooses a password, is signed in, signs in again later and opens the clinic's
    /// Admin view (the audit log, whose chain verifies). Chat itself needs a clinician or front-desk account, which an
    /// Admin cannot be: the Admin is told so, not shown an error.
    /// </summary>
    [Fact]
    public async Task TheOperatorCommandCreatesTheFirstClinicWhoseAdminSignsInAndOpensTheAdminView()
    {
        using var client = published.Client();
        const string email = "first.admin@harbour-dental.example";
        const string password = "Harbour!Dental-2026";

        var (exitCode, output) = await published.RunOperatorAsync(
            "create-clinic", "--name", "Harbour Dental", "--time-zone", "Europe/London", "--admin-email", email, "--admin-name", "Hana Okafor");
        var clinicId = Regex.Match(output, "Created clinic ([0-9a-f-]{36})").Groups[1].Value;
        var token = Regex.Match(output, "#/set-password/(\\S+)").Groups[1].Value;
        var accepted = await client.PostAsJsonAsync("/api/v1/invitations/accept", new { token, password });
        var signIn = await client.PostAsJsonAsync("/api/v1/auth/login", new { email, password });
        // Production marks the session cookie Secure; this test speaks plain HTTP on loopback, so it carries the cookie itself.
        using var admin = published.Client();
        admin.DefaultRequestHeaders.Add("Cookie", SessionCookie(signIn));
        var me = await admin.GetStringAsync("/api/v1/me");
        var audit = await admin.GetStringAsync($"/api/v1/clinics/{clinicId}/audit");
        var verified = await admin.GetAsync($"/api/v1/clinics/{clinicId}/audit/verify");
        var chat = await admin.GetAsync("/api/v1/conversations");
        var listed = await published.RunOperatorAsync("list-clinics");

        Assert.True(exitCode == 0, output);
        Assert.Equal((HttpStatusCode.OK, HttpStatusCode.OK), (accepted.StatusCode, signIn.StatusCode));
        Assert.Contains("Harbour Dental", me, StringComparison.Ordinal);
        Assert.Contains(AuditActions.ClinicCreated, audit, StringComparison.Ordinal);
        Assert.Contains(AuditActions.InvitationAccepted, audit, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, verified.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, chat.StatusCode);
        Assert.Equal("application/problem+json", chat.Content.Headers.ContentType?.MediaType);
        Assert.Contains("Harbour Dental", listed.Output, StringComparison.Ordinal);
        // Only the answer: the server's appsettings would add the host's "Application started. Press Ctrl+C…" lines.
        Assert.StartsWith("id\tstatus", listed.Output, StringComparison.Ordinal);
        Assert.DoesNotContain(token, string.Join(Environment.NewLine, published.ServerOutput), StringComparison.Ordinal);
    }

    private static string SessionCookie(HttpResponseMessage signIn) =>
        signIn.Headers.GetValues("Set-Cookie").Select(c => c.Split(';')[0]).Single(c => c.StartsWith("clinicchat.auth=", StringComparison.Ordinal));

    [Fact]
    public async Task WithoutItsSecretsThePublishedAppExitsNonZeroWithOneMessageListingEveryMissingSetting()
    {
        var (exitCode, output) = await published.RunUntilExitAsync(PublishedAppFixture.Settings.None);

        Assert.NotEqual(0, exitCode);
        Assert.Single(Regex.Matches(output, "required setting\\(s\\) missing or invalid"));
        Assert.Contains("5 required setting(s)", output, StringComparison.Ordinal);
        Assert.Contains("Notifications are on but no channel is configured", output, StringComparison.Ordinal);
        Assert.Contains("ClinicChat:Notifications:PublicBaseUrl", output, StringComparison.Ordinal);
        Assert.Contains("ClinicChat:Audit:CheckpointKey is not set", output, StringComparison.Ordinal);
        Assert.Contains("AllowedHosts must list", output, StringComparison.Ordinal);
        Assert.Contains("ClinicChat:DataProtection:CertificatePath is not set", output, StringComparison.Ordinal);
        Assert.DoesNotContain("Unhandled exception", output, StringComparison.Ordinal);
    }
}

/// <summary>Publishes src/Web once for the class and runs the output in Production until the class ends.</summary>
public sealed class PublishedAppFixture : IAsyncLifetime
{
    private const string CertificatePassword = "pfx-password-for-tests";
    private readonly string _root = Path.Combine(Path.GetTempPath(), "clinicchat-published-" + Guid.NewGuid().ToString("N"));
    private readonly ConcurrentQueue<string> _output = new();

    /// <summary>Where the published app sends email notices (production refuses to start without a channel).</summary>
    private readonly ClinicChat.Tests.Notices.LoopbackSmtpServer _smtp = ClinicChat.Tests.Notices.LoopbackSmtpServer.Start();
    private Process? _app;
    private ProcessStartInfo? _appStart;

    public enum Settings
    {
        /// <summary>What Production requires: an audit key and the certificate's password as key-per-file secrets, host names, the certificate's path.</summary>
        Required,

        /// <summary>Nothing beyond the port and the data folder.</summary>
        None,
    }

    public string PublishDirectory => Path.Combine(_root, "publish");

    public Uri BaseAddress { get; private set; } = null!;

    /// <summary>A client as the web app is: it sends the header every write needs.</summary>
    public HttpClient Client() => new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(30) }.WithRequestHeader();

    /// <summary>The commit git reported when the publish started (null without git).</summary>
    public string? BuiltFromCommit { get; private set; }

    public async Task InitializeAsync()
    {
        BuiltFromCommit = GitCommit();
        var (exitCode, output) = await RunAsync(Dotnet(RepositoryRoot(), "publish", Path.Combine(RepositoryRoot(), "src", "Web"), "-c", "Release", "-o", PublishDirectory, "--nologo"), TimeSpan.FromMinutes(15));
        Assert.True(exitCode == 0, "dotnet publish failed:" + Environment.NewLine + output);

        var port = ClinicChatApp.FreePort();
        BaseAddress = new Uri($"http://127.0.0.1:{port}");
        _appStart = AppStart(Settings.Required, port);
        _app = Process.Start(_appStart)!;
        _app.OutputDataReceived += (_, e) => Keep(e.Data);
        _app.ErrorDataReceived += (_, e) => Keep(e.Data);
        _app.BeginOutputReadLine();
        _app.BeginErrorReadLine();
        await WaitUntilReadyAsync();
    }

    public Task DisposeAsync()
    {
        if (_app is { HasExited: false })
        {
            _app.Kill(entireProcessTree: true);
            _app.WaitForExit();
        }

        _app?.Dispose();
        _smtp.Dispose();
        if (Directory.Exists(_root))
        {
            Directory.Delete(_root, recursive: true);
        }

        return Task.CompletedTask;
    }

    /// <summary>Starts another instance of the published app (its own data folder and port) and waits for it to end by itself.</summary>
    public Task<(int ExitCode, string Output)> RunUntilExitAsync(Settings settings) =>
        RunAsync(AppStart(settings, ClinicChatApp.FreePort()), TimeSpan.FromMinutes(2));

    /// <summary>What the running app has printed lately (its last lines).</summary>
    public IReadOnlyCollection<string> ServerOutput => _output.ToArray();

    /// <summary>The published operator command, run beside the running app with its environment, as an operator would.</summary>
    public Task<(int ExitCode, string Output)> RunOperatorAsync(params string[] arguments)
    {
        var start = Dotnet(PublishDirectory, [Path.Combine(PublishDirectory, "ClinicChat.Web.dll"), "operator", .. arguments]);
        foreach (var (key, value) in _appStart!.Environment)
        {
            start.Environment[key] = value;
        }

        start.Environment["ClinicChat__Onboarding__PublicBaseUrl"] = BaseAddress.ToString().TrimEnd('/');
        return RunAsync(start, TimeSpan.FromMinutes(2));
    }

    /// <summary>The commit the working tree is at, as git reports it; null without git (the build then reports "unknown").</summary>
    private static string? GitCommit()
    {
        try
        {
            using var git = Process.Start(new ProcessStartInfo("git", ["rev-parse", "HEAD"]) { WorkingDirectory = RepositoryRoot(), RedirectStandardOutput = true, RedirectStandardError = true })!;
            var commit = git.StandardOutput.ReadToEnd().Trim();
            git.WaitForExit();
            return git.ExitCode == 0 ? commit : null;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return null;
        }
    }

    private ProcessStartInfo AppStart(Settings settings, int port)
    {
        var instance = Path.Combine(_root, "instance-" + Guid.NewGuid().ToString("N"));
        var start = Dotnet(PublishDirectory, Path.Combine(PublishDirectory, "ClinicChat.Web.dll"));
        foreach (var inherited in start.Environment.Keys.Where(k => k.StartsWith("ClinicChat", StringComparison.OrdinalIgnoreCase) || k.StartsWith("ASPNETCORE_", StringComparison.Ordinal) || k is "DOTNET_ENVIRONMENT" or "AllowedHosts" or "Urls").ToList())
        {
            start.Environment.Remove(inherited);
        }

        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        start.Environment["ASPNETCORE_URLS"] = $"http://127.0.0.1:{port}";
        start.Environment["ClinicChat__Storage__DataDirectory"] = Path.Combine(instance, "data");
        start.Environment["ClinicChat__Orleans__SiloPort"] = ClinicChatApp.FreePort().ToString();
        start.Environment["ClinicChat__Orleans__GatewayPort"] = ClinicChatApp.FreePort().ToString();
        // An empty secrets folder: nothing from a /run/secrets of the machine running the tests leaks in.
        var secrets = Directory.CreateDirectory(Path.Combine(instance, "secrets")).FullName;
        start.Environment["CLINICCHAT_SECRETS_DIR"] = secrets;
        if (settings == Settings.Required)
        {
            File.WriteAllText(Path.Combine(secrets, "ClinicChat__Audit__CheckpointKey"), "a-published-app-test-audit-checkpoint-key\n");
            File.WriteAllText(Path.Combine(secrets, "ClinicChat__DataProtection__CertificatePassword"), CertificatePassword);
            start.Environment["ClinicChat__DataProtection__CertificatePath"] = TestCertificates.WritePkcs12(instance, CertificatePassword);
            start.Environment["AllowedHosts"] = "127.0.0.1";
            start.Environment["ClinicChat__Notifications__PublicBaseUrl"] = $"http://127.0.0.1:{port}";
            start.Environment["ClinicChat__Email__Smtp__Host"] = "127.0.0.1";
            start.Environment["ClinicChat__Email__Smtp__Port"] = _smtp.Port.ToString(System.Globalization.CultureInfo.InvariantCulture);
            start.Environment["ClinicChat__Email__Smtp__UseTls"] = "false";
            start.Environment["ClinicChat__Email__Smtp__From"] = "notices@clinic.test";
        }

        return start;
    }

    /// <summary>
    /// The child is a plain <c>dotnet</c> command, as an operator types it: the MSBuild and test-host variables
    /// of the test run (which a build inside a test would otherwise pick up) are removed.
    /// </summary>
    internal static ProcessStartInfo Dotnet(string workingDirectory, params string[] arguments)
    {
        var start = new ProcessStartInfo("dotnet", arguments)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var key in start.Environment.Keys.Where(k => k.StartsWith("MSBuild", StringComparison.OrdinalIgnoreCase) || k.StartsWith("VSTEST", StringComparison.OrdinalIgnoreCase) || k is "DOTNET_HOST_PATH").ToList())
        {
            start.Environment.Remove(key);
        }

        return start;
    }

    internal static async Task<(int ExitCode, string Output)> RunAsync(ProcessStartInfo start, TimeSpan timeout)
    {
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        try
        {
            await process.WaitForExitAsync().WaitAsync(timeout);
        }
        catch (TimeoutException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }

        return (process.ExitCode, await stdout + await stderr);
    }

    private void Keep(string? line)
    {
        if (line is null)
        {
            return;
        }

        _output.Enqueue(line);
        while (_output.Count > 60)
        {
            _output.TryDequeue(out _);
        }
    }

    private async Task WaitUntilReadyAsync()
    {
        if (!await Readiness.ReadyzAsync(BaseAddress, () => _app!.HasExited, TimeSpan.FromSeconds(120)))
        {
            throw new TimeoutException($"The published app did not become ready (exited: {_app!.HasExited}).{Environment.NewLine}{string.Join(Environment.NewLine, _output)}");
        }
    }

    internal static string RepositoryRoot()
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            if (File.Exists(Path.Combine(folder.FullName, "ClinicChat.sln")))
            {
                return folder.FullName;
            }
        }

        throw new InvalidOperationException("ClinicChat.sln not found above " + AppContext.BaseDirectory);
    }
}
