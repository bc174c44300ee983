namespace ClinicChat.Onboarding;

/// <summary>A clinic as an operator sees it: never any patient or message data.</summary>
[GenerateSerializer, Immutable, Alias("ClinicChat.ClinicAccount")]
public sealed record ClinicAccount(
    [property: Id(0)] Guid Id,
    [property: Id(1)] string Name,
    [property: Id(2)] string? TimeZone,
    [property: Id(3)] DateTimeOffset? CreatedAt,
    [property: Id(4)] DateTimeOffset? DisabledAt)
{
    public bool IsEnabled => DisabledAt is null;
}

/// <summary>
/// The authority on whether a clinic exists for operators and whether it is enabled. Every change goes
/// through this grain (the operator command is an Orleans client of the running cluster), so the
/// enabled flag it keeps in memory is never stale; each change and its audit row commit together.
/// </summary>
[Alias("ClinicChat.Onboarding.IClinicAccountGrain")]
public interface IClinicAccountGrain : IGrainWithGuidKey
{
    Task<ClinicAccount?> GetAsync();

    /// <summary>False only for a clinic an operator disabled. Asked at every staff sign-in.</summary>
    Task<bool> IsEnabledAsync();

    /// <param name="timeZone">An IANA time zone id (<c>Europe/Berlin</c>); anything else is refused.</param>
    /// <param name="operatorId">Who creates it, for the audit row (<c>operator (cli)</c> or an operator's user id).</param>
    Task<Outcome<ClinicAccount>> CreateAsync(string name, string timeZone, string operatorId);

    /// <summary>Disables or enables again. Nothing is deleted; a disabled clinic's staff cannot sign in.</summary>
    Task<Outcome<ClinicAccount>> SetEnabledAsync(bool enabled, string operatorId);
}

/// <summary>Every clinic, for the operator's list. Stateless: one per silo, reading the database.</summary>
[Alias("ClinicChat.Onboarding.IClinicListGrain")]
public interface IClinicListGrain : IGrainWithIntegerKey
{
    Task<IReadOnlyList<ClinicAccount>> ListAsync();
}

/// <summary>Rules for what an operator may name a clinic, shared by the grain and the command.</summary>
public static class ClinicAccountRules
{
    public const int MaxNameLength = 120;

    public static string? NameProblem(string? name) =>
        string.IsNullOrWhiteSpace(name) || name.Trim().Length > MaxNameLength || !TextInput.IsWellFormed(name)
            ? $"The clinic name is required (at most {MaxNameLength} characters, no control characters)."
            : null;

    /// <summary>
    /// An IANA id the server knows (<c>America/New_York</c>). Windows ids are refused even where the
    /// platform would map them: what is stored must mean the same on every node.
    /// </summary>
    public static string? TimeZoneProblem(string? timeZone) =>
        timeZone is { Length: > 0 and <= 64 }
        && TimeZoneInfo.TryConvertIanaIdToWindowsId(timeZone, out _)
        && TimeZoneInfo.TryFindSystemTimeZoneById(timeZone, out _)
            ? null
            : $"'{timeZone}' is not an IANA time zone id (for example Europe/Berlin or America/New_York).";
}
