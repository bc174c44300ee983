using System.Globalization;
using ClinicChat.Hosting;
using ClinicChat.Onboarding;
using ClinicChat.Storage;
using ClinicChat.Web.Notices;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace ClinicChat.Web.Onboarding;

/// <summary>
/// <c>ClinicChat.Web operator &lt;command&gt;</c>: creates clinics and invites their first Admin, lists,
/// disables and enables clinics, and invites operators. It runs beside the server, as an Orleans
/// client of the running cluster (embedded: the server's gateway on this machine; cluster: any silo
/// from the membership table), with the server's own configuration, so every change goes through the
/// grains that hold it. It prints set-password links; no password is ever chosen for anyone.
/// Exit codes: 0 done, 1 refused (the reason is printed), 2 bad arguments, 3 the cluster is not reachable.
/// </summary>
public static class OperatorCommand
{
    /// <summary>The audit log's actor for what the command does.</summary>
    public const string CliActor = "operator (cli)";

    public const string Usage =
        """
        Usage: ClinicChat.Web operator <command> [options] [--ClinicChat:Setting=value ...]
          create-clinic   --name <name> --time-zone <IANA id> --admin-email <email> --admin-name <name> [--country <GB|US|…>] [--base-url <url>]
          invite-admin    <clinicId> --email <email> --name <name> [--base-url <url>]
          list-clinics
          disable-clinic  <clinicId>
          enable-clinic   <clinicId>
          invite-operator --email <email> --name <name> [--base-url <url>]
        Run it where the server's configuration is (its folder and environment): it connects to the running server.
        Links go to ClinicChat:Onboarding:PublicBaseUrl unless --base-url says otherwise.
        """;

    public static async Task<int> RunAsync(string[] args, TextWriter output, TextWriter error)
    {
        if (args is [] || args.Any(arg => arg is "--help" or "-h" or "help"))
        {
            // Asked for: the usage on standard output, and success. Nothing is started.
            await output.WriteLineAsync(Usage);
            return args is [] ? 2 : 0;
        }

        var command = OperatorArguments.Parse(args);
        if (command.Problem is { } problem)
        {
            await error.WriteLineAsync(problem);
            await error.WriteLineAsync(Usage);
            return 2;
        }

        using var host = Build(args);
        var baseUrl = command.Option("base-url") ?? host.Services.GetRequiredService<IOptions<OnboardingOptions>>().Value.PublicBaseUrl;
        if (command.IssuesLinks && !Uri.TryCreate(baseUrl, UriKind.Absolute, out _))
        {
            await error.WriteLineAsync("No address for the link: set ClinicChat:Onboarding:PublicBaseUrl (https://chat.example-clinic.com) or pass --base-url.");
            return 2;
        }

        try
        {
            await host.StartAsync();
        }
        catch (Exception exception) when (exception is Orleans.Runtime.OrleansException or TimeoutException or System.Net.Sockets.SocketException or InvalidOperationException)
        {
            await error.WriteLineAsync($"Could not reach the ClinicChat cluster ({exception.GetType().Name}). Start the server first, and run this with its configuration.");
            return 3;
        }

        try
        {
            await using var scope = host.Services.CreateAsyncScope();
            var operations = scope.ServiceProvider.GetRequiredService<ClinicOperations>();
            return await new OperatorConsole(operations, output, error, baseUrl).RunAsync(command);
        }
        finally
        {
            await host.StopAsync();
        }
    }

