using System.Collections.Concurrent;
using System.ComponentModel;
using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using Microsoft.Extensions.Logging;

namespace ClinicChat.Attachments;

public sealed class PreviewOptions
{
    public const string Section = "ClinicChat:Previews";

    /// <summary>How long one render may take, start-up included, before the worker is killed.</summary>
    public int TimeoutSeconds { get; set; } = 30;

    /// <summary>Renders running at once on this node; the rest wait their turn. Default: half the cores.</summary>
    public int MaxConcurrentRenders { get; set; } = Math.Max(1, Environment.ProcessorCount / 2);

    /// <summary>Images claiming more pixels than this get no preview (their header is read first).</summary>
    public long MaxPixels { get; set; } = ImageMetadata.MaxPixels;

    /// <summary>The worker's managed heap limit; ImageMagick's native memory has its own limit inside the worker.</summary>
    public int WorkerHeapMegabytes { get; set; } = 256;

    /// <summary>
    /// The kernel's cap on the worker's address space (prlimit), over everything it maps. The .NET
    /// runtime needs about 2 GB of address space to start with a 256 MB heap limit (measured: 1 GB
    /// fails to start); ImageMagick's 512 MB and the libraries fit in the rest.
    /// </summary>
    public int WorkerAddressSpaceMegabytes { get; set; } = 3072;

    /// <summary>The worker assembly; by default ClinicChat.PreviewWorker.dll beside the application.</summary>
    public string? WorkerAssembly { get; set; }
}

public enum PreviewOutcome
{
    /// <summary>The preview was written to the target.</summary>
    Rendered,

    /// <summary>The worker's own answer that this file has no preview (unreadable, over a limit, past its budget): final for this file.</summary>
    NoPreview,

    /// <summary>
    /// No answer this time: the worker could not start, crashed, or was killed at the deadline. That may be the
    /// machine (memory, a bad install) as much as the file, so nothing is stored and the file is tried again later.
    /// </summary>
    Unavailable,
}

/// <summary>What one render came to, with the worker's and its children's peak memory (kilobytes).</summary>
public sealed record PreviewRender(PreviewOutcome Outcome, long WorkerPeakKilobytes, long ChildPeakKilobytes);

/// <summary>
/// Renders previews of untrusted files in a separate process (ClinicChat.PreviewWorker), never in the
/// server: each render gets a fresh private folder (mode 0700) holding a copy of the file and nothing
/// else, a cleared environment whose TMPDIR is that folder (so Ghostscript's SAFER read area cannot
/// reach the data folder or anything else in the system temp folder), memory limits, a deadline after
/// which the whole process tree is killed, and no diagnostics port. A decoder that explodes costs the
/// worker's memory, which the kernel takes back when it exits; the server's own heap never sees the
/// pixels. Renders of the same file are coalesced, and only <see cref="PreviewOptions.MaxConcurrentRenders"/>
/// run at once.
/// </summary>
public sealed class PreviewRenderer : IDisposable
{
    private readonly PreviewOptions _options;
    private readonly ILogger<PreviewRenderer> _logger;
    private readonly SemaphoreSlim _gate;
    private readonly ConcurrentDictionary<string, Lazy<Task<PreviewOutcome>>> _inFlight = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, DateTimeOffset> _unavailableAt = new(StringComparer.Ordinal);
    private readonly TimeProvider _time;

    private readonly Func<string, bool> _rendererInstalled;

    /// <param name="rendererInstalled">
    /// Whether this machine has the program that renders a previewable type (Ghostscript for PDFs); by default
    /// <see cref="AttachmentPreviews.CanPreview"/>, which looks on the worker's path.
    /// </param>
    public PreviewRenderer(PreviewOptions options, ILogger<PreviewRenderer> logger, TimeProvider? time = null, Func<string, bool>? rendererInstalled = null)
    {
        _options = options;
        _logger = logger;
        _time = time ?? TimeProvider.System;
        _rendererInstalled = rendererInstalled ?? AttachmentPreviews.CanPreview;
        _gate = new SemaphoreSlim(Math.Max(1, options.MaxConcurrentRenders));
    }

    /// <summary>
    /// How long a file whose render came to no answer (<see cref="PreviewOutcome.Unavailable"/>) is answered
    /// "unavailable" on this node without starting a worker. Not storing "no preview" for a crash or a deadline lets a
    /// passing fault heal; remembering it here for a few minutes keeps a file that always kills the worker from
    /// costing a worker (up to the whole deadline) on every request. Kept in memory only: a restart, which is what
    /// fixes a broken install, forgets it.
    /// </summary>
    public static readonly TimeSpan RetryUnavailableAfter = TimeSpan.FromMinutes(5);

