using System.Data.Common;

namespace ClinicChat.Audit;

/// <summary>One stored audit row.</summary>
public sealed record AuditRecord(long Id, string Chain, DateTimeOffset OccurredAt, AuditEvent Event, string PrevHash, string Hash)
{
    public AuditEntry ToEntry() => new(Id, OccurredAt, Event);
}

/// <summary>Filters for a page of one chain, newest first; <c>Before</c> is the keyset cursor (a row id).</summary>
public sealed record AuditQuery(
    string Chain, Guid? PatientId = null, string? ActorId = null, string? Action = null,
    DateTimeOffset? From = null, DateTimeOffset? To = null, long? Before = null, int Limit = 50);

/// <summary>
/// Reads the audit log: pages for the Admin page, ranges for export, and the verification walk.
/// Everything is read in id order in bounded pages, so no chain is ever held in memory whole.
/// </summary>
public sealed class AuditStore(ChatDatabase database)
{
    public const int PageSize = 1000;

    // Optional filters are typed in the SQL: PostgreSQL cannot infer the type of a NULL parameter.
    private const string TimeRange = """
        AND (CAST(@from AS BIGINT) IS NULL OR occurred_at_ms >= CAST(@from AS BIGINT))
        AND (CAST(@to AS BIGINT) IS NULL OR occurred_at_ms < CAST(@to AS BIGINT))
        """;

    private const string Columns = "id, chain, occurred_at_ms, action, actor_id, clinic_id, patient_id, conversation_id, outcome, detail, prev_hash, hash";

    /// <summary>A page of <paramref name="query"/>'s rows, newest first, before its <c>Before</c> cursor.</summary>
    public async Task<IReadOnlyList<AuditRecord>> ListAsync(AuditQuery query, CancellationToken cancellationToken = default) =>
        await ReadAsync(query, ("id < @before", "@before", query.Before), "DESC", cancellationToken);

    /// <summary>Up to <c>Limit</c> of <paramref name="query"/>'s rows after row <paramref name="afterId"/>, oldest first (one export chunk).</summary>
    public async Task<List<AuditRecord>> PageAfterAsync(AuditQuery query, long afterId, CancellationToken cancellationToken = default) =>
        await ReadAsync(query, ("id > @after", "@after", afterId), "ASC", cancellationToken);

    private async Task<List<AuditRecord>> ReadAsync(
        AuditQuery query, (string Condition, string Name, long? Value) cursor, string order, CancellationToken cancellationToken)
    {
        // Only the filters asked for are in the statement: "@patient IS NULL OR patient_id = @patient" is one plan for
        // every value, which can use neither the patient's nor the actor's index and so walked the clinic's whole chain.
        List<(string Condition, string Name, object Value)> filters = [];
        AddFilter(cursor.Condition, cursor.Name, cursor.Value);
        AddFilter("patient_id = @patient", "@patient", query.PatientId);
        AddFilter("actor_id = @actor", "@actor", query.ActorId);
        AddFilter("action = @action", "@action", query.Action);
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.Command(
            $"""
            SELECT {Columns} FROM audit_log
            WHERE chain = @chain{string.Concat(filters.Select(f => " AND " + f.Condition))}
              {TimeRange}
            ORDER BY id {order}
            LIMIT @limit
            """);
        Bind(command, query.Chain, query.From, query.To).With("@limit", query.Limit);
        foreach (var (_, name, value) in filters)
        {
            command.With(name, value);
        }

        return await ReadAllAsync(command, cancellationToken);

        void AddFilter(string condition, string name, object? value)
        {
            if (value is not null)
            {
                filters.Add((condition, name, value));
            }
        }
    }

    /// <summary>The chains that have rows ('' is the chain of events that belong to no clinic), in order.</summary>
    /// <remarks>
    /// One seek per chain through <c>ix_audit_log_chain</c>, each for the next chain after the last: <c>SELECT DISTINCT</c>
    /// read the whole index on both databases (0.18 s per million rows in SQLite), and the checkpoint service asks hourly.
    /// </remarks>
    public async Task<IReadOnlyList<string>> ChainsAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.Command(
            """
            WITH RECURSIVE chains (chain) AS (
                SELECT MIN(chain) FROM audit_log
                UNION ALL
                SELECT (SELECT MIN(a.chain) FROM audit_log a WHERE a.chain > c.chain) FROM chains c WHERE c.chain IS NOT NULL)
            SELECT chain FROM chains WHERE chain IS NOT NULL ORDER BY chain
            """);
        var chains = new List<string>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            chains.Add(reader.GetString(0));
        }

        return chains;
    }

    /// <summary>Walks one chain in id order, page by page, through <see cref="AuditChainVerifier"/>.</summary>
    public async Task<AuditVerification> VerifyAsync(string chain, AuditCheckpointSigner signer, CancellationToken cancellationToken = default)
    {
        // Checkpoints are few (one per interval or verification, not per row); rows are read in pages.
        var verifier = new AuditChainVerifier(chain, await CheckpointsAsync(chain, cancellationToken), signer);
        if (verifier.CheckSignatures() is { } forged)
        {
            return forged;
        }

        long after = 0;
        while (true)
        {
            var page = await PageAfterAsync(new AuditQuery(chain, Limit: PageSize), after, cancellationToken);
            foreach (var row in page)
            {
                if (verifier.Accept(row) is { } broken)
                {
                    return broken;
                }
            }

            if (page.Count < PageSize)
            {
                return verifier.Finish();
            }

            after = page[^1].Id;
        }
    }

    private async Task<List<AuditCheckpoint>> CheckpointsAsync(string chain, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.Command(
            "SELECT id, chain, up_to_id, hash, signature, created_at_ms FROM audit_checkpoints WHERE chain = @chain ORDER BY up_to_id, id");
        command.With("@chain", chain);
        var checkpoints = new List<AuditCheckpoint>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            checkpoints.Add(new AuditCheckpoint(reader.GetInt64(0), reader.GetString(1), reader.GetInt64(2), reader.GetString(3), reader.GetString(4), reader.GetInt64(5)));
        }

        return checkpoints;
    }

    private static DbCommand Bind(DbCommand command, string chain, DateTimeOffset? from, DateTimeOffset? to) =>
        command.With("@chain", chain).With("@from", from).With("@to", to);

    private static async Task<List<AuditRecord>> ReadAllAsync(DbCommand command, CancellationToken cancellationToken)
    {
        var rows = new List<AuditRecord>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            rows.Add(new AuditRecord(
                reader.GetLong("id"),
                reader.GetString(reader.GetOrdinal("chain")),
                reader.GetTime("occurred_at_ms"),
                new AuditEvent(
                    reader.GetString(reader.GetOrdinal("action")),
                    reader.GetString(reader.GetOrdinal("actor_id")),
                    reader.GetNullableGuid("clinic_id"),
                    reader.GetNullableGuid("patient_id"),
                    reader.GetNullableGuid("conversation_id"),
                    reader.GetString(reader.GetOrdinal("outcome")),
                    reader.GetNullableString("detail")),
                reader.GetString(reader.GetOrdinal("prev_hash")),
                reader.GetString(reader.GetOrdinal("hash"))));
        }

        return rows;
    }
}
