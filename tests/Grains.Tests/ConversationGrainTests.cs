namespace ClinicChat.Tests;

[Collection(ClusterCollection.Name)]
public sealed class ConversationGrainTests(ClusterFixture fixture)
{
    private IGrainFactory Grains => fixture.Grains;

    [Fact]
    public async Task APatientsOwnSensitiveMessageComesBackToThemAsAPageWouldShowIt()
    {
        var scenario = await Scenario.CreateAsync(Grains);
        var thread = await scenario.ThreadAsync();
        var now = fixture.Clock.GetUtcNow();
        var verified = thread.Patient with { SensitiveUnlockedUntil = now.AddMinutes(5) };

        var locked = (await thread.Grain.SendAsync(thread.Patient, new SendMessage("p-1", "The rash has spread", Sensitive: true))).Value!.Message;
        var retried = (await thread.Grain.SendAsync(thread.Patient, new SendMessage("p-1", "The rash has spread", Sensitive: true))).Value!.Message;
        var open = (await thread.Grain.SendAsync(verified, new SendMessage("p-2", "And it itches", Sensitive: true))).Value!.Message;
        var page = (await thread.Grain.GetMessagesAsync(thread.Patient, new MessagePageQuery(null, null, 50))).Value!.Messages;

        Assert.Equal(("", true), (locked.Text, locked.Locked));
        Assert.Equal(("", true), (retried.Text, retried.Locked));
        Assert.Equal(("And it itches", false), (open.Text, open.Locked));
        Assert.All(page, m => Assert.Equal(("", true), (m.Text, m.Locked)));
    }

    [Fact]
    public async Task StaffAndPatientExchangeMessagesWithGaplessSeq()
    {
        var scenario = await Scenario.CreateAsync(Grains);
        var patientId = await scenario.PatientAsync();
        var clinician = scenario.Staff(StaffRole.Clinician);
        var conversation = Grains.GetGrain<IConversationGrain>(ConversationId.For(scenario.ClinicId, patientId));

        var started = await conversation.StartAsync(clinician, scenario.ClinicId, patientId);
        var first = await conversation.SendAsync(clinician, new SendMessage("c-1", "Hello Pat"));
        var reply = await conversation.SendAsync(Scenario.PatientActor(patientId), new SendMessage("p-1", "Hi!"));
        var page = await conversation.GetMessagesAsync(clinician, new MessagePageQuery(null, null, 50));

        Assert.True(started.Succeeded);
        Assert.Equal(1, first.Value!.Message.Seq);
        Assert.Equal(2, reply.Value!.Message.Seq);
        Assert.Equal(SenderKind.Patient, reply.Value.Message.SenderKind);
        Assert.Equal(["Hello Pat", "Hi!"], page.Value!.Messages.Select(m => m.Text));
    }

    [Fact]
    public async Task StartingAThreadTwiceOpensTheSameThreadOnce()
    {
        var scenario = await Scenario.CreateAsync(Grains);
        var thread = await scenario.ThreadAsync();
        var frontDesk = scenario.Staff(StaffRole.FrontDesk);

        var again = await thread.Grain.StartAsync(frontDesk, scenario.ClinicId, thread.PatientId);

        Assert.Equal(thread.Id, again.Value!.Id);
        Assert.Equal(1, await fixture.ScalarAsync("SELECT COUNT(*) FROM conversations WHERE id = @id", ("@id", thread.Id)));
        Assert.Equal(1, await fixture.AuditCountAsync(thread.Id, AuditActions.ConversationStarted));
    }

    [Fact]
    public async Task ARetriedSendReturnsTheOriginalMessageAndStoresItOnce()
    {
        var scenario = await Scenario.CreateAsync(Grains);
        var thread = await scenario.ThreadAsync();

        var first = await thread.Grain.SendAsync(thread.Clinician, new SendMessage("retry-1", "Your results are in"));
        var retry = await thread.Grain.SendAsync(thread.Clinician, new SendMessage("retry-1", "Your results are in"));

        Assert.False(first.Value!.WasDuplicate);
        Assert.True(retry.Value!.WasDuplicate);
        Assert.Equal(first.Value.Message, retry.Value.Message);
        Assert.Equal(1, await fixture.MessageCountAsync(thread.Id));
        Assert.Equal(1, await fixture.AuditCountAsync(thread.Id, AuditActions.MessageSent));
    }

