using System.Text.Json.Serialization;
using ClinicChat.Web.Activation;
using ClinicChat.Web.Attachments;
using ClinicChat.Web.Audit;
using ClinicChat.Web.Auth;
using ClinicChat.Web.Clinics;
using ClinicChat.Web.Conversations;
using ClinicChat.Web.Integration;
using ClinicChat.Web.Me;
using ClinicChat.Web.Notices;
using ClinicChat.Web.Onboarding;
using ClinicChat.Web.Passkeys;
using ClinicChat.Web.Patients;
using ClinicChat.Web.QuickReplies;
using ClinicChat.Web.Records;
using ClinicChat.Web.ResponseTimes;
using ClinicChat.Web.Realtime;
using ClinicChat.Web.Seeding;
using ClinicChat.Web.Staff;

namespace ClinicChat.Web;

/// <summary>The building blocks Program.cs composes, one per concern.</summary>
public static class CompositionExtensions
{
    public static IServiceCollection AddClinicChatApi(this IServiceCollection services)
    {
        services.AddOpenApi();
        services.AddOptions<AttachmentOptions>().BindConfiguration(AttachmentOptions.Section)
            .Validate(o => o.MaxBytes > 0, $"{AttachmentOptions.Section}:MaxBytes must be positive.");
        // Every error carries a machine-readable code, including the framework's own (404, 405, 415). Under the FHIR
        // base the same errors are OperationOutcomes (registered first, so it is asked first).
        services.AddSingleton<IProblemDetailsWriter, FhirOutcomeWriter>();
        services.AddProblemDetails(options => options.CustomizeProblemDetails = context =>
            context.ProblemDetails.Extensions.TryAdd("code", ApiErrors.ForStatus(context.ProblemDetails.Status)));
        services.AddExceptionHandler<ApiExceptionHandler>();
        services.AddScoped<AuditNames>();
        services.AddSingleton<PhoneRegions>();
        // Binding failures throw, so that ApiExceptionHandler can answer with a coded ProblemDetails.
        services.Configure<Microsoft.AspNetCore.Routing.RouteHandlerOptions>(options => options.ThrowOnBadRequest = true);
        services.ConfigureHttpJsonOptions(options =>
        {
            options.SerializerOptions.NumberHandling = JsonNumberHandling.Strict;
            options.SerializerOptions.MaxDepth = 16;
        });
        return services;
    }

    public static IServiceCollection AddClinicChatRealtime(this IServiceCollection services)
    {
        services.AddSignalR(options =>
        {
            options.MaximumReceiveMessageSize = 4 * 1024;
            options.KeepAliveInterval = ChatHub.KeepAlive;
            options.ClientTimeoutInterval = ChatHub.ClientTimeout;
        });
        services.AddOptions<ClinicChat.Realtime.RealtimeOptions>().BindConfiguration(ClinicChat.Realtime.RealtimeOptions.Section)
            .Validate(o => o.MaxConnectionsPerUser > 0, $"{ClinicChat.Realtime.RealtimeOptions.Section}:MaxConnectionsPerUser must be positive.")
            .ValidateOnStart();
        services.AddSingleton<SessionConnections>();
        services.AddHostedService(sp => sp.GetRequiredService<SessionConnections>());
        services.AddSingleton<RealtimeMetrics>();
        services.AddSingleton<ChatPushRelay>();
        services.AddSingleton<FhirImport>();
        services.AddHostedService(sp => sp.GetRequiredService<ChatPushRelay>());
        return services;
    }

    public static IServiceCollection AddClinicChatSeeding(this IServiceCollection services)
    {
        // Demo accounts share a published password: outside Development asking for them stops the start.
        services.AddOptions<SeedOptions>().BindConfiguration(SeedOptions.Section)
            .Validate<IHostEnvironment>((options, environment) => !options.Demo || environment.IsDevelopment(),
                $"{SeedOptions.Section}:Demo is true outside Development. Demo accounts use a published password and must never exist in production: remove the setting.")
            .ValidateOnStart();
        services.AddHostedService<DemoSeeder>();
        return services;
    }

    public static WebApplication MapClinicChatApiV1(this WebApplication app)
    {
        app.MapGroup("/api/v1")
            .RequireAuthorization()
            .MapAuthApi()
            .MapPasskeysApi()
            .MapTotpApi()
            .MapClinicSecurityApi()
            .MapClinicProfileApi()
            .MapOfficeHoursApi()
            .MapResponseTimesApi()
            .MapQuickRepliesApi()
            .MapMeApi()
            .MapNoticePreferencesApi()
            .MapDevelopmentOutboxApi()
            .MapPatientsApi()
            .MapConversationsApi()
            .MapPatientStartApi()
            .MapAttachmentsApi()
            .MapRecordsApi()
            .MapIntegrationsApi()
            .MapAuditApi()
            .MapInvitationsApi()
            .MapStaffApi()
            .MapPortalInvitationsApi()
            .MapActivationApi();
        return app;
    }
}
