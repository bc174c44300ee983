namespace ClinicChat.Tests;

/// <summary>The clinic's patient service one layer below HTTP: imports, what an edit keeps, and a registration after an edit.</summary>
[Collection(ClusterCollection.Name)]
public sealed class ClinicPatientsGrainTests(ClusterFixture fixture)
{
    private static PatientDetails Details(string family, string? mrn = null) =>
        new("Ines", family, new DateOnly(1971, 8, 14), null, "+12015550111", mrn, "fr-FR");

    [Fact]
    public async Task AnImportKeepsTheCallersIdsAndRefusesTheSamePersonTwiceWithinItself()
    {
        var scenario = await Scenario.CreateAsync(fixture.Grains);
        var admin = scenario.Staff(StaffRole.Admin);
        var patients = fixture.Grains.GetGrain<IClinicPatientsGrain>(scenario.ClinicId);
        var (first, second) = (Guid.NewGuid(), Guid.NewGuid());

        var imported = await patients.ImportAsync(admin, [new PatientImport(first, Details("Dubois", "A-1")), new PatientImport(Guid.NewGuid(), Details("Martin", "A-2"))]);
        var twice = await patients.ImportAsync(admin, [new PatientImport(second, Details("Roux", "A-3")), new PatientImport(Guid.NewGuid(), Details("ROUX", "A-4"))]);

        Assert.Equal(2, imported.Value);
        Assert.Equal(("Ines Dubois", "A-1"), ((await patients.GetAsync(admin, first)).Value!.Details.DisplayName, (await patients.GetAsync(admin, first)).Value!.Details.Mrn));
        Assert.Equal((ChatErrorCode.DuplicatePatient, second), (twice.Error!.Code, twice.Error.RelatedId));
        Assert.Equal(ChatErrorCode.NotFound, (await patients.GetAsync(admin, second)).Error!.Code);
    }

    [Fact]
    public async Task AnImportCannotTakeOverAnotherClinicsPatient()
    {
        var scenario = await Scenario.CreateAsync(fixture.Grains);
        var elsewhere = await Scenario.CreateAsync(fixture.Grains);
        var theirs = await elsewhere.PatientAsync("Other Clinic Patient");

        var outcome = await fixture.Grains.GetGrain<IClinicPatientsGrain>(scenario.ClinicId)
            .ImportAsync(scenario.Staff(StaffRole.Admin), [new PatientImport(theirs, Details("Takeover"))]);

        Assert.Equal((ChatErrorCode.Validation, "id"), (outcome.Error!.Code, outcome.Error.Field));
        Assert.False(await fixture.Grains.GetGrain<IPatientProfileGrain>(theirs).IsPatientOfAsync(scenario.ClinicId));
    }

    [Fact]
    public async Task AnEditKeepsChatEligibilityAndAReSyncKeepsTheMrnStaffEntered()
    {
        var scenario = await Scenario.CreateAsync(fixture.Grains);
        var patientId = await scenario.PatientAsync("Lena Alt");
        var frontDesk = scenario.Staff(StaffRole.FrontDesk);
        var patients = fixture.Grains.GetGrain<IClinicPatientsGrain>(scenario.ClinicId);

        var edited = await patients.UpdateAsync(frontDesk, patientId, new PatientDetails("Lena", "Neu", new DateOnly(2001, 2, 3), null, null, "MRN-9", null), smsConsent: false);
        await fixture.Grains.GetGrain<IPatientProfileGrain>(patientId).RegisterAsync(new PatientRegistration(
            patientId, "Lena Neu", null, null, "user-" + patientId.ToString("N"), ChatOptIn: false, [scenario.ClinicId]));

        Assert.True(edited.Succeeded);
        Assert.Equal(ChatEligibility.Eligible, await fixture.Grains.GetGrain<IPatientProfileGrain>(patientId).GetChatEligibilityAsync(scenario.ClinicId));
        var file = (await patients.GetAsync(frontDesk, patientId)).Value!;
        Assert.Equal(("Lena", "Neu", "MRN-9", new DateOnly(2001, 2, 3)), (file.Details.GivenName, file.Details.FamilyName, file.Details.Mrn, file.Details.BirthDate));
        Assert.Equal(1, await fixture.ScalarAsync(
            "SELECT COUNT(*) FROM audit_log WHERE action = @action AND patient_id = @patient AND detail = 'changed=familyName,birthDate,mobile,mrn'",
            ("@action", AuditActions.PatientUpdated), ("@patient", patientId.ToString())));
    }

    [Theory]
    [InlineData(StaffRole.Billing, ChatErrorCode.Forbidden)]
    [InlineData(StaffRole.Clinician, null)]
    [InlineData(StaffRole.Admin, null)]
    public async Task ClinicRolesDecideWhoMayAddPatients(StaffRole role, ChatErrorCode? refusal)
    {
        var scenario = await Scenario.CreateAsync(fixture.Grains);

        var outcome = await fixture.Grains.GetGrain<IClinicPatientsGrain>(scenario.ClinicId).AddAsync(scenario.Staff(role), Details("Role" + role), smsConsent: false);
        var outsider = await fixture.Grains.GetGrain<IClinicPatientsGrain>(Guid.NewGuid()).AddAsync(scenario.Staff(role), Details("Outsider"), smsConsent: false);

        Assert.Equal(refusal, outcome.Error?.Code);
        Assert.Equal(ChatErrorCode.NotFound, outsider.Error!.Code);
    }
}
