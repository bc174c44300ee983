using System.Collections.Concurrent;
using System.ComponentModel;
using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text.RegularExpressions;
using Npgsql;

namespace ClinicChat.Tests.Shared;

/// <summary>
/// A throwaway PostgreSQL server for tests: a fresh cluster (initdb) in a temp folder, served by a
/// <c>postgres</c> process on a free loopback port with durable commits (fsync and synchronous_commit
/// on), one database per caller. It can be stopped and started again on the same data (a database
/// restart) or killed outright (a crash), and disposing it stops it and deletes the folder.
/// </summary>
/// <remarks>
/// <c>initdb</c> and <c>postgres</c> refuse to run as root, and tests and CI run as root here. Then the
/// server runs as the unprivileged system user <c>clinicchat-test</c> (created with <c>useradd --system</c>
/// when missing) through <c>setpriv</c>, which switches user and then execs, so the process we start is
/// the postmaster itself; the temp folder is handed to that user with <c>chown</c>. Run as anyone else,
/// the server simply runs as the current user. <c>setsid</c> puts the postmaster and its backends in a
/// process group of their own, so <see cref="KillAsync"/> can kill them all at once like a crash would.
/// </remarks>
public sealed partial class PostgresServer : IAsyncDisposable
{
    public const string Superuser = "postgres";

    private const string TestUser = "clinicchat-test";
    private const int SignalInterrupt = 2;
    private const int SignalKill = 9;

    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan StopTimeout = TimeSpan.FromSeconds(30);
    private static readonly SemaphoreSlim UserGate = new(1, 1);

    private readonly string _binDirectory;
    private readonly string? _runAs;
    private readonly ConcurrentQueue<string> _log = new();
    private Process? _postmaster;

    private PostgresServer(string root, string binDirectory, string? runAs, int port)
    {
        Root = root;
        _binDirectory = binDirectory;
        _runAs = runAs;
        Port = port;
    }

    /// <summary>The temp folder: the data directory and the server's Unix socket live here.</summary>
    public string Root { get; }

    public string DataDirectory => Path.Combine(Root, "data");

    public int Port { get; private set; }

    public bool IsRunning => _postmaster is { HasExited: false };

