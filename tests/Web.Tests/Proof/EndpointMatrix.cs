namespace ClinicChat.Web.Tests.Proof;

/// <summary>The expected status of one request for each caller, in the order of <see cref="Caller"/>.</summary>
public sealed record Statuses(int Anonymous, int Clinician, int FrontDesk, int Billing, int Admin, int OtherClinicStaff, int ThreadPatient, int OtherPatient)
{
    public int For(Caller caller) => caller switch
    {
        Caller.Anonymous => Anonymous,
        Caller.Clinician => Clinician,
        Caller.FrontDesk => FrontDesk,
        Caller.Billing => Billing,
        Caller.Admin => Admin,
        Caller.OtherClinicStaff => OtherClinicStaff,
        Caller.ThreadPatient => ThreadPatient,
        _ => OtherPatient,
    };
}

/// <summary>What a body builder knows: whose request, for which scope, with which ids.</summary>
public sealed record BodyContext(World World, Caller Caller, ScopeResources? Resources)
{
    /// <summary>The caller's own email; the anonymous caller signs in as the world's spare account.</summary>
    public string Email => Caller == Caller.Anonymous ? World.SpareEmail : World.Emails[Caller];

    public static string UniqueId() => Guid.NewGuid().ToString("N");
}

/// <summary>One endpoint's row group: how to call it and what each caller gets for each scope.</summary>
public sealed record MatrixEntry(string Endpoint, IReadOnlyDictionary<Scope, Statuses> Expected)
{
    /// <summary>Query string, with {placeholders} filled like path parameters.</summary>
    public string? Query { get; init; }

    /// <summary>A minimal valid body; none when null.</summary>
    public Func<BodyContext, HttpContent>? Body { get; init; }

    /// <summary>Who the fuzz test sends the corpus as; by default the first caller the endpoint serves.</summary>
    public Caller? FuzzAs { get; init; }

    public string Method => Endpoint.Split(' ')[0];

    public string PathTemplate => Endpoint.Split(' ')[1];

    public Caller FuzzCaller => FuzzAs ?? Enum.GetValues<Caller>().First(c => Expected[FuzzScope].For(c) is >= 200 and < 300);

    public Scope FuzzScope => Expected.ContainsKey(Scope.Own) ? Scope.Own : Scope.None;

    public override string ToString() => Endpoint;
}

/// <summary>
/// The authorization matrix: every endpoint of the OpenAPI document × every caller × own resource,
/// another clinic's resource and an unknown id. Another clinic's or another patient's data answers
/// exactly like an unknown id (404), so nothing leaks whether it exists; 403 is only for a caller
/// who may know the thing exists but not use it (a billing clerk asking for patient search).
/// </summary>
public static class EndpointMatrix
{
    private const int Ok = 200, Created = 201, Accepted = 202, NoContent = 204, BadRequest = 400, Unauthorized = 401, Forbidden = 403, NotFound = 404, Conflict = 409;

    /// <summary>Unknown ids: nobody learns anything, the anonymous caller is asked to sign in.</summary>
    private static readonly Statuses NotFoundToAll = new(Unauthorized, NotFound, NotFound, NotFound, NotFound, NotFound, NotFound, NotFound);

