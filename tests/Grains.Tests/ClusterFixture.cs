using ClinicChat.Access;
using ClinicChat.Clinics;
using ClinicChat.Hosting;
using ClinicChat.Patients;
using ClinicChat.Storage;
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

    public TestCluster Cluster { get; private set; } = null!;

    public IGrainFactory Grains => Cluster.GrainFactory;

    public FakeTimeProvider Clock => (FakeTimeProvider)Services.GetRequiredKeyedService<TimeProvider>(ChatTime.Key);

    public IServiceProvider Services => ((InProcessSiloHandle)Cluster.Primary!).SiloHost.Services;

    public ChatDatabase Database => Services.GetRequiredService<ChatDatabase>();

    public async Task InitializeAsync()
    {
        var builder = new TestClusterBuilder(1);
        builder.Properties["ClinicChat:Storage:DataDirectory"] = _dataDirectory;
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
public sealed class Scenario(IGrainFactory grains)
{
    public Guid ClinicId { get; } = Guid.NewGuid();

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
}
