namespace ClinicChat.Web.Tests;

/// <summary>Staff add and edit patients: who may, how the input is read, duplicates, and what an edit keeps.</summary>
[Collection(AppCollection.Name)]
public sealed class PatientAdminTests(AppFixture fixture)
{
    private static readonly Guid Northside = DemoData.Northside;
    private static readonly Guid Lakeview = DemoData.Lakeview;

    private ClinicChatApp App => fixture.App;

    [Fact]
    public async Task AFrontDeskAddsAPatientWhoseDetailsAreStoredNormalisedAndFoundWithBirthDateAndMrn()
    {
        var frank = await App.SignInAsync(DemoData.Frank);
        var family = UniqueFamilyName();
        var mrn = "NS-" + Guid.NewGuid().ToString("N")[..8];

        var response = await frank.Http.PostAsJsonAsync(PatientsOf(Northside), new
        {
            givenName = "  Zoë ", familyName = family, birthDate = "1984-03-07", email = " Zoe.Smith@Example.COM ",
            mobile = "(201) 555-0123", mrn, preferredLanguage = "es-mx",
        });

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var added = (await response.Content.ReadFromJsonAsync<PatientFileDto>())!;
        Assert.Equal($"/api/v1/clinics/{Northside}/patients/{added.Id}", response.Headers.Location?.OriginalString);
        Assert.Equal(
            ("Zoë", family, new DateOnly(1984, 3, 7), "Zoe.Smith@example.com", "+12015550123", mrn, "es-MX", false, $"Zoë {family}"),
            (added.GivenName, added.FamilyName, added.BirthDate, added.Email, added.Mobile, added.Mrn, added.PreferredLanguage, added.HasPortalAccount, added.DisplayName));
        Assert.Equal(added, await GetAsync(frank, Northside, added.Id));

        var found = Assert.Single(await SearchAsync(frank, "zoe " + family));
        Assert.Equal((added.Id, $"Zoë {family}", new DateOnly(1984, 3, 7), mrn), (found.Id, found.DisplayName, found.BirthDate, found.Mrn));
    }

    [Theory]
    [InlineData("201.555.0123", "+12015550123")]
    [InlineData("1 (201) 555-0124", "+12015550124")]
    [InlineData("+44 7400 123456", "+447400123456")]
    [InlineData("+49 1512 3456789", "+4915123456789")]
    public async Task AMobileNumberIsStoredInE164ReadInTheDefaultRegionUnlessItHasACountryCode(string typed, string stored)
    {
        var frank = await App.SignInAsync(DemoData.Frank);

        var added = await AddAsync(frank, Northside, NewPatient() with { Mobile = typed });

        Assert.Equal(stored, added.Mobile);
    }

    [Theory]
    [InlineData("givenName", "")]
    [InlineData("givenName", "   ")]
    [InlineData("givenName", "toolong")]
    [InlineData("givenName", "Bad\uFFFEName")]
    [InlineData("familyName", null)]
    [InlineData("familyName", "Line\nBreak")]
    [InlineData("birthDate", null)]
    [InlineData("birthDate", "07/03/1984")]
    [InlineData("birthDate", "2023-02-30")]
    [InlineData("birthDate", "future")]
    [InlineData("birthDate", "1850-01-01")]
    [InlineData("email", "not-an-email")]
    [InlineData("email", "Pat <pat@example.com>")]
    [InlineData("mobile", "12")]
    [InlineData("mobile", "call me")]
    [InlineData("mrn", "toolong")]
    [InlineData("preferredLanguage", "not a language")]
    [InlineData("preferredLanguage", "xx-QQ")]
    [InlineData("smsConsent", "true")]
    public async Task EachInvalidFieldIsRefusedNamingTheField(string field, string? value)
    {
        var frank = await App.SignInAsync(DemoData.Frank);
        var valid = NewPatient();
        var request = field switch
        {
            "givenName" => valid with { GivenName = value == "toolong" ? new string('a', PatientInput.MaxNameLength + 1) : value },
            "familyName" => valid with { FamilyName = value },
            "birthDate" => valid with { BirthDate = value == "future" ? DateTime.UtcNow.AddDays(2).ToString("yyyy-MM-dd") : value },
            "email" => valid with { Email = value },
            "mobile" => valid with { Mobile = value },
            "mrn" => valid with { Mrn = new string('7', PatientInput.MaxMrnLength + 1) },
            "preferredLanguage" => valid with { PreferredLanguage = value },
            _ => valid with { Mobile = null, SmsConsent = true },
        };

        var response = await frank.Http.PostAsJsonAsync(PatientsOf(Northside), request);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal((ApiErrors.ValidationFailed, field), await TestData.ProblemAsync(response));
        Assert.Empty(await SearchAsync(frank, valid.FamilyName!));
    }