    // Columns of every Statuses row, in order: anonymous, clinician, front desk, billing, admin (all of
    // Northside), Lara (Lakeview's clinician), the thread's patient, another patient of Northside.
    public static IReadOnlyList<MatrixEntry> Entries { get; } =
    [
        // ---- Sessions -------------------------------------------------------------------------
        new("POST /api/v1/auth/login", None(
            new(Ok, Ok, Ok, Ok, Ok, Ok, Ok, Ok)))
        {
            Body = c => Json(new { email = c.Email, password = DemoData.Password }),
        },
        new("POST /api/v1/auth/logout", None(
            new(Unauthorized, NoContent, NoContent, NoContent, NoContent, NoContent, NoContent, NoContent))),
        new("POST /api/v1/auth/logout/everywhere", None(
            new(Unauthorized, NoContent, NoContent, NoContent, NoContent, NoContent, NoContent, NoContent))),
        new("GET /api/v1/auth/session", None(
            new(Ok, Ok, Ok, Ok, Ok, Ok, Ok, Ok))),
        new("POST /api/v1/auth/reauth", None(
            new(Unauthorized, Ok, Ok, Ok, Ok, Ok, Ok, Ok)))
        {
            Body = _ => Json(new { password = DemoData.Password }),
            // Wrong passwords count towards lockout: the corpus is sent as an account no other cell needs.
            FuzzAs = Caller.OtherPatient,
        },
        new("DELETE /api/v1/auth/reauth", None(
            new(Unauthorized, NoContent, NoContent, NoContent, NoContent, NoContent, NoContent, NoContent))),
        // Without the half-way cookie of a password step there is no one to complete: the same 401 for everyone.
        new("POST /api/v1/auth/login/totp", None(
            new(Unauthorized, Unauthorized, Unauthorized, Unauthorized, Unauthorized, Unauthorized, Unauthorized, Unauthorized)))
        {
            Body = _ => Json(new { code = "123456" }),
            FuzzAs = Caller.Anonymous,
        },
        new("POST /api/v1/auth/login/recovery-code", None(
            new(Unauthorized, Unauthorized, Unauthorized, Unauthorized, Unauthorized, Unauthorized, Unauthorized, Unauthorized)))
        {
            Body = _ => Json(new { code = "AAAAA-BBBBB" }),
            FuzzAs = Caller.Anonymous,
        },
        // The same password again: refused before anything is checked or changed, so no cell changes a password.
        new("POST /api/v1/auth/password", None(
            new(Unauthorized, BadRequest, BadRequest, BadRequest, BadRequest, BadRequest, BadRequest, BadRequest)))
        {
            Body = _ => Json(new { currentPassword = DemoData.Password, newPassword = DemoData.Password }),
            // Wrong current passwords count towards lockout: the fuzz world's front desk is an account no matrix cell uses.
            FuzzAs = Caller.FrontDesk,
        },

        // ---- Password reset: anyone may ask (one answer whether or not the address has an account) -------
        new("POST /api/v1/auth/password-reset", None(
            new(Accepted, Accepted, Accepted, Accepted, Accepted, Accepted, Accepted, Accepted)))
        {
            Body = c => Json(new { email = c.Email }),
            FuzzAs = Caller.Anonymous,
        },
        // A link this server never made: the same refusal for everyone (used and expired links: PasswordResetTests).
        new("POST /api/v1/auth/password-reset/check", None(
            new(BadRequest, BadRequest, BadRequest, BadRequest, BadRequest, BadRequest, BadRequest, BadRequest)))
        {
            Body = _ => Json(new { token = "bm8tc3VjaC1hY2NvdW50OmJvZ3Vz" }),
            FuzzAs = Caller.Anonymous,
        },
        new("POST /api/v1/auth/password-reset/confirm", None(
            new(BadRequest, BadRequest, BadRequest, BadRequest, BadRequest, BadRequest, BadRequest, BadRequest)))
        {
            Body = _ => Json(new { token = "bm8tc3VjaC1hY2NvdW50OmJvZ3Vz", newPassword = "Never!Set-2026" }),
            FuzzAs = Caller.Anonymous,
        },

        // ---- Invitation links (the set-password page) -----------------------------------------
        // Anyone may present a link; a link that does not exist is the same 404 for everyone
        // (valid, used and expired links are proven in OnboardingTests).
        new("POST /api/v1/invitations/lookup", None(
            new(NotFound, NotFound, NotFound, NotFound, NotFound, NotFound, NotFound, NotFound)))
        {
            Body = _ => Json(new { token = $"{Guid.NewGuid():N}.no-such-invitation" }),
            FuzzAs = Caller.Anonymous,
        },
        new("POST /api/v1/invitations/accept", None(
            new(NotFound, NotFound, NotFound, NotFound, NotFound, NotFound, NotFound, NotFound)))
        {
            Body = _ => Json(new { token = $"{Guid.NewGuid():N}.no-such-invitation", password = DemoData.Password }),
            FuzzAs = Caller.Anonymous,
        },

        // ---- Portal activation links (the activation page; valid, used, expired and locked links are PortalInvitationTests') ---
        new("POST /api/v1/activation/lookup", None(
            new(NotFound, NotFound, NotFound, NotFound, NotFound, NotFound, NotFound, NotFound)))
        {
            Body = _ => Json(new { token = $"{Guid.NewGuid():N}.no-such-invitation" }),
            FuzzAs = Caller.Anonymous,
        },
        new("POST /api/v1/activation/birth-date", None(
            new(NotFound, NotFound, NotFound, NotFound, NotFound, NotFound, NotFound, NotFound)))
        {
            Body = _ => Json(new { token = $"{Guid.NewGuid():N}.no-such-invitation", birthDate = "1980-01-31" }),
            FuzzAs = Caller.Anonymous,
        },
        new("POST /api/v1/activation/passkey-options", None(
            new(NotFound, NotFound, NotFound, NotFound, NotFound, NotFound, NotFound, NotFound)))
        {
            Body = _ => Json(new { token = $"{Guid.NewGuid():N}.no-such-invitation", birthDate = "1980-01-31" }),
            FuzzAs = Caller.Anonymous,
        },
        new("POST /api/v1/activation/activate", None(
            new(NotFound, NotFound, NotFound, NotFound, NotFound, NotFound, NotFound, NotFound)))
        {
            Body = _ => Json(new { token = $"{Guid.NewGuid():N}.no-such-invitation", birthDate = "1980-01-31", password = DemoData.Password, chatOptIn = true }),
            FuzzAs = Caller.Anonymous,
        },

        // ---- Two-step sign-in (staff only) ---------------------------------------------------
        new("GET /api/v1/auth/totp", None(
            new(Unauthorized, Ok, Ok, Ok, Ok, Ok, Forbidden, Forbidden))),
        new("POST /api/v1/auth/totp/setup", None(
            new(Unauthorized, Ok, Ok, Ok, Ok, Ok, Forbidden, Forbidden))),
        // A code that is never valid (not six digits): staff reach the check, nobody turns two-step sign-in on.
        new("POST /api/v1/auth/totp/enable", None(
            new(Unauthorized, BadRequest, BadRequest, BadRequest, BadRequest, BadRequest, Forbidden, Forbidden)))
        {
            Body = _ => Json(new { code = "not-a-code" }),
            FuzzAs = Caller.Clinician,
        },
        new("DELETE /api/v1/auth/totp", None(
            new(Unauthorized, NoContent, NoContent, NoContent, NoContent, NoContent, Forbidden, Forbidden)))
        {
            Body = _ => Json(new { password = DemoData.Password }),
            FuzzAs = Caller.FrontDesk,
        },
        // Recovery codes stand in for an authenticator: staff without one are told to set one up first.
        new("POST /api/v1/auth/totp/recovery-codes", None(
            new(Unauthorized, Conflict, Conflict, Conflict, Conflict, Conflict, Forbidden, Forbidden)))
        {
            FuzzAs = Caller.Clinician,
        },

        // ---- Passkeys (everyone signed in has their own; ceremonies are proven in PasskeyTests and the browser) ----
        new("GET /api/v1/auth/passkeys", None(
            new(Unauthorized, Ok, Ok, Ok, Ok, Ok, Ok, Ok))),
        new("POST /api/v1/auth/passkeys/options", None(
            new(Unauthorized, Ok, Ok, Ok, Ok, Ok, Ok, Ok))),
        // Without options asked for first there is no ceremony to complete: the same 400 passkey_rejected for everyone signed in.
        new("POST /api/v1/auth/passkeys", None(
            new(Unauthorized, BadRequest, BadRequest, BadRequest, BadRequest, BadRequest, BadRequest, BadRequest)))
        {
            Body = _ => Json(new { credential = new { id = "AAAA", type = "public-key", response = new { } }, name = "Phone" }),
            FuzzAs = Caller.Clinician,
        },
        // A passkey id that is no one's: 404 for everyone, before any "Verify it's you" is asked for.
        new("DELETE /api/v1/auth/passkeys/{passkeyId}", Scoped(
            own: new(Unauthorized, NotFound, NotFound, NotFound, NotFound, NotFound, NotFound, NotFound),
            unknown: NotFoundToAll))
        {
            FuzzAs = Caller.Clinician,
        },
        new("POST /api/v1/auth/login/passkey/options", None(
            new(Ok, Ok, Ok, Ok, Ok, Ok, Ok, Ok))),
        new("POST /api/v1/auth/login/passkey", None(
            new(BadRequest, BadRequest, BadRequest, BadRequest, BadRequest, BadRequest, BadRequest, BadRequest)))
        {
            Body = _ => Json(new { credential = new { id = "AAAA", type = "public-key", response = new { } } }),
            FuzzAs = Caller.Anonymous,
        },
        new("POST /api/v1/auth/reauth/passkey/options", None(
            new(Unauthorized, Ok, Ok, Ok, Ok, Ok, Ok, Ok))),
        new("POST /api/v1/auth/reauth/passkey", None(
            new(Unauthorized, BadRequest, BadRequest, BadRequest, BadRequest, BadRequest, BadRequest, BadRequest)))
        {
            Body = _ => Json(new { credential = new { id = "AAAA", type = "public-key", response = new { } } }),
            FuzzAs = Caller.Clinician,
        },

        // ---- The caller ----------------------------------------------------------------------
        new("GET /api/v1/me", None(
            new(Unauthorized, Ok, Ok, Ok, Ok, Ok, Ok, Ok))),
        new("GET /api/v1/me/preferences", None(
            new(Unauthorized, Forbidden, Forbidden, Forbidden, Forbidden, Forbidden, Ok, Ok))),
        new("PUT /api/v1/me/preferences", None(
            new(Unauthorized, Forbidden, Forbidden, Forbidden, Forbidden, Forbidden, Ok, Ok)))
        {
            Body = _ => Json(new { chatOptIn = true }),
            // An accepted opt-out must not silence the fuzz world's thread.
            FuzzAs = Caller.OtherPatient,
        },

        // Chat with one clinic; never turned off, so the fuzz world's thread keeps chatting.
        new("PUT /api/v1/me/chat/{clinicId}", Scoped(
            own:         PatientsOnly(Ok),
            otherClinic: PatientsOnly(NotFound),
            unknown:     PatientsOnly(NotFound)))
        {
            Body = _ => Json(new { chatOptIn = true }),
            FuzzAs = Caller.OtherPatient,
        },

        // ---- Notices: the patient's choices and the contact details they go to (patients only) ---
        new("GET /api/v1/me/notices", None(PatientsOnly(Ok))),
        new("PUT /api/v1/me/notices/{clinicId}", Scoped(
            own:         PatientsOnly(Ok),
            otherClinic: PatientsOnly(NotFound),
            unknown:     PatientsOnly(NotFound)))
        {
            Body = _ => Json(new { email = true, sms = false }),
            FuzzAs = Caller.OtherPatient,
        },
        new("POST /api/v1/me/notices/test", None(PatientsOnly(Ok)))
        {
            Body = _ => Json(new { clinicId = DemoData.Northside, channel = "email" }),
        },
        // A contact change starts only after "Verify it's you": these sessions have not, so patients are refused too
        // (403 sensitive_locked); the verified path is NoticePreferencesApiTests'.
        new("POST /api/v1/me/contact/mobile", None(PatientsOnly(Forbidden)))
        {
            Body = _ => Json(new { number = "+12015550188" }),
            FuzzAs = Caller.OtherPatient,
        },
        // No code was ever sent for this number: the check is reached and refuses.
        new("POST /api/v1/me/contact/mobile/verify", None(PatientsOnly(BadRequest)))
        {
            Body = _ => Json(new { number = "+12015550199", code = "000000" }),
            FuzzAs = Caller.OtherPatient,
        },
        new("POST /api/v1/me/contact/email", None(PatientsOnly(Forbidden)))
        {
            Body = _ => Json(new { email = $"matrix-{BodyContext.UniqueId()}@tests.example" }),
            FuzzAs = Caller.OtherPatient,
        },
        new("POST /api/v1/me/contact/email/verify", None(PatientsOnly(BadRequest)))
        {
            Body = _ => Json(new { email = $"matrix-{BodyContext.UniqueId()}@tests.example", code = "000000" }),
            FuzzAs = Caller.OtherPatient,
        },

        // ---- Patients ------------------------------------------------------------------------
        // Callers who chat nowhere (billing, admin, patients) are refused with 403 whatever the
        // clinic; a clinician or front desk asking about a clinic that is not theirs gets the same
        // 404 as for one that does not exist (ClinicDirectoryGrain).
        new("GET /api/v1/patients", Scoped(
            own:         new(Unauthorized, Ok, Ok, Forbidden, Forbidden, NotFound, Forbidden, Forbidden),
            otherClinic: new(Unauthorized, NotFound, NotFound, Forbidden, Forbidden, Ok, Forbidden, Forbidden),
            unknown:     new(Unauthorized, NotFound, NotFound, Forbidden, Forbidden, NotFound, Forbidden, Forbidden)))
        {
            Query = "query=a&clinicId={clinicId}&limit=5",
        },
        // Adding and editing a clinic's patients: its clinicians, front desk and Admins; its Billing staff are told no;
        // anyone else, another clinic's staff included, gets the 404 an unknown clinic gets (ClinicPatientsGrain).
        new("POST /api/v1/clinics/{clinicId}/patients", ClinicPatientEditors(Created))
        {
            Body = _ => Json(new { givenName = "Matrix", familyName = "P" + BodyContext.UniqueId(), birthDate = "1980-02-29" }),
        },
        new("GET /api/v1/clinics/{clinicId}/patients/{patientId}", ClinicPatientEditors(Ok)),
        new("PUT /api/v1/clinics/{clinicId}/patients/{patientId}", ClinicPatientEditors(Ok))
        {
            Body = c => Json(SeededPatientBody(c.Resources!)),
        },
        new("POST /api/v1/clinics/{clinicId}/patients/{patientId}/sms-consent", ClinicPatientEditors(Ok)),

        // ---- Portal invitations (chat staff and Admins of the clinic; Billing 403) ---------------
        // The scopes' patients have portal accounts: inviting or resending is refused 409 portal_account_exists, and there
        // is nothing to cancel (400); sending, resending and cancelling real invitations are PortalInvitationTests'.
        new("GET /api/v1/clinics/{clinicId}/patients/{patientId}/invitations", PortalInviters(Ok)),
        new("POST /api/v1/clinics/{clinicId}/patients/{patientId}/invitations", PortalInviters(Conflict))
        {
            Body = _ => Json(new { channel = "email" }),
            FuzzAs = Caller.FrontDesk,
        },
        new("POST /api/v1/clinics/{clinicId}/patients/{patientId}/invitations/resend", PortalInviters(Conflict)) { FuzzAs = Caller.FrontDesk },
        new("POST /api/v1/clinics/{clinicId}/patients/{patientId}/invitations/cancel", PortalInviters(BadRequest)) { FuzzAs = Caller.FrontDesk },

        // ---- Conversations -------------------------------------------------------------------
        // Billing lists the clinic's billing threads only (none in the matrix's world); an Admin without chat is refused.
        new("GET /api/v1/conversations", None(
            new(Unauthorized, Ok, Ok, Ok, Forbidden, Ok, Ok, Ok))),
        // The body names the patient: own = the thread's patient at the caller's clinic. No demo
        // patient belongs to Lakeview only, so Lara's column of "own" is the other-clinic case.
        new("POST /api/v1/conversations", Scoped(
            own:         new(Unauthorized, Ok, Ok, NotFound, NotFound, NotFound, NotFound, NotFound),
            unknown:     NotFoundToAll))
        {
            Body = c => Json(new { patientId = c.Resources!.PatientId }),
        },
        new("GET /api/v1/conversations/{id}", ThreadParticipants(Ok)),
        new("GET /api/v1/conversations/{id}/messages", ThreadParticipants(Ok)),
        new("POST /api/v1/conversations/{id}/messages", ThreadParticipants(Created))
        {
            Body = _ => Json(new { clientMessageId = BodyContext.UniqueId(), text = "matrix" }),
        },
        new("POST /api/v1/conversations/{id}/receipts", ThreadParticipants(Ok))
        {
            Body = _ => Json(new { readUpToSeq = 1 }),
        },
        new("PUT /api/v1/conversations/{id}/pin", ThreadStaff(Ok))
        {
            Body = _ => Json(new { value = false }),
        },
        new("PUT /api/v1/conversations/{id}/mute", ThreadStaff(Ok))
        {
            Body = _ => Json(new { value = false }),
        },
        // As the thread is (unassigned, open): the cells change nothing; TeamTests prove the changes.
        new("PUT /api/v1/conversations/{id}/assignee", ThreadStaff(Ok))
        {
            Body = _ => Json(new { staffUserId = (string?)null }),
        },
        new("PUT /api/v1/conversations/{id}/status", ThreadStaff(Ok))
        {
            Body = _ => Json(new { status = "open" }),
        },
        // The scopes' threads have no topic: "none" changes nothing. Billing takes no part in them (404); TopicTests route one.
        new("PUT /api/v1/conversations/{id}/topic", ThreadStaff(Ok))
        {
            Body = _ => Json(new { topic = "none" }),
        },
        // Seq 2 of each scope's thread is the patient's (ScopeResources): its clinic's staff may not withdraw it (403);
        // the patient and everyone else find no such action (404). RecallTests prove a withdrawal.
        new("POST /api/v1/conversations/{id}/messages/{seq}/withdraw", ThreadStaff(Forbidden)) { FuzzAs = Caller.Clinician },
        new("POST /api/v1/conversations/{id}/notes", ThreadStaff(Created))
        {
            Body = _ => Json(new { clientNoteId = BodyContext.UniqueId(), text = "matrix" }),
        },

        // ---- Attachments ---------------------------------------------------------------------
        new("POST /api/v1/conversations/{id}/attachments", ThreadParticipants(Created))
        {
            Body = _ => ProofFixture.PngUpload(),
        },
        new("GET /api/v1/attachments/{attachmentId}", ThreadParticipants(Ok)),
        new("GET /api/v1/attachments/{attachmentId}/preview", ThreadParticipants(Ok)),
        new("GET /api/v1/attachments/{attachmentId}/view", ThreadParticipants(Ok)),

        // ---- Records -------------------------------------------------------------------------
        new("POST /api/v1/clinics/{clinicId}/fhir", Scoped(
            own:         new(Unauthorized, Forbidden, Forbidden, Forbidden, Ok, NotFound, NotFound, NotFound),
            otherClinic: new(Unauthorized, NotFound, NotFound, NotFound, NotFound, Forbidden, NotFound, NotFound),
            unknown:     NotFoundToAll))
        {
            // One record id per patient: a record never moves to another patient.
            Body = c => Fhir(FhirFeed.Appointment($"proof-{c.Resources!.PatientId:N}", c.Resources.PatientId, new DateTimeOffset(2026, 12, 1, 9, 0, 0, TimeSpan.Zero))),
        },
        // The clinic's MRN system for FHIR imports: its Admins only, like the import itself.
        new("GET /api/v1/clinics/{clinicId}/fhir/mrn-system", Scoped(
            own:         new(Unauthorized, Forbidden, Forbidden, Forbidden, Ok, NotFound, NotFound, NotFound),
            otherClinic: new(Unauthorized, NotFound, NotFound, NotFound, NotFound, Forbidden, NotFound, NotFound),
            unknown:     NotFoundToAll)),
        new("PUT /api/v1/clinics/{clinicId}/fhir/mrn-system", Scoped(
            own:         new(Unauthorized, Forbidden, Forbidden, Forbidden, Ok, NotFound, NotFound, NotFound),
            otherClinic: new(Unauthorized, NotFound, NotFound, NotFound, NotFound, Forbidden, NotFound, NotFound),
            unknown:     NotFoundToAll))
        {
            // The value Northside has already: the matrix must not change what other tests rely on.
            Body = _ => Json(new { mrnSystem = DemoData.MrnSystemOf(DemoData.Northside) }),
        },
        new("GET /api/v1/conversations/{id}/records", ThreadParticipants(Ok))
        {
            Query = "kind=appointment",
        },
        new("GET /api/v1/records/{recordId}", ThreadParticipants(Ok)),

        // ---- Audit (the clinic's Admins only) ------------------------------------------------
        new("GET /api/v1/clinics/{clinicId}/audit", ClinicAdmins()) { Query = "limit=5" },
        new("GET /api/v1/clinics/{clinicId}/audit/export", ClinicAdmins()) { Query = "format=csv" },
        new("GET /api/v1/clinics/{clinicId}/audit/verify", ClinicAdmins()),
        new("GET /api/v1/clinics/{clinicId}/audit/patients", ClinicAdmins()) { Query = "query=pat" },

        // ---- Development outbox (the clinic's Admins, Development only; this app runs in Development) ---
        new("GET /api/v1/clinics/{clinicId}/dev-outbox", ClinicAdmins()),

        // ---- Clinic security settings (the clinic's Admins only) -----------------------------
        new("GET /api/v1/clinics/{clinicId}/security", ClinicAdmins()),
        // Never true: requiring two-step sign-in would change every later staff sign-in of the run.
        new("PUT /api/v1/clinics/{clinicId}/security", ClinicAdmins())
        {
            Body = _ => Json(new { requireStaffTotp = false }),
        },

        // ---- The clinic's profile: its staff read it, its Admins change it ---------------------------------------
        new("GET /api/v1/clinics/{clinicId}/profile", ClinicMembers(Ok)),
        new("PUT /api/v1/clinics/{clinicId}/profile", ClinicStaffAdmins(Ok))
        {
            Body = _ => Json(new { phone = "(201) 555-0100" }),
        },

        // Null: the matrix's clinic keeps reading numbers in the deployment's region (ClinicCountryTests choose one).
        new("PUT /api/v1/clinics/{clinicId}/country", ClinicStaffAdmins(Ok))
        {
            Body = _ => Json(new { country = (string?)null }),
        },
        // The numbering plans' countries: public knowledge, for any signed-in user.
        new("GET /api/v1/countries", None(
            new(Unauthorized, Ok, Ok, Ok, Ok, Ok, Ok, Ok))),

        // Empty: the matrix's clinics take no conversations from patients, as before (TopicTests offer topics).
        new("PUT /api/v1/clinics/{clinicId}/patient-topics", ClinicStaffAdmins(Ok))
        {
            Body = _ => Json(new { topics = Array.Empty<string>() }),
        },

        // ---- Patients start conversations: their own clinics' topics, and the start (refused 403 where none are offered)
        new("GET /api/v1/me/conversation-topics", None(
            new(Unauthorized, NotFound, NotFound, NotFound, NotFound, NotFound, Ok, Ok))),
        new("POST /api/v1/me/conversations", None(
            new(Unauthorized, NotFound, NotFound, NotFound, NotFound, NotFound, Forbidden, Forbidden)))
        {
            Body = _ => Json(new { clinicId = DemoData.Northside, topic = "billing", clientMessageId = BodyContext.UniqueId(), text = "matrix" }),
            FuzzAs = Caller.ThreadPatient,
        },

        // ---- Office hours: the clinic's staff and patients read them, its Admins set them -----------------------
        new("GET /api/v1/clinics/{clinicId}/office-hours", Scoped(
            own:         new(Unauthorized, Ok, Ok, Ok, Ok, NotFound, Ok, Ok),
            otherClinic: new(Unauthorized, NotFound, NotFound, NotFound, NotFound, Ok, NotFound, NotFound),
            unknown:     NotFoundToAll)),
        // Without an after-hours reply: an automatic message would move the seqs later cells rely on.
        new("PUT /api/v1/clinics/{clinicId}/office-hours", ClinicStaffAdmins(Ok))
        {
            Body = _ => Json(new
            {
                timeZone = "America/New_York",
                weekly = new[] { new { day = "monday", opens = "08:00", closes = "18:00" } },
                closures = Array.Empty<object>(),
                afterHoursReply = (string?)null,
                emergencyNote = "In an emergency call 911.",
            }),
        },

        // ---- Response times: the clinic's Admins ---------------------------------------------------------------
        new("GET /api/v1/clinics/{clinicId}/response-times", ClinicStaffAdmins(Ok)) { Query = "weeks=4" },

        // ---- Quick replies: the clinic's staff list them; those who chat insert them and keep their own --------
        new("GET /api/v1/clinics/{clinicId}/quick-replies", ClinicMembers(Ok)),
        new("GET /api/v1/clinics/{clinicId}/quick-replies/filled", ClinicChatStaff(Ok)) { Query = "patientId={patientId}" },
        // Personal: a new shortcut each time (the list refuses a taken one); Billing and an Admin who does not chat get 403.
        new("POST /api/v1/clinics/{clinicId}/quick-replies", Scoped(
            own:         new(Unauthorized, Created, Created, Forbidden, Forbidden, NotFound, NotFound, NotFound),
            otherClinic: new(Unauthorized, NotFound, NotFound, NotFound, NotFound, Created, NotFound, NotFound),
            unknown:     NotFoundToAll))
        {
            Body = _ => Json(new { shortcut = "m" + BodyContext.UniqueId()[..20], text = "Hello {patient.firstName}", personal = true }),
        },
        // The reply id is nobody's (ScopeResources): QuickRepliesTests change and delete real replies.
        new("PUT /api/v1/clinics/{clinicId}/quick-replies/{replyId}", Scoped(own: NotFoundToAll, otherClinic: NotFoundToAll, unknown: NotFoundToAll))
        {
            Body = _ => Json(new { shortcut = "matrix", text = "Hello" }),
            FuzzAs = Caller.Admin,
        },
        new("DELETE /api/v1/clinics/{clinicId}/quick-replies/{replyId}", Scoped(own: NotFoundToAll, otherClinic: NotFoundToAll, unknown: NotFoundToAll))
        {
            FuzzAs = Caller.Admin,
        },

        // ---- Staff administration (the clinic's Admins; its other staff 403, everyone else 404) -----------
        new("GET /api/v1/clinics/{clinicId}/staff", ClinicStaffAdmins(Ok)),
        // A new address each time: every Admin cell invites someone new (the email waits in the outbox, unsent here).
        new("POST /api/v1/clinics/{clinicId}/staff/invitations", ClinicStaffAdmins(Created))
        {
            Body = _ => Json(new { email = $"matrix-{BodyContext.UniqueId()}@tests.example", displayName = "Matrix Invitee", role = "Billing" }),
        },
        // The invitation and member ids are nobody's (ScopeResources): an Admin reaches the look-up and gets 404, and
        // no cell changes anyone's membership; StaffAdminTests prove these actions on real members and invitations.
        new("POST /api/v1/clinics/{clinicId}/staff/invitations/{invitationId}/resend", ClinicStaffAdmins(NotFound)) { FuzzAs = Caller.Admin },
        new("DELETE /api/v1/clinics/{clinicId}/staff/invitations/{invitationId}", ClinicStaffAdmins(NotFound)) { FuzzAs = Caller.Admin },
        new("PUT /api/v1/clinics/{clinicId}/staff/{userId}/role", ClinicStaffAdmins(NotFound))
        {
            Body = _ => Json(new { role = "Billing" }),
            FuzzAs = Caller.Admin,
        },
        new("POST /api/v1/clinics/{clinicId}/staff/{userId}/deactivate", ClinicStaffAdmins(NotFound)) { FuzzAs = Caller.Admin },
        new("POST /api/v1/clinics/{clinicId}/staff/{userId}/reactivate", ClinicStaffAdmins(NotFound)) { FuzzAs = Caller.Admin },
        new("POST /api/v1/clinics/{clinicId}/staff/{userId}/two-step/reset", ClinicStaffAdmins(NotFound)) { FuzzAs = Caller.Admin },

        // ---- Colleagues (whom a thread can be assigned to): those who chat at the clinic ---------------------------
        // Billing too: it takes part in billing threads, where it assigns and mentions.
        new("GET /api/v1/clinics/{clinicId}/colleagues", Scoped(
            own:         new(Unauthorized, Ok, Ok, Ok, NotFound, NotFound, NotFound, NotFound),
            otherClinic: new(Unauthorized, NotFound, NotFound, NotFound, NotFound, Ok, NotFound, NotFound),
            unknown:     NotFoundToAll)),

        // ---- EHR integrations (SMART Backend Services clients): the clinic's Admins -----------------------------
        new("GET /api/v1/clinics/{clinicId}/integrations", ClinicStaffAdmins(Ok)),
        new("POST /api/v1/clinics/{clinicId}/integrations", ClinicStaffAdmins(Created))
        {
            Body = _ => Json(new { name = "Matrix EHR", scopes = new[] { "system/Appointment.write" }, jwks = MatrixJwks() }),
        },
        // The client id is nobody's (ScopeResources): SmartBackendServicesTests revoke real clients.
        new("DELETE /api/v1/clinics/{clinicId}/integrations/{clientId}", ClinicStaffAdmins(NotFound)) { FuzzAs = Caller.Admin },
    ];

