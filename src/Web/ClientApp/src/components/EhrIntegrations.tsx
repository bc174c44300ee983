import { useEffect, useRef, useState } from 'preact/hooks';
import { ApiError } from '../api';
import { integrationsApi, resourceLabels, scopeLabel, scopeParts, type IntegrationClient } from '../integrationsApi';
import type { Membership } from '../types';
import { ErrorAlert } from './ErrorAlert';
import { BusyButton } from './BusyButton';
import { ConfirmedButton } from './ConfirmedButton';
import { useFocusAfterRender } from './useFocusAfterRender';

type KeySource = 'jwks' | 'url';

/**
 * An Admin's EHR integrations for their clinic: each one signs in with SMART Backend Services using its own private key,
 * so the Admin registers only its public key (pasted JWKS, or the URL it serves one at) and the scopes it may ask for.
 */
export function EhrIntegrations({ clinic }: { clinic: Membership }) {
  const [clients, setClients] = useState<IntegrationClient[] | null>(null);
  const [offered, setOffered] = useState<string[]>([]);
  const [endpoints, setEndpoints] = useState<{ fhirBase: string; tokenEndpoint: string } | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [registered, setRegistered] = useState<IntegrationClient | null>(null);
  const titleId = `integrations-${clinic.clinicId}`;
  const revokedSummary = useRef<HTMLElement>(null);
  const focusAfterRender = useFocusAfterRender();

  /**
   * Loads the list; `justRegistered` is announced with it, in the same render. A list that does not come does not hide
   * it: its client id is shown nowhere else.
   */
  const load = (justRegistered?: IntegrationClient) => {
    // In the same callback as the list's state, so that both show in one render.
    const announce = () => justRegistered && setRegistered(justRegistered);
    return integrationsApi.list(clinic.clinicId).then(
      (list) => {
        setClients(list.items);
        setOffered(list.offeredScopes);
        setEndpoints({ fhirBase: list.fhirBase, tokenEndpoint: list.tokenEndpoint });
        announce();
      },
      () => {
        setError('Could not load the integrations.');
        announce();
      },
    );
  };
  useEffect(() => void load(), [clinic.clinicId]);

  const revoke = async (client: IntegrationClient) => {
    setError(null);
    try {
      await integrationsApi.revoke(clinic.clinicId, client.clientId);
      // "… is registered. Give its integrator the client id" no longer holds once it is revoked (found on a walk: it stood
      // beside "No integration is registered").
      setRegistered((shown) => (shown?.clientId === client.clientId ? null : shown));
      await load();
      // Its row, and the Revoke button pressed, went to the Revoked list: the keyboard follows it there instead of
      // falling to the page.
      focusAfterRender(() => revokedSummary.current);
    } catch {
      setError('Could not revoke the integration. Try again.');
    }
  };

  const active = clients?.filter((c) => !c.revokedAt) ?? [];
  const revoked = clients?.filter((c) => c.revokedAt) ?? [];
  return (
    <section class="preferences integrations" aria-labelledby={titleId}>
      <h2 id={titleId}>{clinic.clinicName || 'Clinic'} EHR integrations</h2>
      <p class="setting-help">
        Systems that send patients, appointments, invoices and prescriptions. Each signs in with its own key (SMART Backend Services); register only its
        public key here.
      </p>
      {endpoints && (
        // What an integrator needs besides its client id, for as long as the page is open (not only after registering).
        <dl class="integration-endpoints">
          <dt>FHIR base</dt>
          <dd>
            <code>{endpoints.fhirBase}</code>
          </dd>
          <dt>Token endpoint</dt>
          <dd>
            <code>{endpoints.tokenEndpoint}</code>
          </dd>
        </dl>
      )}
      {clients && active.length === 0 && <p class="setting-help">No integration is registered.</p>}
      {active.length > 0 && (
        <ul class="integration-list" aria-label="Integrations">
          {active.map((client) => (
            <IntegrationRow key={client.clientId} client={client} onRevoke={() => revoke(client)} />
          ))}
        </ul>
      )}
      {registered && (
        <div role="status" class="done integration-registered">
          <p>
            {registered.name} is registered. Give its integrator the client id <code>{registered.clientId}</code> and the token endpoint{' '}
            <code>{registered.tokenEndpoint}</code>.
          </p>
        </div>
      )}
      <RegisterIntegration
        clinicId={clinic.clinicId}
        offered={offered}
        onRegistered={(client) => {
          // Shown with the list that holds it, not before: "… is registered" stood above "No integration is registered"
          // until the list came back (found on a walk). An earlier registration's message goes at once.
          setRegistered(null);
          void load(client);
        }}
      />
      {revoked.length > 0 && (
        <details class="revoked-integrations">
          <summary ref={revokedSummary}>Revoked ({revoked.length})</summary>
          <ul class="integration-list" aria-label="Revoked integrations">
            {revoked.map((client) => (
              <IntegrationRow key={client.clientId} client={client} />
            ))}
          </ul>
        </details>
      )}
      <ErrorAlert message={error} />
    </section>
  );
}

