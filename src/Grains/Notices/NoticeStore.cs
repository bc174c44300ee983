using ClinicChat.Staff;

namespace ClinicChat.Notices;

/// <summary>Where an outbox row stands. Stored as a number: never renumber.</summary>
public enum NoticeState
{
    Pending = 0,
    Sent = 1,
    Failed = 2,

    /// <summary>No channel configured (development): kept for the development outbox, never sent.</summary>
    Held = 3,

    /// <summary>A decision that sent nothing; the row makes it once-only.</summary>
    Suppressed = 4,
}

/// <summary>One outbox row as decided. <see cref="Address"/> is null for a suppressed decision.</summary>
public sealed record OutboxRow(
    Guid Id,
    Guid? PatientId,
    string? RecipientUserId,
    Guid? ClinicId,
    Guid? ConversationId,
    long? UpToSeq,
    NoticeChannel Channel,
    string Template,
    string? Address,
    string? Link,
    string? Code,
    DateTimeOffset DecidedAt,
    DateTimeOffset DueAt,
    NoticeState State,
    string? ErrorCode = null)
{
    /// <summary>
    /// An email about the user's own account (a reset link, a changed password, a two-step sign-in turned off): to
    /// them, due now, about no patient or thread. <paramref name="clinicId"/> is the clinic it is sent as, if any.
    /// </summary>
    public static OutboxRow AccountMail(string userId, Guid? clinicId, string template, string email, string link, string? code, DateTimeOffset now) =>
        new(Guid.NewGuid(), PatientId: null, userId, clinicId, ConversationId: null, UpToSeq: null,
            NoticeChannel.Email, template, email, link, code, DecidedAt: now, DueAt: now, NoticeState.Pending);
}

/// <summary>A row the dispatcher holds the lease on.</summary>
public sealed record ClaimedNotice(
    Guid Id, Guid? PatientId, Guid? ClinicId, Guid? ConversationId, NoticeChannel Channel, string Template, string Address, string? Link, string? Code, int Attempts);

/// <summary>SQL for notice decisions, choices, the outbox and its dispatcher, and the pending looks the sweeper wakes.</summary>
public sealed class NoticeStore(ChatDatabase database)
{
    private static readonly string ThreadTemplates = $"('{NoticeTemplates.NewMessage}', '{NoticeTemplates.Reply}')";

    /// <summary>Must equal the web tier's membership claim type (<c>ClinicChatIdentity.Membership</c>; a test holds them equal).</summary>
    public const string MembershipClaimType = "cc:membership";

    public static WriteUnit Queue(IReadOnlyList<OutboxRow> rows) => new(scope => QueueAsync(scope, rows));

    public static WriteUnit SaveChoice(Guid patientId, Guid clinicId, NoticeChoice choice, DateTimeOffset at) => new(async scope =>
    {
        var command = scope.Command(
            """
            INSERT INTO notice_preferences (patient_id, clinic_id, email, sms, sms_consent_at_ms, updated_at_ms)
            VALUES (@patient, @clinic, @email, @sms, @consent, @at)
            ON CONFLICT (patient_id, clinic_id) DO UPDATE
               SET email = excluded.email, sms = excluded.sms, sms_consent_at_ms = excluded.sms_consent_at_ms, updated_at_ms = excluded.updated_at_ms
            """);
        await command.With("@patient", patientId).With("@clinic", clinicId).With("@email", choice.Email).With("@sms", choice.Sms)
            .With("@consent", choice.SmsConsentAt).With("@at", at).ExecuteNonQueryAsync();
    });

    /// <summary>Records that the thread has an unread message for <paramref name="audience"/>; an earlier pending look stands.</summary>
    public static WriteUnit Pend(Guid conversationId, NoticeAudience audience, DateTimeOffset dueAt) => new(async scope =>
    {
        var command = scope.Command(
            "INSERT INTO notice_pending (conversation_id, audience, due_at_ms) VALUES (@conversation, @audience, @due) ON CONFLICT (conversation_id, audience) DO NOTHING");
        await command.With("@conversation", conversationId).With("@audience", (int)audience).With("@due", dueAt).ExecuteNonQueryAsync();
    });

