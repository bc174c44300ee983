using Microsoft.Extensions.DependencyInjection;

namespace ClinicChat.Integrations;

/// <summary>
/// The deployment's integration clients, all in memory (tens of rows): registering and revoking write through to the
/// database with their audit rows; the token endpoint and every bearer request read memory only, so an unknown client
/// id costs nothing and a revocation is seen by the very next request, on any web node.
/// </summary>
public sealed class IntegrationClientsGrain(
    IntegrationStore store,
    GroupCommitWriter writer,
    [FromKeyedServices(ChatTime.Key)] TimeProvider time) : Grain, IIntegrationClientsGrain
{
    private Dictionary<string, IntegrationClient> _clients = new(StringComparer.Ordinal);

    public override async Task OnActivateAsync(CancellationToken cancellationToken) =>
        _clients = (await store.AllAsync()).ToDictionary(c => c.ClientId, StringComparer.Ordinal);

    public async Task<Outcome<IntegrationClient>> RegisterAsync(Actor actor, Guid clinicId, NewIntegrationClient request)
    {
        if (await RefuseAsync(actor, clinicId, "integrations.register") is { } refused)
        {
            return refused;
        }

        if (IntegrationRules.Validate(request) is { } invalid)
        {
            return invalid;
        }

        if (_clients.Values.Count(c => c.ClinicId == clinicId && c.IsActive) >= IntegrationLimits.MaxClientsPerClinic)
        {
            return ChatError.Invalid("name", $"A clinic has at most {IntegrationLimits.MaxClientsPerClinic} integrations; revoke one it no longer uses.");
        }

        var now = time.GetUtcNow();
        var client = new IntegrationClient(
            Guid.NewGuid().ToString("N"), clinicId, request.Name.Trim(), [.. request.Scopes.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)],
            string.IsNullOrWhiteSpace(request.Jwks) ? null : request.Jwks, string.IsNullOrWhiteSpace(request.JwksUrl) ? null : request.JwksUrl.Trim(),
            now, actor.UserId, null);
        await writer.WriteAsync(IntegrationStore.Add(client).Then(AuditLog.Append(now, new AuditEvent(
            AuditActions.IntegrationRegistered, actor.UserId, clinicId, null, null, AuditOutcomes.Success,
            $"client={client.ClientId};scopes={string.Join(' ', client.Scopes)}"))));
        _clients[client.ClientId] = client;
        return client;
    }

    public async Task<Outcome<IReadOnlyList<IntegrationClient>>> ListAsync(Actor actor, Guid clinicId)
    {
        if (await RefuseAsync(actor, clinicId, "integrations.list") is { } refused)
        {
            return refused;
        }

        return _clients.Values.Where(c => c.ClinicId == clinicId).OrderBy(c => c.RevokedAt is not null).ThenBy(c => c.Name, StringComparer.CurrentCultureIgnoreCase).ToList();
    }

    public async Task<Outcome<IntegrationClient>> RevokeAsync(Actor actor, Guid clinicId, string clientId)
    {
        if (await RefuseAsync(actor, clinicId, "integrations.revoke") is { } refused)
        {
            return refused;
        }

        if (!_clients.TryGetValue(clientId, out var client) || client.ClinicId != clinicId)
        {
            return await GrainFactory.DenyAsync(actor, clinicId, null, null, "integrations.unknown");
        }

        if (!client.IsActive)
        {
            return client;
        }

        var now = time.GetUtcNow();
        await writer.WriteAsync(IntegrationStore.Revoke(clientId, now).Then(AuditLog.Append(now, new AuditEvent(
            AuditActions.IntegrationRevoked, actor.UserId, clinicId, null, null, AuditOutcomes.Success, $"client={clientId}"))));
        return _clients[clientId] = client with { RevokedAt = now };
    }

    public Task<IntegrationClient?> FindActiveAsync(string clientId) =>
        Task.FromResult(_clients.TryGetValue(clientId, out var client) && client.IsActive ? client : null);

    public Task<bool> IsActiveAsync(string clientId) => Task.FromResult(_clients.TryGetValue(clientId, out var client) && client.IsActive);

    public async Task<Outcome<IntegrationClient>> IssueTokenAsync(IntegrationTokenRequest request)
    {
        if (!_clients.TryGetValue(request.ClientId, out var client) || !client.IsActive)
        {
            return await DenyTokenAsync(request, null, "integrations.token;client");
        }

        var notGranted = request.Scopes.Where(s => !client.Scopes.Contains(s, StringComparer.Ordinal)).ToList();
        if (request.Scopes.Count == 0 || notGranted.Count > 0)
        {
            await DenyTokenAsync(request, client, "integrations.token;scope");
            return ChatError.Invalid("scope", notGranted.Count > 0
                ? $"This client was not granted {string.Join(", ", notGranted)}."
                : "Ask for the scopes this token needs (scope), from those the clinic granted this client.");
        }

        var now = time.GetUtcNow();
        var audit = AuditLog.Append(now, new AuditEvent(AuditActions.IntegrationSignedIn, client.ActorId, client.ClinicId, null, null, AuditOutcomes.Success,
            $"scopes={string.Join(' ', request.Scopes)}"));
        if (!await writer.WriteAsync(IntegrationStore.UseAssertion(client.ClientId, request.AssertionId, request.AssertionExpiresAt, now, audit)))
        {
            return await DenyTokenAsync(request, client, "integrations.token;replayed");
        }

        return client;
    }

    private async Task<ChatError> DenyTokenAsync(IntegrationTokenRequest request, IntegrationClient? client, string detail)
    {
        await GrainFactory.RecordDeniedAsync(new AuditEvent(AuditActions.AccessDenied, IntegrationGrant.ActorIdOf(request.ClientId), client?.ClinicId, null, null,
            AuditOutcomes.Denied, detail));
        return ChatError.NotFound();
    }

    /// <summary>Integrations are the clinic's Admins' to manage; other staff of the clinic are told so, anyone else gets 404.</summary>
    private async Task<ChatError?> RefuseAsync(Actor actor, Guid clinicId, string detail) =>
        actor.HasRoleAt(clinicId, StaffRole.Admin)
            ? null
            : await GrainFactory.DenyAsync(actor, clinicId, null, null, detail, actor.IsOf(clinicId)
                ? new ChatError(ChatErrorCode.Forbidden, "Only the clinic's Admins may manage its integrations.")
                : null);
}
