import { useState } from 'preact/hooks';
import { ApiError } from '../api';
import { passkeyCancelled, passkeysApi, passkeysSupported } from '../passkeysApi';
import type { Me } from '../types';
import { BusyButton } from './BusyButton';

/** Sign in with a passkey: the browser offers the passkeys it holds for this site; no email is typed. */
export function PasskeySignInButton({ onSignedIn, onError }: { onSignedIn: (me: Me) => void; onError: (message: string | null) => void }) {
  const [busy, setBusy] = useState(false);
  if (!passkeysSupported()) {
    return null;
  }

  const signIn = async () => {
    setBusy(true);
    onError(null);
    try {
      onSignedIn(await passkeysApi.signIn());
    } catch (caught) {
      onError(passkeySignInFailureText(caught));
    } finally {
      setBusy(false);
    }
  };

  // The button's name leaves out "Sign in": the password form's own button is found by that name.
  return (
    <div class="passkey-signin">
      <p class="setting-help">Or sign in with a passkey: Face ID, a fingerprint or your device's PIN.</p>
      <BusyButton class="passkey-button" busy={busy} onClick={() => void signIn()}>
        Use a passkey
      </BusyButton>
    </div>
  );
}

function passkeySignInFailureText(error: unknown): string {
  if (passkeyCancelled(error)) {
    return 'No passkey was used. Try again, or sign in with your password.';
  }
  if (error instanceof ApiError && (error.code === 'clinic_disabled' || error.code === 'account_locked' || error.code === 'passkey_rejected')) {
    return error.message;
  }
  return 'Sign-in with a passkey failed. Try again, or sign in with your password.';
}