    [Fact]
    public async Task ARetryThatReachesAFreshActivationIsStillStoredOnce()
    {
        var scenario = await Scenario.CreateAsync(Grains);
        var thread = await scenario.ThreadAsync();
        var original = await thread.SayAsync(thread.Patient, "Can I move my appointment?", "p-42");
        await thread.SayAsync(thread.Clinician, "Of course");

        await fixture.DeactivateAsync(thread.Grain);
        // A client retry may even carry different text: the stored message wins.
        var retry = await thread.Grain.SendAsync(thread.Patient, new SendMessage("p-42", "Can I move my appointment??"));
        var next = await thread.SayAsync(thread.Patient, "Thanks");

        Assert.True(retry.Value!.WasDuplicate);
        Assert.Equal(original, retry.Value.Message);
        Assert.Equal(3, next.Seq);
        Assert.Equal(3, await fixture.MessageCountAsync(thread.Id));
    }

    [Fact]
    public async Task EveryAnswerAboutAMessageCarriesTheTimeThatWasStored()
    {
        var scenario = await Scenario.CreateAsync(Grains);
        var thread = await scenario.ThreadAsync();
        // A real clock has sub-millisecond precision; storage keeps milliseconds.
        var subMillisecond = TimeSpan.FromTicks(1234);
        fixture.Clock.Advance(subMillisecond);
        try
        {
            var sent = await thread.Grain.SendAsync(thread.Patient, new SendMessage("p-1", "Hello"));
            var quickRetry = await thread.Grain.SendAsync(thread.Patient, new SendMessage("p-1", "Hello"));
            await fixture.DeactivateAsync(thread.Grain);
            var laterRetry = await thread.Grain.SendAsync(thread.Patient, new SendMessage("p-1", "Hello"));
            var page = await thread.Grain.GetMessagesAsync(thread.Clinician, new MessagePageQuery(null, null, 10));

            Assert.Equal(sent.Value!.Message, quickRetry.Value!.Message);
            Assert.Equal(sent.Value.Message, laterRetry.Value!.Message);
            Assert.Equal(sent.Value.Message, page.Value!.Messages.Single());
        }
        finally
        {
            // Leave the shared clock on a whole millisecond for the rest of the collection.
            fixture.Clock.Advance(TimeSpan.FromMilliseconds(1) - subMillisecond);
        }
    }

    [Fact]
    public async Task TheSameClientMessageIdFromTwoSendersIsTwoMessages()
    {
        var scenario = await Scenario.CreateAsync(Grains);
        var thread = await scenario.ThreadAsync();

        var fromStaff = await thread.Grain.SendAsync(thread.Clinician, new SendMessage("1", "Hello"));
        var fromPatient = await thread.Grain.SendAsync(thread.Patient, new SendMessage("1", "Hello"));

        Assert.False(fromPatient.Value!.WasDuplicate);
        Assert.Equal([1L, 2L], [fromStaff.Value!.Message.Seq, fromPatient.Value.Message.Seq]);
        Assert.Equal(2, await fixture.MessageCountAsync(thread.Id));
    }

    [Fact]
    public async Task ConcurrentSendsAndRetriesGetDistinctGaplessSeqs()
    {
        var scenario = await Scenario.CreateAsync(Grains);
        var thread = await scenario.ThreadAsync();
        var clientIds = Enumerable.Range(1, 20).Select(i => $"c-{i}").ToList();

        // Every message is sent twice at once, as a client that retries on a slow network would.
        var receipts = await Task.WhenAll(clientIds.Concat(clientIds).Select(id => thread.Grain.SendAsync(thread.Clinician, new SendMessage(id, $"Message {id}"))));

        var byClientId = receipts.Select(r => r.Value!).GroupBy(r => r.Message.ClientMessageId).ToList();
        Assert.All(byClientId, g => Assert.Single(g.Select(r => r.Message.Seq).Distinct()));
        Assert.All(byClientId, g => Assert.Single(g, r => !r.WasDuplicate));
        Assert.Equal(Seqs(1, 20), byClientId.Select(g => g.First().Message.Seq).Order());
        Assert.Equal(20, await fixture.MessageCountAsync(thread.Id));
    }

