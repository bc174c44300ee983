namespace ClinicChat.Tests;

[Collection(ClusterCollection.Name)]
public sealed class ClinicDirectoryGrainTests(ClusterFixture fixture)
{
    [Fact]
    public async Task SearchMatchesTheStartOfAnyWordOfTheName()
    {
        var (scenario, _) = await DirectoryAsync();

        Assert.Equal(["Anna Zorn", "Zoë Müller-Núñez", "Zoltan Mueller"], await NamesAsync(scenario, "zo"));
        Assert.Equal(["Bob Smith"], await NamesAsync(scenario, "smi"));
        Assert.Empty(await NamesAsync(scenario, "mith"));
    }

    [Fact]
    public async Task EveryWordOfAMultiWordSearchMustMatch()
    {
        var (scenario, _) = await DirectoryAsync();

        Assert.Equal(["Zoë Müller-Núñez", "Zoltan Mueller"], await NamesAsync(scenario, "zo mu"));
        Assert.Equal(["Zoë Müller-Núñez"], await NamesAsync(scenario, "mul zoe"));
        Assert.Empty(await NamesAsync(scenario, "zorn smith"));
    }

    [Fact]
    public async Task SearchIgnoresDiacriticsAndCaseOnBothSides()
    {
        var (scenario, _) = await DirectoryAsync();

        Assert.Equal(["Zoë Müller-Núñez"], await NamesAsync(scenario, "NUNEZ"));
        Assert.Equal(["Zoë Müller-Núñez"], await NamesAsync(scenario, "núñez"));
        Assert.Equal(["Zoë Müller-Núñez"], await NamesAsync(scenario, "zoë"));
    }

    [Fact]
    public async Task APatientMatchingOnSeveralWordsIsListedOnce()
    {
        var scenario = await Scenario.CreateAsync(fixture.Grains);
        await scenario.PatientAsync("Zed Zorro Zimmer");

        Assert.Equal(["Zed Zorro Zimmer"], await NamesAsync(scenario, "z"));
    }

    [Fact]
    public async Task PatientsOfOtherClinicsNeverAppear()
    {
        var (scenario, outsiderName) = await DirectoryAsync();

        var everyone = await NamesAsync(scenario, "");
        var byName = await NamesAsync(scenario, outsiderName);

        Assert.Equal(["Anna Zorn", "Bob Smith", "Zoë Müller-Núñez", "Zoltan Mueller"], everyone);
        Assert.Empty(byName);
    }

    [Theory]
    [InlineData(StaffRole.Billing)]
    [InlineData(StaffRole.Admin)]
    public async Task StaffWhoDoNotChatCannotSearchPatients(StaffRole role)
    {
        var (scenario, _) = await DirectoryAsync();

        var result = await Directory(scenario.ClinicId).SearchPatientsAsync(scenario.Staff(role), "zo", 10);

        Assert.Equal(ChatErrorCode.Forbidden, result.Error?.Code);
        Assert.Null(result.Value);
    }

    [Fact]
    public async Task CliniciansOfAnotherClinicAndPatientsFindNoSuchClinic()
    {
        var (scenario, _) = await DirectoryAsync();
        var otherClinic = await scenario.OtherClinicAsync();

        var byOtherClinician = await Directory(scenario.ClinicId).SearchPatientsAsync(scenario.Staff(StaffRole.Clinician, otherClinic.Id), "zo", 10);
        var byPatient = await Directory(scenario.ClinicId).SearchPatientsAsync(Scenario.PatientActor(Guid.NewGuid()), "zo", 10);

        Assert.Equal(ChatErrorCode.NotFound, byOtherClinician.Error?.Code);
        Assert.Equal(ChatErrorCode.NotFound, byPatient.Error?.Code);
    }

    [Fact]
    public async Task AMobileNumberIsShownOnlyForPatientsWithoutAPortalAccount()
    {
        var scenario = await Scenario.CreateAsync(fixture.Grains);
        await scenario.PatientAsync("Sam Sms", portal: false);
        await scenario.PatientAsync("Pam Portal", portal: true);

        var results = (await Directory(scenario.ClinicId).SearchPatientsAsync(scenario.Staff(StaffRole.FrontDesk), "", 10)).Value!;

        var sms = results.Single(p => p.DisplayName == "Sam Sms");
        var portal = results.Single(p => p.DisplayName == "Pam Portal");
        Assert.False(sms.HasPortalAccount);
        Assert.Equal("+15550100", sms.MobileNumber);
        Assert.True(portal.HasPortalAccount);
        Assert.Null(portal.MobileNumber);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(51)]
    public async Task ResultLimitsOutsideOneTo50AreRejected(int limit)
    {
        var scenario = await Scenario.CreateAsync(fixture.Grains);

        var result = await Directory(scenario.ClinicId).SearchPatientsAsync(scenario.Staff(StaffRole.Clinician), "zo", limit);

        Assert.Equal(ChatErrorCode.Validation, result.Error?.Code);
    }

    [Fact]
    public async Task TheResultLimitIsHonoured()
    {
        var (scenario, _) = await DirectoryAsync();

        var result = await Directory(scenario.ClinicId).SearchPatientsAsync(scenario.Staff(StaffRole.Clinician), "zo", 2);

        var bothWords = await Directory(scenario.ClinicId).SearchPatientsAsync(scenario.Staff(StaffRole.Clinician), "zo mu", 1);

        Assert.Equal(["Anna Zorn", "Zoë Müller-Núñez"], result.Value!.Select(p => p.DisplayName));
        Assert.Equal(["Zoë Müller-Núñez"], bothWords.Value!.Select(p => p.DisplayName));
    }

    /// <summary>Four patients of a fresh clinic, plus a similarly named patient registered only at another clinic.</summary>
    private async Task<(Scenario Scenario, string OutsiderName)> DirectoryAsync()
    {
        var scenario = await Scenario.CreateAsync(fixture.Grains);
        foreach (var name in new[] { "Zoë Müller-Núñez", "Zoltan Mueller", "Anna Zorn", "Bob Smith" })
        {
            await scenario.PatientAsync(name);
        }

        var elsewhere = await Scenario.CreateAsync(fixture.Grains);
        const string outsiderName = "Zoe Outsider";
        await elsewhere.PatientAsync(outsiderName);
        return (scenario, outsiderName);
    }

    private async Task<IReadOnlyList<string>> NamesAsync(Scenario scenario, string query)
    {
        var result = await Directory(scenario.ClinicId).SearchPatientsAsync(scenario.Staff(StaffRole.Clinician), query, 50);
        return [.. result.Value!.Select(p => p.DisplayName)];
    }

    private IClinicDirectoryGrain Directory(Guid clinicId) => fixture.Grains.GetGrain<IClinicDirectoryGrain>(clinicId);
}
