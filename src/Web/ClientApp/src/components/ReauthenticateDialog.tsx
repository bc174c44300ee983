import { useRef, useState } from 'preact/hooks';
import { ApiError } from '../api';
import { clockTime } from '../logic/format';
import { PasskeyReauthButton } from './PasskeyReauthButton';
import { BusyButton } from './BusyButton';
import { maxPasswordLength } from '../logic/passwords';
import { useModalDialog } from './useModalDialog';
import { useFocusAfterRender } from './useFocusAfterRender';

interface Props {
  /** Sends the password; resolves when the window is open, rejects with the API's answer otherwise. */
  reauthenticate: (password: string) => Promise<void>;
  onClose: () => void;
  /** Called after the window opened (before onClose): what the patient was doing can go on. */
  onVerified?: () => void;
  /** Why the password is asked for; sensitive messages unless said otherwise. */
  purpose?: string;
  /** Verifies with one of the account's passkeys instead; offered when given and the account has one. */
  reauthenticateWithPasskey?: () => Promise<void>;
}

/** "Verify it's you": the patient re-enters their password to see sensitive messages for a while. */
export function ReauthenticateDialog({ reauthenticate, onClose, onVerified, purpose, reauthenticateWithPasskey }: Props) {
  const dialog = useModalDialog();
  const [password, setPassword] = useState('');
  const [busy, setBusy] = useState(false);
  // Whether the refusal is about the password: a passkey's failure says nothing against what is in the field.
  const [error, setError] = useState<{ text: string; aboutPassword: boolean } | null>(null);
  const field = useRef<HTMLInputElement>(null);
  // A refused password is typed again in the field it emptied, not on Verify, where the press left the keyboard. After the
  // render, so that the field is read as invalid, with the refusal as its description.
  const focusAfterRender = useFocusAfterRender();
  const refuse = (message: string) => {
    setError({ text: message, aboutPassword: true });
    focusAfterRender(() => field.current);
  };

  const submit = async (event: Event) => {
    event.preventDefault();
    if (busy) {
      return;
    }
    if (password.length === 0) {
      refuse('Enter your password.');
      return;
    }
    setBusy(true);
    setError(null);
    try {
      await reauthenticate(password);
      onVerified?.();
      onClose();
    } catch (caught) {
      setPassword('');
      refuse(reauthenticationFailureText(caught));
    } finally {
      setBusy(false);
    }
  };

  return (
    <dialog ref={dialog} class="dialog verify-dialog" aria-labelledby="verify-title" aria-describedby="verify-help" onCancel={onClose} onClose={onClose}>
      <form onSubmit={(event) => void submit(event)}>
        <h2 id="verify-title">Verify it's you</h2>
        <p id="verify-help" class="setting-help">
          {purpose ?? 'Enter your password to see sensitive messages for a short while.'}
        </p>
        <label class="field">
          Password
          <input
            ref={field}
            type="password" maxLength={maxPasswordLength}
            autoComplete="current-password"
            autoFocus
            value={password}
            aria-invalid={error?.aboutPassword === true}
            aria-describedby={error?.aboutPassword ? 'verify-error' : undefined}
            onInput={(e) => setPassword(e.currentTarget.value)}
          />
        </label>
        {reauthenticateWithPasskey && (
          <PasskeyReauthButton
            reauthenticate={reauthenticateWithPasskey}
            onVerified={() => {
              onVerified?.();
              onClose();
            }}
            onError={(text) => setError(text === null ? null : { text, aboutPassword: false })}
          />
        )}
        {error && (
          <p role="alert" class="error" id="verify-error">
            {error.text}
          </p>
        )}
        <div class="dialog-actions">
          <button type="button" onClick={onClose}>
            Cancel
          </button>
          <BusyButton type="submit" busy={busy}>
            Verify
          </BusyButton>
        </div>
      </form>
    </dialog>
  );
}

/**
 * Why re-authenticating failed. The person holds the session, so a lockout is theirs to know, with its end; otherwise the
 * dialog would keep saying "not right" to the right password.
 */
function reauthenticationFailureText(error: unknown): string {
  if (error instanceof ApiError) {
    if (error.code === 'account_locked') {
      return error.lockedUntil
        ? `Too many wrong passwords: your account is locked for now. Try again after ${clockTime(error.lockedUntil)}.`
        : 'Too many wrong passwords: your account is locked for now. Try again later.';
    }
    if (error.status === 401) {
      return 'That password is not right.';
    }
    if (error.code === 'validation_failed') {
      return 'Enter your password.';
    }
  }
  return 'Could not verify right now. Try again.';
}
