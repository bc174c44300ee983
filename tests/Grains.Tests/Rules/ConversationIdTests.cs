namespace ClinicChat.Tests.Rules;

public sealed class ConversationIdTests
{
    private static readonly Guid Clinic = new("6f1c2e0a-3b4d-4c5e-8f70-0123456789ab");
    private static readonly Guid Patient = new("9a8b7c6d-5e4f-4a3b-9c2d-ba9876543210");

    [Fact]
    public void TheSameClinicAndPatientAlwaysGiveTheSameThread()
    {
        Assert.Equal(ConversationId.For(Clinic, Patient), ConversationId.For(new Guid(Clinic.ToString()), new Guid(Patient.ToString())));
    }

    [Fact]
    public void EachClinicHasItsOwnThreadWithAPatient()
    {
        Assert.NotEqual(ConversationId.For(Clinic, Patient), ConversationId.For(Guid.NewGuid(), Patient));
    }

    [Fact]
    public void EachPatientHasTheirOwnThreadWithAClinic()
    {
        Assert.NotEqual(ConversationId.For(Clinic, Patient), ConversationId.For(Clinic, Guid.NewGuid()));
    }

    [Fact]
    public void SwappingClinicAndPatientGivesAnotherThread()
    {
        Assert.NotEqual(ConversationId.For(Clinic, Patient), ConversationId.For(Patient, Clinic));
    }

    [Fact]
    public void ManyPairsNeverShareAThread()
    {
        var clinics = Enumerable.Range(0, 20).Select(_ => Guid.NewGuid()).ToList();
        var patients = Enumerable.Range(0, 50).Select(_ => Guid.NewGuid()).ToList();

        var ids = clinics.SelectMany(c => patients.Select(p => ConversationId.For(c, p))).ToList();

        Assert.Equal(ids.Count, ids.Distinct().Count());
    }

    [Fact]
    public void ThreadIdsAreVersion8UuidsSoTheyNeverCollideWithRandomOnes()
    {
        var ids = Enumerable.Range(0, 200).Select(_ => ConversationId.For(Guid.NewGuid(), Guid.NewGuid())).ToList();

        Assert.All(ids, id => Assert.Equal(8, id.Version));
        Assert.All(ids, id => Assert.Equal('8', id.ToString()[14]));
        Assert.All(ids, id => Assert.Contains(id.ToString()[19], "89ab"));
    }
}
