namespace ClinicChat.Web.Identity;

/// <summary>Marks an endpoint a session that must first enrol in two-step sign-in may still use.</summary>
public sealed class AllowDuringTotpEnrolmentAttribute : Attribute;

/// <summary>
/// A staff member whose clinic requires two-step sign-in but who has not set it up signs in only far
/// enough to enrol: every endpoint not marked <see cref="AllowDuringTotpEnrolmentAttribute"/> (the
/// push hub included) answers 403 <c>totp_enrolment_required</c>.
/// </summary>
public static class TotpEnrolmentGate
{
    public static TBuilder AllowDuringTotpEnrolment<TBuilder>(this TBuilder builder) where TBuilder : IEndpointConventionBuilder =>
        builder.WithMetadata(new AllowDuringTotpEnrolmentAttribute());

    public static WebApplication UseTotpEnrolmentGate(this WebApplication app)
    {
        app.Use(async (context, next) =>
        {
            var endpoint = context.GetEndpoint();
            if (endpoint is null
                || !context.User.HasClaim(c => c.Type == ChatClaims.TotpEnrolmentRequired)
                || endpoint.Metadata.GetMetadata<AllowDuringTotpEnrolmentAttribute>() is not null
                || endpoint.Metadata.GetMetadata<Microsoft.AspNetCore.Authorization.IAllowAnonymous>() is not null)
            {
                await next(context);
                return;
            }

            await ApiProblems.Problem(ApiErrors.TotpEnrolmentRequired, "Set up two-step sign-in first.",
                "Your clinic requires two-step sign-in: set up an authenticator app to continue.").ExecuteAsync(context);
        });
        return app;
    }
}
