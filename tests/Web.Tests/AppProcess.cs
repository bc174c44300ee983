using System.Collections.Concurrent;
using System.Diagnostics;

namespace ClinicChat.Web.Tests;

/// <summary>ClinicChat.Web as a separate OS process on loopback, so that it can be killed for real.</summary>
internal sealed class AppProcess : IDisposable
{
    private readonly Process _process;
    private bool _disposed;

    private AppProcess(Process process, Uri baseAddress, string dataDirectory)
    {
        _process = process;
        BaseAddress = baseAddress;
        DataDirectory = dataDirectory;
    }

    public Uri BaseAddress { get; }

    /// <summary>The process's own folder (the SQLite file in embedded mode; only upload spooling in cluster mode).</summary>
    public string DataDirectory { get; }

    /// <param name="port">The HTTP port; a free one when null (a restarted web node keeps its port, as behind a load balancer).</param>
    public static async Task<AppProcess> StartAsync(string dataDirectory, IReadOnlyDictionary<string, string>? settings = null, string assembly = "ClinicChat.Web.dll", int? port = null)
    {
        port ??= ClinicChatApp.FreePort();
        var start = new ProcessStartInfo("dotnet", Path.Combine(AppContext.BaseDirectory, assembly))
        {
            WorkingDirectory = AppContext.BaseDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            Environment =
            {
                ["ASPNETCORE_ENVIRONMENT"] = "Development",
                // Stand-alone silos are generic hosts: they read DOTNET_ENVIRONMENT, not ASPNETCORE_ENVIRONMENT.
                ["DOTNET_ENVIRONMENT"] = "Development",
                // Any of Urls, ASPNETCORE_URLS or ASPNETCORE_HTTP_PORTS works: appsettings.json sets no port.
                ["Urls"] = $"http://127.0.0.1:{port}",
                ["ClinicChat__Storage__DataDirectory"] = dataDirectory,
                ["ClinicChat__Orleans__SiloPort"] = ClinicChatApp.FreePort().ToString(),
                ["ClinicChat__Orleans__GatewayPort"] = ClinicChatApp.FreePort().ToString(),
                ["ClinicChat__Seed__Demo"] = "true",
            },
        };
        foreach (var (key, value) in TestHttp.GenerousRateLimitVariables.Concat(settings ?? new Dictionary<string, string>()))
        {
            start.Environment[key] = value;
        }

        var process = Process.Start(start)!;
        var output = new ConcurrentQueue<string>();
        void Keep(string? line)
        {
            if (line is null)
            {
                return;
            }

            output.Enqueue(line);
            if (Environment.GetEnvironmentVariable("CLINICCHAT_TEST_PROCESS_LOGS") is { Length: > 0 } folder)
            {
                lock (output)
                {
                    File.AppendAllLines(Path.Combine(folder, $"{Path.GetFileName(dataDirectory)}-{process.Id}.log"), [line]);
                }
            }

            while (output.Count > 40)
            {
                output.TryDequeue(out _);
            }
        }

        process.OutputDataReceived += (_, e) => Keep(e.Data);
        process.ErrorDataReceived += (_, e) => Keep(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var app = new AppProcess(process, new Uri($"http://127.0.0.1:{port}"), dataDirectory);
        try
        {
            await app.WaitUntilReadyAsync(assembly == "ClinicChat.Web.dll" ? null : settings?["ClinicChat__Orleans__GatewayPort"]);
        }
        catch (TimeoutException exception)
        {
            app.Dispose();
            throw new TimeoutException(exception.Message + Environment.NewLine + string.Join(Environment.NewLine, output), exception);
        }

        return app;
    }

    /// <summary>Signs in and also returns the auth cookie, for a SignalR connection.</summary>
    public async Task<(string Cookie, HttpClient Client)> SignInWithCookieAsync(string email)
    {
        var cookies = new CookieContainer();
        var client = new HttpClient(new HttpClientHandler { CookieContainer = cookies }) { BaseAddress = BaseAddress }.WithRequestHeader();
        var response = await client.PostAsJsonAsync("/api/v1/auth/login", new { email, password = DemoData.Password });
        response.EnsureSuccessStatusCode();
        var cookie = cookies.GetCookies(BaseAddress).Single(c => c.Name == "clinicchat.auth");
        return ($"{cookie.Name}={cookie.Value}", client);
    }

    public Task<HttpClient> SignInAsync(string email) => SignInAsync(BaseAddress, email);

    /// <summary>Signs a demo user in at <paramref name="address"/> (a web node or the load balancer in front of them), keeping cookies in <paramref name="cookies"/>.</summary>
    public static async Task<HttpClient> SignInAsync(Uri address, string email, CookieContainer? cookies = null)
    {
        var client = new HttpClient(new HttpClientHandler { CookieContainer = cookies ?? new CookieContainer() }) { BaseAddress = address }.WithRequestHeader();
        var response = await client.PostAsJsonAsync("/api/v1/auth/login", new { email, password = DemoData.Password });
        response.EnsureSuccessStatusCode();
        return client;
    }

    /// <summary>SIGTERM, as an orchestrator stops a node, then waits for a graceful exit.</summary>
    public async Task StopAsync()
    {
        using var term = Process.Start("kill", ["-TERM", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)])!;
        await term.WaitForExitAsync();
        await _process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(60));
    }

    public void Kill()
    {
        _process.Kill(entireProcessTree: true);
        _process.WaitForExit();
    }

    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        if (!_process.HasExited)
        {
            Kill();
        }

        _process.Dispose();
    }

    /// <summary>Polls /readyz (or, for a silo, its gateway port): the only way to know when another process has finished starting.</summary>
    private async Task WaitUntilReadyAsync(string? gatewayPort)
    {
        if (gatewayPort is not null)
        {
            if (!await Readiness.PortOpenAsync(int.Parse(gatewayPort, System.Globalization.CultureInfo.InvariantCulture), () => _process.HasExited, StartLimit))
            {
                throw new TimeoutException($"The silo did not open its gateway (exited: {_process.HasExited}).");
            }

            return;
        }

        if (!await Readiness.ReadyzAsync(BaseAddress, () => _process.HasExited, StartLimit))
        {
            throw new TimeoutException($"ClinicChat did not become ready (exited: {_process.HasExited}).");
        }
    }

    /// <summary>
    /// A ceiling for a condition we poll, not a wait. A cluster web node that seeds the demo starts in about 11 s alone;
    /// in CI, beside the browser suite's Chromium and other tests' processes on two cores, one took more than 90 s
    /// (the seed began after 40 s), so the ceiling leaves room for that.
    /// </summary>
    private static readonly TimeSpan StartLimit = TimeSpan.FromSeconds(240);
}