    /// <summary>A public key to register (its private half is never used).</summary>
    private static System.Text.Json.JsonElement MatrixJwks()
    {
        using var client = SmartClient.Rsa();
        return client.PublicJwks;
    }

    public static MatrixEntry? Find(string endpoint) => Entries.FirstOrDefault(e => e.Endpoint == endpoint);

    /// <summary>The thread's clinicians and front desk and its patient; at another clinic, that clinic's staff.</summary>
    private static Dictionary<Scope, Statuses> ThreadParticipants(int success) => Scoped(
        own:         new(Unauthorized, success, success, NotFound, NotFound, NotFound, success, NotFound),
        otherClinic: new(Unauthorized, NotFound, NotFound, NotFound, NotFound, success, NotFound, NotFound),
        unknown:     NotFoundToAll);

    /// <summary>Staff-only thread actions (pin, mute): the thread's patient gets 404 like everyone outside.</summary>
    private static Dictionary<Scope, Statuses> ThreadStaff(int success) => Scoped(
        own:         new(Unauthorized, success, success, NotFound, NotFound, NotFound, NotFound, NotFound),
        otherClinic: new(Unauthorized, NotFound, NotFound, NotFound, NotFound, success, NotFound, NotFound),
        unknown:     NotFoundToAll);

    /// <summary>Those who chat at the clinic (its clinicians and front desk); nobody else learns anything.</summary>
    private static Dictionary<Scope, Statuses> ClinicChatStaff(int success) => Scoped(
        own:         new(Unauthorized, success, success, NotFound, NotFound, NotFound, NotFound, NotFound),
        otherClinic: new(Unauthorized, NotFound, NotFound, NotFound, NotFound, success, NotFound, NotFound),
        unknown:     NotFoundToAll);

