import { useState } from 'preact/hooks';
import { api, ApiError, sessionEndedEvent } from '../api';
import { accountApi } from '../accountApi';
import { ChangeOutcome } from './ChangeOutcome';
import { passwordRule, maxPasswordLength } from '../logic/passwords';
import { BusyButton } from './BusyButton';

function passwordProblem(caught: unknown): string {
  if (caught instanceof ApiError) {
    switch (caught.code) {
      case 'invalid_credentials':
        return 'The current password is not right.';
      case 'password_rejected':
      case 'validation_failed':
        return caught.message;
      case 'rate_limited':
        return 'Too many attempts. Wait a few minutes and try again.';
    }
  }
  return 'The password could not be changed. Try again.';
}

/**
 * Everyone's own password and sessions (patients on Preferences, staff on Security): change the password (other devices
 * are signed out, this one stays), and "Sign out everywhere" (every device, this one included, and every live connection).
 */
export function PasswordAndSignIn() {
  const [current, setCurrent] = useState('');
  const [next, setNext] = useState('');
  const [repeat, setRepeat] = useState('');
  const [status, setStatus] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const changePassword = async (event: Event) => {
    event.preventDefault();
    if (busy) {
      return;
    }
    setStatus(null);
    if (next !== repeat) {
      setError('The two new passwords are not the same.');
      return;
    }
    setBusy(true);
    setError(null);
    try {
      await api.changePassword(current, next);
      setCurrent('');
      setNext('');
      setRepeat('');
      setStatus('Your password has been changed. Other devices have been signed out.');
    } catch (caught) {
      setError(passwordProblem(caught));
    } finally {
      setBusy(false);
    }
  };

  const signOutEverywhere = async () => {
    setBusy(true);
    setError(null);
    try {
      await accountApi.logoutEverywhere();
      // Unsent messages hold patient data: like signing out, nothing stays for the next person at this device.
      Object.keys(window.localStorage)
        .filter((key) => key.startsWith('clinicchat.outbox.'))
        .forEach((key) => window.localStorage.removeItem(key));
      window.location.hash = '';
      window.dispatchEvent(new CustomEvent(sessionEndedEvent, { detail: 'everywhere' }));
    } catch {
      setError('Could not sign out everywhere. Try again.');
      setBusy(false);
    }
  };

  return (
    <section class="preferences" aria-labelledby="security-title">
      <h2 id="security-title">Password and sign-in</h2>
      <form class="password-form" onSubmit={(e) => void changePassword(e)} aria-label="Change password">
        <label>
          Current password
          <input type="password" maxLength={maxPasswordLength} name="current-password" autocomplete="current-password" required value={current} onInput={(e) => setCurrent(e.currentTarget.value)} />
        </label>
        <p class="setting-help">A new password needs {passwordRule}.</p>
        <label>
          New password
          <input type="password" maxLength={maxPasswordLength} name="new-password" autocomplete="new-password" required minLength={8} value={next} onInput={(e) => {
              setNext(e.currentTarget.value);
              setError(null);
            }} />
        </label>
        <label>
          Repeat the new password
          <input type="password" maxLength={maxPasswordLength} name="repeat-password" autocomplete="new-password" required minLength={8} value={repeat} onInput={(e) => {
              setRepeat(e.currentTarget.value);
              setError(null);
            }} />
        </label>
        <BusyButton type="submit" busy={busy}>
          Change password
        </BusyButton>
      </form>
      <ChangeOutcome error={error} status={status} statusClass="setting-help setting-status" />
      <div class="setting">
        <div>
          <p class="setting-name">Signed in somewhere else?</p>
          <p class="setting-help">Signs you out on every device, this one included.</p>
        </div>
        <BusyButton busy={busy} onClick={() => void signOutEverywhere()}>
          Sign out everywhere
        </BusyButton>
      </div>
    </section>
  );
}