    /// <summary>
    /// Runs <paramref name="renderAndStore"/> once for <paramref name="key"/> however many callers ask at
    /// the same time; late callers share the first one's result. The work is not tied to any one
    /// caller's cancellation, so a client that gives up does not waste the render for the others.
    /// </summary>
    public async Task<PreviewOutcome> OnceAsync(string key, Func<Task<PreviewOutcome>> renderAndStore, CancellationToken cancellationToken)
    {
        if (_unavailableAt.TryGetValue(key, out var since) && _time.GetUtcNow() - since < RetryUnavailableAfter)
        {
            return PreviewOutcome.Unavailable;
        }

        var flight = _inFlight.GetOrAdd(key, static (_, render) => render, new Lazy<Task<PreviewOutcome>>(async () =>
        {
            try
            {
                var outcome = await renderAndStore();
                RememberUnavailable(key, outcome);
                return outcome;
            }
            finally
            {
                _inFlight.TryRemove(key, out _);
            }
        }));
        return await flight.Value.WaitAsync(cancellationToken);
    }

    private void RememberUnavailable(string key, PreviewOutcome outcome)
    {
        if (outcome != PreviewOutcome.Unavailable)
        {
            _unavailableAt.TryRemove(key, out _);
            return;
        }

        // Expired entries go whenever one is added, so the map holds only files that failed within the last minutes.
        var now = _time.GetUtcNow();
        foreach (var (expired, _) in _unavailableAt.Where(entry => now - entry.Value >= RetryUnavailableAfter))
        {
            _unavailableAt.TryRemove(expired, out _);
        }

        _unavailableAt[key] = now;
    }

    /// <summary>Writes the sandbox's input as a copy of a stored blob: the worker never sees where the original lives.</summary>
    public static Func<string, CancellationToken, Task> CopyOf(Func<CancellationToken, Task<Stream>> open) => async (input, token) =>
    {
        await using var source = await open(token);
        await using var copy = File.Create(input);
        await source.CopyToAsync(copy, token);
    };

    /// <summary>Renders the file that <paramref name="writeInput"/> writes into the sandbox, to <paramref name="target"/>.</summary>
    public async Task<PreviewRender> RenderAsync(Func<string, CancellationToken, Task> writeInput, string contentType, string target, CancellationToken cancellationToken)
    {
        if (!AttachmentPreviews.IsPreviewable(contentType))
        {
            return new PreviewRender(PreviewOutcome.NoPreview, 0, 0);
        }

        // A node without the type's renderer says nothing about the file: in a cluster, another node (or this one once
        // Ghostscript is installed) renders it, so "no preview" must not be stored for it from here.
        if (!_rendererInstalled(contentType))
        {
            _logger.LogWarning("No preview renderer for {ContentType} is installed on this node", contentType);
            return new PreviewRender(PreviewOutcome.Unavailable, 0, 0);
        }

        await _gate.WaitAsync(cancellationToken);
        var sandbox = Directory.CreateTempSubdirectory("clinicchat-preview-");
        try
        {
            var input = Path.Combine(sandbox.FullName, "input");
            var output = Path.Combine(sandbox.FullName, "preview.jpg");
            await writeInput(input, cancellationToken);
            var render = await RunWorkerAsync(sandbox.FullName, contentType, input, output);
            if (render.Outcome == PreviewOutcome.Rendered)
            {
                File.Move(output, target, overwrite: true);
            }

            return render;
        }
        finally
        {
            _gate.Release();
            sandbox.Delete(recursive: true);
        }
    }

