import { pendingStatusText, type ConnectionState } from '../logic/connection';
import type { OutboxItem } from '../logic/outbox';
import { SensitiveMark } from './SensitiveMark';

interface Props {
  item: OutboxItem;
  connection: ConnectionState;
  onRetry: (item: OutboxItem) => void;
  onDiscard: (item: OutboxItem) => void;
}

/** A message in the outbox: waiting to be sent (and why), or refused, with Retry and Discard. */
export function UnsentMessageBubble({ item, connection, onRetry, onDiscard }: Props) {
  return (
    <article class="message mine pending" aria-label="Your unsent message">
      {item.sensitive && (
        <div class="meta">
          <SensitiveMark />
        </div>
      )}
      {item.text && <p class="text">{item.text}</p>}
      {(item.attachmentIds?.length ?? 0) > 0 && <p class="text">{`${item.attachmentIds!.length} attachment(s)`}</p>}
      {(item.recordIds?.length ?? 0) > 0 && <p class="text">{`${item.recordIds!.length} card(s)`}</p>}
      {item.failure === null ? (
        <span class="status">{pendingStatusText(connection)}</span>
      ) : (
        <span class="status failed">
          Failed — <span class="failure-reason">{item.failure}</span>{' '}
          <button type="button" class="link-button" onClick={() => onRetry(item)}>
            Retry
          </button>{' '}
          <button type="button" class="link-button" onClick={() => onDiscard(item)}>
            Discard
          </button>
        </span>
      )}
    </article>
  );
}
