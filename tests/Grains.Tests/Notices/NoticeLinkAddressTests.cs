using ClinicChat.Notices;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.FileProviders;
using Microsoft.Extensions.Hosting;

namespace ClinicChat.Tests.Notices;

/// <summary>Where notice and invitation links lead: the configured public address, or in development the app's own.</summary>
public sealed class NoticeLinkAddressTests
{
    [Theory]
    [InlineData("http://localhost:5093", "http://localhost:5093")]
    [InlineData("http://127.0.0.1:5094;https://localhost:7001", "http://127.0.0.1:5094")]
    [InlineData("http://*:5095", "http://localhost:5095")]
    [InlineData("http://+:5096", "http://localhost:5096")]
    [InlineData("http://0.0.0.0:5097", "http://localhost:5097")]
    [InlineData("http://[::]:5098", "http://localhost:5098")]
    [InlineData("http://localhost:0", null)]
    [InlineData("not a url", null)]
    [InlineData("", null)]
    public void TheFirstListeningAddressIsWhereABrowserOnThisMachineReachesTheApp(string urls, string? expected) =>
        Assert.Equal(expected, NoticeServices.ListeningAddress(urls));

    [Fact]
    public void InDevelopmentLinksLeadToThePortTheAppRunsOnUnlessAnAddressIsConfigured()
    {
        var development = new Environment(Environments.Development);

        Assert.Equal("http://localhost:5093", NoticeServices.PublicBaseUrl(Settings(("urls", "http://localhost:5093")), development));
        Assert.Equal(NoticeServices.DevelopmentBaseUrl, NoticeServices.PublicBaseUrl(Settings(), development));
        Assert.Equal("https://chat.example-clinic.com", NoticeServices.PublicBaseUrl(
            Settings(("urls", "http://localhost:5093"), ("ClinicChat:Onboarding:PublicBaseUrl", "https://chat.example-clinic.com")), development));
        Assert.Null(NoticeServices.PublicBaseUrl(Settings(("urls", "http://localhost:5093")), new Environment(Environments.Production)));
    }

    private static IConfiguration Settings(params (string Key, string Value)[] settings) =>
        new ConfigurationBuilder().AddInMemoryCollection(settings.Select(s => KeyValuePair.Create(s.Key, (string?)s.Value))).Build();

    private sealed class Environment(string name) : IHostEnvironment
    {
        public string EnvironmentName { get; set; } = name;

        public string ApplicationName { get; set; } = "ClinicChat.Tests";

        public string ContentRootPath { get; set; } = AppContext.BaseDirectory;

        public IFileProvider ContentRootFileProvider { get; set; } = new NullFileProvider();
    }
}
