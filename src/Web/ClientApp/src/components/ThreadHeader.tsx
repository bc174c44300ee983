import type { ConnectionState } from '../logic/connection';
import { ConnectionStatus } from './ConnectionStatus';

interface Props {
  title: string;
  clinicName: string | null;
  subtitle: string | null;
  connection: ConnectionState;
  onBack?: () => void;
}

export function ThreadHeader({ title, clinicName, subtitle, connection, onBack }: Props) {
  return (
    <header class="thread-header">
      {onBack && (
        <button type="button" class="back" onClick={onBack} aria-label="Back to conversations">
          ←
        </button>
      )}
      <div>
        <h2>{title}</h2>
        {clinicName && <p class="thread-clinic">{clinicName}</p>}
        {subtitle && (
          <p class="presence" role="status">
            <span class="dot" aria-hidden="true" /> {subtitle}
          </p>
        )}
        <ConnectionStatus state={connection} />
      </div>
    </header>
  );
}