    /// <summary>Creates a cluster in a new temp folder and starts serving it.</summary>
    public static async Task<PostgresServer> StartNewAsync(CancellationToken cancellationToken = default)
    {
        var binDirectory = FindBinDirectory();
        var runAs = Environment.IsPrivilegedProcess ? await EnsureTestUserAsync(cancellationToken) : null;

        // Short: the socket path (<root>/.s.PGSQL.<port>) must fit the 107 bytes of a Unix socket address.
        var root = Path.Combine(Path.GetTempPath(), "ccpg-" + Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(root);
        var server = new PostgresServer(root, binDirectory, runAs, FreePort());
        try
        {
            if (runAs is not null)
            {
                await RunToEndAsync("chown", [$"{runAs}:{runAs}", root], root, cancellationToken);
            }

            // --no-sync only skips flushing initdb's own files: the server itself runs with fsync on, and
            // what a test kills is processes, never the machine's page cache.
            await server.RunAsServerUserAsync(
                "initdb", ["-D", server.DataDirectory, "-U", Superuser, "--auth=trust", "-E", "UTF8", "--no-locale", "--no-sync"],
                cancellationToken);

            // Another process can take the free port between our probe and the bind: try a new one then.
            for (var attempt = 1; ; attempt++)
            {
                try
                {
                    await server.StartAsync(cancellationToken);
                    return server;
                }
                catch (PostgresServerException e) when (attempt < 3 && e.Message.Contains("could not bind", StringComparison.Ordinal))
                {
                    server.Port = FreePort();
                }
            }
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }
    }

    /// <summary>The connection string of a database on this server, as the superuser.</summary>
    public string ConnectionString(string database) => new NpgsqlConnectionStringBuilder
    {
        Host = "127.0.0.1",
        Port = Port,
        Username = Superuser,
        Database = database,
        IncludeErrorDetail = true,
    }.ConnectionString;

    /// <summary>Creates an empty database and returns its connection string.</summary>
    public async Task<string> CreateDatabaseAsync(string name, CancellationToken cancellationToken = default)
    {
        if (!DatabaseName().IsMatch(name))
        {
            throw new ArgumentException("Use lower-case letters, digits and underscores (at most 63) for a database name.", nameof(name));
        }

        await using var connection = new NpgsqlConnection(ConnectionString("postgres") + ";Pooling=false");
        await connection.OpenAsync(cancellationToken);
        await using var create = new NpgsqlCommand($"CREATE DATABASE \"{name}\"", connection);
        await create.ExecuteNonQueryAsync(cancellationToken);
        return ConnectionString(name);
    }

    /// <summary>Starts the server on its data folder and port and returns once it accepts connections.</summary>
    public async Task StartAsync(CancellationToken cancellationToken = default)
    {
        if (IsRunning)
        {
            return;
        }

        _log.Clear();
        var postgres = Path.Combine(_binDirectory, "postgres");
        string[] arguments =
        [
            "-D", DataDirectory, "-p", Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "-c", "listen_addresses=127.0.0.1", "-k", Root,
            // The defaults, stated because durability is what the tests are about.
            "-c", "fsync=on", "-c", "synchronous_commit=on", "-c", "full_page_writes=on",
        ];
        var start = StartInfo("setsid", [.. RunAsPrefix(), postgres, .. arguments]);
        start.RedirectStandardOutput = true;
        start.RedirectStandardError = true;
        var process = new Process { StartInfo = start };
        process.OutputDataReceived += (_, line) => Remember(line.Data);
        process.ErrorDataReceived += (_, line) => Remember(line.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        _postmaster = process;
        AppDomain.CurrentDomain.ProcessExit += KillOnExit;

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(StartTimeout);
        try
        {
            await WaitUntilAcceptingConnectionsAsync(process, timeout.Token);
        }
        catch (Exception e) when (e is OperationCanceledException or PostgresServerException)
        {
            await KillAsync(CancellationToken.None);
            if (e is PostgresServerException)
            {
                throw;
            }

            cancellationToken.ThrowIfCancellationRequested();
            throw new PostgresServerException($"PostgreSQL did not accept connections within {StartTimeout.TotalSeconds:0} s.{LogTail()}");
        }
    }

    /// <summary>A clean shutdown ("fast": open sessions are ended, then a checkpoint is written).</summary>
    public async Task StopAsync(CancellationToken cancellationToken = default)
    {
        if (_postmaster is not { } process)
        {
            return;
        }

        if (!process.HasExited)
        {
            Signal(process.Id, SignalInterrupt);
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(StopTimeout);
            try
            {
                await process.WaitForExitAsync(timeout.Token);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                await KillAsync(CancellationToken.None);
                throw new PostgresServerException($"PostgreSQL did not shut down within {StopTimeout.TotalSeconds:0} s and was killed.{LogTail()}");
            }
        }

        Forget(process);
    }

    /// <summary>Kills the postmaster and every backend at once (SIGKILL to the process group), like a crash.</summary>
    public async Task KillAsync(CancellationToken cancellationToken = default)
    {
        if (_postmaster is not { } process)
        {
            return;
        }

        var group = process.Id;
        if (!process.HasExited)
        {
            Signal(-group, SignalKill);
        }

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(StopTimeout);
        await process.WaitForExitAsync(timeout.Token);
        // A restart refuses to start while a killed backend still holds the old shared memory.
        await WaitUntilGroupIsGoneAsync(group, timeout.Token);
        Forget(process);
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await StopAsync();
        }
        finally
        {
            await KillAsync();
            try
            {
                Directory.Delete(Root, recursive: true);
            }
            catch (IOException)
            {
                // Best effort: a temp folder left behind is harmless.
            }
        }
    }

    private async Task WaitUntilAcceptingConnectionsAsync(Process process, CancellationToken cancellationToken)
    {
        var probe = ConnectionString("postgres") + ";Pooling=false;Timeout=2";
        while (true)
        {
            if (process.HasExited)
            {
                // The log is complete only once the output pipes are drained.
                await process.WaitForExitAsync(CancellationToken.None);
                throw new PostgresServerException($"PostgreSQL exited with code {process.ExitCode} while starting.{LogTail()}");
            }

            try
            {
                await using var connection = new NpgsqlConnection(probe);
                await connection.OpenAsync(cancellationToken);
                return;
            }
            catch (Exception e) when (e is NpgsqlException or TimeoutException && !cancellationToken.IsCancellationRequested)
            {
                // Not listening yet, or still starting up / recovering: ask again shortly, or as soon as it exits.
                await Task.WhenAny(process.WaitForExitAsync(cancellationToken), Task.Delay(TimeSpan.FromMilliseconds(50), cancellationToken));
                cancellationToken.ThrowIfCancellationRequested();
            }
        }
    }

    private async Task RunAsServerUserAsync(string tool, IReadOnlyList<string> arguments, CancellationToken cancellationToken)
    {
        var path = Path.Combine(_binDirectory, tool);
        var command = RunAsPrefix().ToList();
        command.Add(path);
        command.AddRange(arguments);
        await RunToEndAsync(command[0], command.Skip(1).ToArray(), Root, cancellationToken);
    }

    private IEnumerable<string> RunAsPrefix() => _runAs is null
        ? []
        : ["setpriv", $"--reuid={_runAs}", $"--regid={_runAs}", "--init-groups", "--"];

    private ProcessStartInfo StartInfo(string fileName, IEnumerable<string> arguments)
    {
        var start = new ProcessStartInfo(fileName) { UseShellExecute = false, WorkingDirectory = Root };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        WithoutPostgresVariables(start);
        return start;
    }

    // PGDATA, PGPORT and friends from a developer's shell must not redirect initdb or the server.
    private static void WithoutPostgresVariables(ProcessStartInfo start)
    {
        foreach (var name in start.Environment.Keys.Where(k => k.StartsWith("PG", StringComparison.Ordinal)).ToList())
        {
            start.Environment.Remove(name);
        }
    }

    private void Remember(string? line)
    {
        if (line is null)
        {
            return;
        }

        _log.Enqueue(line);
        while (_log.Count > 200 && _log.TryDequeue(out _))
        {
        }
    }

    private string LogTail() => _log.IsEmpty ? "" : Environment.NewLine + "PostgreSQL said:" + Environment.NewLine + string.Join(Environment.NewLine, _log);

    private void Forget(Process process)
    {
        AppDomain.CurrentDomain.ProcessExit -= KillOnExit;
        process.Dispose();
        _postmaster = null;
    }

    // Nothing else ends a postmaster whose test process died without disposing it.
    private void KillOnExit(object? sender, EventArgs e)
    {
        if (_postmaster is { HasExited: false } process)
        {
            Signal(-process.Id, SignalKill);
        }
    }

    private static async Task WaitUntilGroupIsGoneAsync(int group, CancellationToken cancellationToken)
    {
        while (GroupHasLiveMembers(group))
        {
            await Task.Delay(TimeSpan.FromMilliseconds(20), cancellationToken);
        }
    }

    /// <summary>
    /// Whether any process of the group is still running. Zombies do not count: they have released their
    /// memory, and in a container nobody may ever reap the orphaned backends.
    /// </summary>
    private static bool GroupHasLiveMembers(int group)
    {
        foreach (var directory in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(directory), out _))
            {
                continue;
            }

            string stat;
            try
            {
                stat = File.ReadAllText(Path.Combine(directory, "stat"));
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                continue;
            }

            // "pid (comm) state ppid pgrp ...": comm may hold spaces and parentheses, so split after the last ')'.
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            if (fields.Length > 2 && fields[0] != "Z" && fields[2] == group.ToString(System.Globalization.CultureInfo.InvariantCulture))
            {
                return true;
            }
        }

