namespace ClinicChat.Tests;

/// <summary>Chat needs a portal account and the patient's consent; without them nothing is stored or delivered.</summary>
[Collection(ClusterCollection.Name)]
public sealed class ChatEligibilityTests(ClusterFixture fixture)
{
    [Theory]
    [InlineData(false, true, ChatErrorCode.PatientHasNoPortalAccount)]
    [InlineData(true, false, ChatErrorCode.PatientOptedOut)]
    public async Task AThreadCannotBeStartedWithAPatientWithoutAPortalAccountOrWhoOptedOut(bool portal, bool optIn, ChatErrorCode refusal)
    {
        var scenario = await Scenario.CreateAsync(fixture.Grains);
        var patientId = await scenario.PatientAsync(portal: portal, optIn: optIn);
        var clinician = scenario.Staff(StaffRole.Clinician);

        var started = await scenario.Conversation(patientId).StartAsync(clinician, scenario.ClinicId, patientId);

        Assert.Equal(refusal, started.Error?.Code);
        await AssertNoThreadAsync(scenario, patientId, clinician);
    }

    [Fact]
    public async Task OptingOutStopsMessagesInBothDirectionsUntilThePatientOptsBackIn()
    {
        var scenario = await Scenario.CreateAsync(fixture.Grains);
        var thread = await scenario.ThreadAsync();
        await thread.SayAsync(thread.Clinician, "Before the opt-out");
        var profile = fixture.Grains.GetGrain<IPatientProfileGrain>(thread.PatientId);

        var optedOut = await profile.SetChatOptInAsync(thread.Patient, optIn: false);
        var fromStaff = await thread.Grain.SendAsync(thread.Clinician, new SendMessage("c-2", "Are you there?"));
        var fromPatient = await thread.Grain.SendAsync(thread.Patient, new SendMessage("p-1", "Hello"));
        var restart = await thread.Grain.StartAsync(thread.Clinician, thread.ClinicId, thread.PatientId);
        var countWhileOptedOut = await fixture.MessageCountAsync(thread.Id);
        await profile.SetChatOptInAsync(thread.Patient, optIn: true);
        var afterOptIn = await thread.Grain.SendAsync(thread.Clinician, new SendMessage("c-2", "Are you there?"));

        Assert.False(optedOut.Value?.ChatOptIn);
        Assert.Equal(ChatErrorCode.PatientOptedOut, fromStaff.Error?.Code);
        Assert.Equal(ChatErrorCode.PatientOptedOut, fromPatient.Error?.Code);
        Assert.Equal(ChatErrorCode.PatientOptedOut, restart.Error?.Code);
        Assert.Equal(1, countWhileOptedOut);
        Assert.Equal(2, afterOptIn.Value?.Message.Seq);
        Assert.False(afterOptIn.Value?.WasDuplicate);
    }

    [Fact]
    public async Task AnOptOutHoldsAfterThePatientsProfileIsReactivated()
    {
        var scenario = await Scenario.CreateAsync(fixture.Grains);
        var thread = await scenario.ThreadAsync();
        var profile = fixture.Grains.GetGrain<IPatientProfileGrain>(thread.PatientId);
        await profile.SetChatOptInAsync(thread.Patient, optIn: false);

        await fixture.DeactivateAsync(profile);
        var sent = await thread.Grain.SendAsync(thread.Clinician, new SendMessage("c-1", "Hello?"));

        Assert.Equal(ChatErrorCode.PatientOptedOut, sent.Error?.Code);
        Assert.Equal(ChatEligibility.OptedOut, await profile.GetChatEligibilityAsync(thread.ClinicId));
        Assert.Equal(0, await fixture.MessageCountAsync(thread.Id));
    }

    [Fact]
    public async Task EligibilityIsNotRevealedToCallersWhoMayNotSeeThePatient()
    {
        var scenario = await Scenario.CreateAsync(fixture.Grains);
        var elsewhere = await Scenario.CreateAsync(fixture.Grains);
        var noPortalHere = await scenario.PatientAsync(portal: false);
        var optedOutElsewhere = await elsewhere.PatientAsync(optIn: false);

        var byBilling = await scenario.Conversation(noPortalHere).StartAsync(scenario.Staff(StaffRole.Billing), scenario.ClinicId, noPortalHere);
        var notOurPatient = await scenario.Conversation(optedOutElsewhere).StartAsync(scenario.Staff(StaffRole.Clinician), scenario.ClinicId, optedOutElsewhere);

        Assert.Equal(ChatErrorCode.NotFound, byBilling.Error?.Code);
        Assert.Equal(ChatErrorCode.NotFound, notOurPatient.Error?.Code);
    }

    [Fact]
    public async Task OnlyThePatientThemselfCanChangeTheirChatPreference()
    {
        var scenario = await Scenario.CreateAsync(fixture.Grains);
        var patientId = await scenario.PatientAsync();
        var profile = fixture.Grains.GetGrain<IPatientProfileGrain>(patientId);

        var byClinician = await profile.SetChatOptInAsync(scenario.Staff(StaffRole.Clinician), optIn: false);
        var byOtherPatient = await profile.SetChatOptInAsync(Scenario.PatientActor(Guid.NewGuid()), optIn: false);

        Assert.Equal(ChatErrorCode.NotFound, byClinician.Error?.Code);
        Assert.Equal(ChatErrorCode.NotFound, byOtherPatient.Error?.Code);
        Assert.Equal(ChatEligibility.Eligible, await profile.GetChatEligibilityAsync(scenario.ClinicId));
    }

