using ClinicChat.Web.Conversations;

namespace ClinicChat.Browser.Tests;

[Collection(BrowserCollection.Name)]
public sealed class DeliveryBrowserTests(BrowserFixture fixture, ITestOutputHelper output) : BrowserTest(fixture, output)
{
    [Fact]
    public Task ReceiptsGoFromSentToDeliveredToReadOnBothSides() => RunAsync(async () =>
    {
        var (patient, thread, staff) = await OpenNewThreadAsync(20);

        await SendAsync(staff, "Your prescription is ready for pickup.");
        var staffMessage = Article(staff, "Your prescription is ready for pickup.");
        await Expect(staffMessage.Locator(".status")).ToHaveTextAsync("Sent");

        var portal = await SignInAsync(patient.Email!);
        await Expect(staffMessage.Locator(".status")).ToHaveTextAsync("Delivered");
        await portal.GetByRole(AriaRole.Link, new() { Name = "Northside Family Dental" }).ClickAsync();
        await Expect(staffMessage.Locator(".status")).ToHaveTextAsync("Read");

        await SendAsync(portal, "Thank you, I'll come by tomorrow.");
        var reply = Article(portal, "Thank you, I'll come by tomorrow.");
        // Alice has the thread open and in view: her client receives and reads it at once.
        await Expect(reply.Locator(".status")).ToHaveTextAsync("Read");

        // Who read it and when, live (the read's push) and after a reload (the page): a tooltip for a mouse, a line under
        // the message for a keyboard or a touch screen.
        var readBy = new System.Text.RegularExpressions.Regex($"^Read by {System.Text.RegularExpressions.Regex.Escape(patient.Name)} at ");
        var status = staffMessage.GetByRole(AriaRole.Button, new() { Name = "Read" });
        foreach (var reloaded in new[] { false, true })
        {
            if (reloaded)
            {
                await staff.ReloadAsync();
            }

            await Expect(status).ToHaveAttributeAsync("title", readBy);
            await Expect(staffMessage.Locator(".read-by")).ToHaveCountAsync(0);
            await status.ClickAsync();
            await Expect(staffMessage.Locator(".read-by")).ToHaveTextAsync(readBy);
            await Expect(status).ToHaveAttributeAsync("aria-expanded", "true");
        }
    });

    [Fact]
    public Task AReadMadeWhileStaffWereDisconnectedNamesItsReaderOnceTheConnectionIsBack() => RunAsync(async () =>
    {
        var (patient, thread, staff) = await OpenFreshThreadAsync();
        // The push connection goes through a route the test can cut: while down, every reconnect is refused (which the
        // SignalR client reports as an error on the console).
        AllowConsoleError("Failed to start the connection");
        var down = false;
        var sockets = new List<IWebSocketRoute>();
        await staff.RouteWebSocketAsync("**/hubs/chat", socket =>
        {
            if (down)
            {
                _ = socket.CloseAsync();
                return;
            }

            lock (sockets)
            {
                sockets.Add(socket.ConnectToServer());
            }
        });
        await staff.ReloadAsync();
        await SendAsync(staff, "Your crown is ready to fit.");
        var staffMessage = Article(staff, "Your crown is ready to fit.");
        await Expect(staffMessage.Locator(".status")).ToHaveTextAsync("Sent");

        down = true;
        IWebSocketRoute[] open;
        lock (sockets)
        {
            open = [.. sockets];
        }

        foreach (var socket in open)
        {
            await socket.CloseAsync();
        }

        await Expect(staff.GetByText("Reconnecting…")).ToBeVisibleAsync();
        using (var portal = await Fixture.ApiAsync(patient.Email))
        {
            var read = await portal.PostAsJsonAsync($"/api/v1/conversations/{thread}/receipts", new { deliveredUpToSeq = 1, readUpToSeq = 1 });
            read.EnsureSuccessStatusCode();
        }

        down = false;

        // Its push was lost with the connection; the reconnect's resync brings who read it, without a reload. The
        // client retries with a growing delay (up to 15 s), hence the longer wait.
        var readBy = new System.Text.RegularExpressions.Regex($"^Read by {System.Text.RegularExpressions.Regex.Escape(patient.Name)} at ");
        await Expect(staffMessage.GetByRole(AriaRole.Button, new() { Name = "Read" })).ToHaveAttributeAsync("title", readBy, new() { Timeout = 30_000 });
    });