    private static IHost Build(string[] args)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings
        {
            Args = args,
            // The server is an ASP.NET Core app: read its environment the way it does.
            EnvironmentName = Environment.GetEnvironmentVariable("ASPNETCORE_ENVIRONMENT") ?? Environment.GetEnvironmentVariable("DOTNET_ENVIRONMENT"),
        });
        // The same secrets as the server (mounted files), so the command runs with the server's settings.
        builder.Configuration.AddClinicChatSecretFiles();
        // Only what went wrong: the server's appsettings turn on the host's start and stop lines ("Application started.
        // Press Ctrl+C…"), which read as nonsense around a command's answer. Configured after the appsettings' rules, so it
        // replaces them.
        builder.Services.Configure<LoggerFilterOptions>(filters =>
        {
            filters.Rules.Clear();
            filters.MinLevel = LogLevel.Warning;
        });
        var contentRoot = builder.Environment.ContentRootPath;
        builder.Services.AddClinicChatStorage(builder.Configuration, contentRoot);
        var database = ChatDatabaseFactory.Create(builder.Configuration, contentRoot);
        builder.UseOrleansClient(client => client.UseClinicChatCluster(builder.Configuration, database));
        builder.Services.AddDbContext<IdentityDb>(options =>
            _ = database.Provider == StorageProvider.Sqlite ? options.UseSqlite(database.ConnectionString) : options.UseNpgsql(database.ConnectionString));
        builder.Services.AddClinicChatOnboarding();
        builder.Services.AddScoped<ClinicOperations>();
        builder.Services.TryAddKeyedSingleton(ChatTime.Key, TimeProvider.System);
        return builder.Build();
    }
}

/// <summary>Carries out one parsed command and says what happened, in words an operator can act on.</summary>
internal sealed class OperatorConsole(ClinicOperations operations, TextWriter output, TextWriter error, string? baseUrl)
{
    public async Task<int> RunAsync(OperatorArguments command)
    {
        switch (command.Name)
        {
            case "create-clinic":
                var created = await operations.CreateClinicAsync(
                    command.Option("name")!, command.Option("time-zone")!, command.Option("admin-email")!, command.Option("admin-name")!, OperatorCommand.CliActor,
                    command.Option("country"));
                if (created.Error is { } notCreated)
                {
                    return await RefusedAsync(notCreated);
                }

                var (clinic, invitation) = created.Value;
                await output.WriteLineAsync($"Created clinic {clinic.Id} '{clinic.Name}' ({clinic.TimeZone}).");
                await output.WriteLineAsync(command.Option("country") is { } country
                    ? $"Phone numbers without + are read as {MobileNumbers.CountryOf(PhoneRegions.KnownCode(country)!)} numbers."
                    : "Phone numbers without + are read in the deployment's region (ClinicChat:Sms:DefaultRegion); its Admins can choose the clinic's country on the Clinic page.");
                await PrintLinkAsync(command.Option("admin-email")!, "Admin", invitation);
                return 0;

            case "invite-admin":
                return await InviteAsync(command.ClinicId, command.Option("email")!, command.Option("name")!, InviteeRole.Admin);

            case "invite-operator":
                return await InviteAsync(null, command.Option("email")!, command.Option("name")!, InviteeRole.Operator);

            case "list-clinics":
                var clinics = await operations.ListClinicsAsync();
                await output.WriteLineAsync("id\tstatus\ttime zone\tcreated\tname");
                foreach (var c in clinics)
                {
                    var since = c.CreatedAt?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) ?? "-";
                    await output.WriteLineAsync($"{c.Id}\t{(c.IsEnabled ? "enabled" : "disabled")}\t{c.TimeZone ?? "-"}\t{since}\t{c.Name}");
                }

                return 0;

            default:
                var enable = command.Name == "enable-clinic";
                var changed = await operations.SetEnabledAsync(command.ClinicId!.Value, enable, OperatorCommand.CliActor);
                if (changed.Error is { } notChanged)
                {
                    return await RefusedAsync(notChanged);
                }

                await output.WriteLineAsync(enable
                    ? $"Enabled clinic {changed.Value.Clinic.Id} '{changed.Value.Clinic.Name}': its staff can sign in again."
                    : $"Disabled clinic {changed.Value.Clinic.Id} '{changed.Value.Clinic.Name}': its staff cannot sign in; sessions of {changed.Value.SessionsEnded} staff ended. Nothing was deleted.");
                return 0;
        }
    }

    private async Task<int> InviteAsync(Guid? clinicId, string email, string name, InviteeRole role)
    {
        var invited = await operations.InviteAsync(clinicId, email, name, role, OperatorCommand.CliActor);
        if (invited.Error is { } refused)
        {
            return await RefusedAsync(refused);
        }

        await PrintLinkAsync(email, role.ToString(), invited.Value!);
        return 0;
    }

    private async Task PrintLinkAsync(string email, string role, IssuedInvitation invitation)
    {
        await output.WriteLineAsync(
            $"Invitation for {email} ({role}), valid until {invitation.ExpiresAt.UtcDateTime.ToString("u", CultureInfo.InvariantCulture)}. It works once; send it to them only:");
        await output.WriteLineAsync(OnboardingOptions.LinkFor(baseUrl!, invitation.Token));
    }

    private async Task<int> RefusedAsync(ChatError refusal)
    {
        var what = refusal.Code == ChatErrorCode.NotFound ? "No enabled clinic has that id (list-clinics shows them)." : refusal.Detail;
        await error.WriteLineAsync($"Refused: {what}");
        return 1;
    }
}

