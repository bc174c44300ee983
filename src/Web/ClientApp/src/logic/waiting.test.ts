import { describe, expect, it } from 'vitest';
import type { Message, Thread, ThreadTeam } from '../types';
import { applyMessage } from './threads';
import { buildMessage, buildThread } from './testing/builders';
import { isOverdue, teamAfterMessage, teamAfterPush, threadAfterPush, waitedFor, waitOf } from './waiting';

const now = new Date('2026-12-03T12:00:00Z');
const minutesBefore = (minutes: number) => new Date(now.getTime() - minutes * 60_000).toISOString();

const team = (overrides: Partial<ThreadTeam> = {}): ThreadTeam => ({ status: 'open', assignee: null, waitingSince: null, overdueAt: null, ...overrides });

const thread = (overrides: Partial<Thread> = {}): Thread => buildThread({ lastActivityAt: '2026-12-03T09:00:00Z', lastSenderKind: 'staff', team: team(), ...overrides });

const message = (senderKind: 'staff' | 'patient', sentAt: string, automatic = false): Message =>
  buildMessage({
    conversationId: 't1',
    seq: 4,
    clientMessageId: 'm4',
    senderId: automatic ? 'clinic:after-hours' : senderKind === 'staff' ? 'staff-1' : 'patient-1',
    senderKind,
    senderName: 'Someone',
    sentAt,
    automatic,
  });

describe('how long a patient has waited', () => {
  it('says minutes under an hour, hours under a day, then days, rounded down', () => {
    expect(waitedFor(minutesBefore(25), now)).toBe('25 min');
    expect(waitedFor(minutesBefore(59.9), now)).toBe('59 min');
    expect(waitedFor(minutesBefore(60), now)).toBe('1 h');
    expect(waitedFor(minutesBefore(3 * 60 + 59), now)).toBe('3 h');
    expect(waitedFor(minutesBefore(24 * 60 - 1), now)).toBe('23 h');
    expect(waitedFor(minutesBefore(24 * 60), now)).toBe('1 d');
    expect(waitedFor(minutesBefore(2 * 24 * 60 + 23 * 60), now)).toBe('2 d');
  });

  it('says under a minute for a wait just begun, even one the server dates a little after this clock', () => {
    expect(waitedFor(minutesBefore(0.5), now)).toBe('under 1 min');
    expect(waitedFor(minutesBefore(-2), now)).toBe('under 1 min');
  });

  it('is said for a waiting thread only, as "Waiting …"', () => {
    expect(waitOf(thread({ team: team({ waitingSince: minutesBefore(25) }) }), now)).toEqual({ since: minutesBefore(25), text: 'Waiting 25 min', overdue: false });
    expect(waitOf(thread(), now)).toBeNull();
    expect(waitOf(thread({ team: undefined }), now)).toBeNull();
  });
});

describe('overdue', () => {
  it('is a wait whose overdueAt has come, and not a moment before', () => {
    const waiting = { waitingSince: minutesBefore(600) };
    expect(isOverdue({ ...waiting, overdueAt: minutesBefore(1) }, now)).toBe(true);
    expect(isOverdue({ ...waiting, overdueAt: now.toISOString() }, now)).toBe(true);
    expect(isOverdue({ ...waiting, overdueAt: minutesBefore(-1) }, now)).toBe(false);
  });

  it('is not known, so not said, for a wait a push started before the list was read again', () => {
    expect(isOverdue({ waitingSince: minutesBefore(600), overdueAt: null }, now)).toBe(false);
  });

  it('needs a wait: a stale overdueAt on a thread nobody waits on says nothing', () => {
    expect(isOverdue({ waitingSince: null, overdueAt: minutesBefore(5) }, now)).toBe(false);
    expect(isOverdue(undefined, now)).toBe(false);
  });

  it('follows the clock it is given: the same row turns overdue when the minute tick passes overdueAt', () => {
    const row = thread({ team: team({ waitingSince: '2026-12-02T09:00:00Z', overdueAt: '2026-12-03T12:00:30Z' }) });
    expect(waitOf(row, now)).toMatchObject({ text: 'Waiting 1 d', overdue: false });
    expect(waitOf(row, new Date(now.getTime() + 60_000))).toMatchObject({ text: 'Waiting 1 d', overdue: true });
  });
});

