namespace ClinicChat.Tests.Postgres;

/// <summary>A grain that exercises Orleans' ADO.NET storage and reminder providers and nothing else.</summary>
public interface IPostgresProbeGrain : IGrainWithGuidKey
{
    Task<ProbeSnapshot> WriteAsync(string value);

    Task<ProbeSnapshot> ReadAsync();

    Task DeactivateAsync();

    Task RegisterReminderAsync(string name, TimeSpan dueTime, TimeSpan period);

    /// <summary>The reminder's name as the reminder service reads it back from the table, or null.</summary>
    Task<string?> GetReminderAsync(string name);

    Task UnregisterReminderAsync(string name);
}

/// <summary>The state an activation holds, with the storage etag and which activation answered.</summary>
[GenerateSerializer, Immutable, Alias("tests.postgres.ProbeSnapshot")]
public sealed record ProbeSnapshot(
    [property: Id(0)] string? Value,
    [property: Id(1)] string? ETag,
    [property: Id(2)] bool RecordExists,
    [property: Id(3)] Guid ActivationId);

public sealed class ProbeState
{
    public string? Value { get; set; }
}

public sealed class PostgresProbeGrain(
    [PersistentState(PostgresProbeGrain.StateName, PostgresClusterFixture.StorageName)] IPersistentState<ProbeState> state)
    : Grain, IPostgresProbeGrain, IRemindable
{
    public const string StateName = "probe";

    private readonly Guid _activationId = Guid.NewGuid();

    public async Task<ProbeSnapshot> WriteAsync(string value)
    {
        state.State.Value = value;
        await state.WriteStateAsync();
        return Snapshot();
    }

    public Task<ProbeSnapshot> ReadAsync() => Task.FromResult(Snapshot());

    public Task DeactivateAsync()
    {
        DeactivateOnIdle();
        return Task.CompletedTask;
    }

    public Task RegisterReminderAsync(string name, TimeSpan dueTime, TimeSpan period) =>
        this.RegisterOrUpdateReminder(name, dueTime, period);

    public async Task<string?> GetReminderAsync(string name) => (await this.GetReminder(name))?.ReminderName;

    public async Task UnregisterReminderAsync(string name)
    {
        var reminder = await this.GetReminder(name) ?? throw new InvalidOperationException($"No reminder named {name}.");
        await this.UnregisterReminder(reminder);
    }

    public Task ReceiveReminder(string reminderName, TickStatus status) => Task.CompletedTask;

    private ProbeSnapshot Snapshot() => new(state.State.Value, state.Etag, state.RecordExists, _activationId);
}
