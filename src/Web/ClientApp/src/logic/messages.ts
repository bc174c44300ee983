import type { Message, MessageStatus } from '../types';
import { dayStart } from './format';
import { mergeReadBy } from './receipts';

/**
 * Where a copy of a message came from. A fetched copy (a page, or the answer to a send) is the server's
 * current view for this user and replaces the copy held for its seq: that is how locked placeholders
 * turn into content after re-authentication, and back into placeholders when the window ends. A pushed
 * copy only fills a gap, except that an unlocked one replaces a locked one; pushes to patients are always
 * locked, so a push must never undo content a re-fetch has shown.
 */
export type CopySource = 'pushed' | 'fetched';

/** Merges pages and pushes into one list ordered by seq; a seq seen twice is kept once (see CopySource for which copy). */
export function mergeMessages(current: readonly Message[], incoming: readonly Message[], source: CopySource = 'pushed'): Message[] {
  const bySeq = new Map<number, Message>();
  for (const message of current) {
    bySeq.set(message.seq, message);
  }
  for (const message of incoming) {
    const held = bySeq.get(message.seq);
    if (!held || source === 'fetched' || (held.locked && !message.locked)) {
      bySeq.set(message.seq, held ? withReadersHeld(message, held) : message);
    }
  }
  return [...bySeq.values()].sort((a, b) => a.seq - b.seq);
}

/**
 * A new copy keeps the readers the held copy listed and it does not (a read pushed while a page was on its way: the page
 * was read before it; or a pushed copy, which never lists readers), and a held unlocked read over a fetched locked one
 * (mergeReadBy's rule). Otherwise the new copy's entries win.
 */
function withReadersHeld(message: Message, held: Message): Message {
  const fetched = message.readBy ?? [];
  const readBy = mergeReadBy(fetched, held.readBy ?? []);
  return readBy === fetched ? message : { ...message, readBy };
}

/**
 * The seq to re-fetch after when the sensitive-message window opens or closes: just before the first
 * held message that is sensitive (shown or locked). Null when none is held, so nothing needs fetching.
 */
export function sensitiveRefetchAfter(messages: readonly Message[]): number | null {
  const first = messages.find((m) => m.sensitive || m.locked);
  return first ? first.seq - 1 : null;
}

/** The seq after which messages are missing, when a pushed message reveals a gap; null if none. */
export function gapAfter(current: readonly Message[], pushed: Message): number | null {
  const last = current.length > 0 ? current[current.length - 1]!.seq : 0;
  return pushed.seq > last + 1 ? last : null;
}

export interface DayGroup {
  day: string;
  label: string;
  messages: Message[];
}

/** Groups messages by local calendar day for the thread view's day separators. */
export function groupByDay(messages: readonly Message[], now: Date = new Date(), locale?: string): DayGroup[] {
  const groups: DayGroup[] = [];
  for (const message of messages) {
    const day = localDayOf(message);
    let group = groups[groups.length - 1];
    if (!group || group.day !== day) {
      group = { day, label: dayLabel(new Date(message.sentAt), now, locale), messages: [] };
      groups.push(group);
    }
    group.messages.push(message);
  }
  return groups;
}

/** A message object's local day, worked out once: the thread groups every message it holds on each render. */
const localDays = new WeakMap<Message, string>();

function localDayOf(message: Message): string {
  let day = localDays.get(message);
  if (day === undefined) {
    const sent = new Date(message.sentAt);
    day = `${sent.getFullYear()}-${sent.getMonth() + 1}-${sent.getDate()}`;
    localDays.set(message, day);
  }
  return day;
}

/** At most this many messages render, and are laid out, as one unit of the thread (see runsOf). */
export const messagesPerRun = 20;

/** Consecutive messages of one day that the thread renders as one unit; `key` stays the same as messages come and go. */
export interface MessageRun {
  key: number;
  messages: Message[];
}

/**
 * A day's messages (in seq order) in runs cut where seq reaches a multiple of `size`. The cuts depend on seq alone, so a
 * new message or an older page changes only the run it lands in: the others keep their key and their message objects,
 * and the thread skips them (no render, no layout of their bubbles), whatever the history held.
 */
export function runsOf(messages: readonly Message[], size = messagesPerRun): MessageRun[] {
  const runs: MessageRun[] = [];
  for (const message of messages) {
    const key = Math.floor(message.seq / size);
    let run = runs[runs.length - 1];
    if (!run || run.key !== key) {
      run = { key, messages: [] };
      runs.push(run);
    }
    run.messages.push(message);
  }
  return runs;
}

function dayLabel(date: Date, now: Date, locale?: string): string {
  const startOf = (d: Date) => dayStart(d.getFullYear(), d.getMonth() + 1, d.getDate(), 'local').getTime();
  const days = Math.round((startOf(now) - startOf(date)) / 86_400_000);
  if (days === 0) {
    return 'Today';
  }
  if (days === 1) {
    return 'Yesterday';
  }
  return date.toLocaleDateString(locale, { weekday: 'long', day: 'numeric', month: 'long', year: date.getFullYear() === now.getFullYear() ? undefined : 'numeric' });
}

export function newClientMessageId(): string {
  return crypto.randomUUID();
}

/** How long after sending a message can be withdrawn (the server's rule). */
const withdrawWindowMs = 5 * 60_000;

/** How long a message sent at sentAt can still be withdrawn, from now (epoch ms); 0 once the window has ended. */
export function withdrawWindowLeftMs(sentAt: string, now: number): number {
  return Math.max(0, Date.parse(sentAt) + withdrawWindowMs - now);
}

/**
 * Whether a message offers "Withdraw": the viewer's own, neither withdrawn nor read yet, within the 5 minutes in which
 * it can be recalled. The clinic's automatic reply is nobody's own message. The server decides; this only hides a
 * button it would refuse.
 */
export function offersWithdraw(
  message: Pick<Message, 'senderId' | 'sentAt' | 'withdrawn' | 'automatic'>,
  myUserId: string,
  status: MessageStatus | null,
  now: number,
): boolean {
  // "Opened, locked" is read as far as recall goes: the patient has seen that it came (the server refuses it too).
  const seen = status === 'read' || status === 'opened_locked';
  return !message.automatic && !message.withdrawn && message.senderId === myUserId && !seen && withdrawWindowLeftMs(message.sentAt, now) > 0;
}
