using ClinicChat.Audit;
using ClinicChat.Notices;
using ClinicChat.Web.Auth;
using Microsoft.AspNetCore.Identity;

namespace ClinicChat.Web.Notices;

/// <summary>
/// A patient's notice preferences (email and SMS per clinic, a test notice) and the change of the contact details
/// notices go to. The choices and the notices are the <see cref="IPatientNoticeGrain"/>'s; the contact details are
/// Identity's (<c>Email</c>/<c>PhoneNumber</c> with their confirmed flags), changed only with a code sent to the new
/// address, through Identity's own token providers (6-digit, time-based, bound to the account and the new address).
/// </summary>
public static class NoticePreferencesApi
{
    public static RouteGroupBuilder MapNoticePreferencesApi(this RouteGroupBuilder api)
    {
        var me = api.MapGroup("/me").WithTags("Notices");
        me.MapGet("/notices", GetAsync);
        me.MapPut("/notices/{clinicId:guid}", SetChoiceAsync);
        // Each of these sends an email or a paid SMS, possibly to someone else's address: few per user.
        me.MapPost("/notices/test", SendTestAsync).RequireRateLimiting(RateLimits.Notices);
        me.MapPost("/contact/mobile", RequestMobileCodeAsync).RequireRateLimiting(RateLimits.Notices);
        me.MapPost("/contact/email", RequestEmailCodeAsync).RequireRateLimiting(RateLimits.Notices);
        // A 6-digit code is guessable at volume: checked no faster than passwords are.
        me.MapPost("/contact/mobile/verify", VerifyMobileAsync).RequireRateLimiting(RateLimits.Reauth);
        me.MapPost("/contact/email/verify", VerifyEmailAsync).RequireRateLimiting(RateLimits.Reauth);
        return api;
    }

    private static async Task<Results<Ok<NoticeSettingsDto>, ProblemHttpResult>> GetAsync(Caller caller, IGrainFactory grains)
    {
        if (caller.Actor.PatientId is not { } patientId)
        {
            return PatientsOnly();
        }

        return (await grains.GetGrain<IPatientNoticeGrain>(patientId).GetSettingsAsync(caller.Actor)).ToOk(NoticeSettingsDto.From);
    }

    /// <summary>Turning SMS on is the patient's consent (the switch sits beside the consent sentence); the grain records when.</summary>
    private static async Task<Results<Ok<NoticeSettingsDto>, ProblemHttpResult>> SetChoiceAsync(
        Guid clinicId, NoticeChoiceRequest request, Caller caller, IGrainFactory grains)
    {
        if (caller.Actor.PatientId is not { } patientId)
        {
            return PatientsOnly();
        }

        if (request.Email is not { } email)
        {
            return ApiProblems.Validation("email", "email (true or false) is required.");
        }

        if (request.Sms is not { } sms)
        {
            return ApiProblems.Validation("sms", "sms (true or false) is required.");
        }

        // Without a verified mobile number the grain refuses SMS: 409 contact_not_verified.
        return (await grains.GetGrain<IPatientNoticeGrain>(patientId).SetChoiceAsync(caller.Actor, clinicId, email, sms)).ToOk(NoticeSettingsDto.From);
    }

    private static async Task<Results<Ok<QueuedNoticeDto>, ProblemHttpResult>> SendTestAsync(TestNoticeRequest request, Caller caller, IGrainFactory grains)
    {
        if (caller.Actor.PatientId is not { } patientId)
        {
            return PatientsOnly();
        }

        if (request.ClinicId is not { } clinicId)
        {
            return ApiProblems.Validation("clinicId", "clinicId is required.");
        }

        if (NoticeChannels.Parse(request.Channel) is not { } channel)
        {
            return ApiProblems.Validation("channel", "channel is email or sms.");
        }

        return (await grains.GetGrain<IPatientNoticeGrain>(patientId).SendTestAsync(caller.Actor, clinicId, channel)).ToOk(QueuedNoticeDto.From);
    }