    [Fact]
    public async Task OptingOutAtOneClinicStopsOnlyThatClinicsChatAndHoldsAfterReactivation()
    {
        var scenario = await Scenario.CreateAsync(fixture.Grains);
        var other = await scenario.OtherClinicAsync();
        var patientId = await scenario.PatientAsync("Bea Both", moreClinics: other.Id);
        var here = await scenario.ThreadWithAsync(patientId);
        var elsewhere = new Scenario(fixture.Grains, other.Id);
        var there = await elsewhere.ThreadWithAsync(patientId);
        var profile = fixture.Grains.GetGrain<IPatientProfileGrain>(patientId);

        var changed = await profile.SetClinicChatOptInAsync(here.Patient, scenario.ClinicId, optIn: false);
        await fixture.DeactivateAsync(profile);
        var toHere = await here.Grain.SendAsync(here.Clinician, new SendMessage("c-1", "Hello?"));
        var fromPatientHere = await here.Grain.SendAsync(here.Patient, new SendMessage("p-1", "Hi"));
        var toThere = await there.Grain.SendAsync(there.Clinician, new SendMessage("c-1", "Hello from the other clinic"));

        // The grain lists the clinics in no particular order (the web tier sorts them by name).
        Assert.Equal([(scenario.ClinicId, false), (other.Id, true)], changed.Value!.Clinics.Select(c => (c.ClinicId, c.OptIn)).OrderBy(c => c.ClinicId == other.Id).ToList());
        Assert.False(changed.Value.ChatOptIn);
        Assert.Equal((ChatErrorCode.PatientOptedOut, ChatErrorCode.PatientOptedOut), (toHere.Error?.Code, fromPatientHere.Error?.Code));
        Assert.Null(toThere.Error);
        Assert.Equal((ChatEligibility.OptedOut, ChatEligibility.Eligible), (await profile.GetChatEligibilityAsync(scenario.ClinicId), await profile.GetChatEligibilityAsync(other.Id)));
        Assert.Equal(1, await fixture.ScalarAsync("SELECT COUNT(*) FROM audit_log WHERE action = 'chat.opt_in_changed' AND clinic_id = @clinic AND patient_id = @patient",
            ("@clinic", scenario.ClinicId), ("@patient", patientId)));
    }

    [Fact]
    public async Task TheEveryClinicSwitchOverridesEarlierChoicesPerClinic()
    {
        var scenario = await Scenario.CreateAsync(fixture.Grains);
        var other = await scenario.OtherClinicAsync();
        var patientId = await scenario.PatientAsync("Ed Every", moreClinics: other.Id);
        var profile = fixture.Grains.GetGrain<IPatientProfileGrain>(patientId);
        var patient = Scenario.PatientActor(patientId);
        await profile.SetClinicChatOptInAsync(patient, other.Id, optIn: false);

        var allOn = await profile.SetChatOptInAsync(patient, optIn: true);
        await fixture.DeactivateAsync(profile);

        Assert.True(allOn.Value!.Clinics.All(c => c.OptIn));
        Assert.Equal(ChatEligibility.Eligible, await profile.GetChatEligibilityAsync(other.Id));
    }

    [Fact]
    public async Task AChoiceForAClinicThePatientDoesNotBelongToOrByAnyoneElseIsNotFound()
    {
        var scenario = await Scenario.CreateAsync(fixture.Grains);
        var other = await scenario.OtherClinicAsync();
        var patientId = await scenario.PatientAsync();
        var profile = fixture.Grains.GetGrain<IPatientProfileGrain>(patientId);

        var notTheirClinic = await profile.SetClinicChatOptInAsync(Scenario.PatientActor(patientId), other.Id, optIn: false);
        var byClinician = await profile.SetClinicChatOptInAsync(scenario.Staff(StaffRole.Clinician), scenario.ClinicId, optIn: false);

        Assert.Equal((ChatErrorCode.NotFound, ChatErrorCode.NotFound), (notTheirClinic.Error?.Code, byClinician.Error?.Code));
        Assert.Equal(ChatEligibility.Eligible, await profile.GetChatEligibilityAsync(scenario.ClinicId));
    }

    private async Task AssertNoThreadAsync(Scenario scenario, Guid patientId, Actor clinician)
    {
        var id = ConversationId.For(scenario.ClinicId, patientId);
        Assert.Equal(ChatErrorCode.NotFound, (await scenario.Conversation(patientId).GetAsync(clinician)).Error?.Code);
        Assert.Equal(0, await fixture.ScalarAsync("SELECT COUNT(*) FROM conversations WHERE id = @id", ("@id", id)));
        Assert.Equal(0, await fixture.MessageCountAsync(id));
        Assert.Null(await fixture.ArchivalReminderEtagAsync(scenario.Conversation(patientId)));
    }

    [Fact]
    public async Task RegisteringAPatientAgainNeverUndoesTheirOptOut()
    {
        var scenario = await Scenario.CreateAsync(fixture.Grains);
        var patientId = await scenario.PatientAsync("Rita Resync");
        var profile = fixture.Grains.GetGrain<IPatientProfileGrain>(patientId);
        await profile.SetChatOptInAsync(Scenario.PatientActor(patientId), optIn: false);

        await profile.RegisterAsync(new PatientRegistration(
            patientId, "Rita Resync-Jones", "+15550199", null, "user-" + patientId.ToString("N"), ChatOptIn: true, [scenario.ClinicId]));

        Assert.Equal(ChatEligibility.OptedOut, await profile.GetChatEligibilityAsync(scenario.ClinicId));
        var found = await fixture.Grains.GetGrain<IClinicDirectoryGrain>(scenario.ClinicId).SearchPatientsAsync(scenario.Staff(StaffRole.Clinician), "rita jones", 5);
        Assert.False(Assert.Single(found.Value!).ChatOptIn);
    }
}
