using System.Data.Common;
using ClinicChat.Clinics;
using ClinicChat.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Orleans.TestingHost;

namespace ClinicChat.Tests;

/// <summary>
/// One in-process silo per test collection, on a fresh SQLite file, with the production silo setup
/// and a fake product clock. Tests use fresh ids so they never see each other's data.
/// </summary>
public sealed class ClusterFixture : IAsyncLifetime
{
    public static readonly DateTimeOffset Start = new(2026, 1, 5, 9, 0, 0, TimeSpan.Zero);

    private readonly string _dataDirectory = Path.Combine(Path.GetTempPath(), "clinicchat-grains-" + Guid.NewGuid().ToString("N"));

    public const string NoticeBaseUrl = "https://chat.northside.test";

    public TestCluster Cluster { get; private set; } = null!;

    public IGrainFactory Grains => Cluster.GrainFactory;

    public FakeTimeProvider Clock => (FakeTimeProvider)Services.GetRequiredKeyedService<TimeProvider>(ChatTime.Key);

    public IServiceProvider Services => ((InProcessSiloHandle)Cluster.Primary!).SiloHost.Services;

    public ChatDatabase Database => Services.GetRequiredService<ChatDatabase>();

    /// <summary>Reads a number straight from the product database: tests assert what was stored, not only what grains say.</summary>
    public async Task<long> ScalarAsync(string sql, params (string Name, object? Value)[] parameters)
    {
        var rows = await QueryAsync(sql, reader => reader.GetInt64(0), parameters);
        return rows.Single();
    }

    public async Task<IReadOnlyList<T>> QueryAsync<T>(string sql, Func<DbDataReader, T> map, params (string Name, object? Value)[] parameters)
    {
        await using var connection = await Database.OpenAsync();
        await using var command = connection.Command(sql);
        foreach (var (name, value) in parameters)
        {
            command.With(name, value);
        }

        var rows = new List<T>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            rows.Add(map(reader));
        }

        return rows;
    }

    public Task<long> MessageCountAsync(Guid conversationId) =>
        ScalarAsync("SELECT COUNT(*) FROM messages WHERE conversation_id = @id", ("@id", conversationId));

    public Task<long> AuditCountAsync(Guid conversationId, string action) =>
        ScalarAsync("SELECT COUNT(*) FROM audit_log WHERE conversation_id = @id AND action = @action", ("@id", conversationId), ("@action", action));

    /// <summary>The etag of the grain's archival reminder row, or null when no reminder is registered.</summary>
    public async Task<long?> ArchivalReminderEtagAsync(IAddressable grain)
    {
        var etags = await QueryAsync(
            "SELECT etag FROM reminders WHERE grain_id = @grain AND reminder_name = @name",
            reader => reader.GetInt64(0),
            ("@grain", grain.GetGrainId().ToString()),
            ("@name", ArchivalPolicy.ReminderName));
        return etags.Count == 0 ? null : etags.Single();
    }

    /// <summary>Deactivates one grain and waits until it is gone, so the next call meets a fresh activation.</summary>
    public async Task DeactivateAsync(IAddressable grain)
    {
        var management = Cluster.Client.GetGrain<IManagementGrain>(0);
        var grainId = grain.GetGrainId();
        await management.DeactivateGrain(grainId);
        if ((await management.GetActiveGrains(grainId.Type)).Contains(grainId))
        {
            throw new InvalidOperationException($"{grainId} is still active after deactivation.");
        }
    }

    /// <summary>Delivers an archival reminder tick through the grain's real interface, as the reminder service would.</summary>
    public Task TickArchivalReminderAsync(IAddressable conversation)
    {
        var now = Clock.GetUtcNow().UtcDateTime;
        return conversation.AsReference<IRemindable>().ReceiveReminder(ArchivalPolicy.ReminderName, new TickStatus(now, ArchivalPolicy.MaxWait, now));
    }

    /// <summary>Moves the shared product clock forward to <paramref name="target"/> (it never goes back).</summary>
    public void AdvanceClockTo(DateTimeOffset target)
    {
        var now = Clock.GetUtcNow();
        if (target < now)
        {
            throw new ArgumentOutOfRangeException(nameof(target), "The product clock is shared by the collection and only moves forward.");
        }

        Clock.Advance(target - now);
    }

    public async Task InitializeAsync()
    {
        var builder = new TestClusterBuilder(1);
        builder.Properties["ClinicChat:Storage:DataDirectory"] = _dataDirectory;
        // Test silos run outside Development, where a node refuses to start without its own key.
        builder.Properties["ClinicChat:Audit:CheckpointKey"] = "grains-tests-audit-checkpoint-key-not-a-secret";
        // Notices: the tests drive the sweeper and the dispatcher pass by pass on the fake clock.
        builder.Properties["ClinicChat:Notifications:RunInBackground"] = "false";
        builder.Properties["ClinicChat:Notifications:PublicBaseUrl"] = NoticeBaseUrl;
        builder.AddSiloBuilderConfigurator<SiloConfigurator>();
        Cluster = builder.Build();
        await Cluster.DeployAsync();
    }

    public async Task DisposeAsync()
    {
        await Cluster.StopAllSilosAsync();
        await Cluster.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(_dataDirectory, recursive: true);
        }
        catch (IOException)
        {
            // Best effort: a temp folder left behind is harmless.
        }
    }

    private sealed class SiloConfigurator : ISiloConfigurator
    {
        public void Configure(ISiloBuilder siloBuilder)
        {
            siloBuilder.Services.AddKeyedSingleton<TimeProvider>(ChatTime.Key, new FakeTimeProvider(Start));
            siloBuilder.AddClinicChatSilo(siloBuilder.Configuration, AppContext.BaseDirectory, configureClustering: false);
        }
    }
}