    private static async Task<Results<Ok<ContactCodeSentDto>, ProblemHttpResult>> RequestMobileCodeAsync(
        ChangeMobileRequest request, Caller caller, UserManager<ClinicChatUser> users, IGrainFactory grains, PhoneRegions regions,
        [FromKeyedServices(ChatTime.Key)] TimeProvider time)
    {
        if (caller.Actor.PatientId is not { } patientId)
        {
            return PatientsOnly();
        }

        var region = await regions.OfPatientAsync(patientId);
        if (MobileNumbers.ToE164(request.Number, region) is not { } number)
        {
            return NotAMobileNumber(region);
        }

        if (!RecentlyVerified(caller, time))
        {
            return VerifyItsYouFirst();
        }

        if (await users.GetUserAsync(caller.Principal) is not { } user)
        {
            return AuthApi.SessionEnded();
        }

        var code = await users.GenerateChangePhoneNumberTokenAsync(user, number);
        var queued = await grains.GetGrain<IPatientNoticeGrain>(patientId).SendVerificationCodeAsync(caller.Actor, NoticeChannel.Sms, number, code);
        return queued.Error is { } error ? ApiProblems.From(error) : TypedResults.Ok(new ContactCodeSentDto(NoticeChannels.Sms, number, MobileNumbers.ForDisplay(number)!));
    }

    private static async Task<Results<Ok<NoticeSettingsDto>, ProblemHttpResult>> VerifyMobileAsync(
        VerifyMobileRequest request, Caller caller, ClinicChatSignInManager signIn, IGrainFactory grains, PhoneRegions regions)
    {
        if (caller.Actor.PatientId is not { } patientId)
        {
            return PatientsOnly();
        }

        var region = await regions.OfPatientAsync(patientId);
        if (MobileNumbers.ToE164(request.Number, region) is not { } number)
        {
            return NotAMobileNumber(region);
        }

        if (TotpApi.NormalizeCode(request.Code) is not { } code)
        {
            return NotACode();
        }

        if (await signIn.UserManager.GetUserAsync(caller.Principal) is not { } user)
        {
            return AuthApi.SessionEnded();
        }

        // Sets PhoneNumberConfirmed with the number, in one update, only when the code was made for this number.
        if (!(await signIn.UserManager.ChangePhoneNumberAsync(user, number, code)).Succeeded)
        {
            return CodeInvalid();
        }

        return await VerifiedAsync(caller, signIn, user, grains, patientId, NoticeChannel.Sms, number);
    }

    /// <summary>
    /// The same answer whether or not another account holds the address: the code simply never arrives, so this
    /// form cannot be used to find out who has an account.
    /// </summary>
    private static async Task<Results<Ok<ContactCodeSentDto>, ProblemHttpResult>> RequestEmailCodeAsync(
        ChangeEmailRequest request, Caller caller, UserManager<ClinicChatUser> users, IGrainFactory grains,
        [FromKeyedServices(ChatTime.Key)] TimeProvider time)
    {
        if (caller.Actor.PatientId is not { } patientId)
        {
            return PatientsOnly();
        }

        if (EmailAddress(request.Email) is not { } email)
        {
            return NotAnEmailAddress();
        }

        if (!RecentlyVerified(caller, time))
        {
            return VerifyItsYouFirst();
        }

        if (await users.GetUserAsync(caller.Principal) is not { } user)
        {
            return AuthApi.SessionEnded();
        }

        if (!await IsTakenAsync(users, email))
        {
            var code = await users.GenerateChangeEmailTokenAsync(user, email);
            var queued = await grains.GetGrain<IPatientNoticeGrain>(patientId).SendVerificationCodeAsync(caller.Actor, NoticeChannel.Email, email, code);
            if (queued.Error is { } error)
            {
                return ApiProblems.From(error);
            }
        }

        return TypedResults.Ok(new ContactCodeSentDto(NoticeChannels.Email, email, email));
    }

