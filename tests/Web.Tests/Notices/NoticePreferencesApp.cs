using ClinicChat.Notices;

namespace ClinicChat.Web.Tests.Notices;

/// <summary>
/// The app with a recording provider for each channel in place of SMTP and Twilio: the one boundary where a test stands
/// in, and where it reads what a recipient receives (the dispatcher drops a code from the outbox once it is handed over).
/// </summary>
public sealed class NoticePreferencesApp : IAsyncLifetime
{
    /// <summary>Notices a user may ask for per window here: more than any one test asks for, few enough to reach.</summary>
    public const int NoticesPerUser = 3;

    public NoticePreferencesApp() => App = new ClinicChatApp(
        services: services =>
        {
            services.AddSingleton<INoticeSender>(new RecordingSender(NoticeChannel.Email, Delivered));
            services.AddSingleton<INoticeSender>(new RecordingSender(NoticeChannel.Sms, Delivered));
        },
        configure: builder => builder.UseSetting("ClinicChat:RateLimits:Notices:PerUser", NoticesPerUser.ToString(System.Globalization.CultureInfo.InvariantCulture)));

    public ClinicChatApp App { get; }

    public DeliveredNotices Delivered { get; } = new();

    public Task InitializeAsync() => App.StartReadyAsync();

    public Task DisposeAsync() => App.DisposeAndDeleteDataAsync();

    private sealed class RecordingSender(NoticeChannel channel, DeliveredNotices delivered) : INoticeSender
    {
        public NoticeChannel Channel => channel;

        public Task<NoticeSendResult> SendAsync(OutgoingNotice notice, CancellationToken cancellationToken)
        {
            delivered.Add(notice);
            return Task.FromResult(NoticeSendResult.Sent($"recorded-{notice.Id:N}"));
        }
    }
}

/// <summary>What the recording providers were handed, with a wait for the one a test expects.</summary>
public sealed class DeliveredNotices
{
    private readonly Lock _lock = new();
    private readonly List<OutgoingNotice> _notices = [];
    private TaskCompletionSource _added = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public void Add(OutgoingNotice notice)
    {
        TaskCompletionSource added;
        lock (_lock)
        {
            _notices.Add(notice);
            added = _added;
            _added = new(TaskCreationOptions.RunContinuationsAsynchronously);
        }

        added.TrySetResult();
    }

    /// <summary>The latest notice matching <paramref name="match"/>, waiting for it to be handed over (at most 15 s).</summary>
    public async Task<OutgoingNotice> WaitForAsync(Func<OutgoingNotice, bool> match)
    {
        var deadline = DateTimeOffset.UtcNow + TimeSpan.FromSeconds(15);
        while (true)
        {
            Task added;
            lock (_lock)
            {
                if (_notices.LastOrDefault(match) is { } found)
                {
                    return found;
                }

                added = _added.Task;
            }

            await added.WaitAsync(deadline - DateTimeOffset.UtcNow);
        }
    }

    /// <summary>The verification code texted or emailed to <paramref name="address"/>.</summary>
    public async Task<string> CodeSentToAsync(string address) =>
        (await WaitForAsync(n => n.Template == NoticeTemplates.VerifyContact && n.Address == address)).Code!;
}
