using System.Diagnostics;

namespace ClinicChat.Web.Tests;

/// <summary>The operator command as a real process (<c>dotnet ClinicChat.Web.dll operator …</c>), and an operator's first sign-in from its link.</summary>
public static class OperatorProcess
{
    public const string Password = "Operator-Password-2026";

    /// <param name="settings">The server's settings as environment variables (data folder, gateway port, environment).</param>
    public static Task<CommandResult> RunAsync(IReadOnlyDictionary<string, string> settings, params string[] args) =>
        RunAppToExitAsync(settings, ["operator", .. args]);

    /// <summary>ClinicChat.Web as a process run to its end (a command, or a start that is refused), with what it wrote.</summary>
    public static async Task<CommandResult> RunAppToExitAsync(IReadOnlyDictionary<string, string> settings, params string[] args)
    {
        var start = new ProcessStartInfo("dotnet") { WorkingDirectory = AppContext.BaseDirectory, RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "ClinicChat.Web.dll"));
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Development";
        foreach (var (key, value) in settings)
        {
            start.Environment[key] = value;
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        await process.WaitForExitAsync(timeout.Token);
        return new CommandResult(process.ExitCode, await output, await error);
    }

    /// <summary>Accepts an operator invitation and sets up the authenticator operators must have; returns the signed-in client.</summary>
    public static async Task<HttpClient> BecomeOperatorAsync(Uri baseAddress, string token)
    {
        var client = new HttpClient(new HttpClientHandler { CookieContainer = new CookieContainer() }) { BaseAddress = baseAddress }.WithRequestHeader();
        (await client.PostAsJsonAsync("/api/v1/invitations/accept", new { token, password = Password })).EnsureSuccessStatusCode();
        var setup = await client.PostAsync("/api/v1/auth/totp/setup", null);
        setup.EnsureSuccessStatusCode();
        var key = (await setup.Content.ReadFromJsonAsync<TotpSetupDto>())!;
        (await client.PostAsJsonAsync("/api/v1/auth/totp/enable", new { code = Totp.Code(key.SharedKey) })).EnsureSuccessStatusCode();
        return client;
    }
}
