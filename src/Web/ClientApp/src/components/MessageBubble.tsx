import { useState } from 'preact/hooks';
import type { RecordCache } from '../logic/recordCache';
import { clockTime } from '../logic/format';
import { linkParts } from '../logic/links';
import { offersWithdraw } from '../logic/messages';
import { isLockedToRecipients, readByText, statusLabel, statusOf } from '../logic/receipts';
import { lockedPlaceholderText } from '../logic/sensitive';
import type { Me, Message, Receipts, RecordKind } from '../types';
import { AttachmentView } from './AttachmentView';
import { LockIcon } from './Icons';
import { RecordCard } from './RecordCard';
import { SensitiveMark } from './SensitiveMark';

interface Props {
  message: Message;
  me: Me;
  /** The other side's receipts: the status under my own messages. */
  recipients: Receipts;
  records: RecordCache;
  /** The kinds of record whose current state the viewer may open (Billing staff: invoices); others show as sent. All when left out. */
  recordKinds?: readonly RecordKind[];
  /** Patients: opens "Verify it's you" from a locked placeholder. */
  onReauthenticate?: () => void;
  /** An image arrived: the list stays at the bottom if it was there. */
  onImageLoad: () => void;
  /** Staff, on their own messages that may still be recalled: withdraws the message. */
  onWithdraw?: (message: Message) => void;
}

/**
 * One stored message: author and time, text or locked placeholder, cards, attachments, and (on my side's) its status.
 * The clinic's automatic reply sits on the clinic's side, under the clinic's name, and says it is automatic.
 */
export function MessageBubble({ message, me, recipients, records, recordKinds, onReauthenticate, onImageLoad, onWithdraw }: Props) {
  // Each side's messages sit on one side: the clinic's (any staff member's) or the patient's.
  const mine = message.senderKind === me.kind;
  const status = mine ? statusOf(message.seq, recipients, isLockedToRecipients(message)) : null;
  // Who read it (staff): a tooltip for a mouse, and a button that shows it for a keyboard or a touch screen.
  const [readByShown, setReadByShown] = useState(false);
  const readBy = status ? readByText(message) : undefined;
  if (message.withdrawn && me.kind === 'patient') {
    return (
      <article class="message theirs withdrawn" aria-label={`${message.senderName} at ${clockTime(message.sentAt)}`}>
        <div class="meta">
          <span class="author">{message.senderName}</span>
          <time dateTime={message.sentAt}>{clockTime(message.sentAt)}</time>
        </div>
        <p class="text withdrawn-text">Message withdrawn</p>
      </article>
    );
  }
  const recallable = onWithdraw && offersWithdraw(message, me.userId, status, Date.now());
  return (
    <article class={`message ${mine ? 'mine' : 'theirs'}${message.automatic ? ' automatic' : ''}`} aria-label={`${message.senderName} at ${clockTime(message.sentAt)}`}>
      <div class="meta">
        <span class="author">{message.senderId === me.userId ? 'You' : message.senderName}</span>
        <time dateTime={message.sentAt}>{clockTime(message.sentAt)}</time>
        {message.automatic && <span class="automatic-tag">Automatic reply</span>}
        {message.sensitive && !message.locked && <SensitiveMark />}
        {message.withdrawn && <span class="withdrawn-tag">Withdrawn: the patient sees "Message withdrawn"</span>}
      </div>
      {message.locked && (
        <p class="text locked">
          <LockIcon /> <span class="placeholder-text">{lockedPlaceholderText}</span>{' '}
          {onReauthenticate && (
            <button type="button" class="link-button" onClick={onReauthenticate}>
              Verify it's you
            </button>
          )}
        </p>
      )}
      {message.text && (
        <p class="text">
          <LinkedText text={message.text} />
        </p>
      )}
      {message.cards?.map((card) => (
        <RecordCard key={card.id} sent={card} store={records} live={!recordKinds || recordKinds.includes(card.kind)} />
      ))}
      {message.attachments?.map((attachment) => (
        <AttachmentView key={attachment.attachmentId} attachment={attachment} from={message.senderName} onImageLoad={onImageLoad} />
      ))}
      {status &&
        (readBy ? (
          <button type="button" class="status" title={readBy} aria-expanded={readByShown} onClick={() => setReadByShown((shown) => !shown)}>
            {statusLabel[status]}
          </button>
        ) : (
          <span class="status">{statusLabel[status]}</span>
        ))}
      {readBy && readByShown && <p class="read-by">{readBy}</p>}
      {recallable && (
        <button type="button" class="link-button withdraw" onClick={() => onWithdraw(message)}>
          Withdraw
        </button>
      )}
    </article>
  );
}

/**
 * The text with its web addresses as links. They open in a new tab that cannot reach back into the chat
 * (noopener) nor tell the site where the reader came from (noreferrer); only http(s) addresses are links.
 */
function LinkedText({ text }: { text: string }) {
  return (
    <>
      {linkParts(text).map((part, i) =>
        part.kind === 'link' ? (
          <a key={i} href={part.href} target="_blank" rel="noopener noreferrer">
            {part.text}
          </a>
        ) : (
          part.text
        ),
      )}
    </>
  );
}
