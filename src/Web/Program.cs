using ClinicChat.Hosting;
using ClinicChat.Web;
using ClinicChat.Web.Integration;
using ClinicChat.Web.Notices;
using ClinicChat.Web.Onboarding;
using ClinicChat.Web.Realtime;

// `operator …`: the operator command (first clinic and Admin, list, disable, enable), beside the running server.
if (args is ["operator", .. var operatorArgs])
{
    return await OperatorCommand.RunAsync(operatorArgs, Console.Out, Console.Error);
}

var builder = WebApplication.CreateBuilder(args);
builder.Configuration.AddClinicChatSecretFiles();

// Identity's tables must exist before the silo (and seeding) start: hosted services start in order.
builder.Services.AddClinicChatIdentity();
builder.Services.AddClinicChatDataProtection(builder.Configuration);
builder.AddClinicChatOrleans();
builder.Services.AddClinicChatApi();
builder.Services.AddClinicChatHostFiltering();
builder.Services.AddClinicChatRequestSafety(builder.Configuration);
builder.Services.AddClinicChatRateLimits();
builder.Services.AddClinicChatSmartBackendServices(builder.Environment);
builder.Services.AddClinicChatRealtime();
builder.Services.AddClinicChatHealthChecks();
builder.Services.AddClinicChatSeeding();
builder.Services.AddClinicChatOnboarding();
builder.Services.AddTwilioWebhooks(builder.Configuration);
builder.AddClinicChatOperations();
builder.Services.AddClinicChatFrontEnd();
builder.Services.RunNothingWhenOnlyTheDocumentIsWanted();

var app = builder.Build();
app.StartBuildingDashboardAssets();

app.UseClinicChatHostFiltering();
app.UseClinicChatForwardedHeaders();
app.UseClinicChatSecurityHeaders();
app.UseClinicChatApiNoStore();
if (!app.Environment.IsDevelopment())
{
    app.UseHsts();
}

app.UseExceptionHandler();
app.UseStatusCodePages();
app.UseDefaultFiles();
app.UseStaticFiles();
app.UseClinicChatRequestSafety();
app.UseClinicChatBodyLimits();
app.UseIntegrationTokenLimits();
app.UseOpenIddictOnItsOwnRequests();
app.UseAuthentication();
app.UseAuthorization();
app.UseClinicChatRateLimits();
app.UseTotpEnrolmentGate();
app.UseWebSockets();
app.UseHubOriginCheck();
app.UseHubConnectionCap();

app.MapOpenApi();
app.MapClinicChatApiReference();
app.MapClinicChatApiV1();
app.MapSmartConfiguration();
app.MapFhirRestApi();
app.MapTwilioWebhooks();
app.MapHub<ChatHub>(ChatHub.Path, options =>
{
    options.CloseOnAuthenticationExpiration = true;
    options.WebSockets.CloseTimeout = ChatHub.CloseTimeout;
}).NotUserActivity();
app.MapClinicChatHealth();
app.MapClinicChatOperations();
app.MapClinicChatFrontEnd();

return await app.RunOrExplainAsync();

/// <summary>Entry point type, public so that tests can host the app with WebApplicationFactory.</summary>
public partial class Program;
