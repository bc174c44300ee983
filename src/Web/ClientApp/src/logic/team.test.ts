import { describe, expect, it } from 'vitest';
import type { StaffItem, Thread } from '../types';
import { belongsIn, itemsAfter, listQuery, mergeStaffItems, teamLineText } from './team';
import { needsReply } from './threads';
import { buildThread } from './testing/builders';

const thread = (overrides: Partial<Thread> = {}): Thread => buildThread({ team: { status: 'open', assignee: null }, ...overrides });

const line = (itemSeq: number, afterSeq: number, change: StaffItem['change'], actorId = 'alice'): StaffItem => ({
  conversationId: 't1',
  itemSeq,
  afterSeq,
  kind: 'change',
  actorId,
  actorName: actorId === 'alice' ? 'Alice Carter' : 'Pat Portal',
  at: '2026-11-20T10:00:00Z',
  change,
  text: null,
  mentions: [],
});

describe('belongsIn', () => {
  const frank = { userId: 'frank', displayName: 'Frank Foster' };

  it('keeps closed threads out of every list but Closed, and archived ones in Archived only', () => {
    const closed = thread({ team: { status: 'closed', assignee: frank } });
    expect(['inbox', 'mine', 'unassigned', 'needsReply', 'closed', 'archived'].filter((list) => belongsIn(closed, list as never, 'frank'))).toEqual(['closed']);
    expect(belongsIn(thread({ archived: true }), 'inbox', 'frank')).toBe(false);
    expect(belongsIn(thread({ archived: true }), 'archived', 'frank')).toBe(true);
  });

  it('puts a thread in Mine for its assignee only, and in Unassigned while nobody has it', () => {
    const franks = thread({ team: { status: 'waiting', assignee: frank } });
    expect(belongsIn(franks, 'mine', 'frank')).toBe(true);
    expect(belongsIn(franks, 'mine', 'alice')).toBe(false);
    expect(belongsIn(franks, 'unassigned', 'alice')).toBe(false);
    expect(belongsIn(thread(), 'unassigned', 'alice')).toBe(true);
  });

  it('lists a thread in Needs reply while only the clinic\'s automatic reply followed the patient', () => {
    expect(belongsIn(thread({ lastSenderKind: 'automatic' }), 'needsReply', 'frank')).toBe(true);
    expect(belongsIn(thread({ lastSenderKind: 'staff' }), 'needsReply', 'frank')).toBe(false);
  });

  it('stops a closed thread from needing a reply', () => {
    expect(needsReply(thread())).toBe(true);
    expect(needsReply(thread({ team: { status: 'closed', assignee: null } }))).toBe(false);
  });
});

describe('listQuery', () => {
  it('asks the server for each list', () => {
    expect(listQuery('inbox')).toEqual({ archived: false });
    expect(listQuery('archived')).toEqual({ archived: true });
    expect(listQuery('mine')).toEqual({ archived: false, filter: 'mine' });
  });
});

describe('teamLineText', () => {
  it('says who did what, and who has the thread', () => {
    expect(teamLineText(line(1, 2, { kind: 'assigned', status: 'open', assignee: { userId: 'frank', displayName: 'Frank Foster' } }))).toBe(
      'Alice Carter assigned this to Frank Foster',
    );
    expect(teamLineText(line(1, 2, { kind: 'assigned', status: 'open', assignee: { userId: 'alice', displayName: 'Alice Carter' } }))).toBe(
      'Alice Carter took this conversation',
    );
    expect(teamLineText(line(2, 2, { kind: 'status', status: 'closed', assignee: null }))).toBe('Alice Carter marked this done');
    expect(teamLineText(line(3, 4, { kind: 'reopened', status: 'open', assignee: null }, 'pat'))).toBe('Reopened: Pat Portal wrote again');
  });

  it('says who routed the thread, and where', () => {
    expect(teamLineText(line(4, 4, { kind: 'topic', status: 'open', assignee: null, topic: 'billing' }))).toBe('Alice Carter set the topic to Billing');
    expect(teamLineText(line(5, 4, { kind: 'topic', status: 'open', assignee: null, topic: 'careTeam' }, 'pat'))).toBe('Pat Portal set the topic to Care team');
    expect(teamLineText(line(6, 4, { kind: 'topic', status: 'open', assignee: null, topic: null }))).toBe('Alice Carter removed the topic');
  });
});

describe('staff items', () => {
  it('merge by item seq whatever the order pages and pushes bring them in', () => {
    const merged = mergeStaffItems([line(2, 5, null), line(3, 5, null)], [line(1, 0, null), line(3, 5, null)]);
    expect(merged.map((i) => i.itemSeq)).toEqual([1, 2, 3]);
  });

  it('go with the run of messages they follow', () => {
    const items = [line(1, 0, null), line(2, 5, null), line(3, 5, null), line(4, 20, null)];
    expect(itemsAfter(items, 1, 19).map((i) => i.itemSeq)).toEqual([2, 3]);
    expect(itemsAfter(items, 20, 39).map((i) => i.itemSeq)).toEqual([4]);
    expect(itemsAfter(items, 6, 19)).toEqual([]);
  });
});