describe('a pushed message and the wait', () => {
  it('starts a wait from when a patient wrote, on a thread that was not waiting, with overdue unknown', () => {
    const sentAt = '2026-12-03T11:58:00.1234567+00:00';
    expect(teamAfterMessage(team(), message('patient', sentAt))).toEqual(team({ waitingSince: sentAt, overdueAt: null }));
  });

  it('keeps a running wait (and when it is overdue) when the patient writes again', () => {
    const waiting = team({ waitingSince: minutesBefore(90), overdueAt: minutesBefore(-30) });
    expect(teamAfterMessage(waiting, message('patient', now.toISOString()))).toEqual(waiting);
  });

  it('ends the wait with a person\'s answer', () => {
    const waiting = team({ waitingSince: minutesBefore(90), overdueAt: minutesBefore(10) });
    expect(teamAfterMessage(waiting, message('staff', now.toISOString()))).toEqual(team({ waitingSince: null, overdueAt: null }));
  });

  it('leaves the wait running after the clinic\'s automatic reply, which answers nobody', () => {
    const waiting = team({ waitingSince: minutesBefore(90), overdueAt: minutesBefore(10) });
    expect(teamAfterMessage(waiting, message('staff', now.toISOString(), true))).toEqual(waiting);
  });

  it('moves a staff row\'s wait as the sidebar applies the message, and leaves a patient\'s rows without a team', () => {
    const sentAt = minutesBefore(1);
    const [staffRow] = applyMessage([thread()], message('patient', sentAt), 'staff', null)!;
    expect(staffRow!.team).toEqual(team({ waitingSince: sentAt, overdueAt: null }));

    const [answered] = applyMessage([staffRow!], { ...message('staff', now.toISOString()), seq: 5 }, 'staff', null)!;
    expect(answered!.team).toEqual(team({ waitingSince: null, overdueAt: null }));

    const [patientRow] = applyMessage([thread({ team: undefined })], message('staff', sentAt), 'patient', null)!;
    expect(patientRow!.team).toBeUndefined();
  });
});

describe('a pushed team state and the wait', () => {
  it('keeps the overdueAt the list read while the push names the same wait, however the instant is written', () => {
    const known = team({ waitingSince: '2026-12-03T08:00:00.123Z', overdueAt: '2026-12-03T16:00:00Z' });
    const pushed = team({ assignee: { userId: 'u1', displayName: 'Alice Carter' }, waitingSince: '2026-12-03T08:00:00.1230000+00:00', overdueAt: null });

    expect(teamAfterPush(known, pushed)).toEqual({ ...pushed, overdueAt: '2026-12-03T16:00:00Z' });
  });

  it('takes a new wait from the push, with overdue unknown until the list is read again', () => {
    const known = team({ waitingSince: '2026-12-01T08:00:00Z', overdueAt: '2026-12-01T16:00:00Z' });
    const pushed = team({ waitingSince: '2026-12-03T08:00:00Z' });

    expect(teamAfterPush(known, pushed)).toEqual(team({ waitingSince: '2026-12-03T08:00:00Z', overdueAt: null }));
    expect(teamAfterPush(undefined, pushed)).toEqual(team({ waitingSince: '2026-12-03T08:00:00Z', overdueAt: null }));
  });

  it('ends the wait when the thread is marked closed or waiting on the patient', () => {
    const known = team({ waitingSince: minutesBefore(600), overdueAt: minutesBefore(60) });

    expect(teamAfterPush(known, team({ status: 'closed', waitingSince: minutesBefore(600) }))).toEqual(team({ status: 'closed' }));
    expect(teamAfterPush(known, team({ status: 'waiting' }))).toEqual(team({ status: 'waiting' }));
  });

  it('ends the wait when the push says nobody waits, and reads a push without the fields as nobody waiting', () => {
    const known = team({ waitingSince: minutesBefore(600), overdueAt: minutesBefore(60) });

    expect(teamAfterPush(known, team())).toEqual(team());
    expect(teamAfterPush(known, { status: 'open', assignee: null })).toEqual(team());
  });
});

describe('threadAfterPush', () => {
  it('carries the pushed topic to the thread, so its tag follows a change of topic', () => {
    const routed = threadAfterPush(thread({ topic: 'billing', team: team({ topic: 'billing' }) }), team({ topic: 'appointments' }));
    expect(routed.topic).toBe('appointments');
    expect(routed.team?.topic).toBe('appointments');
    expect(threadAfterPush(thread({ topic: 'billing' }), team({ topic: null })).topic).toBeNull();
  });

  it('leaves the thread\'s topic as it was when the team carries none', () => {
    expect(threadAfterPush(thread({ topic: 'careTeam' }), team()).topic).toBe('careTeam');
  });
});
