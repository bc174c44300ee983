using System.Security.Claims;
using ClinicChat.Conversations;
using ClinicChat.Patients;
using ClinicChat.Records;
using ClinicChat.Storage;
using ClinicChat.Web.Integration;
using Microsoft.AspNetCore.Identity;

namespace ClinicChat.Web.Seeding;

public sealed class SeedOptions
{
    public const string Section = "ClinicChat:Seed";

    /// <summary>Seed the demo clinic group on first start. Development only: anywhere else the node refuses to start.</summary>
    public bool Demo { get; set; }

    /// <summary>How many generated patients the demo group has (the benchmark raises it to measure search at scale).</summary>
    public int GeneratedPatients { get; set; } = DemoData.GeneratedPatients;
}

/// <summary>
/// Seeds the demo clinic group through the same grains and Identity APIs the product uses, once per
/// database (recorded in schema_migrations as <c>seed.demo</c>).
/// </summary>
public sealed partial class DemoSeeder(
    IServiceScopeFactory scopes,
    IGrainFactory grains,
    SchemaMigrator migrator,
    IHostEnvironment environment,
    [FromKeyedServices(ChatTime.Key)] TimeProvider time,
    Microsoft.Extensions.Options.IOptions<SeedOptions> options,
    ILogger<DemoSeeder> logger) : IHostedService
{
    public const string SeedId = "seed.demo";

    private const int RegistrationConcurrency = 256;

    /// <summary>Patients per import call: one commit each, well inside Orleans' 30-second call timeout at benchmark scale.</summary>
    private const int ImportBatchSize = 1_000;

    /// <summary>Recorded apart from <see cref="SeedId"/> so that databases seeded before records existed get them too.</summary>
    public const string RecordsSeedId = "seed.demo.records";

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (!options.Value.Demo || !environment.IsDevelopment())
        {
            return;
        }

        // A fresh start waits for this before it serves (docs/benchmarks.md, cold start). The FHIR parser's first use
        // costs a few hundred ms, so the demo bundles are parsed on the thread pool while the people are seeded; they
        // are imported after, as their records name the seeded patients.
        var now = time.GetUtcNow();
        var records = await migrator.IsAppliedAsync(RecordsSeedId, cancellationToken)
            ? null
            : Task.Run(() => (Northside: Parse(DemoRecords.NorthsideBundle(now)), Lakeview: Parse(DemoRecords.LakeviewBundle(now))), cancellationToken);
        if (!await migrator.IsAppliedAsync(SeedId, cancellationToken))
        {
            await SeedPeopleAsync(cancellationToken);
        }

        if (records is not null)
        {
            var (northside, lakeview) = await records;
            await ImportAsync(DemoData.Northside, northside);
            await ImportAsync(DemoData.Lakeview, lakeview);
            await migrator.RecordAsync(RecordsSeedId, cancellationToken);
        }
    }

    private async Task SeedPeopleAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<ClinicChatUser>>();
        var db = scope.ServiceProvider.GetRequiredService<IdentityDb>();

        await grains.GetGrain<IClinicDirectoryGrain>(DemoData.Northside).RegisterAsync("Northside Family Dental");
        await grains.GetGrain<IClinicDirectoryGrain>(DemoData.Lakeview).RegisterAsync("Lakeview Pediatrics");

        // One PBKDF2 hash of the demo password for every account: each hash costs ~100 ms by design,
        // which for a dozen named accounts was a third of a fresh start.
        var passwordHash = users.PasswordHasher.HashPassword(new ClinicChatUser(), DemoData.Password);
        // The first account is most of a fresh start's seeding (Identity's and EF Core's first use: the model, the
        // queries): on the thread pool, while the clinics' patients are added through the grains.
        var staffAccounts = Task.Run(async () =>
        {
            var alice = await StaffAsync(users, passwordHash, DemoData.Alice, "Alice Carter", DemoData.Northside, StaffRole.Clinician);
            await StaffAsync(users, passwordHash, DemoData.Frank, "Frank Foster", DemoData.Northside, StaffRole.FrontDesk);
            await StaffAsync(users, passwordHash, DemoData.Bill, "Bill Barnes", DemoData.Northside, StaffRole.Billing);
            await StaffAsync(users, passwordHash, DemoData.Olga, "Olga Ortiz", DemoData.Northside, StaffRole.Admin);
            var lara = await StaffAsync(users, passwordHash, DemoData.Lara, "Lara Lin", DemoData.Lakeview, StaffRole.Clinician);
            var mo = await StaffAsync(users, passwordHash, DemoData.Mo, "Mo Morgan", DemoData.Northside, StaffRole.FrontDesk);
            Check(await users.AddClaimAsync(mo, ChatClaims.MembershipClaim(DemoData.Lakeview, StaffRole.FrontDesk)));
            return (alice, lara);
        });

        // Patients come to be as a clinic's do: added through the clinic's patient service (the generated ones in
        // batches), then linked to their portal accounts.
        var clinicPatients = AddPatientsAsync(DemoData.Northside, [
            new PatientImport(DemoData.PatPortal, DemoData.PatDetails),
            new PatientImport(DemoData.OscarOptout, DemoData.OscarDetails),
            new PatientImport(DemoData.NoraNoportal, DemoData.NoraDetails),
            .. DemoData.Generated(options.Value.GeneratedPatients).Select(p => new PatientImport(p.Id, p.Details)),
        ]);
        // Both end before anything goes on, failed or not: Identity's store (one DbContext, this scope's) is used by one
        // task at a time, and never after the scope ends.
        await Task.WhenAll(staffAccounts, clinicPatients);
        var (alice, lara) = await staffAccounts;
        var pat = await PatientAsync(users, passwordHash, DemoData.Pat, "Pat Portal", DemoData.PatPortal);
        var oscar = await PatientAsync(users, passwordHash, DemoData.Oscar, "Oscar Optout", DemoData.OscarOptout);
        await RegisterAsync(new PatientRegistration(DemoData.PatPortal, "Pat Portal", DemoData.PatDetails.Mobile, DemoData.Pat, pat.Id, true, [DemoData.Northside, DemoData.Lakeview]));
        await RegisterAsync(new PatientRegistration(DemoData.OscarOptout, "Oscar Optout", DemoData.OscarDetails.Mobile, DemoData.Oscar, oscar.Id, false, [DemoData.Northside]));
        await RegisterAsync(new PatientRegistration(DemoData.NoraNoportal, "Nora Noportal", DemoData.NoraDetails.Mobile, null, null, true, [DemoData.Northside]));
        await GeneratedPatientsAsync(users, db, passwordHash);

        await ConversationAsync(alice, DemoData.Northside, pat, "Hi Pat, this is Alice from Northside. Your crown is ready — shall we book the fitting?", "Yes please! Any time Thursday afternoon works.");
        await ConversationAsync(lara, DemoData.Lakeview, pat, "Hello Pat, a reminder that Sam's check-up is due next month.", "Thanks, I'll book it in the portal.");

        await migrator.RecordAsync(SeedId, cancellationToken);
        LogSeeded(options.Value.GeneratedPatients + 3);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private static async Task<ClinicChatUser> StaffAsync(UserManager<ClinicChatUser> users, string passwordHash, string email, string name, Guid clinicId, StaffRole role) =>
        await UserAsync(users, passwordHash, email, name, NewAccounts.StaffClaims(ChatClaims.StaffKind, name, [ChatClaims.MembershipClaim(clinicId, role)]));

    private static async Task<ClinicChatUser> PatientAsync(UserManager<ClinicChatUser> users, string passwordHash, string email, string name, Guid patientId) =>
        await UserAsync(users, passwordHash, email, name, NewAccounts.PatientClaims(patientId, name));

    /// <summary>An account as an accepted invitation makes it (<see cref="NewAccounts"/>), with the demo password's one hash.</summary>
    private static async Task<ClinicChatUser> UserAsync(UserManager<ClinicChatUser> users, string passwordHash, string email, string name, Claim[] claims)
    {
        if (await users.FindByEmailAsync(email) is { } existing)
        {
            return existing;
        }

        var user = NewAccounts.User(email, name, emailConfirmed: true);
        user.PasswordHash = passwordHash;
        Check(await NewAccounts.CreateAsync(users, user, password: null, claims));
        return user;
    }

    /// <summary>
    /// Hundreds of portal accounts, written in one save with the shared hash of the demo password.
    /// Every account still signs in with the demo password.
    /// </summary>
    private async Task GeneratedPatientsAsync(UserManager<ClinicChatUser> users, IdentityDb db, string sharedHash)
    {
        var registrations = new List<PatientRegistration>();
        foreach (var patient in DemoData.Generated(options.Value.GeneratedPatients))
        {
            string? userId = null;
            if (patient.Email is { } email)
            {
                // The same account and claims as NewAccounts makes, written in one save rather than a UserManager round trip each.
                var user = NewAccounts.User(email, patient.Name, emailConfirmed: true);
                user.NormalizedUserName = users.NormalizeName(email);
                user.NormalizedEmail = users.NormalizeEmail(email);
                user.PasswordHash = sharedHash;
                user.SecurityStamp = Guid.NewGuid().ToString("N");
                db.Users.Add(user);
                db.UserClaims.AddRange(NewAccounts.PatientClaims(patient.Id, patient.Name)
                    .Select(claim => new IdentityUserClaim<string> { UserId = user.Id, ClaimType = claim.Type, ClaimValue = claim.Value }));
                userId = user.Id;
            }

            Guid[] clinics = patient.AlsoLakeview ? [DemoData.Northside, DemoData.Lakeview] : [DemoData.Northside];
            registrations.Add(new PatientRegistration(patient.Id, patient.Name, patient.Mobile, patient.Email, userId, patient.OptedIn, clinics));
        }

        await db.SaveChangesAsync();
        // Concurrent registrations share group commits instead of paying one flush each; a bounded
        // number at a time, because tens of thousands at once (the benchmark's population) queue
        // behind each other for longer than Orleans' 30-second call timeout.
        await Parallel.ForEachAsync(registrations, new ParallelOptions { MaxDegreeOfParallelism = RegistrationConcurrency },
            async (registration, _) => await RegisterAsync(registration));
    }

    private static FhirParseResult Parse(string bundle)
    {
        var parsed = FhirRecords.Parse(bundle);
        return parsed.IsValid
            ? parsed
            : throw new InvalidOperationException("Demo records are not valid FHIR: " + string.Join("; ", parsed.Issues.Select(i => i.Diagnostics)));
    }

    /// <summary>Through the FHIR parser (<see cref="Parse"/>) and the import grain, as the clinic's integration would (with an Admin identity of its own).</summary>
    private async Task ImportAsync(Guid clinicId, FhirParseResult parsed)
    {
        var integration = new Actor("integration:demo", ActorKind.Staff, "Demo practice system", null, [new ClinicMembership(clinicId, StaffRole.Admin)]);
        // The system under which the demo EHR's MRNs (NS-1001, ...) are sent, so its Patient resources and
        // Patient?identifier= references match the seeded patients (docs/integration.md walks through it).
        Check(await grains.GetGrain<IClinicPatientsGrain>(clinicId).SetMrnSystemAsync(integration, DemoData.MrnSystemOf(clinicId)));
        Check(await grains.GetGrain<IClinicRecordsGrain>(clinicId).ImportAsync(integration, parsed.Records, patientsFirst: null));
    }

    /// <summary>
    /// Through <see cref="IClinicPatientsGrain.ImportAsync"/>, the staff service's path for patients that come with an id:
    /// the same duplicate rules and audit rows as a front desk's "Add patient", and the demo's fixed ids kept (docs,
    /// tests and bookmarks name them). The caller is the demo's practice system, as for its records (an Admin of the clinic).
    /// </summary>
    private async Task AddPatientsAsync(Guid clinicId, IReadOnlyList<PatientImport> patients)
    {
        var integration = new Actor("integration:demo", ActorKind.Staff, "Demo practice system", null, [new ClinicMembership(clinicId, StaffRole.Admin)]);
        foreach (var chunk in patients.Chunk(ImportBatchSize))
        {
            Check(await grains.GetGrain<IClinicPatientsGrain>(clinicId).ImportAsync(integration, chunk));
        }
    }

    private Task RegisterAsync(PatientRegistration registration) => grains.GetGrain<IPatientProfileGrain>(registration.Id).RegisterAsync(registration);

    private async Task ConversationAsync(ClinicChatUser staffUser, Guid clinicId, ClinicChatUser patientUser, string staffText, string patientText)
    {
        var staffClaims = await ClaimsOfAsync(staffUser);
        var patientClaims = await ClaimsOfAsync(patientUser);
        var staff = staffClaims.ToActor()!;
        var patient = patientClaims.ToActor()!;
        var conversation = grains.GetGrain<IConversationGrain>(ConversationId.For(clinicId, patient.PatientId!.Value));
        Check(await conversation.StartAsync(staff, clinicId, patient.PatientId.Value));
        var sent = await conversation.SendAsync(staff, new SendMessage("seed-1", staffText));
        Check(sent);
        var seq = sent.Value!.Message.Seq;
        // The patient opened the thread before answering, as the portal acknowledges it: the staff message shows Read and
        // the patient's inbox no unread message under their own reply.
        Check(await conversation.AcknowledgeAsync(patient, new ReceiptAck(DeliveredUpToSeq: seq, ReadUpToSeq: seq)));
        Check(await conversation.SendAsync(patient, new SendMessage("seed-2", patientText)));

        async Task<ClaimsPrincipal> ClaimsOfAsync(ClinicChatUser user)
        {
            await using var scope = scopes.CreateAsyncScope();
            var factory = scope.ServiceProvider.GetRequiredService<IUserClaimsPrincipalFactory<ClinicChatUser>>();
            return await factory.CreateAsync(user);
        }
    }

    private static void Check(IdentityResult result)
    {
        if (!result.Succeeded)
        {
            throw new InvalidOperationException("Demo seeding failed: " + string.Join("; ", result.Errors.Select(e => e.Code)));
        }
    }

    private static void Check<T>(Outcome<T> outcome)
    {
        if (!outcome.Succeeded)
        {
            throw new InvalidOperationException("Demo seeding failed: " + outcome.Error!.Code);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Seeded the demo clinic group with {PatientCount} patients.")]
    private partial void LogSeeded(int patientCount);
}
