using ClinicChat.Notices;
using ClinicChat.Notices.Email;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace ClinicChat.Tests.Notices;

public sealed class SmtpNoticeServicesTests
{
    [Fact]
    public void WithoutAHostNoEmailSenderIsRegistered()
    {
        var configuration = Configuration(new() { ["ClinicChat:Email:Smtp:From"] = "notices@clinic.example" });
        var services = new ServiceCollection();

        services.AddSmtpNotices(configuration);

        Assert.False(SmtpNoticeServices.SmtpConfigured(configuration));
        Assert.DoesNotContain(services, d => d.ServiceType == typeof(INoticeSender));
    }

    [Fact]
    public async Task WithAHostTheEmailSenderIsTheEmailChannel()
    {
        var configuration = Configuration(new()
        {
            ["ClinicChat:Email:Smtp:Host"] = "127.0.0.1",
            ["ClinicChat:Email:Smtp:Port"] = "2525",
            ["ClinicChat:Email:Smtp:UseTls"] = "false",
            ["ClinicChat:Email:Smtp:From"] = "notices@clinic.example",
        });
        using var host = Host(configuration);

        await host.StartAsync();

        Assert.True(SmtpNoticeServices.SmtpConfigured(configuration));
        var sender = Assert.Single(host.Services.GetServices<INoticeSender>());
        Assert.Equal(NoticeChannel.Email, Assert.IsType<SmtpNoticeSender>(sender).Channel);
        Assert.Equal(2525, host.Services.GetRequiredService<IOptions<SmtpOptions>>().Value.Port);
        await host.StopAsync();
    }

    [Fact]
    public async Task ABadSenderAddressOrPortStopsTheStartNamingEachSetting()
    {
        using var host = Host(Configuration(new()
        {
            ["ClinicChat:Email:Smtp:Host"] = "smtp.example",
            ["ClinicChat:Email:Smtp:Port"] = "70000",
            ["ClinicChat:Email:Smtp:From"] = "Northside <not-an-address>",
        }));

        var refusal = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());

        Assert.Contains("ClinicChat:Email:Smtp:From must be one email address", refusal.Message, StringComparison.Ordinal);
        Assert.Contains("ClinicChat:Email:Smtp:Port must be between 1 and 65535", refusal.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("notices@clinic.example", true)]
    [InlineData("Northside <notices@clinic.example>", false)]
    [InlineData("notices", false)]
    [InlineData("notices@localhost", false)]
    [InlineData("", false)]
    public void TheSenderAddressIsOneBareAddressOnARealDomain(string from, bool accepted) =>
        Assert.Equal(accepted, SmtpOptionsValidation.ParseFrom(from) is not null);

    [Fact]
    public void APasswordWithoutAUserIsRefused() =>
        Assert.Contains(
            SmtpOptionsValidation.Problems(new SmtpOptions { Host = "smtp.example", From = "notices@clinic.example", Password = "secret" }),
            problem => problem.Contains("Password is set but User is not", StringComparison.Ordinal));

    private static IConfiguration Configuration(Dictionary<string, string?> values) =>
        new ConfigurationBuilder().AddInMemoryCollection(values).Build();

    private static IHost Host(IConfiguration configuration)
    {
        var builder = Microsoft.Extensions.Hosting.Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Services.AddLogging();
        builder.Services.AddSmtpNotices(configuration);
        return builder.Build();
    }
}