/// <summary>
/// The command line: a command, an optional clinic id and <c>--name value</c> options. Settings given as
/// <c>--Section:Key=value</c> are left to the host's configuration. Hand-written rather than
/// System.CommandLine: six commands of a few options each do not justify a package in the web app.
/// </summary>
internal sealed record OperatorArguments(string Name, Guid? ClinicId, IReadOnlyDictionary<string, string> Options, string? Problem)
{
    private static readonly Dictionary<string, string[]> Required = new()
    {
        ["create-clinic"] = ["name", "time-zone", "admin-email", "admin-name"],
        ["invite-admin"] = ["email", "name"],
        ["invite-operator"] = ["email", "name"],
        ["list-clinics"] = [],
        ["disable-clinic"] = [],
        ["enable-clinic"] = [],
    };

    private static readonly string[] TakesClinicId = ["invite-admin", "disable-clinic", "enable-clinic"];

    public bool IssuesLinks => Name is "create-clinic" or "invite-admin" or "invite-operator";

    public string? Option(string name) => Options.GetValueOrDefault(name);

    public static OperatorArguments Parse(string[] args)
    {
        if (args is not [var name, .. var rest] || !Required.TryGetValue(name, out var required))
        {
            return Fail(args is [var unknown, ..] ? $"Unknown command '{unknown}'." : "Which command?");
        }

        Guid? clinicId = null;
        var options = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i < rest.Length; i++)
        {
            var arg = rest[i];
            if (arg.StartsWith("--", StringComparison.Ordinal) && arg.Contains('=', StringComparison.Ordinal))
            {
                continue; // a configuration setting for the host
            }

            if (arg.StartsWith("--", StringComparison.Ordinal))
            {
                if (i + 1 >= rest.Length)
                {
                    return Fail($"{arg} needs a value.");
                }

                options[arg[2..]] = rest[++i];
            }
            else if (clinicId is null && Guid.TryParse(arg, out var id))
            {
                clinicId = id;
            }
            else
            {
                return Fail($"Unexpected '{arg}' (a clinic id is a GUID, from list-clinics).");
            }
        }

        if (TakesClinicId.Contains(name) && clinicId is null)
        {
            return Fail($"{name} needs the clinic's id.");
        }

        var missing = required.Where(r => string.IsNullOrWhiteSpace(options.GetValueOrDefault(r))).Select(r => "--" + r).ToList();
        return missing.Count > 0 ? Fail($"{name} needs {string.Join(", ", missing)}.") : new OperatorArguments(name, clinicId, options, null);

        static OperatorArguments Fail(string problem) => new(string.Empty, null, new Dictionary<string, string>(), problem);
    }
}
