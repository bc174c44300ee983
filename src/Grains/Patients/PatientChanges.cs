namespace ClinicChat.Patients;

/// <summary>
/// The names of the fields a create sets or an edit changes, for the audit row: which fields, never their values
/// (a name or a number in the audit log would be patient data in a place made to be exported).
/// </summary>
public static class PatientChanges
{
    public static IReadOnlyList<string> Given(PatientDetails details) =>
        Fields(details).Where(field => field.Value is not null).Select(field => field.Name).ToList();

    public static IReadOnlyList<string> Between(PatientDetails before, PatientDetails after) =>
        Fields(before).Zip(Fields(after)).Where(pair => !Equals(pair.First.Value, pair.Second.Value)).Select(pair => pair.First.Name).ToList();

    private static IEnumerable<(string Name, object? Value)> Fields(PatientDetails details) =>
    [
        ("givenName", details.GivenName),
        ("familyName", details.FamilyName),
        ("birthDate", details.BirthDate),
        ("email", details.Email),
        ("mobile", details.Mobile),
        ("mrn", details.Mrn),
        ("preferredLanguage", details.PreferredLanguage),
    ];
}
