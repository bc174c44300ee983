using ClinicChat.Audit;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace ClinicChat.Hosting;

/// <summary>
/// Outside Development a node refuses to start without its own secrets: a missing, short or published
/// audit checkpoint key would make checkpoints prove nothing, and nobody would notice until an audit.
/// The message names the setting so that an operator knows what to set.
/// </summary>
public sealed class AuditKeyRequiredOutsideDevelopment(IHostEnvironment environment) : IValidateOptions<AuditOptions>
{
    public ValidateOptionsResult Validate(string? name, AuditOptions options)
    {
        if (environment.IsDevelopment())
        {
            return ValidateOptionsResult.Success;
        }

        var key = options.CheckpointKey;
        if (string.IsNullOrWhiteSpace(key))
        {
            return ValidateOptionsResult.Fail(
                $"{AuditOptions.Section}:CheckpointKey is not set. Outside Development every silo and web node needs the same secret key " +
                $"(at least {AuditCheckpointSigner.MinimumKeyLength} characters, kept out of the database) to sign audit checkpoints.");
        }

        if (key.Length < AuditCheckpointSigner.MinimumKeyLength)
        {
            return ValidateOptionsResult.Fail($"{AuditOptions.Section}:CheckpointKey is shorter than {AuditCheckpointSigner.MinimumKeyLength} characters.");
        }

        return string.Equals(key, AuditCheckpointSigner.DevelopmentKey, StringComparison.Ordinal)
            ? ValidateOptionsResult.Fail($"{AuditOptions.Section}:CheckpointKey is the public Development key; set a secret of your own.")
            : ValidateOptionsResult.Success;
    }
}
