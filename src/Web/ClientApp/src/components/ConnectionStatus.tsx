import { useEffect, useRef, useState } from 'preact/hooks';
import { connectionText, type ConnectionState } from '../logic/connection';

const backShownMs = 5000;

/**
 * The app's own connection, said politely: "You are offline…" / "Reconnecting…" while down, then
 * "Back online." for a few seconds. The region is always there (empty when all is well) so that screen
 * readers announce each change.
 */
export function ConnectionStatus({ state }: { state: ConnectionState }) {
  const [backRecently, setBackRecently] = useState(false);
  const wasDown = useRef(false);

  useEffect(() => {
    if (state === 'offline' || state === 'reconnecting') {
      wasDown.current = true;
      setBackRecently(false);
      return;
    }
    if (state === 'online' && wasDown.current) {
      wasDown.current = false;
      setBackRecently(true);
      const timer = window.setTimeout(() => setBackRecently(false), backShownMs);
      return () => window.clearTimeout(timer);
    }
    return undefined;
  }, [state]);

  const text = connectionText(state, backRecently);
  return (
    <p class={`connection-status ${state}${text ? '' : ' quiet'}`} role="status">
      {text}
    </p>
  );
}
