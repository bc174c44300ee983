using ClinicChat.Web.Notices;

namespace ClinicChat.Web.Tests;

/// <summary>
/// A clinic's country: how a number typed without + is read there (its phone, its patients' mobiles, a patient's own number
/// when all their clinics are in it). Found on a walk: a London clinic on a deployment reading numbers as US ones could
/// not save 020 7946 0000, nor a patient's 07911 123456, without typing +44. The tests put Northside in the United Kingdom
/// and back: the collection runs one test at a time, and the others type US numbers there.
/// </summary>
[Collection(AppCollection.Name)]
public sealed class ClinicCountryTests(AppFixture fixture)
{
    private ClinicChatApp App => fixture.App;

    [Fact]
    public async Task NumbersWithoutPlusAreReadAsNumbersOfTheCountryTheClinicsAdminChose()
    {
        var olga = await App.SignInAsync(DemoData.Olga);
        var frank = await App.SignInAsync(DemoData.Frank);
        var patient = await TestPatients.NewAsync(App);
        try
        {
            var chosen = await SetCountryAsync(olga, "gb");
            var phone = await olga.Http.PutAsJsonAsync(ProfileOf(DemoData.Northside), new { phone = "020 7946 0000" });
            var ukMobile = await frank.Http.PostAsJsonAsync(PatientsOf(DemoData.Northside), new PatientRequest("Imogen", Unique(), "1980-02-03", Mobile: "07911 123456"));
            var usMobile = await frank.Http.PostAsJsonAsync(PatientsOf(DemoData.Northside), new PatientRequest("Imogen", Unique(), "1980-02-03", Mobile: "(201) 555-0123"));
            var byOtherClinic = await (await App.SignInAsync(DemoData.Lara)).Http.PostAsJsonAsync(PatientsOf(DemoData.Northside), new PatientRequest("Imogen", Unique(), "1980-02-03", Mobile: "12"));
            var session = await App.SignInVerifiedAsync(patient.Email);
            var ownNumber = await session.Http.PostAsJsonAsync("/api/v1/me/contact/mobile", new { number = "07911 123457" });

            var chosenProfile = await ProfileAsync(chosen);
            Assert.Equal((HttpStatusCode.OK, "GB", "United Kingdom (+44)"), (chosen.StatusCode, chosenProfile.Country, chosenProfile.NumbersReadAs));
            Assert.Equal((HttpStatusCode.OK, "020 7946 0000"), (phone.StatusCode, (await ProfileAsync(phone)).Phone));
            Assert.Equal((HttpStatusCode.Created, "+447911123456"), (ukMobile.StatusCode, (await ukMobile.Content.ReadFromJsonAsync<PatientFileDto>())!.Mobile));
            Assert.Equal((HttpStatusCode.BadRequest, ("validation_failed", "mobile")), (usMobile.StatusCode, await TestData.ProblemAsync(usMobile)));
            Assert.Contains("read as a United Kingdom (+44) number", (await usMobile.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").GetProperty("mobile").GetString());
            // Staff of another clinic are not told where this one is: their refusal names the deployment's country.
            Assert.Contains("read as a United States (+1) number", (await byOtherClinic.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").GetProperty("mobile").GetString());
            Assert.Equal((HttpStatusCode.OK, "+447911123457"), (ownNumber.StatusCode, (await ownNumber.Content.ReadFromJsonAsync<ContactCodeSentDto>())!.Address));
            Assert.Equal(1, await TestData.AuditCountAsync(App, AuditActions.ClinicProfileChanged, "country=GB", olga.UserId));
        }
        finally
        {
            var back = await SetCountryAsync(olga, null);
            var backProfile = await ProfileAsync(back);
            Assert.Equal((HttpStatusCode.OK, null, "United States (+1)"), (back.StatusCode, backProfile.Country, backProfile.NumbersReadAs));
        }
    }

    [Fact]
    public async Task OnlyTheClinicsAdminsChooseItsCountryAndOnlyOneTheNumberingPlansKnow()
    {
        var olga = await App.SignInAsync(DemoData.Olga);

        var byFrontDesk = await SetCountryAsync(await App.SignInAsync(DemoData.Frank), "GB");
        var byOtherClinic = await SetCountryAsync(await App.SignInAsync(DemoData.Lara), "GB");
        var unknown = await SetCountryAsync(olga, "XX");
        var aName = await SetCountryAsync(olga, "Britain");
        var countries = await olga.Http.GetFromJsonAsync<List<CountryDto>>("/api/v1/countries");

        Assert.Equal((HttpStatusCode.Forbidden, "forbidden"), (byFrontDesk.StatusCode, (await TestData.ProblemAsync(byFrontDesk)).Code));
        Assert.Equal((HttpStatusCode.NotFound, "not_found"), (byOtherClinic.StatusCode, (await TestData.ProblemAsync(byOtherClinic)).Code));
        Assert.Equal((HttpStatusCode.BadRequest, ("validation_failed", "country")), (unknown.StatusCode, await TestData.ProblemAsync(unknown)));
        Assert.Equal((HttpStatusCode.BadRequest, ("validation_failed", "country")), (aName.StatusCode, await TestData.ProblemAsync(aName)));
        Assert.Null((await olga.Http.GetFromJsonAsync<ClinicProfileDto>(ProfileOf(DemoData.Northside)))!.Country);
        Assert.Contains(new CountryDto("GB", "United Kingdom", 44), countries!);
        Assert.True(countries!.Count > 200, "every numbering plan libphonenumber knows");
    }

    private static Task<HttpResponseMessage> SetCountryAsync(ApiSession admin, string? country) =>
        admin.Http.PutAsJsonAsync($"/api/v1/clinics/{DemoData.Northside}/country", new { country });

    private static async Task<ClinicProfileDto> ProfileAsync(HttpResponseMessage response) => (await response.Content.ReadFromJsonAsync<ClinicProfileDto>())!;

    private static string ProfileOf(Guid clinicId) => $"/api/v1/clinics/{clinicId}/profile";

    private static string PatientsOf(Guid clinicId) => $"/api/v1/clinics/{clinicId}/patients";

    private static string Unique() => "Zq" + Guid.NewGuid().ToString("N")[..10];
}
