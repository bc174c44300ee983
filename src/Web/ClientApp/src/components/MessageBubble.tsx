import { memo } from 'preact/compat';
import { useEffect, useRef, useState } from 'preact/hooks';
import type { RecordCache } from '../logic/recordCache';
import { clockTime } from '../logic/format';
import { offersWithdraw, withdrawWindowLeftMs } from '../logic/messages';
import { isLockedToRecipients, readByText, statusLabel, statusOf } from '../logic/receipts';
import { lockedPlaceholderText } from '../logic/sensitive';
import type { Me, Message, MessageStatus, Receipts, RecordKind } from '../types';
import { AttachmentView } from './AttachmentView';
import { ConfirmedButton } from './ConfirmedButton';
import { LockIcon } from './Icons';
import { LinkedText } from './LinkedText';
import { RecordCard } from './RecordCard';
import { SensitiveMark } from './SensitiveMark';
import { useFocusAfterRender } from './useFocusAfterRender';

export interface MessageBubbleProps {
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
  /** Staff, on their own messages that may still be recalled: withdraws the message (true once it is withdrawn). */
  onWithdraw?: (message: Message) => Promise<boolean>;
}

/** The status under a message of my side (from the other side's receipts); null under theirs. */
export const statusFor = (message: Message, me: Me, recipients: Receipts): MessageStatus | null =>
  message.senderKind === me.kind ? statusOf(message.seq, recipients, isLockedToRecipients(message)) : null;

/** What a bubble shows its message with and acts with: everything but the message and the receipts. */
export type BubbleContext = Omit<MessageBubbleProps, 'message' | 'recipients'>;

/** The same viewer, record store and callbacks (each is stable while the thread is open). */
export function sameContext(a: BubbleContext, b: BubbleContext): boolean {
  return (
    a.me === b.me &&
    a.records === b.records &&
    a.recordKinds === b.recordKinds &&
    a.onReauthenticate === b.onReauthenticate &&
    a.onImageLoad === b.onImageLoad &&
    a.onWithdraw === b.onWithdraw
  );
}

/**
 * A bubble renders again only when what it shows changed: its message (a new object whenever anything in it changes,
 * readers included), its status, or what it acts with. The other side's receipts move with every read, and a thread
 * re-renders with every push and typing notice; without this each of those re-rendered every message held, so the cost
 * of one push grew with how far back the reader had scrolled.
 */
export function sameBubble(a: MessageBubbleProps, b: MessageBubbleProps): boolean {
  return a.message === b.message && sameContext(a, b) && statusFor(a.message, a.me, a.recipients) === statusFor(b.message, b.me, b.recipients);
}

/**
 * One stored message: author and time, text or locked placeholder, cards, attachments, and (on my side's) its status.
 * The clinic's automatic reply sits on the clinic's side, under the clinic's name, and says it is automatic.
 */
export const MessageBubble = memo(function MessageBubble({ message, me, recipients, records, recordKinds, onReauthenticate, onImageLoad, onWithdraw }: MessageBubbleProps) {
  // Each side's messages sit on one side: the clinic's (any staff member's) or the patient's.
  const mine = message.senderKind === me.kind;
  const status = statusFor(message, me, recipients);
  // Who read it (staff): a tooltip for a mouse, and a button that shows it for a keyboard or a touch screen.
  const [readByShown, setReadByShown] = useState(false);
  const readBy = status ? readByText(message) : undefined;
  const recallable = onWithdraw && offersWithdraw(message, me.userId, status, Date.now());
  useWithdrawWindowEnd(recallable ? message.sentAt : null);
  // Withdraw asks in place, as Deactivate and Revoke do. The keyboard stays with the message: on Withdraw (busy while the
  // request is on its way) after Cancel or a refusal, else on what says it was withdrawn (the button goes with it).
  const withdrawnTag = useRef<HTMLSpanElement>(null);
  const focusAfterRender = useFocusAfterRender();
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
  return (
    <article
      class={`message ${mine ? 'mine' : 'theirs'}${message.automatic ? ' automatic' : ''}`}
      aria-label={`${message.senderName} at ${clockTime(message.sentAt)}`}
      // A sensitive message can take the keyboard (not by Tab) once its "Verify it's you" has unlocked it.
      tabIndex={message.sensitive ? -1 : undefined}
    >
      <div class="meta">
        <span class="author">{message.senderId === me.userId ? 'You' : message.senderName}</span>
        <time dateTime={message.sentAt}>{clockTime(message.sentAt)}</time>
        {message.automatic && <span class="automatic-tag">Automatic reply</span>}
        {message.sensitive && !message.locked && <SensitiveMark />}
        {message.withdrawn && (
          <span class="withdrawn-tag" ref={withdrawnTag} tabIndex={-1}>
            Withdrawn: the patient sees "Message withdrawn"
          </span>
        )}
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
        <ConfirmedButton
          label="Withdraw"
          question='Withdraw this message? The patient will see "Message withdrawn" instead, and its files will no longer open for them.'
          confirmText="Yes, withdraw"
          class="link-button withdraw"
          questionClass="withdraw-question"
          onConfirm={() => onWithdraw(message).then((withdrawn) => withdrawn && focusAfterRender(() => withdrawnTag.current))}
        />
      )}
    </article>
  );
}, sameBubble);

/**
 * While "Withdraw" shows, the bubble renders once more when its window ends, so the button goes then (not at whatever
 * renders the bubble next: it renders only when what it shows changes).
 */
function useWithdrawWindowEnd(sentAt: string | null): void {
  const [, setEnded] = useState(false);
  useEffect(() => {
    if (sentAt === null) {
      return;
    }
    const timer = window.setTimeout(() => setEnded(true), withdrawWindowLeftMs(sentAt, Date.now()) + 50);
    return () => window.clearTimeout(timer);
  }, [sentAt]);
}
