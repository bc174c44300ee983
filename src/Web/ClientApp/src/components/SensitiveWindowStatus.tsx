import { useState } from 'preact/hooks';
import { windowStatusText } from '../logic/sensitive';
import { LockIcon } from './Icons';
import { ErrorAlert } from './ErrorAlert';
import { ResponsiveLabel } from './ResponsiveLabel';
import { BusyButton } from './BusyButton';

/** While the re-authentication window is open: until when, and a way to end it now. */
export function SensitiveWindowStatus({ until, onHide }: { until: string; onHide: () => Promise<void> }) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const hide = async () => {
    setBusy(true);
    setError(null);
    try {
      await onHide();
    } catch {
      setError('Could not hide sensitive messages. Try again.');
    } finally {
      setBusy(false);
    }
  };

  return (
    <div class="sensitive-window">
      <p role="status" class="sensitive-window-text">
        <LockIcon /> {windowStatusText(until)}
      </p>
      <BusyButton class="secondary" busy={busy} onClick={() => void hide()}>
        <ResponsiveLabel full="Hide sensitive messages" short="Hide" />
      </BusyButton>
      <ErrorAlert message={error} />
    </div>
  );
}