    /// <summary>A form with several wrong fields is answered with all of them, in the form's order, so staff fix them in one round.</summary>
    [Fact]
    public async Task EveryInvalidFieldIsNamedInOneAnswerInTheFormsOrder()
    {
        var frank = await App.SignInAsync(DemoData.Frank);
        var valid = NewPatient();
        var request = valid with { FamilyName = " ", Email = "ada at home", Mobile = "12", PreferredLanguage = "not a language" };

        var created = await frank.Http.PostAsJsonAsync(PatientsOf(Northside), request);
        var edited = await frank.Http.PutAsJsonAsync($"{PatientsOf(Northside)}/{DemoData.PatPortal}", request);

        foreach (var response in new[] { created, edited })
        {
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
            Assert.Equal((ApiErrors.ValidationFailed, "familyName"), (problem.GetProperty("code").GetString(), problem.GetProperty("field").GetString()));
            var errors = problem.GetProperty("errors").EnumerateObject().Select(e => e.Name).ToArray();
            Assert.Equal(["familyName", "mobile", "email", "preferredLanguage"], errors);
            Assert.Equal("That is not an email address (name@example.org).", problem.GetProperty("errors").GetProperty("email").GetString());
            Assert.Contains("read as a United States (+1) number", problem.GetProperty("errors").GetProperty("mobile").GetString());
        }

        Assert.Empty(await SearchAsync(frank, valid.FamilyName!));
    }

    [Fact]
    public async Task ASecondPatientWithTheSameMrnIsRefusedWithALinkToTheFirst()
    {
        var frank = await App.SignInAsync(DemoData.Frank);
        var first = await AddAsync(frank, Northside, NewPatient() with { Mrn = "MRN-" + Guid.NewGuid().ToString("N")[..10] });

        var response = await frank.Http.PostAsJsonAsync(PatientsOf(Northside), NewPatient() with { Mrn = first.Mrn });

        await AssertDuplicateOfAsync(first.Id, response);
    }

    [Fact]
    public async Task ASecondPatientWithTheSameNameAndBirthDateIsRefusedWhateverTheCaseAndAccents()
    {
        var alice = await App.SignInAsync(DemoData.Alice);
        var family = UniqueFamilyName();
        var first = await AddAsync(alice, Northside, NewPatient() with { GivenName = "Zoë", FamilyName = "Müller-" + family, BirthDate = "1990-05-17" });

        var same = await alice.Http.PostAsJsonAsync(PatientsOf(Northside), NewPatient() with { GivenName = "ZOE", FamilyName = "muller-" + family.ToLowerInvariant(), BirthDate = "1990-05-17" });
        var bornAnotherDay = await AddAsync(alice, Northside, NewPatient() with { GivenName = "Zoë", FamilyName = "Müller-" + family, BirthDate = "1990-05-18" });

        await AssertDuplicateOfAsync(first.Id, same);
        Assert.NotEqual(first.Id, bornAnotherDay.Id);
        Assert.Equal(2, (await SearchAsync(alice, "zoe muller-" + family)).Count);
    }