        return false;
    }

    private static void Signal(int pid, int signal)
    {
        if (SendSignal(pid, signal) != 0 && Marshal.GetLastPInvokeError() != 3 /* ESRCH: already gone */)
        {
            throw new Win32Exception(Marshal.GetLastPInvokeError(), $"Could not send signal {signal} to {pid}.");
        }
    }

    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int SendSignal(int pid, int signal);

    private static int FreePort() => ClinicChat.Tests.Shared.TestPorts.Free();

    private static string FindBinDirectory()
    {
        var candidates = new List<string> { "/usr/lib/postgresql/15/bin" };
        if (Directory.Exists("/usr/lib/postgresql"))
        {
            candidates.AddRange(Directory.EnumerateDirectories("/usr/lib/postgresql")
                .OrderByDescending(d => int.TryParse(Path.GetFileName(d), out var version) ? version : 0)
                .Select(d => Path.Combine(d, "bin")));
        }

        candidates.AddRange(PgConfigBinDirectory());
        candidates.AddRange((Environment.GetEnvironmentVariable("PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries));
        return candidates.FirstOrDefault(d => File.Exists(Path.Combine(d, "initdb")) && File.Exists(Path.Combine(d, "postgres")))
            ?? throw new PostgresServerException(
                "The PostgreSQL tests need the PostgreSQL server binaries (initdb and postgres), which were not found in " +
                "/usr/lib/postgresql/<version>/bin, at `pg_config --bindir` or on PATH. On Debian: apt-get install postgresql-15.");
    }

    private static IEnumerable<string> PgConfigBinDirectory()
    {
        try
        {
            using var process = Process.Start(new ProcessStartInfo("pg_config", "--bindir") { RedirectStandardOutput = true, UseShellExecute = false });
            var output = process!.StandardOutput.ReadToEnd().Trim();
            process.WaitForExit();
            return process.ExitCode == 0 && output.Length > 0 ? [output] : [];
        }
        catch (Win32Exception)
        {
            return [];
        }
    }

    private static async Task<string> EnsureTestUserAsync(CancellationToken cancellationToken)
    {
        await UserGate.WaitAsync(cancellationToken);
        try
        {
            if (await UserExistsAsync(cancellationToken))
            {
                return TestUser;
            }

            var (exitCode, output) = await RunAsync(
                "useradd", ["--system", "--user-group", "--no-create-home", "--home-dir", "/nonexistent", "--shell", "/usr/sbin/nologin", TestUser],
                Path.GetTempPath(), cancellationToken);
            // Another test process may have created it at the same moment.
            if (exitCode != 0 && !await UserExistsAsync(cancellationToken))
            {
                throw new PostgresServerException(
                    $"PostgreSQL refuses to run as root, and the system user '{TestUser}' to run it as could not be created (useradd exited with {exitCode}): {output}");
            }

            return TestUser;
        }
        finally
        {
            UserGate.Release();
        }
    }

    private static async Task<bool> UserExistsAsync(CancellationToken cancellationToken) =>
        (await RunAsync("id", ["-u", TestUser], Path.GetTempPath(), cancellationToken)).ExitCode == 0;

    private static async Task RunToEndAsync(string fileName, IReadOnlyList<string> arguments, string workingDirectory, CancellationToken cancellationToken)
    {
        var (exitCode, output) = await RunAsync(fileName, arguments, workingDirectory, cancellationToken);
        if (exitCode != 0)
        {
            throw new PostgresServerException($"{string.Join(' ', arguments.Prepend(fileName))} exited with code {exitCode}:{Environment.NewLine}{output}");
        }
    }

    private static async Task<(int ExitCode, string Output)> RunAsync(
        string fileName, IReadOnlyList<string> arguments, string workingDirectory, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo(fileName)
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = workingDirectory,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        WithoutPostgresVariables(start);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromMinutes(1));
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync(timeout.Token);
        var stderr = process.StandardError.ReadToEndAsync(timeout.Token);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }

        return (process.ExitCode, (await stdout + await stderr).Trim());
    }

    [GeneratedRegex("^[a-z_][a-z0-9_]{0,62}$")]
    private static partial Regex DatabaseName();
}

/// <summary>The throwaway PostgreSQL server could not be set up; the message says why.</summary>
public sealed class PostgresServerException(string message) : Exception(message);
