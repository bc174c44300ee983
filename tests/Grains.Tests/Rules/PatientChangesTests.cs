namespace ClinicChat.Tests.Rules;

public sealed class PatientChangesTests
{
    private static readonly PatientDetails Before = new("Ada", "Quist", new DateOnly(1984, 3, 7), "ada@example.com", "+12015550142", null, "en");

    [Fact]
    public void ACreateNamesTheFieldsGivenAndNeverTheirValues() =>
        Assert.Equal(["givenName", "familyName", "birthDate", "email", "mobile", "preferredLanguage"], PatientChanges.Given(Before));

    [Fact]
    public void AnEditNamesOnlyTheFieldsThatChanged() =>
        Assert.Equal(["birthDate", "mrn"], PatientChanges.Between(Before, Before with { BirthDate = new DateOnly(1984, 7, 3), Mrn = "NS-1" }));

    [Fact]
    public void AnEditThatChangesNothingNamesNothing() => Assert.Empty(PatientChanges.Between(Before, Before with { }));
}
