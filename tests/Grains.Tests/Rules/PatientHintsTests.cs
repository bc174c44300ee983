namespace ClinicChat.Tests.Rules;

public sealed class PatientHintsTests
{
    [Theory]
    [InlineData("+1 555 000-0042", "pat@example.com", "mobile ending 0042")]
    [InlineData(null, "pat@example.com", "p•••@example.com")]
    [InlineData("12", "nora@example.com", "n•••@example.com")]
    [InlineData(null, null, null)]
    [InlineData(null, "no-at-sign", null)]
    public void SamenamedPatientsAreToldApartByTheirMobilesLastDigitsElseAMaskedEmail(string? mobile, string? email, string? hint)
    {
        Assert.Equal(hint, PatientHints.For(mobile, email));
    }
}
