using ClinicChat.Notices;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace ClinicChat.Hosting;

/// <summary>
/// With notifications on, a silo outside Development must have somewhere to send them and an address to link to;
/// otherwise patients would silently never hear about messages (development keeps them in the development outbox).
/// </summary>
public sealed class NoticeChannelsSetting(
    IOptions<NotificationOptions> options, IEnumerable<INoticeSender> senders, IConfiguration configuration, IHostEnvironment environment) : IRequiredSetting
{
    public IEnumerable<string> Problems()
    {
        if (!options.Value.Enabled)
        {
            yield break;
        }

        if (!senders.Any())
        {
            yield return "Notifications are on but no channel is configured: set ClinicChat:Email:Smtp:Host and ClinicChat:Email:Smtp:From (email) " +
                "and/or ClinicChat:Sms:Twilio:AccountSid, AuthToken and From (SMS) — see docs/operations.md — or turn them off with " +
                "ClinicChat:Notifications:Enabled=false.";
        }

        if (NoticeServices.PublicBaseUrl(configuration, environment) is null)
        {
            yield return "Notifications are on but nothing says where their links lead: set ClinicChat:Notifications:PublicBaseUrl " +
                "(or ClinicChat:Onboarding:PublicBaseUrl) to the address patients use, e.g. https://chat.example-clinic.com.";
        }
    }
}
