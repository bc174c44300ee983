import type { Message, MessageStatus, ReadBy, Receipts, ReceiptsUpdate } from '../types';
import { atTimeFrom } from './format';

export const noReceipts: Receipts = { deliveredUpToSeq: 0, readUpToSeq: 0, sensitiveReadUpToSeq: 0 };

/** Receipts only move forward: merging keeps the furthest of each cursor. */
export function mergeReceipts(current: Receipts, update: Receipts): Receipts {
  return {
    deliveredUpToSeq: Math.max(current.deliveredUpToSeq, update.deliveredUpToSeq, update.readUpToSeq),
    readUpToSeq: Math.max(current.readUpToSeq, update.readUpToSeq),
    sensitiveReadUpToSeq: Math.max(current.sensitiveReadUpToSeq, update.sensitiveReadUpToSeq),
  };
}

/**
 * A message's status, derived from the cursors of the side that did not send it. A message locked to its
 * recipients (sensitive, to the patient) is only "read" once the patient read it unlocked; before that,
 * inside the read cursor, it was "opened, locked".
 */
export function statusOf(seq: number, recipients: Receipts, lockedToRecipients = false): MessageStatus {
  if (seq <= recipients.readUpToSeq) {
    return lockedToRecipients && seq > recipients.sensitiveReadUpToSeq ? 'opened_locked' : 'read';
  }
  return seq <= recipients.deliveredUpToSeq ? 'delivered' : 'sent';
}

/** Whether a message reaches its recipients locked: sensitive and sent by the clinic (the patient must verify first). */
export function isLockedToRecipients(message: Pick<Message, 'sensitive' | 'senderKind'>): boolean {
  return message.sensitive && message.senderKind === 'staff';
}

export const statusLabel: Record<MessageStatus, string> = { sent: 'Sent', delivered: 'Delivered', read: 'Read', opened_locked: 'Opened, locked' };

/**
 * Who read a message and when (staff see it on the message's status): "Read by Pat at 14:05", with the day when the
 * read came on a later day than the message ("Read by Pat on 3 Dec at 09:12"): an older page of history shows reads
 * made days after its messages, and the day separators above them tell the message's day, not the read's.
 */
export function readByText(message: Pick<Message, 'readBy' | 'sentAt'>, locale?: string): string | undefined {
  if (!message.readBy || message.readBy.length === 0) {
    return undefined;
  }
  return message.readBy.map((r) => `${r.locked ? 'Opened, locked by' : 'Read by'} ${r.name} ${atTimeFrom(r.readAt, message.sentAt, locale)}`).join(', ');
}

/**
 * Staff: a reader's read as a receipts push tells it, added to the read-by list of each held message that read reached
 * first (and that the reader's side did not send), with the same time a page would give: a sensitive message the patient
 * opened locked is listed locked until a read reaches it unlocked, then with that time. A message read before this push
 * and not listed (a read missed while disconnected) stays unlisted until its next page: never a later time than the
 * first read. The same array when the push changes nothing.
 */
export function withPushedRead(messages: Message[], update: ReceiptsUpdate): Message[] {
  const { readerId, readerName, readerMove: move } = update;
  if (!readerId || !readerName || !move) {
    return messages;
  }
  const reached = (seq: number, from: number, upTo: number) => seq > from && seq <= upTo;
  const entryFor = (message: Message): ReadBy | null => {
    if (message.senderKind === update.side) {
      return null;
    }
    const lockedToReader = isLockedToRecipients(message);
    if (lockedToReader && reached(message.seq, move.sensitiveReadFromSeq, move.sensitiveReadUpToSeq)) {
      return { userId: readerId, name: readerName, readAt: move.at, locked: false };
    }
    return reached(message.seq, move.readFromSeq, move.readUpToSeq)
      ? { userId: readerId, name: readerName, readAt: move.at, locked: lockedToReader && message.seq > move.sensitiveReadUpToSeq }
      : null;
  };
  // Held messages are in seq order and a read reaches only those after where it started: walk back from the newest
  // to there, so a read push costs the messages it reached, not the whole history held.
  const from = Math.min(move.readFromSeq, move.sensitiveReadFromSeq);
  let next: Message[] | null = null;
  for (let index = messages.length - 1; index >= 0 && messages[index]!.seq > from; index--) {
    const message = messages[index]!;
    const entry = entryFor(message);
    const listed = message.readBy ?? [];
    const readBy = entry ? mergeReadBy(listed, [entry]) : listed;
    if (readBy !== listed) {
      next ??= [...messages];
      next[index] = { ...message, readBy };
    }
  }
  return next ?? messages;
}