    private static async Task<Results<Ok<NoticeSettingsDto>, ProblemHttpResult>> VerifyEmailAsync(
        VerifyEmailRequest request, Caller caller, ClinicChatSignInManager signIn, IGrainFactory grains)
    {
        if (caller.Actor.PatientId is not { } patientId)
        {
            return PatientsOnly();
        }

        if (EmailAddress(request.Email) is not { } email)
        {
            return NotAnEmailAddress();
        }

        if (TotpApi.NormalizeCode(request.Code) is not { } code)
        {
            return NotACode();
        }

        var users = signIn.UserManager;
        if (await users.GetUserAsync(caller.Principal) is not { } user)
        {
            return AuthApi.SessionEnded();
        }

        // No code was sent for an address another account holds: the same answer as a wrong code.
        if (await IsTakenAsync(users, email))
        {
            return CodeInvalid();
        }

        // Sign-in finds accounts by email and the user name is the email: both change in ChangeEmailAsync's one
        // update (a separate SetUserNameAsync would be a second write that could fail after the first).
        var previousUserName = user.UserName;
        user.UserName = email;
        if (!(await users.ChangeEmailAsync(user, email, code)).Succeeded)
        {
            user.UserName = previousUserName;
            return CodeInvalid();
        }

        return await VerifiedAsync(caller, signIn, user, grains, patientId, NoticeChannel.Email, email);
    }

    /// <summary>
    /// After a contact change Identity has a new security stamp: this session goes on under a new cookie and the
    /// account's other sessions end, as after a password change. The change is audited in each of the patient's clinics.
    /// </summary>
    private static async Task<Results<Ok<NoticeSettingsDto>, ProblemHttpResult>> VerifiedAsync(
        Caller caller, ClinicChatSignInManager signIn, ClinicChatUser user, IGrainFactory grains, Guid patientId, NoticeChannel channel, string address)
    {
        if (!await signIn.RotateSessionAsync(user, caller.Principal, [], endOtherSessions: true))
        {
            return AuthApi.SessionEnded();
        }

        var settings = await grains.GetGrain<IPatientNoticeGrain>(patientId).GetSettingsAsync(caller.Actor);
        var clinics = settings.Value?.Clinics.Select(c => (Guid?)c.ClinicId).ToList() ?? [];
        var audit = grains.GetGrain<IAuditGrain>(0);
        foreach (var clinicId in clinics.DefaultIfEmpty(null))
        {
            await audit.RecordAsync(new AuditEvent(AuditActions.ContactVerified, caller.Actor.UserId, clinicId, patientId, null, AuditOutcomes.Success,
                $"channel={NoticeChannels.Name(channel)} address={ContactMasks.Mask(channel, address)}"));
        }

        return settings.ToOk(NoticeSettingsDto.From);
    }

    /// <summary>Another account (or this one) already signs in with the address: Identity's own look-ups, by email and by user name.</summary>
    private static async Task<bool> IsTakenAsync(UserManager<ClinicChatUser> users, string email) =>
        await users.FindByEmailAsync(email) is not null || await users.FindByNameAsync(email) is not null;

    /// <summary>A plain address, trimmed; null when it is not one (checked before Identity's look-ups, whose normaliser throws on some text).</summary>
    private static string? EmailAddress(string? input) => input?.Trim() is { } email && EmailAddresses.IsPlain(email) ? email : null;

    private static ProblemHttpResult PatientsOnly() =>
        ApiProblems.Problem(ApiErrors.Forbidden, "Not allowed.", "Notice preferences belong to patients.");

    private static ProblemHttpResult NotAMobileNumber(string region) => ApiProblems.Validation("number", MobileNumbers.NotAMobileNumber(region));

    /// <summary>
    /// Where notices go is also where sign-in goes (the email is the user name): a session left open, or stolen, must
    /// not be enough to move it. The patient enters their password again first ("Verify it's you", the same short
    /// window that opens sensitive messages).
    /// </summary>
    private static bool RecentlyVerified(Caller caller, TimeProvider time) => caller.Actor.SensitiveUnlockedUntil > time.GetUtcNow();

    private static ProblemHttpResult VerifyItsYouFirst() => ApiProblems.Problem(
        ApiErrors.SensitiveLocked, "Verify it's you first.", "Enter your password again before changing where notices and sign-in go.");

    private static ProblemHttpResult NotAnEmailAddress() =>
        ApiProblems.Validation("email", "email is not an email address (at most 256 characters).");

    private static ProblemHttpResult NotACode() =>
        ApiProblems.Validation("code", "code is the 6-digit number we sent.");

    private static ProblemHttpResult CodeInvalid() =>
        ApiProblems.Problem(ApiErrors.VerificationCodeInvalid, "That code is not right.",
            "The code is wrong or has expired. Ask for a new one.", "code");
}