    /// <summary>Every staff member of the clinic, whatever their role (at Lakeview: Lara); patients and outsiders find nothing.</summary>
    private static Dictionary<Scope, Statuses> ClinicMembers(int success) => Scoped(
        own:         new(Unauthorized, success, success, success, success, NotFound, NotFound, NotFound),
        otherClinic: new(Unauthorized, NotFound, NotFound, NotFound, NotFound, success, NotFound, NotFound),
        unknown:     NotFoundToAll);

    /// <summary>A clinic's chat staff and Admins; its Billing clerk may know the action exists (403); anyone else finds nothing.</summary>
    private static Dictionary<Scope, Statuses> PortalInviters(int success) => Scoped(
        own:         new(Unauthorized, success, success, Forbidden, success, NotFound, NotFound, NotFound),
        otherClinic: new(Unauthorized, NotFound, NotFound, NotFound, NotFound, success, NotFound, NotFound),
        unknown:     NotFoundToAll);

    /// <summary>No demo account is an Admin at Lakeview, so another clinic's log and settings are 404 to everyone.</summary>
    private static Dictionary<Scope, Statuses> ClinicAdmins() => Scoped(
        own:         new(Unauthorized, NotFound, NotFound, NotFound, Ok, NotFound, NotFound, NotFound),
        otherClinic: NotFoundToAll,
        unknown:     NotFoundToAll);