    [Fact]
    public async Task SeqContinuesWithoutGapsAfterTheGrainIsReactivated()
    {
        var scenario = await Scenario.CreateAsync(Grains);
        var thread = await scenario.ThreadAsync();
        for (var i = 1; i <= 3; i++)
        {
            await thread.SayAsync(thread.Clinician, $"Before {i}");
        }

        await fixture.DeactivateAsync(thread.Grain);
        var afterReactivation = new List<long>();
        for (var i = 1; i <= 2; i++)
        {
            afterReactivation.Add((await thread.SayAsync(thread.Patient, $"After {i}")).Seq);
        }

        var stored = await fixture.QueryAsync(
            "SELECT seq FROM messages WHERE conversation_id = @id ORDER BY seq", reader => reader.GetInt64(0), ("@id", thread.Id));
        var info = await thread.Grain.GetAsync(thread.Clinician);
        Assert.Equal([4L, 5L], afterReactivation);
        Assert.Equal([1L, 2L, 3L, 4L, 5L], stored);
        Assert.Equal(5, info.Value!.LastSeq);
    }

    [Fact]
    public async Task TextIsStoredAndReturnedVerbatim()
    {
        const string text = "<script>alert(1)</script>\n  two  spaces & ünïcödé 👩‍⚕️";
        var scenario = await Scenario.CreateAsync(Grains);
        var thread = await scenario.ThreadAsync();

        var sent = await thread.SayAsync(thread.Clinician, text);
        var page = await thread.Grain.GetMessagesAsync(thread.Patient, new MessagePageQuery(null, null, 10));
        var stored = await fixture.QueryAsync(
            "SELECT text FROM messages WHERE conversation_id = @id", reader => reader.GetString(0), ("@id", thread.Id));

        Assert.Equal(Encoding.UTF8.GetBytes(text), Encoding.UTF8.GetBytes(sent.Text));
        Assert.Equal(Encoding.UTF8.GetBytes(text), Encoding.UTF8.GetBytes(page.Value!.Messages.Single().Text));
        Assert.Equal(Encoding.UTF8.GetBytes(text), Encoding.UTF8.GetBytes(stored.Single()));
    }

    [Fact]
    public async Task AnInvalidSendIsRejectedAndNothingIsStored()
    {
        var scenario = await Scenario.CreateAsync(Grains);
        var thread = await scenario.ThreadAsync();

        var blank = await thread.Grain.SendAsync(thread.Clinician, new SendMessage("c-1", "   "));
        var tooLong = await thread.Grain.SendAsync(thread.Clinician, new SendMessage("c-2", new string('a', MessageRules.MaxTextLength + 1)));
        var badId = await thread.Grain.SendAsync(thread.Clinician, new SendMessage("not ok", "Hello"));

        Assert.Equal(ChatErrorCode.Validation, blank.Error?.Code);
        Assert.Equal(ChatErrorCode.Validation, tooLong.Error?.Code);
        Assert.Equal(ChatErrorCode.Validation, badId.Error?.Code);
        Assert.Equal(0, await fixture.MessageCountAsync(thread.Id));
    }

    [Fact]
    public async Task PagesWalkBackwardFromTheNewestAndForwardFromASeq()
    {
        var scenario = await Scenario.CreateAsync(Grains);
        var thread = await scenario.ThreadAsync();
        for (var i = 1; i <= 25; i++)
        {
            await thread.SayAsync(i % 2 == 0 ? thread.Patient : thread.Clinician, $"Message {i}");
        }

        var newest = (await thread.Grain.GetMessagesAsync(thread.Clinician, new MessagePageQuery(null, null, 10))).Value!;
        var older = (await thread.Grain.GetMessagesAsync(thread.Clinician, new MessagePageQuery(null, 16, 10))).Value!;
        var newer = (await thread.Grain.GetMessagesAsync(thread.Patient, new MessagePageQuery(20, null, 10))).Value!;

        Assert.Equal(Seqs(16, 25), newest.Messages.Select(m => m.Seq));
        Assert.True(newest.HasMore);
        Assert.Equal(25, newest.LastSeq);
        Assert.Equal(Seqs(6, 15), older.Messages.Select(m => m.Seq));
        Assert.True(older.HasMore);
        Assert.Equal(Seqs(21, 25), newer.Messages.Select(m => m.Seq));
        Assert.False(newer.HasMore);
        Assert.Equal("Message 21", newer.Messages[0].Text);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(201)]
    public async Task PageLimitsOutsideOneTo200AreRejected(int limit)
    {
        var scenario = await Scenario.CreateAsync(Grains);
        var thread = await scenario.ThreadAsync();

        var page = await thread.Grain.GetMessagesAsync(thread.Clinician, new MessagePageQuery(null, null, limit));

        Assert.Equal(ChatErrorCode.Validation, page.Error?.Code);
    }