    /// <summary>Moves a pending look (a later unread message after the reader caught up): due again at <paramref name="dueAt"/>.</summary>
    public static WriteUnit Repend(Guid conversationId, NoticeAudience audience, DateTimeOffset dueAt) => new(async scope =>
    {
        var command = scope.Command(
            """
            INSERT INTO notice_pending (conversation_id, audience, due_at_ms) VALUES (@conversation, @audience, @due)
            ON CONFLICT (conversation_id, audience) DO UPDATE SET due_at_ms = excluded.due_at_ms, lease_until_ms = NULL
            """);
        await command.With("@conversation", conversationId).With("@audience", (int)audience).With("@due", dueAt).ExecuteNonQueryAsync();
    });

    /// <summary>
    /// Every thread of the clinic in which a patient waits gets a staff look at <paramref name="dueAt"/> (moved there if it
    /// had one): after the clinic turns overdue emails on or changes its hours, each look reckons the wait anew.
    /// </summary>
    public static WriteUnit PendWaitingThreads(Guid clinicId, DateTimeOffset dueAt) => new(async scope =>
    {
        var command = scope.Command(
            """
            INSERT INTO notice_pending (conversation_id, audience, due_at_ms)
            SELECT id, @audience, @due FROM conversations WHERE clinic_id = @clinic AND waiting_since_ms IS NOT NULL AND archived = 0
            ON CONFLICT (conversation_id, audience) DO UPDATE SET due_at_ms = excluded.due_at_ms, lease_until_ms = NULL
            """);
        await command.With("@clinic", clinicId).With("@audience", (int)NoticeAudience.Staff).With("@due", dueAt).ExecuteNonQueryAsync();
    });

    public static WriteUnit Unpend(Guid conversationId, NoticeAudience audience) => new(async scope =>
    {
        var command = scope.Command(
            "DELETE FROM notice_pending WHERE conversation_id = @conversation AND audience = @audience");
        await command.With("@conversation", conversationId).With("@audience", (int)audience).ExecuteNonQueryAsync();
    });

    public static WriteUnit MarkSent(Guid id, string? providerId, DateTimeOffset at) =>
        Finish(id, NoticeState.Sent, at, providerId, errorCode: null);

    public static WriteUnit MarkFailed(Guid id, string errorCode, DateTimeOffset at) => Finish(id, NoticeState.Failed, at, null, errorCode);

    /// <summary>Held (development) rows keep their code: the development outbox is where a developer reads it.</summary>
    public static WriteUnit MarkHeld(Guid id, DateTimeOffset at) => Finish(id, NoticeState.Held, at, null, null, keepCode: true);

    /// <summary>A passing failure: back in the queue at <paramref name="dueAt"/>, lease released.</summary>
    public static WriteUnit MarkRetry(Guid id, string errorCode, DateTimeOffset dueAt) => new(async scope =>
    {
        var command = scope.Command(
            "UPDATE notice_outbox SET due_at_ms = @due, error_code = @error, lease_owner = NULL, lease_until_ms = NULL WHERE id = @id AND state = 0");
        await command.With("@id", id).With("@due", dueAt).With("@error", errorCode).ExecuteNonQueryAsync();
    });

    /// <summary>The thread's decision for exactly this stretch of unread messages, if it was made (idempotent decisions).</summary>
    public async Task<IReadOnlyList<(NoticeChannel Channel, string? ErrorCode)>> ReadDecisionAsync(Guid conversationId, long upToSeq)
    {
        await using var connection = await database.OpenAsync();
        await using var command = connection.Command(
            $"SELECT channel, error_code FROM notice_outbox WHERE conversation_id = @conversation AND up_to_seq = @seq AND template IN {ThreadTemplates}");
        command.With("@conversation", conversationId).With("@seq", upToSeq);
        List<(NoticeChannel, string?)> rows = [];
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            rows.Add(((NoticeChannel)reader.GetInt64(0), reader.IsDBNull(1) ? null : reader.GetString(1)));
        }

