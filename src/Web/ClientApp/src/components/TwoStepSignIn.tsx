import { useEffect, useState } from 'preact/hooks';
import { api, ApiError } from '../api';
import type { Me, TotpSetup, TotpStatus } from '../types';
import { ErrorAlert } from './ErrorAlert';
import { OneTimeCodeInput } from './OneTimeCodeInput';
import { QrCode } from './QrCode';
import { BusyButton } from './BusyButton';
import { maxPasswordLength } from '../logic/passwords';

/**
 * Staff: set up an authenticator app (shared key and otpauth link, confirmed with a code), or turn
 * it off with the password. Setting it up or turning it off signs out the user's other sessions.
 */
export function TwoStepSignIn({ onChanged }: { onChanged: (me: Me | null) => void }) {
  const [status, setStatus] = useState<TotpStatus | null>(null);
  const [setup, setSetup] = useState<TotpSetup | null>(null);
  const [code, setCode] = useState('');
  const [password, setPassword] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  /** Recovery codes just made, shown until the person says they saved them; with the session to go on with after set-up. */
  const [codes, setCodes] = useState<{ list: string[]; then: Me | null } | null>(null);

  useEffect(() => {
    api.totpStatus().then(setStatus, () => setError('Could not load your sign-in settings.'));
  }, []);

  const run = async (action: () => Promise<void>, failure: (caught: unknown) => string) => {
    setBusy(true);
    setError(null);
    setNotice(null);
    try {
      await action();
    } catch (caught) {
      setError(failure(caught));
    } finally {
      setBusy(false);
    }
  };

  const start = () =>
    run(
      async () => setSetup(await api.setUpTotp()),
      () => 'Could not start the setup. Try again.',
    );

  const confirm = (event: Event) => {
    event.preventDefault();
    return run(
      async () => {
        const me = await api.enableTotp(code);
        setSetup(null);
        setCode('');
        setNotice('Two-step sign-in is on. From now on you sign in with your password and a code.');
        // The codes before anything else (a clinic that requires two-step sign-in moves on to the chat after this).
        const made = await api.newRecoveryCodes().catch(() => null);
        setStatus((s) => ({ enabled: true, requiredByClinic: s?.requiredByClinic ?? false, recoveryCodesLeft: made?.codes.length ?? 0 }));
        if (made) {
          setCodes({ list: [...made.codes], then: me });
        } else {
          setError('Recovery codes could not be made now: make them below, under “Make new recovery codes”.');
          onChanged(me);
        }
      },
      (caught) => (caught instanceof ApiError && (caught.code === 'invalid_totp_code' || caught.status === 400) ? 'That code is not right. Enter the code the app shows now.' : 'Could not turn it on. Try again.'),
    );
  };

  const turnOff = (event: Event) => {
    event.preventDefault();
    return run(
      async () => {
        await api.disableTotp(password);
        setPassword('');
        setStatus((s) => ({ enabled: false, requiredByClinic: s?.requiredByClinic ?? false, recoveryCodesLeft: 0 }));
        setNotice('Two-step sign-in is off.');
        onChanged(null);
      },
      (caught) =>
        caught instanceof ApiError && caught.code === 'totp_required_by_clinic'
          ? 'Your clinic requires two-step sign-in: it cannot be turned off.'
          : caught instanceof ApiError && caught.status === 401
            ? 'That password is not right.'
            : 'Could not turn it off. Try again.',
    );
  };

  const newCodes = () =>
    run(
      async () => {
        const made = await api.newRecoveryCodes();
        setStatus((s) => (s ? { ...s, recoveryCodesLeft: made.codes.length } : s));
        setCodes({ list: [...made.codes], then: null });
      },
      () => 'Could not make new recovery codes. Try again.',
    );

  const saved = () => {
    const then = codes?.then ?? null;
    setCodes(null);
    setNotice(null);
    if (then) {
      onChanged(then);
    }
  };

  if (codes) {
    return (
      <section class="preferences" aria-labelledby="recovery-codes-title">
        <h2 id="recovery-codes-title">Your recovery codes</h2>
        {notice && <p role="status">{notice}</p>}
        <p class="setting-help">
          If you lose your phone, sign in with your password and one of these codes instead of a code from the app. Each works once. Keep them
          somewhere safe away from your phone (print them, or keep them in a password manager): they are shown only now.
        </p>
        <ol class="recovery-codes" aria-label="Recovery codes">
          {codes.list.map((c) => (
            <li key={c}>
              <code>{c}</code>
            </li>
          ))}
        </ol>
        <button type="button" onClick={saved}>
          I have saved my recovery codes
        </button>
      </section>
    );
  }

  return (
    <section class="preferences" aria-labelledby="two-step-title">
      <h2 id="two-step-title">Two-step sign-in</h2>
      <p class="setting-help">
        {status === null
          ? 'Loading…'
          : status.enabled
            ? 'On: you sign in with your password and a code from your authenticator app.'
            : 'Off: add a code from an authenticator app to your password when you sign in.'}
        {status?.requiredByClinic && ' Your clinic requires it.'}
      </p>
      {status && !status.enabled && !setup && (
        <BusyButton busy={busy} onClick={() => void start()}>
          Set up an authenticator app
        </BusyButton>
      )}
      {setup && (
        <form onSubmit={(e) => void confirm(e)} aria-label="Confirm your authenticator app">
          <p>Scan this code with your authenticator app (or add an account with the key below, or open the link on a phone that has the app):</p>
          <QrCode text={setup.otpauthUri} label="QR code for your authenticator app" />
          <p>
            <code aria-label="Setup key" class="setup-key">
              {setup.sharedKey.replace(/(.{4})/g, '$1 ').trim()}
            </code>
          </p>
          <p>
            <a href={setup.otpauthUri}>Open in authenticator app</a>
          </p>
          <label class="field">
            Code from the app
            <OneTimeCodeInput name="code" code={code} onCode={setCode} />
          </label>
          <BusyButton type="submit" busy={busy}>
            Turn on two-step sign-in
          </BusyButton>
        </form>
      )}
      {status?.enabled && (
        <div class="recovery-codes-status">
          <p>
            Recovery codes left: {status.recoveryCodesLeft}. They sign you in if you lose your phone; new ones stop the ones you have from
            working.
          </p>
          <BusyButton busy={busy} onClick={() => void newCodes()}>
            Make new recovery codes
          </BusyButton>
        </div>
      )}
      {status?.enabled && !status.requiredByClinic && (
        <form onSubmit={(e) => void turnOff(e)} aria-label="Turn off two-step sign-in">
          <label class="field">
            Password
            <input type="password" maxLength={maxPasswordLength} autocomplete="current-password" required value={password} onInput={(e) => setPassword(e.currentTarget.value)} />
          </label>
          <BusyButton type="submit" busy={busy}>
            Turn off two-step sign-in
          </BusyButton>
        </form>
      )}
      {notice && <p role="status">{notice}</p>}
      <ErrorAlert message={error} />
    </section>
  );
}
