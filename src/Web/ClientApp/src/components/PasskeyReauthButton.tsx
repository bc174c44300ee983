import { useEffect, useState } from 'preact/hooks';
import { ApiError } from '../api';
import { passkeyCancelled, passkeysApi, passkeysSupported } from '../passkeysApi';
import { BusyButton } from './BusyButton';

/**
 * "Use passkey (Face ID / fingerprint)" in "Verify it's you": shown only when this browser can use passkeys and the
 * account has at least one, so nobody is offered a way that cannot work.
 */
export function PasskeyReauthButton({
  reauthenticate,
  onVerified,
  onError,
}: {
  reauthenticate: () => Promise<void>;
  onVerified: () => void;
  onError: (message: string | null) => void;
}) {
  const [hasPasskey, setHasPasskey] = useState(false);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    if (passkeysSupported()) {
      passkeysApi.list().then((passkeys) => setHasPasskey(passkeys.length > 0), () => setHasPasskey(false));
    }
  }, []);

  if (!hasPasskey) {
    return null;
  }

  const verify = async () => {
    setBusy(true);
    onError(null);
    try {
      await reauthenticate();
      onVerified();
    } catch (caught) {
      if (passkeyCancelled(caught)) {
        onError('No passkey was used. Try again, or enter your password.');
      } else if (caught instanceof ApiError && caught.code === 'account_locked') {
        onError('Your account is locked for now. Try again later.');
      } else {
        onError('That passkey did not work. Try again, or enter your password.');
      }
    } finally {
      setBusy(false);
    }
  };

  return (
    <BusyButton class="passkey-button" busy={busy} onClick={() => void verify()}>
      Use passkey (Face ID / fingerprint)
    </BusyButton>
  );
}