        return rows;
    }

    /// <summary>The last message a notice to the patient about this thread (sent or suppressed) covered: 0 when none.</summary>
    public async Task<long> LastDecidedSeqAsync(Guid conversationId)
    {
        await using var connection = await database.OpenAsync();
        await using var command = connection.Command(
            $"SELECT COALESCE(MAX(up_to_seq), 0) FROM notice_outbox WHERE conversation_id = @conversation AND template IN {ThreadTemplates}");
        return Convert.ToInt64(await command.With("@conversation", conversationId).ExecuteScalarAsync());
    }

    /// <summary>When staff were last told this thread is overdue (sent or suppressed); null when never. A wait that began later has not been.</summary>
    public async Task<DateTimeOffset?> LastStaffWaitingAtAsync(Guid conversationId)
    {
        await using var connection = await database.OpenAsync();
        await using var command = connection.Command(
            $"SELECT MAX(decided_at_ms) FROM notice_outbox WHERE conversation_id = @conversation AND template = '{NoticeTemplates.StaffWaiting}'");
        return await command.With("@conversation", conversationId).ExecuteScalarAsync() is long ms ? DateTimeOffset.FromUnixTimeMilliseconds(ms) : null;
    }

    /// <summary>
    /// The clinic's staff in <paramref name="roles"/> who have a confirmed email, one row per person and role: who hears
    /// that a patient waits, or of a mention (the caller picks among them by role, from one read).
    /// </summary>
    public async Task<IReadOnlyList<StaffAddress>> ReadStaffAsync(Guid clinicId, IReadOnlyCollection<StaffRole> roles)
    {
        await using var connection = await database.OpenAsync();
        await using var command = connection.CreateCommand();
        var names = roles.Distinct().Select((role, i) => { command.With($"@role{i}", StaffRules.MembershipValue(clinicId, role)); return $"@role{i}"; }).ToList();
        if (names.Count == 0)
        {
            return [];
        }

        command.CommandText =
            $"""
            SELECT DISTINCT u."Id", u."Email", c."ClaimValue" FROM "AspNetUserClaims" c JOIN "AspNetUsers" u ON u."Id" = c."UserId"
             WHERE c."ClaimType" = @type AND c."ClaimValue" IN ({string.Join(", ", names)}) AND u."EmailConfirmed" AND u."Email" IS NOT NULL
             ORDER BY u."Id"
            """;
        command.With("@type", MembershipClaimType);
        List<StaffAddress> staff = [];
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            // The query matched the claim to one of the roles asked for.
            staff.Add(new StaffAddress(reader.GetString(0), reader.GetString(1), StaffRules.RoleOf(reader.GetString(2))!.Value));
        }

        return staff;
    }

    /// <summary>Thread notices that went out to the patient since <paramref name="since"/>; one decision on two channels counts once.</summary>
    public async Task<int> CountThreadNoticesSinceAsync(Guid patientId, DateTimeOffset since)
    {
        await using var connection = await database.OpenAsync();
        await using var command = connection.Command(
            $"""
            SELECT COUNT(*) FROM (SELECT DISTINCT conversation_id, up_to_seq FROM notice_outbox
             WHERE patient_id = @patient AND decided_at_ms >= @since AND channel <> 0 AND template IN {ThreadTemplates}) decided
            """);
        return Convert.ToInt32(await command.With("@patient", patientId).With("@since", since).ExecuteScalarAsync());
    }

    /// <summary>
    /// The patient's portal account's verified email and mobile (Identity owns them: changing one is Identity's
    /// verification flow), and whether that mobile replied STOP.
    /// </summary>
    public async Task<NoticeContact> ReadContactAsync(Guid patientId)
    {
        await using var connection = await database.OpenAsync();
        await using var command = connection.Command(
            """
            SELECT CASE WHEN u."EmailConfirmed" THEN u."Email" END,
                   CASE WHEN u."PhoneNumberConfirmed" THEN u."PhoneNumber" END,
                   (SELECT COUNT(*) FROM sms_opt_outs o WHERE o.number = u."PhoneNumber")
              FROM patients p JOIN "AspNetUsers" u ON u."Id" = p.portal_user_id
             WHERE p.id = @patient
            """);
        command.With("@patient", patientId);
        await using var reader = await command.ExecuteReaderAsync();
        return await reader.ReadAsync()
            ? new NoticeContact(reader.IsDBNull(0) ? null : reader.GetString(0), reader.IsDBNull(1) ? null : reader.GetString(1), reader.GetInt64(2) > 0)
            : NoticeContact.None;
    }

    public async Task<IReadOnlyDictionary<Guid, NoticeChoice>> ReadChoicesAsync(Guid patientId)
    {
        await using var connection = await database.OpenAsync();
        await using var command = connection.Command("SELECT clinic_id, email, sms, sms_consent_at_ms FROM notice_preferences WHERE patient_id = @patient");
        command.With("@patient", patientId);
        var choices = new Dictionary<Guid, NoticeChoice>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            choices[Guid.Parse(reader.GetString(0))] = new NoticeChoice(
                reader.GetInt64(1) != 0, reader.GetInt64(2) != 0, reader.IsDBNull(3) ? null : DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(3)));
        }

        return choices;
    }

    /// <summary>Names and time zones of clinics (for wording and quiet hours).</summary>
    public async Task<IReadOnlyDictionary<Guid, (string Name, string? TimeZone)>> ReadClinicsAsync(IEnumerable<Guid> clinicIds)
    {
        var wanted = clinicIds.Distinct().ToList();
        var clinics = new Dictionary<Guid, (string, string?)>();
        if (wanted.Count == 0)
        {
            return clinics;
        }

        await using var connection = await database.OpenAsync();
        await using var command = connection.Command(
            $"SELECT id, name, time_zone FROM clinics WHERE id IN ({string.Join(", ", wanted.Select((_, i) => "@c" + i))})");
        for (var i = 0; i < wanted.Count; i++)
        {
            command.With("@c" + i, wanted[i]);
        }

        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            clinics[Guid.Parse(reader.GetString(0))] = (reader.GetString(1), reader.IsDBNull(2) ? null : reader.GetString(2));
        }

        return clinics;
    }

    /// <summary>
    /// Leases due pending looks to this node until <paramref name="leaseUntil"/> (another node's sweeper skips them) and
    /// answers them. A look whose conversation fails to answer is looked at again when the lease runs out.
    /// </summary>
    public async Task<IReadOnlyList<(Guid ConversationId, NoticeAudience Audience)>> ClaimDuePendingAsync(DateTimeOffset now, DateTimeOffset leaseUntil, int limit)
    {
        await using var connection = await database.OpenAsync();
        await using var command = connection.Command(
            $"""
            UPDATE notice_pending SET lease_until_ms = @until
             WHERE (conversation_id, audience) IN (
                   SELECT conversation_id, audience FROM notice_pending
                    WHERE due_at_ms <= @now AND (lease_until_ms IS NULL OR lease_until_ms < @now)
                    ORDER BY due_at_ms LIMIT @limit{database.Dialect.ClaimRows})
            RETURNING conversation_id, audience
            """);
        command.With("@now", now).With("@until", leaseUntil).With("@limit", limit);
        List<(Guid, NoticeAudience)> due = [];
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            due.Add((Guid.Parse(reader.GetString(0)), (NoticeAudience)reader.GetInt64(1)));
        }

        return due;
    }

    /// <summary>
    /// Leases due outbox rows to <paramref name="owner"/> and counts the attempt. Two nodes never hold the same row: the
    /// claim is one statement (and on PostgreSQL skips rows another node is claiming).
    /// </summary>
    public async Task<IReadOnlyList<ClaimedNotice>> ClaimDueNoticesAsync(string owner, DateTimeOffset now, DateTimeOffset leaseUntil, int limit)
    {
        await using var connection = await database.OpenAsync();
        await using var command = connection.Command(
            $"""
            UPDATE notice_outbox SET lease_owner = @owner, lease_until_ms = @until, attempts = attempts + 1
             WHERE id IN (
                   SELECT id FROM notice_outbox
                    WHERE state = 0 AND due_at_ms <= @now AND (lease_until_ms IS NULL OR lease_until_ms < @now)
                    ORDER BY due_at_ms LIMIT @limit{database.Dialect.ClaimRows})
            RETURNING id, patient_id, clinic_id, conversation_id, channel, template, address, link, code, attempts
            """);
        command.With("@owner", owner).With("@now", now).With("@until", leaseUntil).With("@limit", limit);
        List<ClaimedNotice> claimed = [];
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            claimed.Add(new ClaimedNotice(
                reader.GetGuid("id"), reader.GetNullableGuid("patient_id"), reader.GetNullableGuid("clinic_id"), reader.GetNullableGuid("conversation_id"),
                (NoticeChannel)reader.GetLong("channel"), reader.GetString(reader.GetOrdinal("template")), reader.GetString(reader.GetOrdinal("address")),
                reader.GetNullableString("link"), reader.GetNullableString("code"), (int)reader.GetLong("attempts")));
        }

        return claimed;
    }

    /// <summary>
    /// Embedded mode has one node: leases left by a process that died (kill -9 mid-send) are its own, so a restart takes
    /// them back at once instead of waiting for them to run out.
    /// </summary>
    public async Task ReleaseAllLeasesAsync()
    {
        await using var connection = await database.OpenAsync();
        await using var command = connection.Command(
            "UPDATE notice_outbox SET lease_owner = NULL, lease_until_ms = NULL WHERE state = 0 AND lease_until_ms IS NOT NULL; UPDATE notice_pending SET lease_until_ms = NULL WHERE lease_until_ms IS NOT NULL");
        await command.ExecuteNonQueryAsync();
    }

    private static async Task QueueAsync(WriteScope scope, IReadOnlyList<OutboxRow> rows)
    {
        var command = scope.Command(
            """
            INSERT INTO notice_outbox (id, patient_id, recipient_user_id, clinic_id, conversation_id, up_to_seq, channel, template, address, link, code,
                                       decided_at_ms, due_at_ms, state, error_code)
            VALUES (@id, @patient, @recipient, @clinic, @conversation, @seq, @channel, @template, @address, @link, @code, @decided, @due, @state, @error)
            ON CONFLICT DO NOTHING
            """);
        foreach (var row in rows)
        {
            command.Parameters.Clear();
            await command.With("@id", row.Id).With("@patient", row.PatientId).With("@recipient", row.RecipientUserId).With("@clinic", row.ClinicId)
                .With("@conversation", row.ConversationId).With("@seq", row.UpToSeq).With("@channel", (int)row.Channel).With("@template", row.Template)
                .With("@address", row.Address).With("@link", row.Link).With("@code", row.Code).With("@decided", row.DecidedAt).With("@due", row.DueAt)
                .With("@state", (int)row.State).With("@error", row.ErrorCode).ExecuteNonQueryAsync();
        }
    }

    /// <summary>A row leaves the queue: its lease and any verification code go with it (a code is never kept after sending).</summary>
    private static WriteUnit Finish(Guid id, NoticeState state, DateTimeOffset at, string? providerId, string? errorCode, bool keepCode = false) => new(async scope =>
    {
        var command = scope.Command(
            """
            UPDATE notice_outbox SET state = @state, sent_at_ms = @at, provider_id = COALESCE(@provider, provider_id), error_code = COALESCE(@error, error_code),
                   code = CASE WHEN @keep = 1 THEN code END, lease_owner = NULL, lease_until_ms = NULL
             WHERE id = @id AND state = 0
            """);
        await command.With("@id", id).With("@state", (int)state).With("@at", at).With("@provider", providerId).With("@error", errorCode).With("@keep", keepCode).ExecuteNonQueryAsync();
    });
}

/// <summary>A staff member's confirmed address and one of their roles at the clinic.</summary>
public sealed record StaffAddress(string UserId, string Email, StaffRole Role);