    [Fact]
    public Task APhoneSaysDeliveredOnItsPushConnectionAndReadAsARequest() => RunAsync(async () =>
    {
        var (patient, _, staff) = await OpenFreshThreadAsync();
        await SendAsync(staff, "Welcome to the portal.");
        var portal = await SignInAsync(patient.Email, width: 390, height: 844);
        // Received with the inbox's first page, which may be acknowledged before the push connection is up (as a request).
        await Expect(Article(staff, "Welcome to the portal.").Locator(".status")).ToHaveTextAsync("Delivered");
        var receiptRequests = new List<string>();
        portal.Request += (_, request) =>
        {
            if (request.Method == "POST" && request.Url.EndsWith("/receipts", StringComparison.Ordinal))
            {
                lock (receiptRequests)
                {
                    receiptRequests.Add(request.PostData ?? "");
                }
            }
        };

        // The patient's inbox is open, not the thread: the message is pushed and received, not read.
        await SendAsync(staff, "Your lab results are ready.");
        var staffMessage = Article(staff, "Your lab results are ready.");
        await Expect(staffMessage.Locator(".status")).ToHaveTextAsync("Delivered");
        string[] beforeReading;
        lock (receiptRequests)
        {
            beforeReading = [.. receiptRequests];
        }

        await portal.GetByRole(AriaRole.Link, new() { Name = "Northside Family Dental" }).ClickAsync();
        await Expect(staffMessage.Locator(".status")).ToHaveTextAsync("Read");

        // Delivery went as a frame on the connection that brought the message; reading is a request (its cookie carries
        // the re-authentication window a sensitive read needs).
        Assert.Empty(beforeReading);
        lock (receiptRequests)
        {
            Assert.Contains(receiptRequests, body => body.Contains("\"readUpToSeq\":2", StringComparison.Ordinal));
        }
    });

    [Fact]
    public Task AnOfflinePatientCatchesUpAndTheirUnsentMessageGoesOutWhenBackOnline() => RunAsync(async () =>
    {
        var patient = StaffChatTests.Patient(21);
        using var alice = await Fixture.ApiAsync(DemoData.Alice);
        var thread = await Fixture.StartThreadAsync(alice, patient.Id);
        await BrowserFixture.SendAsync(alice, thread, "Hello!");
        var portal = await SignInAsync(patient.Email!);
        await portal.GetByRole(AriaRole.Link, new() { Name = "Northside Family Dental" }).ClickAsync();
        await Expect(Log(portal)).ToContainTextAsync("Hello!");

        AllowConsoleError("net::ERR_INTERNET_DISCONNECTED");
        await portal.Context.SetOfflineAsync(true);
        await Composer(portal).FillAsync("Written while offline");
        await Composer(portal).PressAsync("Enter");
        await Expect(Article(portal, "Written while offline").Locator(".status")).ToHaveTextAsync("Waiting for connection");
        await BrowserFixture.SendAsync(alice, thread, "Sent while you were offline 1");
        await BrowserFixture.SendAsync(alice, thread, "Sent while you were offline 2");
        await portal.Context.SetOfflineAsync(false);

        await Expect(Log(portal)).ToContainTextAsync("Sent while you were offline 2");
        await Expect(Log(portal)).ToContainTextAsync("Sent while you were offline 1");
        await Expect(Article(portal, "Written while offline").Locator(".status")).ToHaveTextAsync(new System.Text.RegularExpressions.Regex("^(Sent|Delivered|Read)$"));
        var staff = await SignInAsync(DemoData.Alice);
        await staff.GotoAsync($"/#/chat/{thread}");
        await Expect(Log(staff).GetByText("Written while offline")).ToHaveCountAsync(1);
    });

