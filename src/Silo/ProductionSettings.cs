using ClinicChat.Audit;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace ClinicChat.Hosting;

/// <summary>
/// A setting a node cannot run without outside Development (a secret, a host name): each one names
/// itself and says what is wrong, so that the start can be refused once, listing every problem.
/// </summary>
public interface IRequiredSetting
{
    /// <summary>What is wrong with the setting, or nothing when it is fine.</summary>
    IEnumerable<string> Problems();
}

/// <summary>
/// Outside Development a node refuses to start until every <see cref="IRequiredSetting"/> is satisfied, with one
/// message that lists them all: an operator fixes the deployment in one round instead of one setting per restart.
/// The check runs with the host's start-up validation (before any hosted service, the silo included).
/// </summary>
public static class ProductionSettings
{
    /// <summary>The environment variable naming the folder of key-per-file secrets; /run/secrets when it exists otherwise.</summary>
    public const string SecretsDirectoryVariable = "CLINICCHAT_SECRETS_DIR";

    /// <summary>Where container orchestrators (Docker, Kubernetes with a volume) mount secrets by convention.</summary>
    public const string DefaultSecretsDirectory = "/run/secrets";

    public static IServiceCollection AddRequiredSetting<TSetting>(this IServiceCollection services)
        where TSetting : class, IRequiredSetting
    {
        services.AddOptions<RequiredSettingsCheck>().ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<RequiredSettingsCheck>, RequiredSettingsValidator>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IRequiredSetting, TSetting>());
        return services;
    }

    /// <summary>
    /// Secrets as files, one per setting, the way Docker and Kubernetes mount them: a file named
    /// <c>ClinicChat__Audit__CheckpointKey</c> holds that setting's value. Read from
    /// <c>CLINICCHAT_SECRETS_DIR</c>, or /run/secrets when present; added last, so a mounted secret
    /// outranks the environment and appsettings.
    /// </summary>
    public static IConfigurationBuilder AddClinicChatSecretFiles(this IConfigurationBuilder configuration)
    {
        var directory = Environment.GetEnvironmentVariable(SecretsDirectoryVariable) is { Length: > 0 } configured
            ? Path.GetFullPath(configured)
            : Directory.Exists(DefaultSecretsDirectory) ? DefaultSecretsDirectory : null;
        return directory is null ? configuration : configuration.AddKeyPerFile(directory, optional: false);
    }

    /// <summary>
    /// Runs the host, after checking the required settings: when they are refused the process prints the one
    /// message listing them and exits with code 1, before the host starts (which would log the failure and end in an
    /// unhandled exception's stack trace). Hosted by another program (WebApplicationFactory in tests, the benchmark),
    /// the check is left to the host's start-up validation, so that the program that started it sees the exception.
    /// </summary>
    public static async Task<int> RunOrExplainAsync(this IHost host)
    {
        var ownProcess = IsOwnProcess(host);
        if (ownProcess && RequiredSettingsRefusal(host) is { } refusal)
        {
            await Console.Error.WriteLineAsync(refusal);
            return 1;
        }

        try
        {
            await host.RunAsync();
        }
        catch (PortInUseException inUse) when (ownProcess)
        {
            // Another instance holds the silo's ports: said plainly, as a refused setting is, and exit code 1, not an
            // unhandled exception (a stack trace and SIGABRT). The host has logged the failure already.
            await Console.Error.WriteLineAsync(inUse.Message);
            return 1;
        }

        return 0;
    }

    private static bool IsOwnProcess(IHost host) => string.Equals(
        System.Reflection.Assembly.GetEntryAssembly()?.GetName().Name, host.Services.GetRequiredService<IHostEnvironment>().ApplicationName, StringComparison.Ordinal);

    private static string? RequiredSettingsRefusal(IHost host)
    {
        try
        {
            _ = host.Services.GetRequiredService<IOptions<RequiredSettingsCheck>>().Value;
            return null;
        }
        catch (OptionsValidationException refused)
        {
            return string.Join(Environment.NewLine, refused.Failures);
        }
    }

    /// <summary>The options type whose validation on start is the required-settings check; it holds nothing.</summary>
    public sealed class RequiredSettingsCheck;

    private sealed class RequiredSettingsValidator(IHostEnvironment environment, IEnumerable<IRequiredSetting> settings) : IValidateOptions<RequiredSettingsCheck>
    {
        public ValidateOptionsResult Validate(string? name, RequiredSettingsCheck options)
        {
            if (environment.IsDevelopment())
            {
                return ValidateOptionsResult.Success;
            }

            var problems = settings.SelectMany(setting => setting.Problems()).ToList();
            return problems.Count == 0
                ? ValidateOptionsResult.Success
                : ValidateOptionsResult.Fail(
                    $"ClinicChat cannot start in {environment.EnvironmentName}: {problems.Count} required setting(s) missing or invalid. " +
                    "Set each one as an environment variable (':' written '__', e.g. ClinicChat__Audit__CheckpointKey), as a file of that name " +
                    $"in the secrets folder ({SecretsDirectoryVariable} or {DefaultSecretsDirectory}), or in appsettings.{environment.EnvironmentName}.json:" +
                    string.Concat(problems.Select(problem => Environment.NewLine + "  - " + problem)));
        }
    }
}

/// <summary>
/// A missing, short or published audit checkpoint key would make checkpoints prove nothing, and nobody
/// would notice until an audit: outside Development every node needs the operator's own.
/// </summary>
public sealed class AuditCheckpointKeySetting(IOptions<AuditOptions> options) : IRequiredSetting
{
    public IEnumerable<string> Problems()
    {
        var key = options.Value.CheckpointKey;
        if (string.IsNullOrWhiteSpace(key))
        {
            yield return $"{AuditOptions.Section}:CheckpointKey is not set. Every silo and web node needs the same secret key " +
                $"(at least {AuditCheckpointSigner.MinimumKeyLength} characters, kept out of the database) to sign audit checkpoints.";
        }
        else if (key.Length < AuditCheckpointSigner.MinimumKeyLength)
        {
            yield return $"{AuditOptions.Section}:CheckpointKey is shorter than {AuditCheckpointSigner.MinimumKeyLength} characters.";
        }
        else if (string.Equals(key, AuditCheckpointSigner.DevelopmentKey, StringComparison.Ordinal))
        {
            yield return $"{AuditOptions.Section}:CheckpointKey is the public Development key; set a secret of your own.";
        }
    }
}
