import { useEffect, useState } from 'preact/hooks';
import { ApiError } from '../api';
import { passkeyCancelled, passkeysApi, passkeysSupported, type Passkey } from '../passkeysApi';
import { ErrorAlert } from './ErrorAlert';
import { ReauthenticateDialog } from './ReauthenticateDialog';
import { BusyButton } from './BusyButton';

interface Props {
  /** Until when this session's "Verify it's you" window is open; null while closed. Adding and removing need it. */
  verifiedUntil: string | null;
  reauthenticate: (password: string) => Promise<void>;
  reauthenticateWithPasskey: () => Promise<void>;
}

type Pending = { kind: 'add'; name: string } | { kind: 'remove'; passkey: Passkey };

/**
 * "Passkeys": sign in (and verify it's you) with Face ID, a fingerprint or the device's PIN instead of the password.
 * Lists the person's passkeys by the names they gave them; adding or removing one asks for "Verify it's you" first.
 */
export function PasskeySettings({ verifiedUntil, reauthenticate, reauthenticateWithPasskey }: Props) {
  const [passkeys, setPasskeys] = useState<Passkey[] | null>(null);
  const [name, setName] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [verifyingFor, setVerifyingFor] = useState<Pending | null>(null);

  useEffect(() => {
    passkeysApi.list().then(setPasskeys, () => setError('Could not load your passkeys.'));
  }, []);

  const verified = verifiedUntil !== null && new Date(verifiedUntil).getTime() > Date.now();

  const run = async (pending: Pending, afterVerifying = false) => {
    if (!verified && !afterVerifying) {
      setVerifyingFor(pending);
      return;
    }
    setBusy(true);
    setError(null);
    setDone(null);
    try {
      if (pending.kind === 'add') {
        const added = await passkeysApi.add(pending.name);
        setPasskeys((current) => [added, ...(current ?? [])]);
        setName('');
        setDone(`Passkey "${added.name}" added.`);
      } else {
        await passkeysApi.remove(pending.passkey.id);
        setPasskeys((current) => (current ?? []).filter((p) => p.id !== pending.passkey.id));
        setDone(`Passkey "${pending.passkey.name}" removed.`);
      }
    } catch (caught) {
      if (caught instanceof ApiError && caught.code === 'sensitive_locked') {
        setVerifyingFor(pending);
      } else if (passkeyCancelled(caught)) {
        setError('No passkey was made. Try again when your device asks.');
      } else {
        setError(caught instanceof ApiError ? caught.message : 'Something went wrong. Try again.');
      }
    } finally {
      setBusy(false);
    }
  };

  const add = (event: Event) => {
    event.preventDefault();
    const trimmed = name.trim();
    if (trimmed.length === 0) {
      setError('Give the passkey a name, such as "My phone".');
      return;
    }
    void run({ kind: 'add', name: trimmed });
  };

  return (
    <section class="preferences passkey-settings" aria-labelledby="passkeys-title">
      <h2 id="passkeys-title">Passkeys</h2>
      <p class="setting-help">Sign in, and open sensitive messages, with Face ID, a fingerprint or your device's PIN instead of your password.</p>
      {passkeys !== null && passkeys.length === 0 && <p>You have no passkeys yet.</p>}
      {passkeys !== null && passkeys.length > 0 && (
        <ul class="passkey-list" aria-label="Your passkeys">
          {passkeys.map((passkey) => (
            <li key={passkey.id} class="setting">
              <div>
                <p class="setting-name">{passkey.name}</p>
                <p class="setting-help">Added {new Date(passkey.createdAt).toLocaleDateString()}</p>
              </div>
              <BusyButton busy={busy} aria-label={`Remove passkey ${passkey.name}`} onClick={() => void run({ kind: 'remove', passkey })}>
                Remove
              </BusyButton>
            </li>
          ))}
        </ul>
      )}
      {passkeysSupported() ? (
        <form class="passkey-add" onSubmit={add}>
          <label class="field">
            Passkey name
            <input type="text" maxLength={64} placeholder="My phone" value={name} onInput={(e) => setName(e.currentTarget.value)} />
          </label>
          <BusyButton type="submit" busy={busy}>
            Add a passkey
          </BusyButton>
        </form>
      ) : (
        <p class="setting-help">This browser cannot make passkeys.</p>
      )}
      <ErrorAlert message={error} />
      {done && (
        <p role="status" class="done">
          {done}
        </p>
      )}
      {verifyingFor !== null && (
        <ReauthenticateDialog
          reauthenticate={reauthenticate}
          reauthenticateWithPasskey={reauthenticateWithPasskey}
          purpose={verifyingFor.kind === 'add' ? 'Enter your password to add a passkey.' : 'Enter your password to remove a passkey.'}
          onVerified={() => void run(verifyingFor, true)}
          onClose={() => setVerifyingFor(null)}
        />
      )}
    </section>
  );
}
