import type { Author, Message, Thread, UserKind } from '../types';
import { previewOf } from './sensitive';
import { teamAfterMessage } from './waiting';

/** Sidebar order: pinned first, then most recent activity, then id for a stable order. */
export function sortThreads(threads: readonly Thread[]): Thread[] {
  return [...threads].sort(
    (a, b) =>
      Number(b.pinned) - Number(a.pinned) ||
      Date.parse(b.lastActivityAt) - Date.parse(a.lastActivityAt) ||
      (a.id < b.id ? -1 : a.id > b.id ? 1 : 0),
  );
}

/** Unread across threads, for the tab title. Muted threads still count: they only stay silent. */
export function totalUnread(threads: readonly Thread[]): number {
  return threads.reduce((sum, thread) => sum + thread.unreadCount, 0);
}

export function unreadLabel(count: number): string {
  return count > 99 ? '99+' : String(count);
}

/** Who wrote the message, as far as answering goes: the clinic's automatic reply is on the staff side but is no one's answer. */
export function authorOf(message: Pick<Message, 'senderKind' | 'automatic'>): Author {
  return message.automatic ? 'automatic' : message.senderKind;
}

/**
 * The clinic owes this thread an answer: the patient wrote last (or only the clinic's automatic reply followed), and it is
 * neither archived nor closed. The same for the whole team, whoever has read it: it stops when any colleague answers or
 * marks it done.
 */
export function needsReply(thread: Thread): boolean {
  const waiting = thread.lastSenderKind === 'patient' || thread.lastSenderKind === 'automatic';
  // Waiting on the patient: the clinic has done its part (the patient's next message reopens the thread).
  return !thread.archived && waiting && (thread.team?.status ?? 'open') === 'open';
}

/** The newest message came from the clinic's side, a person's or the automatic reply: the patient's device acknowledges it. */
export function lastFromClinic(thread: Thread): boolean {
  return thread.lastSenderKind === 'staff' || thread.lastSenderKind === 'automatic';
}

/** How a change to one thread moves the team's "needs reply" count: +1, -1 or 0. */
export function needsReplyDelta(before: Thread, after: Thread): number {
  return Number(needsReply(after)) - Number(needsReply(before));
}

export function needsReplyLabel(count: number): string {
  return count >= 1000 ? '999+' : String(count);
}

/**
 * Applies a pushed message to the sidebar. A message from the other side raises the unread count
 * unless its thread is open (it is read at once); a seq the thread already has changes nothing.
 * A sensitive message's text never becomes the preview. Staff rows' waits follow the message (see teamAfterMessage).
 * Returns null when the thread is not in the list (the caller reloads the list).
 */
export function applyMessage(threads: readonly Thread[], message: Message, viewer: UserKind, openThreadId: string | null): Thread[] | null {
  const index = threads.findIndex((t) => t.id === message.conversationId);
  const thread = threads[index];
  if (!thread) {
    return null;
  }
  if (message.seq <= thread.lastSeq) {
    return [...threads];
  }
  const fromOtherSide = message.senderKind !== viewer;
  const updated: Thread = {
    ...thread,
    lastSeq: message.seq,
    lastActivityAt: message.sentAt,
    lastMessagePreview: previewOf(message),
    lastSenderKind: authorOf(message),
    archived: false,
    unreadCount: fromOtherSide && openThreadId !== thread.id ? thread.unreadCount + 1 : thread.unreadCount,
    ...(thread.team ? { team: teamAfterMessage(thread.team, message) } : {}),
  };
  const next = [...threads];
  next[index] = updated;
  return next;
}

/**
 * Applies a withdrawn message to the sidebar: its thread's preview says so when it was the last message, and the patient's
 * unread count drops by it (only a message the patient had not read can be withdrawn; staff count the patient's messages,
 * which are never withdrawn).
 */
export function applyWithdrawn(threads: readonly Thread[], conversationId: string, seq: number, viewer: UserKind): Thread[] {
  return threads.map((t) =>
    t.id !== conversationId
      ? t
      : {
          ...t,
          lastMessagePreview: t.lastSeq === seq ? 'Message withdrawn' : t.lastMessagePreview,
          unreadCount: viewer === 'patient' ? Math.max(0, t.unreadCount - 1) : t.unreadCount,
        },
  );
}

/** Whether a pushed message should raise a browser notification for staff. */
export function shouldNotify(thread: Thread | undefined, message: Message, viewer: UserKind, documentHidden: boolean): boolean {
  return documentHidden && message.senderKind !== viewer && thread?.muted !== true;
}
