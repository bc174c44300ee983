using System.Globalization;
using ClinicChat.Tests.Notices;

namespace ClinicChat.Web.Tests;

/// <summary>
/// The demo app with its notice dispatcher sending email to a real SMTP server on loopback (invitations and reset links
/// arrive as a person would get them), links built on <see cref="PublicBaseUrl"/>, and a clock tests may move. One per
/// test class (a class fixture), so each class reads only its own mail.
/// </summary>
public class MailingApp : IAsyncLifetime
{
    public const string PublicBaseUrl = "https://chat.example-clinic.test";

    public LoopbackSmtpServer Smtp { get; } = LoopbackSmtpServer.Start();

    public ShiftableClock Clock { get; } = new();

    public ClinicChatApp App { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        var more = await MoreSettingsAsync();
        App = new ClinicChatApp(clock: Clock, configure: web =>
        {
            web.UseSetting("ClinicChat:Notifications:PublicBaseUrl", PublicBaseUrl);
            web.UseSetting("ClinicChat:Email:Smtp:Host", "127.0.0.1");
            web.UseSetting("ClinicChat:Email:Smtp:Port", Smtp.Port.ToString(CultureInfo.InvariantCulture));
            web.UseSetting("ClinicChat:Email:Smtp:UseTls", "false");
            web.UseSetting("ClinicChat:Email:Smtp:From", "notices@clinicchat.test");
            foreach (var (key, value) in more)
            {
                web.UseSetting(key, value);
            }
        });
        await App.StartReadyAsync();
    }

    public virtual async Task DisposeAsync()
    {
        await App.DisposeAndDeleteDataAsync();
        Smtp.Dispose();
    }

    /// <summary>Settings a derived fixture adds, for another provider it starts itself.</summary>
    protected virtual Task<IReadOnlyDictionary<string, string>> MoreSettingsAsync() =>
        Task.FromResult<IReadOnlyDictionary<string, string>>(new Dictionary<string, string>());
}
