import type { Message } from '../types';

/** A colleague who read the waiting message, and when. */
export interface Seen {
  readerId: string;
  name: string;
  at: string;
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
 * From the message's read-by list, which the page brings and the staff side's receipt pushes extend (live).
 */
export function seenByColleagues(messages: readonly Message[], myUserId: string): Seen[] {
  const last = waitingPatientMessage(messages);
  return (last?.readBy ?? [])
    .filter((r) => r.userId !== myUserId)
    .map((r) => ({ readerId: r.userId, name: r.name, at: r.readAt }))
    .sort((a, b) => Date.parse(b.at) - Date.parse(a.at));
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
