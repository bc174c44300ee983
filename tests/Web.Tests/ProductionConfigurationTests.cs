using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;

namespace ClinicChat.Web.Tests;

/// <summary>Outside Development: no start without the operator's own secrets, no demo data, no internals in errors.</summary>
public sealed class ProductionConfigurationTests
{
    private const string OperatorKey = "an-operator-chosen-audit-checkpoint-key-for-tests";

    [Theory]
    [InlineData("Production", null, "is not set")]
    [InlineData("Production", "too-short", "shorter than")]
    [InlineData("Staging", AuditCheckpointSigner.DevelopmentKey, "public Development key")]
    public async Task WithoutItsOwnAuditKeyANodeOutsideDevelopmentRefusesToStartNamingTheSetting(string environment, string? key, string reason)
    {
        var failure = await StartFailureAsync(environment, ("ClinicChat:Audit:CheckpointKey", key), ("AllowedHosts", "localhost"));

        Assert.Contains("ClinicChat:Audit:CheckpointKey", failure, StringComparison.Ordinal);
        Assert.Contains(reason, failure, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("*")]
    [InlineData("chat.example-clinic.com;*")]
    public async Task WithoutItsOwnHostNamesANodeOutsideDevelopmentRefusesToStartNamingTheSetting(string? hosts)
    {
        var failure = await StartFailureAsync("Production", ("ClinicChat:Audit:CheckpointKey", OperatorKey), ("AllowedHosts", hosts ?? string.Empty));

        Assert.Contains("AllowedHosts must list this deployment's host names", failure, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(null, "CertificatePath is not set")]
    [InlineData("/nonexistent/keys.pfx", "could not be read as a PKCS#12 file")]
    public async Task WithoutACertificateForDataProtectionKeysANodeOutsideDevelopmentRefusesToStartNamingTheSetting(string? path, string reason)
    {
        var failure = await StartFailureAsync("Production", ("ClinicChat:Audit:CheckpointKey", OperatorKey), ("AllowedHosts", "localhost"),
            ("ClinicChat:DataProtection:CertificatePath", path ?? string.Empty));

        Assert.Contains("ClinicChat:DataProtection:CertificatePath", failure, StringComparison.Ordinal);
        Assert.Contains(reason, failure, StringComparison.Ordinal);
    }

    [Fact]
    public async Task WithNothingConfiguredProductionRefusesToStartWithOneMessageListingEveryMissingSetting()
    {
        var app = Production("Production", ("ClinicChat:DataProtection:CertificatePath", string.Empty), ("ClinicChat:Notifications:Enabled", "true"));
        try
        {
            var failure = Assert.IsType<Microsoft.Extensions.Options.OptionsValidationException>(Assert.ThrowsAny<Exception>(() => app.CreateClient()));

            var message = Assert.Single(failure.Failures);
            Assert.Contains("5 required setting(s) missing or invalid", message, StringComparison.Ordinal);
            Assert.Contains("Notifications are on but no channel is configured: set ClinicChat:Email:Smtp:Host", message, StringComparison.Ordinal);
            Assert.Contains("set ClinicChat:Notifications:PublicBaseUrl", message, StringComparison.Ordinal);
            Assert.Contains("ClinicChat:Audit:CheckpointKey is not set", message, StringComparison.Ordinal);
            Assert.Contains("AllowedHosts must list", message, StringComparison.Ordinal);
            Assert.Contains("ClinicChat:DataProtection:CertificatePath is not set", message, StringComparison.Ordinal);
        }
        finally
        {
            await DisposeUnstartedAsync(app);
        }
    }

    [Fact]
    public async Task DemoSeedingOutsideDevelopmentRefusesToStart()
    {
        var failure = await StartFailureAsync("Production", ("ClinicChat:Audit:CheckpointKey", OperatorKey), ("AllowedHosts", "localhost"), ("ClinicChat:Seed:Demo", "true"));

        Assert.Contains("ClinicChat:Seed:Demo", failure, StringComparison.Ordinal);
    }

    [Fact]
    public async Task WithItsOwnKeyProductionStartsWithoutDemoAccountsAndItsErrorsShowNoInternals()
    {
        await using var app = Production("Production", ("ClinicChat:Audit:CheckpointKey", OperatorKey), ("AllowedHosts", "localhost"));
        try
        {
            using var client = app.CreateClient();

            var ready = await client.GetAsync("/readyz");
            var demo = await client.PostAsJsonAsync("/api/v1/auth/login", new { email = DemoData.Alice, password = DemoData.Password });
            var malformed = await client.PostAsync("/api/v1/auth/login", new StringContent("""{"email": 5, "password": [""", Encoding.UTF8, "application/json"));
            var apiReference = await client.GetAsync(Hosting.ApiReference.Path + "/");

            Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
            Assert.Equal(HttpStatusCode.NotFound, apiReference.StatusCode);
            Assert.Equal(HttpStatusCode.Unauthorized, demo.StatusCode);
            Assert.Equal(HttpStatusCode.BadRequest, malformed.StatusCode);
            AssertNoInternals(await malformed.Content.ReadAsStringAsync());
        }
        finally
        {
            app.DeleteData();
        }
    }

    /// <summary>
    /// An unexpected exception (here one whose message holds a path and a password, as a driver's might)
    /// becomes a bare 500 <c>internal_error</c>: no message, no type, no stack trace. The trace id stays:
    /// it is a correlation id for the operator's logs, not an internal identifier of any record.
    /// </summary>
    [Fact]
    public async Task AnUnexpectedFailureAnswersAGeneric500WithoutMessageTypeOrStack()
    {
        await using var app = Production("Production", ("ClinicChat:Audit:CheckpointKey", OperatorKey), ("AllowedHosts", "localhost"));
        try
        {
            using var client = app.CreateClient();
            await using var scope = app.Services.CreateAsyncScope();
            var http = new DefaultHttpContext { RequestServices = scope.ServiceProvider };
            http.Request.Method = "GET";
            http.Request.Path = "/api/v1/conversations";
            http.Response.Body = new MemoryStream();
            var handler = ActivatorUtilities.CreateInstance<ApiExceptionHandler>(scope.ServiceProvider);

            var handled = await handler.TryHandleAsync(http, new InvalidOperationException("Secret detail at /var/lib/clinicchat password=hunter2"), CancellationToken.None);

            Assert.True(handled);
            Assert.Equal(StatusCodes.Status500InternalServerError, http.Response.StatusCode);
            var body = Encoding.UTF8.GetString(((MemoryStream)http.Response.Body).ToArray());
            Assert.Contains("\"code\":\"internal_error\"", body, StringComparison.Ordinal);
            Assert.Contains("traceId", body, StringComparison.Ordinal);
            AssertNoInternals(body);
            Assert.DoesNotContain("hunter2", body, StringComparison.Ordinal);
            Assert.DoesNotContain("/var/lib", body, StringComparison.Ordinal);
        }
        finally
        {
            app.DeleteData();
        }
    }

    private static void AssertNoInternals(string body)
    {
        Assert.DoesNotContain("Exception", body, StringComparison.Ordinal);
        Assert.DoesNotContain(" at ", body, StringComparison.Ordinal);
        Assert.DoesNotContain("ClinicChat.", body, StringComparison.Ordinal);
        Assert.DoesNotContain("System.", body, StringComparison.Ordinal);
    }

    /// <summary>
    /// An app in <paramref name="environment"/> with a Data Protection certificate and notifications off (they need a
    /// channel; NoticeChannelsTests cover them) unless a setting overrides it (empty = unset).
    /// </summary>
    private static ClinicChatApp Production(string environment, params (string Key, string? Value)[] settings) => new(configure: builder =>
    {
        builder.UseEnvironment(environment);
        builder.UseSetting("ClinicChat:Seed:Demo", "false");
        builder.UseSetting("ClinicChat:Notifications:Enabled", "false");
        builder.UseDataProtectionCertificate();
        foreach (var (key, value) in settings.Where(s => s.Value is not null))
        {
            builder.UseSetting(key, value);
        }
    });

    /// <summary>Starts an app that must not start; returns every message of the failure.</summary>
    private static async Task<string> StartFailureAsync(string environment, params (string Key, string? Value)[] settings)
    {
        var app = Production(environment, settings);
        try
        {
            var failure = Assert.ThrowsAny<Exception>(() => app.CreateClient());
            var messages = new StringBuilder();
            for (Exception? e = failure; e is not null; e = e.InnerException)
            {
                messages.AppendLine(e.Message);
                if (e is AggregateException aggregate)
                {
                    aggregate.InnerExceptions.ToList().ForEach(inner => messages.AppendLine(inner.Message));
                }
            }

            return messages.ToString();
        }
        finally
        {
            await DisposeUnstartedAsync(app);
        }
    }

    private static async Task DisposeUnstartedAsync(ClinicChatApp app)
    {
        try
        {
            await app.DisposeAsync();
        }
        catch (Exception exception) when (exception is InvalidOperationException or AggregateException or ObjectDisposedException)
        {
            // A host that never started may refuse to stop as well.
        }

        app.DeleteData();
    }
}