function IntegrationRow({ client, onRevoke }: { client: IntegrationClient; onRevoke?: () => Promise<void> }) {
  return (
    <li class="setting">
      <div>
        <p class="setting-name">{client.name}</p>
        <p class="setting-help">
          Client id <code>{client.clientId}</code> · may {client.scopes.map(scopeLabel).join(', ')}
        </p>
        <p class="setting-help">
          Scopes to ask for: <code>{client.scopes.join(' ')}</code>
        </p>
        <p class="setting-help">
          {client.jwksUrl ? `Keys at ${client.jwksUrl}` : 'Public key registered'} · added {new Date(client.createdAt).toLocaleDateString()}
          {client.revokedAt && ` · revoked ${new Date(client.revokedAt).toLocaleDateString()}`}
        </p>
      </div>
      {onRevoke && (
        // Asked in place, as the Staff page asks before Deactivate, rather than in the browser's own dialog.
        <ConfirmedButton
          label={`Revoke ${client.name}`}
          question={`Revoke ${client.name}? It stops at once: its tokens no longer work and it cannot get new ones.`}
          confirmText="Yes, revoke"
          onConfirm={onRevoke}
        />
      )}
    </li>
  );
}

function RegisterIntegration({ clinicId, offered, onRegistered }: { clinicId: string; offered: string[]; onRegistered: (client: IntegrationClient) => void }) {
  const [name, setName] = useState('');
  const [scopes, setScopes] = useState<string[]>([]);
  const [source, setSource] = useState<KeySource>('jwks');
  const [jwks, setJwks] = useState('');
  const [url, setUrl] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const resources = [...new Set(offered.map((s) => scopeParts(s)[0]))];

  const toggle = (scope: string) => setScopes((current) => (current.includes(scope) ? current.filter((s) => s !== scope) : [...current, scope]));

  const submit = async (event: Event) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const client = await integrationsApi.register(clinicId, {
        name: name.trim(),
        scopes,
        jwks: source === 'jwks' ? jwks : null,
        jwksUrl: source === 'url' ? url.trim() : null,
      });
      setName('');
      setScopes([]);
      setJwks('');
      setUrl('');
      onRegistered(client);
    } catch (caught) {
      // The server's refusals are written for Admins (a private key pasted, a URL that serves no key, no scope).
      setError(caught instanceof ApiError && caught.status === 400 ? caught.message : 'Could not register the integration. Try again.');
    } finally {
      setBusy(false);
    }
  };

  return (
    <form class="integration-add" onSubmit={submit} aria-label="Register an integration">
      <h3>Register an integration</h3>
      <label class="field">
        <span>Name</span>
        <input value={name} maxLength={100} required onInput={(e) => setName(e.currentTarget.value)} placeholder="e.g. the EHR's name" />
      </label>
      <fieldset class="scope-grid">
        <legend>It may</legend>
        {resources.map((resource) => (
          <div class="scope-row" key={resource}>
            <span title={`FHIR ${resource}`}>{resourceLabels[resource] ?? resource}</span>
            {(['read', 'write'] as const).map((access) => {
              const scope = `system/${resource}.${access}`;
              return offered.includes(scope) ? (
                <label key={access}>
                  <input type="checkbox" checked={scopes.includes(scope)} onChange={() => toggle(scope)} /> {access}
                </label>
              ) : null;
            })}
          </div>
        ))}
      </fieldset>
      <fieldset class="key-source">
        <legend>Its public key</legend>
        <label>
          <input type="radio" name={`key-source-${clinicId}`} checked={source === 'jwks'} onChange={() => setSource('jwks')} /> Paste a JWKS
        </label>
        <label>
          <input type="radio" name={`key-source-${clinicId}`} checked={source === 'url'} onChange={() => setSource('url')} /> JWKS URL
        </label>
        {source === 'jwks' ? (
          <label class="field">
            <span>JWKS (public keys only)</span>
            <textarea rows={5} value={jwks} required spellcheck={false} onInput={(e) => setJwks(e.currentTarget.value)} placeholder='{"keys": [ … ]}' />
          </label>
        ) : (
          <label class="field">
            <span>JWKS URL</span>
            <input type="url" value={url} required onInput={(e) => setUrl(e.currentTarget.value)} placeholder="https://ehr.example/.well-known/jwks.json" />
          </label>
        )}
      </fieldset>
      <ErrorAlert message={error} />
      <BusyButton type="submit" busy={busy} unavailable={scopes.length === 0}>
        Register
      </BusyButton>
    </form>
  );
}