    /// <summary>
    /// Staff administration: the clinic's Admin gets <paramref name="admin"/>; its other staff may know the clinic and are
    /// refused with 403; at Lakeview, where no demo account is an Admin, Lara (its clinician) gets 403 and everyone else 404.
    /// </summary>
    private static Dictionary<Scope, Statuses> ClinicStaffAdmins(int admin) => Scoped(
        own:         new(Unauthorized, Forbidden, Forbidden, Forbidden, admin, NotFound, NotFound, NotFound),
        otherClinic: new(Unauthorized, NotFound, NotFound, NotFound, NotFound, Forbidden, NotFound, NotFound),
        unknown:     NotFoundToAll);


    /// <summary>Own: Northside's clinician, front desk and Admin; Billing 403. Other clinic: Lakeview's clinician (Lara) only.</summary>
    private static Dictionary<Scope, Statuses> ClinicPatientEditors(int success) => Scoped(
        own:         new(Unauthorized, success, success, Forbidden, success, NotFound, NotFound, NotFound),
        otherClinic: new(Unauthorized, NotFound, NotFound, NotFound, NotFound, success, NotFound, NotFound),
        unknown:     NotFoundToAll);

    /// <summary>
    /// The scope's patient as seeded (so an edit changes nothing a later cell relies on), with a real mobile number in
    /// place of the demo's made-up one, which the editor refuses; an unknown id gets any valid body.
    /// </summary>
    private static object SeededPatientBody(ScopeResources resources)
    {
        var details = resources.PatientId == DemoData.PatPortal ? DemoData.PatDetails
            : DemoData.Generated().FirstOrDefault(p => p.Id == resources.PatientId)?.Details
            ?? DemoData.NoraDetails with { FamilyName = "Unknown" };
        return new
        {
            givenName = details.GivenName,
            familyName = details.FamilyName,
            birthDate = details.BirthDate.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture),
            email = details.Email,
            mobile = "(201) 555-0150",
            // An MRN is the clinic's own: Pat has one at Northside only.
            mrn = resources.ClinicId == DemoData.Northside ? details.Mrn : null,
        };
    }

    /// <summary>A patient's own settings: staff are refused with 403 (they may know the endpoint exists, it is not theirs).</summary>
    private static Statuses PatientsOnly(int patients) => new(Unauthorized, Forbidden, Forbidden, Forbidden, Forbidden, Forbidden, patients, patients);

    private static Dictionary<Scope, Statuses> None(Statuses statuses) => new() { [Scope.None] = statuses };

    private static Dictionary<Scope, Statuses> Scoped(Statuses own, Statuses unknown, Statuses? otherClinic = null)
    {
        var scopes = new Dictionary<Scope, Statuses> { [Scope.Own] = own, [Scope.Unknown] = unknown };
        if (otherClinic is not null)
        {
            scopes[Scope.OtherClinic] = otherClinic;
        }

        return scopes;
    }

    private static HttpContent Json(object body) => JsonContent.Create(body);

    private static HttpContent Fhir(string json) => new StringContent(json, Encoding.UTF8, "application/fhir+json");
}