[CollectionDefinition(Name)]
public sealed class ClusterCollection : ICollectionFixture<ClusterFixture>
{
    public const string Name = "cluster";
}

/// <summary>Builds a clinic, its staff and patients with fresh ids for one test.</summary>
public sealed class Scenario(IGrainFactory grains, Guid? clinicId = null)
{
    public Guid ClinicId { get; } = clinicId ?? Guid.NewGuid();

    public static async Task<Scenario> CreateAsync(IGrainFactory grains)
    {
        var scenario = new Scenario(grains);
        await grains.GetGrain<IClinicDirectoryGrain>(scenario.ClinicId).RegisterAsync("Clinic " + scenario.ClinicId.ToString("N")[..6]);
        return scenario;
    }

    public Actor Staff(StaffRole role, Guid? clinicId = null) => new(
        "staff-" + Guid.NewGuid().ToString("N"), ActorKind.Staff, role + " Tester", null, [new ClinicMembership(clinicId ?? ClinicId, role)]);

    public static Actor PatientActor(Guid patientId, string? userId = null) => new(
        userId ?? "user-" + patientId.ToString("N"), ActorKind.Patient, "Patient", patientId, []);

    public async Task<Guid> PatientAsync(string name = "Pat Example", bool portal = true, bool optIn = true, params Guid[] moreClinics)
    {
        var id = Guid.NewGuid();
        await grains.GetGrain<IPatientProfileGrain>(id).RegisterAsync(new PatientRegistration(
            id, name, "+15550100", null, portal ? "user-" + id.ToString("N") : null, optIn, [ClinicId, .. moreClinics]));
        return id;
    }

    public async Task<ClinicInfo> OtherClinicAsync()
    {
        var other = new ClinicInfo(Guid.NewGuid(), "Other clinic");
        await grains.GetGrain<IClinicDirectoryGrain>(other.Id).RegisterAsync(other.Name);
        return other;
    }

    public IConversationGrain Conversation(Guid patientId) => grains.GetGrain<IConversationGrain>(ConversationId.For(ClinicId, patientId));

    /// <summary>A new patient of this clinic and the thread a clinician of the clinic opened with them.</summary>
    public async Task<ChatThread> ThreadAsync(string patientName = "Pat Example")
    {
        var patientId = await PatientAsync(patientName);
        return await ThreadWithAsync(patientId);
    }

    /// <summary>The thread a clinician of this clinic opened with an existing patient of the clinic.</summary>
    public async Task<ChatThread> ThreadWithAsync(Guid patientId)
    {
        var clinician = Staff(StaffRole.Clinician);
        var conversation = Conversation(patientId);
        var started = await conversation.StartAsync(clinician, ClinicId, patientId);
        if (started.Error is { } error)
        {
            throw new InvalidOperationException($"Could not start the thread: {error}");
        }

        return new ChatThread(ClinicId, patientId, conversation, clinician, PatientActor(patientId));
    }
}

/// <summary>An open thread with the people on both ends of it.</summary>
public sealed record ChatThread(Guid ClinicId, Guid PatientId, IConversationGrain Grain, Actor Clinician, Actor Patient)
{
    public Guid Id => ConversationId.For(ClinicId, PatientId);

    /// <summary>Sends a message that must be accepted, with a fresh client message id unless one is given.</summary>
    public async Task<MessageView> SayAsync(Actor sender, string text, string? clientMessageId = null)
    {
        var sent = await Grain.SendAsync(sender, new SendMessage(clientMessageId ?? "c-" + Guid.NewGuid().ToString("N"), text));
        return sent.Value?.Message ?? throw new InvalidOperationException($"The send was refused: {sent.Error}");
    }
}