    [Fact]
    public Task MessagesQueuedOfflineAreStoredInTheOrderTheyWereTyped() => RunAsync(async () =>
    {
        var (patient, thread, staff) = await OpenNewThreadAsync(115);
        await SendAsync(staff, "Before going offline");
        // Once back online, the first queued message is held at the network for a while (as a slow
        // request would be) unless another send arrives first: a later message must not overtake it.
        var firstQueued = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await staff.RouteAsync($"**/api/v1/conversations/{thread}/messages", async route =>
        {
            if (route.Request.Method != "POST")
            {
                await route.ContinueAsync();
                return;
            }

            var body = route.Request.PostData ?? "";
            if (body.Contains("\"text\":\"A\"", StringComparison.Ordinal))
            {
                await firstQueued.Task.WaitAsync(TimeSpan.FromSeconds(3)).ContinueWith(_ => { }, TaskScheduler.Default);
                await route.ContinueAsync();
                return;
            }

            try
            {
                var response = await route.FetchAsync();
                await route.FulfillAsync(new() { Response = response });
                firstQueued.TrySetResult();
            }
            catch (PlaywrightException)
            {
                await route.AbortAsync("internetdisconnected");
            }
        });

        AllowConsoleError("net::ERR_INTERNET_DISCONNECTED");
        await staff.Context.SetOfflineAsync(true);
        var queued = new List<string>();
        foreach (var text in new[] { "A", "B", "C" })
        {
            await Composer(staff).FillAsync(text);
            await Composer(staff).PressAsync("Enter");
            queued.Add(text);
            await Expect(Log(staff).GetByRole(AriaRole.Article, new() { Name = "Your unsent message" }).Locator("p.text")).ToHaveTextAsync(queued.ToArray());
        }
        await staff.Context.SetOfflineAsync(false);

        await Expect(Log(staff).GetByRole(AriaRole.Article, new() { Name = "Your unsent message" })).ToHaveCountAsync(0);
        using var alice = await Fixture.ApiAsync(DemoData.Alice);
        var stored = await alice.GetFromJsonAsync<MessagePageDto>($"/api/v1/conversations/{thread}/messages");
        Assert.Equal(["Before going offline", "A", "B", "C"], stored!.Messages.Select(m => m.Text));
        await staff.ReloadAsync();
        await Expect(Log(staff).Locator("p.text")).ToHaveTextAsync(["Before going offline", "A", "B", "C"]);
        var portal = await SignInAsync(patient.Email!);
        await portal.GetByRole(AriaRole.Link, new() { Name = "Northside Family Dental" }).ClickAsync();
        await Expect(Log(portal).Locator("p.text")).ToHaveTextAsync(["Before going offline", "A", "B", "C"]);
    });

    [Fact]
    public Task StaffSeeTheirOwnConnectionDropAndComeBackAndNoPresenceGuessWhileOffline() => RunAsync(async () =>
    {
        var (patient, _, staff) = await OpenNewThreadAsync(119);
        await SignInAsync(patient.Email!);
        await Expect(staff.GetByText("Online in the portal")).ToBeVisibleAsync();
        var connection = staff.GetByRole(AriaRole.Status).Filter(new() { HasText = "offline" });

        AllowConsoleError("net::ERR_INTERNET_DISCONNECTED");
        await staff.Context.SetOfflineAsync(true);
        await Expect(connection).ToHaveTextAsync("You are offline. Messages you send will wait and go out when the connection is back.");
        await Expect(staff.GetByText("Online in the portal")).ToHaveCountAsync(0);
        await Composer(staff).FillAsync("Queued while offline");
        await Composer(staff).PressAsync("Enter");
        await Expect(Article(staff, "Queued while offline").Locator(".status")).ToHaveTextAsync("Waiting for connection");
        await staff.Context.SetOfflineAsync(false);

        await Expect(staff.GetByRole(AriaRole.Status).Filter(new() { HasText = "Back online." })).ToBeVisibleAsync();
        await Expect(Article(staff, "Queued while offline").Locator(".status")).ToHaveTextAsync(new System.Text.RegularExpressions.Regex("^(Sent|Delivered|Read)$"));
        await Expect(staff.GetByText("Online in the portal")).ToBeVisibleAsync();
    });

    [Fact]
    public Task StaffSeeWhenThePatientIsOnlineAndTyping() => RunAsync(async () =>
    {
        var (patient, thread, staff) = await OpenNewThreadAsync(22);
        // The portal lists a thread from its first message on.
        await SendAsync(staff, "Any questions before Friday?");
        await Expect(staff.GetByText("Online in the portal")).ToHaveCountAsync(0);
        var portal = await SignInAsync(patient.Email!);
        await Expect(staff.GetByText("Online in the portal")).ToBeVisibleAsync();
        await portal.GetByRole(AriaRole.Link, new() { Name = "Northside Family Dental" }).ClickAsync();

        await Composer(portal).PressSequentiallyAsync("I have a question");

        await Expect(staff.GetByText($"{patient.Name} is typing…")).ToBeVisibleAsync();
    });
}
