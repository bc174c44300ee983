import type { StaffItem, Thread, ThreadFilter, ThreadStatus } from '../types';
import { needsReply } from './threads';
import { topicChangeText } from './topics';

/** The staff sidebar's lists, in the order of its tabs. */
export type StaffList = 'inbox' | 'mine' | 'unassigned' | 'needsReply' | 'closed' | 'archived';

export const staffLists: { name: StaffList; label: string }[] = [
  { name: 'inbox', label: 'Inbox' },
  { name: 'mine', label: 'Mine' },
  { name: 'unassigned', label: 'Unassigned' },
  { name: 'needsReply', label: 'Needs reply' },
  { name: 'closed', label: 'Closed' },
  { name: 'archived', label: 'Archived' },
];

/** How a list is asked of the server (GET /conversations). */
export function listQuery(list: StaffList): { archived: boolean; filter?: ThreadFilter } {
  return list === 'archived' ? { archived: true } : list === 'inbox' ? { archived: false } : { archived: false, filter: list };
}

/** Whether a thread, as it is now, belongs in a list: the server's rules (ThreadIndexStore), for the rows pushes change. */
export function belongsIn(thread: Thread, list: StaffList, myUserId: string): boolean {
  const status = thread.team?.status ?? 'open';
  if (list === 'archived') {
    return thread.archived;
  }
  if (thread.archived) {
    return false;
  }
  switch (list) {
    case 'closed':
      return status === 'closed';
    case 'needsReply':
      return needsReply(thread);
    case 'mine':
      return status !== 'closed' && thread.team?.assignee?.userId === myUserId;
    case 'unassigned':
      return status !== 'closed' && !thread.team?.assignee;
    default:
      return status !== 'closed';
  }
}

export function statusLabel(status: ThreadStatus): string {
  return status === 'waiting' ? 'Waiting on patient' : status === 'closed' ? 'Closed' : 'Open';
}

/** What a system line says, as staff read it in the thread. */
export function teamLineText(item: StaffItem): string {
  const change = item.change;
  if (!change) {
    return '';
  }
  switch (change.kind) {
    case 'assigned':
      return change.assignee?.userId === item.actorId ? `${item.actorName} took this conversation` : `${item.actorName} assigned this to ${change.assignee?.displayName ?? 'a colleague'}`;
    case 'unassigned':
      return `${item.actorName} unassigned this conversation`;
    case 'reopened':
      return `Reopened: ${item.actorName} wrote again`;
    case 'topic':
      return topicChangeText(item.actorName, change.topic);
    default:
      return change.status === 'closed'
        ? `${item.actorName} marked this done`
        : change.status === 'waiting'
          ? `${item.actorName} set this to waiting on the patient`
          : `${item.actorName} reopened this conversation`;
  }
}

/** Merges staff items by item seq (pages may overlap at their edges; a push may repeat what a page brought). */
export function mergeStaffItems(held: readonly StaffItem[], incoming: readonly StaffItem[]): StaffItem[] {
  if (incoming.length === 0) {
    return held as StaffItem[];
  }
  const bySeq = new Map(held.map((item) => [item.itemSeq, item]));
  incoming.forEach((item) => bySeq.set(item.itemSeq, item));
  return [...bySeq.values()].sort((a, b) => a.itemSeq - b.itemSeq);
}

/** The staff items placed after one of the messages with seq `first` to `last` (a run of the thread), in order. */
export function itemsAfter(items: readonly StaffItem[], first: number, last: number): StaffItem[] {
  return items.filter((item) => item.afterSeq >= first && item.afterSeq <= last);
}