/**
 * The one rule for two reports of the same readers (a page and a push, or two pages): an entry already listed stays,
 * unless it is locked and the other is unlocked (the reader opened it locked, then read it unlocked: a read never goes
 * back to locked); a reader not listed is added. The listed array itself when nothing changes.
 */
export function mergeReadBy(listed: ReadBy[], others: readonly ReadBy[]): ReadBy[] {
  const taken = others.filter((other) => {
    const entry = listed.find((l) => l.userId === other.userId);
    return !entry || (entry.locked && !other.locked);
  });
  return taken.length === 0 ? listed : [...listed.filter((l) => !taken.some((t) => t.userId === l.userId)), ...taken];
}

type Acknowledge = (conversationId: string, receipts: { deliveredUpToSeq?: number; readUpToSeq?: number }) => Promise<unknown>;

/**
 * Where an acknowledgement goes: delivery alone over the push connection while it is up (one frame instead of a
 * request: most receipts are a device saying it got a push), anything with a read over HTTP, whose cookie carries the
 * re-authentication window a patient's read of sensitive messages needs. viaHub answers null when it is not connected.
 */
export function routeAcknowledgements(viaHub: (conversationId: string, upToSeq: number) => Promise<unknown> | null, viaHttp: Acknowledge): Acknowledge {
  return (conversationId, receipts) =>
    (receipts.readUpToSeq === undefined && receipts.deliveredUpToSeq !== undefined ? viaHub(conversationId, receipts.deliveredUpToSeq) : null) ??
    viaHttp(conversationId, receipts);
}

/**
 * Batches acknowledgements per conversation: many pushes in a burst become one request carrying
 * the furthest delivered and read seqs.
 */
export class Acknowledger {
  private readonly pending = new Map<string, { delivered: number; read: number }>();
  private timer: ReturnType<typeof setTimeout> | null = null;

  constructor(
    private readonly send: Acknowledge,
    private readonly delayMs = 250,
  ) {}

  delivered(conversationId: string, seq: number): void {
    this.note(conversationId, seq, 0);
  }

  read(conversationId: string, seq: number): void {
    this.note(conversationId, seq, seq);
  }

  flush(): void {
    this.timer = null;
    const batch = [...this.pending.entries()];
    this.pending.clear();
    for (const [conversationId, { delivered, read }] of batch) {
      void this.send(conversationId, read > 0 ? { deliveredUpToSeq: delivered, readUpToSeq: read } : { deliveredUpToSeq: delivered }).then(() => {
        this.retryDelayMs = 1000;
      }, () => {
        // Not stored (offline, a restarting cluster): keep it and try again later; cursors are idempotent.
        this.retryDelayMs = Math.min(this.retryDelayMs * 2, 30_000);
        this.note(conversationId, delivered, read, this.retryDelayMs);
      });
    }
  }

  private retryDelayMs = 1000;

  private note(conversationId: string, delivered: number, read: number, delayMs = this.delayMs): void {
    const current = this.pending.get(conversationId) ?? { delivered: 0, read: 0 };
    this.pending.set(conversationId, { delivered: Math.max(current.delivered, delivered), read: Math.max(current.read, read) });
    this.timer ??= setTimeout(() => this.flush(), delayMs);
  }
}
