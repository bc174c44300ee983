using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace ClinicChat.Bench;

/// <summary>
/// ClinicChat.Web (embedded mode) as a child process on free loopback ports with a fresh data
/// folder and demo data, started like tests/Web.Tests/AppProcess does, so that every scenario
/// measures a process it owns and nothing else.
/// </summary>
public sealed class ClinicChatServer : IAsyncDisposable
{
    private readonly Process _process;
    private readonly string _dataDirectory;

    private ClinicChatServer(Process process, Uri baseAddress, string dataDirectory, long startedAt)
    {
        _process = process;
        _dataDirectory = dataDirectory;
        BaseAddress = baseAddress;
        StartedAt = startedAt;
        Meter = new ProcessMeter(process.Id);
    }

    public Uri BaseAddress { get; }

    /// <summary>Stopwatch timestamp taken just before the process was launched.</summary>
    public long StartedAt { get; }

    public ProcessMeter Meter { get; }

    public bool HasExited => _process.HasExited;

    /// <summary>Launches the process without waiting for it to be ready (the cold-start scenario times that itself).</summary>
    public static ClinicChatServer Launch(string webAssembly)
    {
        var port = FreePort();
        var dataDirectory = Path.Combine(Path.GetTempPath(), "clinicchat-bench-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dataDirectory);
        var start = new ProcessStartInfo("dotnet", webAssembly)
        {
            WorkingDirectory = Path.GetDirectoryName(webAssembly)!,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            Environment =
            {
                ["ASPNETCORE_ENVIRONMENT"] = "Development",
                // Plain "Urls" outranks appsettings.json (which says 5080); ASPNETCORE_URLS would not.
                ["Urls"] = $"http://127.0.0.1:{port}",
                ["ClinicChat__Storage__DataDirectory"] = dataDirectory,
                ["ClinicChat__Orleans__SiloPort"] = FreePort().ToString(CultureInfo.InvariantCulture),
                ["ClinicChat__Orleans__GatewayPort"] = FreePort().ToString(CultureInfo.InvariantCulture),
                ["ClinicChat__Seed__Demo"] = "true",
                // Information-level request logs to a redirected pipe would be part of what we measure.
                ["Logging__LogLevel__Default"] = "Warning",
            },
        };
        var startedAt = Stopwatch.GetTimestamp();
        var process = Process.Start(start) ?? throw new InvalidOperationException("Could not start ClinicChat.Web.");
        // If the harness itself dies (an unhandled exception aborts without running disposers), the
        // server must not outlive it and skew the next run.
        AppDomain.CurrentDomain.UnhandledException += (_, _) => KillQuietly(process);
        AppDomain.CurrentDomain.ProcessExit += (_, _) => KillQuietly(process);
        // Drain the pipes so that the child never blocks on a full one; its logs carry ids only.
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return new ClinicChatServer(process, new Uri($"http://127.0.0.1:{port}"), dataDirectory, startedAt);
    }

    private static void KillQuietly(Process process)
    {
        try
        {
            process.Kill(entireProcessTree: true);
        }
        catch (Exception exception) when (exception is InvalidOperationException or System.ComponentModel.Win32Exception)
        {
            // Already gone.
        }
    }

    public static async Task<ClinicChatServer> StartAsync(string webAssembly)
    {
        var server = Launch(webAssembly);
        try
        {
            await server.WaitUntilReadyAsync();
            return server;
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }
    }

    /// <summary>Polls /readyz (database and a grain round trip): the only way to know when another process has finished starting.</summary>
    public async Task WaitUntilReadyAsync()
    {
        using var client = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(5) };
        var deadline = DateTime.UtcNow.AddSeconds(120);
        while (DateTime.UtcNow < deadline && !_process.HasExited)
        {
            try
            {
                if ((await client.GetAsync("/readyz")).StatusCode == HttpStatusCode.OK)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }
            catch (TaskCanceledException)
            {
                // Listening but still starting.
            }

            await Task.Delay(50);
        }

        throw new TimeoutException($"ClinicChat did not become ready (exited: {_process.HasExited}).");
    }

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
        try
        {
            Directory.Delete(_dataDirectory, recursive: true);
        }
        catch (IOException)
        {
            // A leftover temp folder is harmless.
        }
    }
}