    [Fact]
    public async Task FrontDesksAddingTheSamePersonAtOnceGetOnePatient()
    {
        var frank = await App.SignInAsync(DemoData.Frank);
        var request = NewPatient();

        var responses = await Task.WhenAll(Enumerable.Range(0, 6).Select(_ => frank.Http.PostAsJsonAsync(PatientsOf(Northside), request)));

        var created = Assert.Single(responses, r => r.StatusCode == HttpStatusCode.Created);
        var patient = (await created.Content.ReadFromJsonAsync<PatientFileDto>())!;
        foreach (var refused in responses.Where(r => r != created))
        {
            await AssertDuplicateOfAsync(patient.Id, refused);
        }

        Assert.Single(await SearchAsync(frank, request.FamilyName!));
    }

    [Fact]
    public async Task TheSamePersonAtAnotherClinicIsThatClinicsOwnPatientAndNeitherClinicSeesTheOther()
    {
        var frank = await App.SignInAsync(DemoData.Frank);
        var lara = await App.SignInAsync(DemoData.Lara);
        var request = NewPatient() with { Mrn = "SHARED-" + Guid.NewGuid().ToString("N")[..8] };
        var atNorthside = await AddAsync(frank, Northside, request);

        var atLakeview = await AddAsync(lara, Lakeview, request);

        Assert.NotEqual(atNorthside.Id, atLakeview.Id);
        Assert.Equal(HttpStatusCode.NotFound, (await lara.Http.GetAsync(PatientOf(Northside, atNorthside.Id))).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await lara.Http.GetAsync(PatientOf(Lakeview, atNorthside.Id))).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await frank.Http.GetAsync(PatientOf(Northside, atLakeview.Id))).StatusCode);
        Assert.Equal(atNorthside.Id, Assert.Single(await SearchAsync(frank, request.FamilyName!)).Id);
    }

    [Fact]
    public async Task CliniciansFrontDeskAndAdminsMayBillingIsRefusedAndEveryoneElseFindsNothing()
    {
        var frank = await App.SignInAsync(DemoData.Frank);
        var patient = await AddAsync(frank, Northside, NewPatient());
        var bill = await App.SignInAsync(DemoData.Bill);
        var lara = await App.SignInAsync(DemoData.Lara);
        var pat = await App.SignInAsync(DemoData.Pat);

        foreach (var allowed in new[] { DemoData.Alice, DemoData.Frank, DemoData.Olga })
        {
            var session = await App.SignInAsync(allowed);
            Assert.Equal(HttpStatusCode.OK, (await session.Http.GetAsync(PatientOf(Northside, patient.Id))).StatusCode);
        }

        Assert.Equal(HttpStatusCode.Created, (await (await App.SignInAsync(DemoData.Olga)).Http.PostAsJsonAsync(PatientsOf(Northside), NewPatient())).StatusCode);
        Assert.Equal((ApiErrors.Forbidden, null), await TestData.ProblemAsync(await bill.Http.PostAsJsonAsync(PatientsOf(Northside), NewPatient())));
        Assert.Equal(HttpStatusCode.Forbidden, (await bill.Http.GetAsync(PatientOf(Northside, patient.Id))).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await bill.Http.PutAsJsonAsync(PatientOf(Northside, patient.Id), NewPatient())).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await lara.Http.PostAsJsonAsync(PatientsOf(Northside), NewPatient())).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await lara.Http.PutAsJsonAsync(PatientOf(Northside, patient.Id), NewPatient())).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await pat.Http.GetAsync(PatientOf(Northside, patient.Id))).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await pat.Http.PostAsJsonAsync(PatientsOf(Northside), NewPatient())).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await frank.Http.GetAsync(PatientOf(Northside, Guid.NewGuid()))).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await frank.Http.PutAsJsonAsync(PatientOf(Northside, Guid.NewGuid()), NewPatient())).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await frank.Http.PostAsJsonAsync(PatientsOf(Guid.NewGuid()), NewPatient())).StatusCode);
        var anonymous = App.CreateClient();
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync(PatientOf(Northside, patient.Id))).StatusCode);
    }

    [Fact]
    public async Task EditingAPatientKeepsTheirPortalAccountThreadAndChatPreference()
    {
        var (_, alice, patient, thread) = await ChatScenario.StartAsync(App);
        await TestData.SendAsync(alice, thread, "Your results are in.");
        var frank = await App.SignInAsync(DemoData.Frank);
        var before = await GetAsync(frank, Northside, patient.Id);
        var newFamily = UniqueFamilyName();

        var response = await frank.Http.PutAsJsonAsync(PatientOf(Northside, patient.Id), new PatientRequest(
            "Robin", newFamily, "1979-11-02", before.Email, "+44 7400 123457", "ED-" + newFamily[..6], "en-GB"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var edited = (await response.Content.ReadFromJsonAsync<PatientFileDto>())!;
        Assert.Equal((true, "+447400123457", "+44 7400 123457", new DateOnly(1979, 11, 2), $"Robin {newFamily}"),
            (edited.HasPortalAccount, edited.Mobile, edited.MobileDisplay, edited.BirthDate, edited.DisplayName));
        var pat = await App.SignInAsync(patient.Email);
        Assert.Contains(await TestData.PageAsync(pat, thread) is { } page ? page.Messages : [], m => m.Text == "Your results are in.");
        var preferences = await pat.Http.GetFromJsonAsync<JsonElement>("/api/v1/me/preferences");
        Assert.True(preferences.GetProperty("chatOptIn").GetBoolean());
        var found = Assert.Single(await SearchAsync(frank, newFamily));
        Assert.Equal((patient.Id, true, true), (found.Id, found.HasPortalAccount, found.HasConversation));
        Assert.Empty(await SearchAsync(frank, patient.Name));
        Assert.Equal(HttpStatusCode.Created, (await alice.Http.PostAsJsonAsync($"/api/v1/conversations/{thread}/messages", new { clientMessageId = Guid.NewGuid().ToString("N"), text = "Still here." })).StatusCode);
    }

    [Fact]
    public async Task CreatesAndEditsAreAuditedWithTheFieldNamesNeverTheirValues()
    {
        var frank = await App.SignInAsync(DemoData.Frank);
        var request = NewPatient() with { Mobile = "201-555-0177" };
        var added = await AddAsync(frank, Northside, request);

        await frank.Http.PutAsJsonAsync(PatientOf(Northside, added.Id), request with { GivenName = "Renamed", Mrn = "AUD-1" + added.Id.ToString("N")[..6] });

        var olga = await App.SignInAsync(DemoData.Olga);
        var events = await olga.Http.GetFromJsonAsync<JsonElement>($"/api/v1/clinics/{Northside}/audit?patientId={added.Id}&limit=50");
        var rows = events.GetProperty("events").EnumerateArray().Select(e => (Action: e.GetProperty("action").GetString(), Detail: e.GetProperty("detail").GetString())).ToList();
        Assert.Contains((AuditActions.PatientCreated, "fields=givenName,familyName,birthDate,mobile"), rows);
        Assert.Contains((AuditActions.PatientUpdated, "changed=givenName,mrn"), rows);
        Assert.DoesNotContain(rows, row => row.Detail?.Contains(request.FamilyName!, StringComparison.Ordinal) == true || row.Detail?.Contains("555", StringComparison.Ordinal) == true);
    }

    [Fact]
    public async Task StaffRecordSmsConsentForTheMobileNumberOnFileAndANewNumberNeedsItAgain()
    {
        var frank = await App.SignInAsync(DemoData.Frank);
        var withoutMobile = await AddAsync(frank, Northside, NewPatient());
        var request = NewPatient() with { Mobile = "(201) 555-0188" };
        var patient = await AddAsync(frank, Northside, request);
        var consentsBefore = await TestData.AuditCountAsync(App, AuditActions.PatientSmsConsentRecorded, actorId: frank.UserId);

        var refused = await frank.Http.PostAsync(PatientOf(Northside, withoutMobile.Id) + "/sms-consent", null);
        var recorded = await frank.Http.PostAsync(PatientOf(Northside, patient.Id) + "/sms-consent", null);

        Assert.Equal((ApiErrors.ValidationFailed, "mobile"), await TestData.ProblemAsync(refused));
        Assert.Equal(HttpStatusCode.OK, recorded.StatusCode);
        Assert.NotNull((await recorded.Content.ReadFromJsonAsync<PatientFileDto>())!.SmsConsentAt);
        Assert.Equal(consentsBefore + 1, await TestData.AuditCountAsync(App, AuditActions.PatientSmsConsentRecorded, actorId: frank.UserId));
        Assert.NotNull((await PutAsync(frank, patient.Id, request with { Mrn = "KEEP-" + patient.Id.ToString("N")[..6] })).SmsConsentAt);
        Assert.Null((await PutAsync(frank, patient.Id, request with { Mobile = "(201) 555-0189" })).SmsConsentAt);
        Assert.NotNull((await PutAsync(frank, patient.Id, request with { Mobile = "(201) 555-0190", SmsConsent = true })).SmsConsentAt);
    }

    [Fact]
    public async Task TheDemoPatientsSavedUnchangedInTheEditorAreAccepted()
    {
        var frank = await App.SignInAsync(DemoData.Frank);
        foreach (var id in new[] { DemoData.NoraNoportal, DemoData.OscarOptout })
        {
            var file = await GetAsync(frank, Northside, id);

            var saved = await PutAsync(frank, id, new PatientRequest(
                file.GivenName, file.FamilyName, file.BirthDate?.ToString("yyyy-MM-dd"), file.Email, file.Mobile, file.Mrn, file.PreferredLanguage));

            Assert.Equal(file, saved);
        }
    }

    [Fact]
    public async Task APatientRegisteredBeforeBirthDatesWereKeptOpensInTheEditorWithTheirNameSplitAndNoBirthDate()
    {
        var patient = await TestPatients.NewAsync(App);
        var frank = await App.SignInAsync(DemoData.Frank);

        var file = await GetAsync(frank, Northside, patient.Id);

        Assert.Equal(("Robin", patient.Name["Robin ".Length..], (DateOnly?)null, true), (file.GivenName, file.FamilyName, file.BirthDate, file.HasPortalAccount));
        Assert.Null(Assert.Single(await SearchAsync(frank, patient.Name)).BirthDate);
    }

    private static string PatientsOf(Guid clinicId) => $"/api/v1/clinics/{clinicId}/patients";

    private static string PatientOf(Guid clinicId, Guid patientId) => $"{PatientsOf(clinicId)}/{patientId}";

    /// <summary>A family name no other test's patient has, searchable as one word.</summary>
    private static string UniqueFamilyName() => "Zq" + Guid.NewGuid().ToString("N")[..10];

    private static PatientRequest NewPatient() => new("Avery", UniqueFamilyName(), "1975-06-30");

    private static async Task<PatientFileDto> AddAsync(ApiSession staff, Guid clinicId, PatientRequest request)
    {
        var response = await staff.Http.PostAsJsonAsync(PatientsOf(clinicId), request);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<PatientFileDto>())!;
    }

    private static async Task<PatientFileDto> PutAsync(ApiSession staff, Guid patientId, PatientRequest request)
    {
        var response = await staff.Http.PutAsJsonAsync(PatientOf(Northside, patientId), request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<PatientFileDto>())!;
    }

    private static async Task<PatientFileDto> GetAsync(ApiSession staff, Guid clinicId, Guid patientId) =>
        (await staff.Http.GetFromJsonAsync<PatientFileDto>(PatientOf(clinicId, patientId)))!;

    private static async Task<List<PatientDto>> SearchAsync(ApiSession staff, string query) =>
        (await staff.Http.GetFromJsonAsync<List<PatientDto>>($"/api/v1/patients?clinicId={(staff.Me.Memberships.Any(m => m.ClinicId == Northside) ? Northside : Lakeview)}&query={Uri.EscapeDataString(query)}&limit=50"))!;

    private static async Task AssertDuplicateOfAsync(Guid existing, HttpResponseMessage response)
    {
        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        using var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal(ApiErrors.DuplicatePatient, problem.RootElement.GetProperty("code").GetString());
        Assert.Equal(existing, problem.RootElement.GetProperty("existingPatientId").GetGuid());
    }
}