    private async Task<PreviewRender> RunWorkerAsync(string sandbox, string contentType, string input, string output)
    {
        var deadline = TimeSpan.FromSeconds(Math.Max(1, _options.TimeoutSeconds));
        var start = WorkerStart(sandbox);
        foreach (var argument in new[]
                 {
                     contentType, input, output, AttachmentPreviews.MaxEdge.ToString(CultureInfo.InvariantCulture),
                     _options.MaxPixels.ToString(CultureInfo.InvariantCulture),
                     // The worker's own budget leaves room for its start-up inside ours.
                     Math.Max(1, (int)deadline.TotalSeconds - 3).ToString(CultureInfo.InvariantCulture),
                 })
        {
            start.ArgumentList.Add(argument);
        }

        var stopwatch = Stopwatch.StartNew();
        Process process;
        try
        {
            process = Process.Start(start) ?? throw new InvalidOperationException("The preview worker did not start.");
        }
        catch (Exception exception) when (exception is Win32Exception or InvalidOperationException)
        {
            _logger.LogError(exception, "The preview worker could not be started with {Program}", start.FileName);
            return new PreviewRender(PreviewOutcome.Unavailable, 0, 0);
        }

        using (process)
        {
            var report = process.StandardOutput.ReadToEndAsync();
            // The worker's error stream may quote a parser (and so the file): drained, never logged.
            _ = process.StandardError.ReadToEndAsync();
            using var timeout = new CancellationTokenSource(deadline);
            try
            {
                await process.WaitForExitAsync(timeout.Token);
            }
            catch (OperationCanceledException)
            {
                process.Kill(entireProcessTree: true);
                await process.WaitForExitAsync();
                _logger.LogWarning("Preview render stopped at its {Seconds} s deadline", deadline.TotalSeconds);
                return new PreviewRender(PreviewOutcome.Unavailable, 0, 0);
            }

            var (workerPeak, childPeak) = ParsePeaks(await report);
            var outcome = process.ExitCode switch
            {
                0 when File.Exists(output) => PreviewOutcome.Rendered,
                // The worker's own refusal (WorkerExitCodes.NoPreview): the one answer kept for good.
                3 => PreviewOutcome.NoPreview,
                // 4: the worker found no renderer for the type on its path (WorkerExitCodes.NoRenderer), a fact about
                // the machine. 2 is a usage error; anything else is a worker that did not start (the runtime refused its memory
                // limit, the assembly is missing) or died (a decoder crashed, a kernel limit killed it): no answer.
                _ => PreviewOutcome.Unavailable,
            };
            var level = outcome == PreviewOutcome.Unavailable ? LogLevel.Error : LogLevel.Information;
            _logger.Log(level, "Preview render {Outcome} (exit {ExitCode}) in {Milliseconds} ms; worker peak {WorkerPeakKb} KB, renderer peak {ChildPeakKb} KB",
                outcome, process.ExitCode, stopwatch.ElapsedMilliseconds, workerPeak, childPeak);
            return new PreviewRender(outcome, workerPeak, childPeak);
        }
    }

    private ProcessStartInfo WorkerStart(string sandbox)
    {
        var assembly = _options.WorkerAssembly ?? Path.Combine(AppContext.BaseDirectory, "ClinicChat.PreviewWorker.dll");
        var start = new ProcessStartInfo
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            WorkingDirectory = sandbox,
        };

        // Kernel limits where util-linux's prlimit is installed (Debian's default): address space,
        // CPU seconds, and no core dump (it would hold the file's pixels, and could land anywhere).
        var prlimit = AttachmentPreviews.WorkerPath.Split(':').Select(folder => Path.Combine(folder, "prlimit")).FirstOrDefault(File.Exists);
        if (prlimit is not null)
        {
            start.FileName = prlimit;
            start.ArgumentList.Add($"--as={(long)_options.WorkerAddressSpaceMegabytes * 1024 * 1024}");
            start.ArgumentList.Add($"--cpu={Math.Max(1, _options.TimeoutSeconds)}");
            start.ArgumentList.Add("--core=0");
            start.ArgumentList.Add("--");
            start.ArgumentList.Add(DotnetHost());
        }
        else
        {
            start.FileName = DotnetHost();
        }

        start.ArgumentList.Add(assembly);

        // Nothing of the server's environment (connection strings, keys, proxies) reaches the worker.
        start.Environment.Clear();
        start.Environment["PATH"] = AttachmentPreviews.WorkerPath;
        start.Environment["HOME"] = sandbox;
        start.Environment["TMPDIR"] = sandbox;
        start.Environment["MAGICK_TEMPORARY_PATH"] = sandbox;
        start.Environment["DOTNET_EnableDiagnostics"] = "0";
        start.Environment["DOTNET_gcServer"] = "0";
        start.Environment["DOTNET_GCHeapHardLimit"] = "0x" + ((long)_options.WorkerHeapMegabytes * 1024 * 1024).ToString("X", CultureInfo.InvariantCulture);
        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        if (Environment.GetEnvironmentVariable("DOTNET_ROOT") is { } root)
        {
            start.Environment["DOTNET_ROOT"] = root;
        }

        return start;
    }

    /// <summary>
    /// The dotnet host that runs this process's own runtime (…/dotnet beside shared/Microsoft.NETCore.App/x.y.z),
    /// so the worker runs on the same runtime wherever it was installed.
    /// </summary>
    private static string DotnetHost()
    {
        var fromRuntime = Path.GetFullPath(Path.Combine(RuntimeEnvironment.GetRuntimeDirectory(), "..", "..", "..", OperatingSystem.IsWindows() ? "dotnet.exe" : "dotnet"));
        return File.Exists(fromRuntime) ? fromRuntime : "dotnet";
    }

    private static (long Worker, long Child) ParsePeaks(string report)
    {
        long worker = 0, child = 0;
        foreach (var pair in report.Split([' ', '\n', '\r'], StringSplitOptions.RemoveEmptyEntries))
        {
            var parts = pair.Split('=');
            if (parts.Length == 2 && long.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var value))
            {
                if (parts[0] == "peak_rss_kb")
                {
                    worker = value;
                }
                else if (parts[0] == "child_peak_rss_kb")
                {
                    child = value;
                }
            }
        }

        return (worker, child);
    }

    public void Dispose() => _gate.Dispose();
}