    [Fact]
    public async Task TheReadCursorOnlyMovesForwardAndStopsAtTheLastMessage()
    {
        var scenario = await Scenario.CreateAsync(Grains);
        var thread = await scenario.ThreadAsync();
        for (var i = 1; i <= 8; i++)
        {
            await thread.SayAsync(thread.Patient, $"Message {i}");
        }

        var five = await thread.Grain.AcknowledgeAsync(thread.Clinician, new ReceiptAck(null, 5));
        var backToThree = await thread.Grain.AcknowledgeAsync(thread.Clinician, new ReceiptAck(null, 3));
        var beyondTheEnd = await thread.Grain.AcknowledgeAsync(thread.Clinician, new ReceiptAck(null, 1_000));
        var negative = await thread.Grain.AcknowledgeAsync(thread.Clinician, new ReceiptAck(null, -1));

        Assert.Equal(5, five.Value?.ReadUpTo);
        Assert.Equal(5, backToThree.Value?.ReadUpTo);
        Assert.Equal(8, beyondTheEnd.Value?.ReadUpTo);
        Assert.Equal(ChatErrorCode.Validation, negative.Error?.Code);
        Assert.Equal(8, await fixture.ScalarAsync(
            "SELECT read_seq FROM receipt_cursors WHERE conversation_id = @id AND reader_id = @reader", ("@id", thread.Id), ("@reader", thread.Clinician.UserId)));
    }

    [Fact]
    public async Task EachReaderHasTheirOwnReadCursor()
    {
        var scenario = await Scenario.CreateAsync(Grains);
        var thread = await scenario.ThreadAsync();
        await thread.SayAsync(thread.Patient, "One");
        await thread.SayAsync(thread.Patient, "Two");

        await thread.Grain.AcknowledgeAsync(thread.Clinician, new ReceiptAck(null, 2));
        var frontDeskCursor = await thread.Grain.AcknowledgeAsync(scenario.Staff(StaffRole.FrontDesk), new ReceiptAck(null, 1));

        Assert.Equal(1, frontDeskCursor.Value?.ReadUpTo);
    }

    [Fact]
    public async Task ASeqTakenBehindTheGrainsBackIsCaughtUpAndTheRetryStoresOnce()
    {
        var scenario = await Scenario.CreateAsync(Grains);
        var thread = await scenario.ThreadAsync();
        await thread.SayAsync(thread.Clinician, "one");
        await using (var connection = await fixture.Database.OpenAsync())
        {
            await using var insert = connection.CreateCommand();
            insert.CommandText =
                "INSERT INTO messages (conversation_id, seq, client_message_id, sender_id, sender_kind, sender_name, text, sent_at_ms) VALUES (@id, 2, 'elsewhere', 'other-activation', 0, 'Other', 'written elsewhere', 0)";
            var parameter = insert.CreateParameter();
            parameter.ParameterName = "@id";
            parameter.Value = thread.Id.ToString();
            insert.Parameters.Add(parameter);
            await insert.ExecuteNonQueryAsync();
        }

        var clash = await thread.Grain.SendAsync(thread.Clinician, new SendMessage("c-clash", "two"));
        var retry = await thread.Grain.SendAsync(thread.Clinician, new SendMessage("c-clash", "two"));

        Assert.Equal(ChatErrorCode.RetryLater, clash.Error?.Code);
        Assert.Equal((3L, false), (retry.Value!.Message.Seq, retry.Value.WasDuplicate));
        Assert.Equal(3, await fixture.MessageCountAsync(thread.Id));
    }

    private static long[] Seqs(int from, int to) => [.. Enumerable.Range(from, to - from + 1).Select(i => (long)i)];
}
