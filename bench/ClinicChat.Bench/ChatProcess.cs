using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net.Sockets;

namespace ClinicChat.Bench;

/// <summary>
/// One ClinicChat process (a web node or a silo) started by the harness as <c>dotnet &lt;assembly&gt;</c>
/// with its settings in environment variables, its output drained, and killed when the harness
/// exits or dies, so that no measured process outlives the run that owns it.
/// </summary>
public sealed class ChatProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly Func<ChatProcess> _relaunch;
    private readonly ConcurrentQueue<string> _output;

    private ChatProcess(Process process, Uri? baseAddress, long startedAt, Func<ChatProcess> relaunch, ConcurrentQueue<string> output)
    {
        _process = process;
        _relaunch = relaunch;
        _output = output;
        BaseAddress = baseAddress;
        StartedAt = startedAt;
    }

    /// <summary>Where a web node listens; null for a silo.</summary>
    public Uri? BaseAddress { get; }

    /// <summary>Stopwatch timestamp taken just before the process was launched.</summary>
    public long StartedAt { get; }

    public int ProcessId => _process.Id;

    public bool HasExited => _process.HasExited;

    /// <summary>Launches a process without waiting for it to be ready (the cold-start scenario times that itself).</summary>
    public static ChatProcess Launch(string assembly, IReadOnlyDictionary<string, string> settings, Uri? baseAddress = null, params string[] arguments)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = Path.GetDirectoryName(assembly)!,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.ArgumentList.Add(assembly);
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        // Information-level request logs to a redirected pipe would be part of what we measure.
        start.Environment["Logging__LogLevel__Default"] = "Warning";
        foreach (var (key, value) in settings)
        {
            start.Environment[key] = value;
        }

        var startedAt = Stopwatch.GetTimestamp();
        var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {Path.GetFileName(assembly)}.");
        // If the harness itself dies (an unhandled exception aborts without running disposers), the
        // server must not outlive it and skew the next run.
        AppDomain.CurrentDomain.UnhandledException += (_, _) => KillQuietly(process);
        AppDomain.CurrentDomain.ProcessExit += (_, _) => KillQuietly(process);
        // Drain the pipes so that the child never blocks on a full one, keeping the last lines to
        // explain a process that dies (its logs carry ids only).
        var tail = new ConcurrentQueue<string>();
        void Keep(string? line)
        {
            if (line is null)
            {
                return;
            }

            tail.Enqueue(line);
            while (tail.Count > 20)
            {
                tail.TryDequeue(out _);
            }
        }

        process.OutputDataReceived += (_, e) => Keep(e.Data);
        process.ErrorDataReceived += (_, e) => Keep(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return new ChatProcess(process, baseAddress, startedAt, () => Launch(assembly, settings, baseAddress, arguments), tail);
    }

    /// <summary>Kills this process and launches it again with the same settings (same data folder and ports).</summary>
    public async Task<ChatProcess> RestartAsync()
    {
        await DisposeAsync();
        return _relaunch();
    }

    /// <summary>Runs a command of the process (e.g. <c>migrate</c>) to its end; throws if it fails.</summary>
    public static async Task RunToEndAsync(string assembly, IReadOnlyDictionary<string, string> settings, params string[] arguments)
    {
        await using var process = Launch(assembly, settings, null, arguments);
        await process._process.WaitForExitAsync();
        if (process._process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{Path.GetFileName(assembly)} {string.Join(' ', arguments)} exited with {process._process.ExitCode}:{Environment.NewLine}{string.Join(Environment.NewLine, process._output)}");
        }
    }

    /// <summary>Polls /readyz (database and a grain round trip): the only way to know when another process has finished starting.</summary>
    public async Task WaitUntilReadyAsync()
    {
        using var client = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(5) };
        var deadline = DateTime.UtcNow.AddSeconds(180);
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

        throw new TimeoutException($"ClinicChat at {BaseAddress} did not become ready (exited: {_process.HasExited}). Its last output:{Environment.NewLine}{string.Join(Environment.NewLine, _output)}");
    }

    /// <summary>A silo serves no HTTP: it is ready when its gateway port accepts connections.</summary>
    public async Task WaitForPortAsync(int port)
    {
        var deadline = DateTime.UtcNow.AddSeconds(180);
        while (DateTime.UtcNow < deadline && !_process.HasExited)
        {
            try
            {
                using var client = new TcpClient();
                await client.ConnectAsync(IPAddress.Loopback, port);
                return;
            }
            catch (SocketException)
            {
                await Task.Delay(50);
            }
        }

        throw new TimeoutException($"Port {port} did not open (exited: {_process.HasExited}). Its last output:{Environment.NewLine}{string.Join(Environment.NewLine, _output)}");
    }

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
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

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            KillQuietly(_process);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
    }
}
