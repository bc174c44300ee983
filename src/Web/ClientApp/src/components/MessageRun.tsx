import { memo } from 'preact/compat';
import type { Message, StaffItem } from '../types';
import { MessageBubble, sameContext, statusFor, type MessageBubbleProps } from './MessageBubble';
import { StaffLine } from './StaffLine';
import type { SeenByLine } from './useSeenBy';

export interface MessageRunProps extends Omit<MessageBubbleProps, 'message'> {
  /** Consecutive messages of one day (logic/messages: runsOf). */
  messages: readonly Message[];
  /** The staff lines (notes, team changes) that follow this run's messages, in order. */
  lines: readonly StaffItem[];
  /** "Seen by …", when the message it goes under is in this run. */
  seenBy: SeenByLine | null;
}

/**
 * A run renders again only when one of its bubbles or lines would: a message object, a line or the "seen by" changed,
 * or the other side's receipts moved the status of one of its messages. A push then costs the thread one run's render
 * and layout, not the whole history's (Preact compares every child it is given, and the browser lays out every item of
 * a flex column when one is added).
 */
export function sameRun(a: MessageRunProps, b: MessageRunProps): boolean {
  return (
    sameContext(a, b) &&
    sameItems(a.messages, b.messages) &&
    sameItems(a.lines, b.lines) &&
    a.seenBy?.afterSeq === b.seenBy?.afterSeq &&
    a.seenBy?.text === b.seenBy?.text &&
    (a.recipients === b.recipients || a.messages.every((message) => statusFor(message, a.me, a.recipients) === statusFor(message, b.me, b.recipients)))
  );
}

function sameItems<T>(a: readonly T[], b: readonly T[]): boolean {
  return a.length === b.length && a.every((item, i) => item === b[i]);
}

/** A run of messages, each followed by the "seen by" under it (staff) and the staff lines that follow it. */
export const MessageRun = memo(function MessageRun({ messages, lines, seenBy, ...bubble }: MessageRunProps) {
  return (
    <div class="run">
      {messages.map((message) => [
        <MessageBubble key={message.seq} message={message} {...bubble} />,
        // Under the patient's waiting message, which the clinic's automatic reply may follow.
        seenBy?.afterSeq === message.seq ? (
          <p key="seen" class="seen-by">
            {seenBy.text}
          </p>
        ) : null,
        ...lines.filter((item) => item.afterSeq === message.seq).map((item) => <StaffLine key={`i${item.itemSeq}`} item={item} />),
      ])}
    </div>
  );
}, sameRun);
