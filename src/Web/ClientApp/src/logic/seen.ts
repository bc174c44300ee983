import type { Message, ReceiptsUpdate } from '../types';

/** A colleague who read up to a seq, and when. */
export interface Seen {
  readerId: string;
  name: string;
  at: string;
  upTo: number;
}

/**
 * The patient's message that waits for the team: the thread's newest, or the newest before the clinic's automatic reply
 * (which answers nobody). Null once a person at the clinic has written after it.
 */
export function waitingPatientMessage(messages: readonly Message[]): Message | null {
  const last = [...messages].reverse().find((message) => !message.automatic);
  return last?.senderKind === 'patient' ? last : null;
}

/**
 * Colleagues who have read the patient's message while it waits for the team (see waitingPatientMessage): so a
 * clinician can see that Frank has it in front of him before answering too. Newest reader first; the viewer left out.
 * From the page's read-by list, and from the staff side's receipt pushes since (live).
 */
export function seenByColleagues(messages: readonly Message[], myUserId: string, live: readonly Seen[]): Seen[] {
  const last = waitingPatientMessage(messages);
  if (!last) {
    return [];
  }
  const seen = new Map<string, Seen>();
  (last.readBy ?? []).forEach((r) => seen.set(r.userId, { readerId: r.userId, name: r.name, at: r.readAt, upTo: last.seq }));
  live.filter((s) => s.upTo >= last.seq && !seen.has(s.readerId)).forEach((s) => seen.set(s.readerId, s));
  seen.delete(myUserId);
  return [...seen.values()].sort((a, b) => Date.parse(b.at) - Date.parse(a.at));
}

/** A colleague's read as a staff receipts push tells it (null when it is not one). */
export function seenFromPush(update: ReceiptsUpdate, conversationId: string, at: Date): Seen | null {
  return update.conversationId === conversationId && update.side === 'staff' && update.readerId && update.readerName
    ? { readerId: update.readerId, name: update.readerName, at: at.toISOString(), upTo: update.readUpToSeq }
    : null;
}

/** "just now", "2 min ago", "3 h ago", then the date. */
export function agoText(iso: string, now: Date): string {
  const minutes = Math.floor((now.getTime() - Date.parse(iso)) / 60_000);
  if (minutes < 1) {
    return 'just now';
  }
  if (minutes < 60) {
    return `${minutes} min ago`;
  }
  if (minutes < 24 * 60) {
    return `${Math.floor(minutes / 60)} h ago`;
  }
  return `on ${new Date(iso).toLocaleDateString()}`;
}

export function seenText(seen: readonly Seen[], now: Date): string {
  return `Seen by ${seen.map((s) => `${s.name} ${agoText(s.at, now)}`).join(', ')}`;
}
