import type { Message, Thread, ThreadTeam } from '../types';

// A patient's wait for a person's answer, as the staff sidebar shows it and as pushes move it. The server decides when a
// wait starts and ends (ResponseRules) and when it is overdue (the clinic's reply target, counted in its office hours);
// these only keep the rows in step between two reads of the list.

const minute = 60_000;

/** The same instant, however each side wrote it: a list row's value went through the database (ms), a push's did not. */
function sameInstant(a: string | null | undefined, b: string | null | undefined): boolean {
  return !!a && !!b && Date.parse(a) === Date.parse(b);
}

/**
 * "25 min", "3 h", "2 d": how long the patient has waited in wall time, rounded down, so it never says more than it has
 * been. A wait that started after "now" (a clock a little behind the server's) is still under a minute.
 */
export function waitedFor(waitingSince: string, now: Date): string {
  const minutes = Math.floor(Math.max(0, now.getTime() - Date.parse(waitingSince)) / minute);
  if (minutes < 1) {
    return 'under 1 min';
  }
  if (minutes < 60) {
    return `${minutes} min`;
  }
  const hours = Math.floor(minutes / 60);
  return hours < 24 ? `${hours} h` : `${Math.floor(hours / 24)} d`;
}

/**
 * The past reply target: the server's overdueAt has come. Unknown (null: the wait started by a push, before the list was
 * read again) is not overdue; the next read says.
 */
export function isOverdue(team: Pick<ThreadTeam, 'waitingSince' | 'overdueAt'> | null | undefined, now: Date): boolean {
  return !!team?.waitingSince && !!team.overdueAt && Date.parse(team.overdueAt) <= now.getTime();
}

/** What a row says about the wait: "Waiting 25 min" since when, and whether it is overdue. Null when nobody waits. */
export function waitOf(thread: Thread, now: Date): { since: string; text: string; overdue: boolean } | null {
  const since = thread.team?.waitingSince;
  return since ? { since, text: `Waiting ${waitedFor(since, now)}`, overdue: isOverdue(thread.team, now) } : null;
}

/**
 * The team's state after a pushed message, as the server's response clock moves it: a patient's message starts a wait
 * when none runs (from when it was sent; when it becomes overdue is not known until the list is read again), a person's
 * message ends it, and the clinic's automatic reply answers nobody.
 */
export function teamAfterMessage(team: ThreadTeam, message: Pick<Message, 'senderKind' | 'automatic' | 'sentAt'>): ThreadTeam {
  if (message.senderKind === 'patient') {
    return team.waitingSince ? team : { ...team, waitingSince: message.sentAt, overdueAt: null };
  }
  return message.automatic || !team.waitingSince ? team : { ...team, waitingSince: null, overdueAt: null };
}

/**
 * The team's state a StaffItemAdded push (or a team change's answer) brings, over the one the row knows. The conversation
 * grain does not count office hours, so its overdueAt is always null: the row keeps the one the list read while the wait
 * is the same one. Closed and waiting on the patient end any wait.
 */
export function teamAfterPush(known: ThreadTeam | null | undefined, pushed: ThreadTeam): ThreadTeam {
  if (pushed.status !== 'open') {
    return { ...pushed, waitingSince: null, overdueAt: null };
  }
  const waitingSince = pushed.waitingSince ?? null;
  const sameWait = sameInstant(waitingSince, known?.waitingSince);
  return { ...pushed, waitingSince, overdueAt: sameWait ? (known?.overdueAt ?? null) : null };
}

/**
 * A thread after a push (or a team change's answer) brought its team: the team as teamAfterPush keeps it, and the thread's
 * topic with it (the team carries the topic after a change; a team without one leaves the thread's as it was).
 */
export function threadAfterPush(thread: Thread, pushed: ThreadTeam): Thread {
  return { ...thread, team: teamAfterPush(thread.team, pushed), topic: pushed.topic !== undefined ? pushed.topic : thread.topic };
}
