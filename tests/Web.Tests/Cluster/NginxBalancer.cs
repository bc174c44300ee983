using System.Diagnostics;

namespace ClinicChat.Web.Tests.Cluster;

/// <summary>
/// nginx on loopback in front of the web nodes, configured from the template we ship
/// (deploy/nginx/clinicchat.conf.template), so the tests prove what an operator installs.
/// </summary>
internal sealed class NginxBalancer : IAsyncDisposable
{
    private static readonly string[] Locations = ["/usr/sbin/nginx", "/usr/bin/nginx"];

    private readonly string _folder;

    private NginxBalancer(string folder, Uri baseAddress)
    {
        _folder = folder;
        BaseAddress = baseAddress;
    }

    public Uri BaseAddress { get; }

    public static async Task<NginxBalancer> StartAsync(IEnumerable<Uri> webNodes)
    {
        var nginx = Locations.FirstOrDefault(File.Exists)
            ?? throw new InvalidOperationException("nginx is missing: apt-get install -y nginx (scripts/test.sh installs it).");
        var folder = Path.Combine(Path.GetTempPath(), "clinicchat-nginx-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Path.Combine(folder, "logs"));
        Directory.CreateDirectory(Path.Combine(folder, "tmp"));
        var port = ClinicChatApp.FreePort();
        var template = await File.ReadAllTextAsync(Path.Combine(AppContext.BaseDirectory, "deploy", "nginx", "clinicchat.conf.template"));
        var configuration = template
            .Replace("@STATE@", folder, StringComparison.Ordinal)
            .Replace("@PORT@", port.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal)
            .Replace("@SERVERS@", string.Concat(webNodes.Select(node => $"server {node.Authority}; ")), StringComparison.Ordinal);
        var configPath = Path.Combine(folder, "nginx.conf");
        await File.WriteAllTextAsync(configPath, configuration);

        // nginx daemonises: the command returns once the master process is up and listening.
        using var start = Process.Start(new ProcessStartInfo(nginx, ["-c", configPath, "-p", folder, "-e", Path.Combine(folder, "logs", "nginx-error.log")])
        {
            RedirectStandardError = true,
        })!;
        var errors = await start.StandardError.ReadToEndAsync();
        await start.WaitForExitAsync();
        var balancer = new NginxBalancer(folder, new Uri($"http://127.0.0.1:{port}"));
        if (start.ExitCode != 0)
        {
            await balancer.DisposeAsync();
            throw new InvalidOperationException($"nginx did not start ({start.ExitCode}): {errors}");
        }

        if (!await Readiness.PortOpenAsync(port, () => false, TimeSpan.FromSeconds(30)))
        {
            await balancer.DisposeAsync();
            throw new TimeoutException("nginx did not open its port.");
        }

        return balancer;
    }

    public async ValueTask DisposeAsync()
    {
        var pidFile = Path.Combine(_folder, "nginx.pid");
        if (File.Exists(pidFile) && int.TryParse((await File.ReadAllTextAsync(pidFile)).Trim(), out var pid))
        {
            try
            {
                using var master = Process.GetProcessById(pid);
                master.Kill(entireProcessTree: true);
                await master.WaitForExitAsync();
            }
            catch (ArgumentException)
            {
                // Already gone.
            }
        }

        Directory.Delete(_folder, recursive: true);
    }
}
