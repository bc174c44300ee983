import { describe, expect, it } from 'vitest';
import type { Message, Thread } from '../types';
import { applyMessage, applyWithdrawn, authorOf, lastFromClinic, needsReply, needsReplyDelta, needsReplyLabel, shouldNotify, sortThreads, totalUnread, unreadLabel } from './threads';
import { buildMessage, buildThread } from './testing/builders';

const thread = (id: string, overrides: Partial<Thread> = {}): Thread => buildThread({ id, patientId: `p-${id}`, patientName: `Patient ${id}`, ...overrides });

const message = (conversationId: string, seq: number, senderKind: 'staff' | 'patient', text = 'hi'): Message =>
  buildMessage({ conversationId, seq, clientMessageId: `m${seq}`, senderId: senderKind === 'staff' ? 'staff-1' : 'patient-1', senderKind, senderName: 'Someone', text });

/** The clinic's after-hours reply, as the server stores it: staff side, its own sender id, the clinic's name. */
const automaticReply = (conversationId: string, seq: number): Message => ({
  ...message(conversationId, seq, 'staff', 'We are closed now and will answer tomorrow.'),
  senderId: 'clinic:after-hours',
  senderName: 'Northside',
  automatic: true,
});

describe('sortThreads', () => {
  it('puts pinned threads first, then the most recent activity', () => {
    const sorted = sortThreads([
      thread('old', { lastActivityAt: '2026-01-01T00:00:00Z' }),
      thread('new', { lastActivityAt: '2026-11-01T00:00:00Z' }),
      thread('pinned-old', { pinned: true, lastActivityAt: '2025-01-01T00:00:00Z' }),
    ]);
    expect(sorted.map((t) => t.id)).toEqual(['pinned-old', 'new', 'old']);
  });

  it('is stable for equal times', () => {
    const sorted = sortThreads([thread('b'), thread('a')]);
    expect(sorted.map((t) => t.id)).toEqual(['a', 'b']);
  });
});

describe('applyWithdrawn', () => {
  it("drops the withdrawn message from the patient's unread count and says so when it was the last", () => {
    const [last, earlier, other] = applyWithdrawn(
      [thread('a', { lastSeq: 4, unreadCount: 2, lastMessagePreview: 'Your crown' }), thread('b', { lastSeq: 9, unreadCount: 1, lastMessagePreview: 'Later' }), thread('c', { unreadCount: 3 })],
      'a',
      4,
      'patient',
    );
    expect([last!.unreadCount, last!.lastMessagePreview]).toEqual([1, 'Message withdrawn']);
    expect([earlier!.unreadCount, other!.unreadCount]).toEqual([1, 3]);
    const [older] = applyWithdrawn([thread('b', { lastSeq: 9, unreadCount: 0, lastMessagePreview: 'Later' })], 'b', 7, 'patient');
    expect([older!.unreadCount, older!.lastMessagePreview]).toEqual([0, 'Later']);
  });

  it("leaves staff's counts alone: they count the patient's messages, never withdrawn", () => {
    const [row] = applyWithdrawn([thread('a', { lastSeq: 4, unreadCount: 2 })], 'a', 4, 'staff');
    expect([row!.unreadCount, row!.lastMessagePreview]).toEqual([2, 'Message withdrawn']);
  });
});

describe('unread counting', () => {
  it('sums unread across threads and caps the label at 99+', () => {
    expect(totalUnread([thread('a', { unreadCount: 2 }), thread('b', { unreadCount: 5 })])).toBe(7);
    expect(unreadLabel(100)).toBe('99+');
    expect(unreadLabel(7)).toBe('7');
  });

  it('raises unread for a message from the other side in a thread that is not open', () => {
    const next = applyMessage([thread('a')], message('a', 4, 'patient', 'new\nquestion'), 'staff', null)!;
    expect(next[0]).toMatchObject({ unreadCount: 1, lastSeq: 4, lastMessagePreview: 'new question', lastSenderKind: 'patient' });
  });

  it('never puts a sensitive message\'s text into the sidebar preview, whether it arrived locked or not', () => {
    const shown = applyMessage([thread('a')], { ...message('a', 4, 'patient', 'my HIV result'), sensitive: true }, 'staff', null)!;
    expect(shown[0]!.lastMessagePreview).toBe('Sensitive message');
    const locked = applyMessage([thread('a')], { ...message('a', 4, 'staff', ''), sensitive: true, locked: true }, 'patient', null)!;
    expect(locked[0]!.lastMessagePreview).toBe('Sensitive message');
  });

  it('does not raise unread for my side or for the open thread', () => {
    expect(applyMessage([thread('a')], message('a', 4, 'staff'), 'staff', null)![0]!.unreadCount).toBe(0);
    expect(applyMessage([thread('a')], message('a', 4, 'patient'), 'staff', 'a')![0]!.unreadCount).toBe(0);
  });

  it('ignores a seq the thread already has, so a duplicate push counts once', () => {
    const once = applyMessage([thread('a')], message('a', 4, 'patient'), 'staff', null)!;
    const twice = applyMessage(once, message('a', 4, 'patient'), 'staff', null)!;
    expect(twice[0]!.unreadCount).toBe(1);
  });

  it('records the clinic\'s automatic reply as the last sender "automatic", not as a staff member\'s answer', () => {
    const afterPatient = applyMessage([thread('a')], message('a', 4, 'patient'), 'staff', null)!;
    const afterReply = applyMessage(afterPatient, automaticReply('a', 5), 'staff', null)!;
    expect(afterReply[0]).toMatchObject({ lastSeq: 5, lastSenderKind: 'automatic', lastMessagePreview: 'We are closed now and will answer tomorrow.' });
    expect(needsReplyDelta(afterPatient[0]!, afterReply[0]!)).toBe(0);
  });

  it('counts the automatic reply unread for the patient (it is the clinic\'s), never for staff', () => {
    expect(applyMessage([thread('a')], automaticReply('a', 4), 'patient', null)![0]!.unreadCount).toBe(1);
    expect(applyMessage([thread('a')], automaticReply('a', 4), 'staff', null)![0]!.unreadCount).toBe(0);
  });

  it('asks for a reload when the thread is not listed', () => {
    expect(applyMessage([thread('a')], message('zzz', 1, 'patient'), 'staff', null)).toBeNull();
  });
});

describe('shouldNotify', () => {
  it('notifies for the other side only when the page is hidden and the thread is not muted', () => {
    expect(shouldNotify(thread('a'), message('a', 4, 'patient'), 'staff', true)).toBe(true);
    expect(shouldNotify(thread('a'), message('a', 4, 'patient'), 'staff', false)).toBe(false);
    expect(shouldNotify(thread('a', { muted: true }), message('a', 4, 'patient'), 'staff', true)).toBe(false);
    expect(shouldNotify(thread('a'), message('a', 4, 'staff'), 'staff', true)).toBe(false);
  });
});

describe('needs reply', () => {
  it('is a thread whose patient wrote last, unless archived or empty', () => {
    expect(needsReply(thread('a', { lastSenderKind: 'patient' }))).toBe(true);
    expect(needsReply(thread('a', { lastSenderKind: 'staff' }))).toBe(false);
    expect(needsReply(thread('a', { lastSenderKind: 'patient', archived: true }))).toBe(false);
    expect(needsReply(thread('a', { lastSenderKind: null }))).toBe(false);
  });

  it('still needs a reply from a person when only the clinic\'s automatic reply followed the patient', () => {
    expect(needsReply(thread('a', { lastSenderKind: 'automatic' }))).toBe(true);
    expect(needsReply(thread('a', { lastSenderKind: 'automatic', archived: true }))).toBe(false);
    expect(needsReply(thread('a', { lastSenderKind: 'automatic', team: { status: 'closed', assignee: null } }))).toBe(false);
    // Waiting on the patient: the clinic has done its part, as the server's list and response clock say too.
    expect(needsReply(thread('a', { lastSenderKind: 'patient', team: { status: 'waiting', assignee: null } }))).toBe(false);
    expect(needsReply(thread('a', { lastSenderKind: 'patient', team: { status: 'open', assignee: null } }))).toBe(true);
    expect(needsReplyDelta(thread('a', { lastSenderKind: 'staff' }), thread('a', { lastSenderKind: 'automatic' }))).toBe(1);
    expect(needsReplyDelta(thread('a', { lastSenderKind: 'automatic' }), thread('a', { lastSenderKind: 'staff' }))).toBe(-1);
  });

  it('moves the count up when the patient writes after staff, down when staff answer, and not for a second patient message', () => {
    const answered = thread('a', { lastSenderKind: 'staff' });
    const waiting = thread('a', { lastSenderKind: 'patient' });
    expect(needsReplyDelta(answered, waiting)).toBe(1);
    expect(needsReplyDelta(waiting, answered)).toBe(-1);
    expect(needsReplyDelta(waiting, waiting)).toBe(0);
    expect(needsReplyLabel(12)).toBe('12');
    expect(needsReplyLabel(1000)).toBe('999+');
  });
});

describe('who wrote a message', () => {
  it('is the sender\'s side, except that the clinic\'s automatic reply is "automatic"', () => {
    expect(authorOf(message('a', 1, 'patient'))).toBe('patient');
    expect(authorOf(message('a', 1, 'staff'))).toBe('staff');
    expect(authorOf(automaticReply('a', 1))).toBe('automatic');
  });

  it('tells a patient\'s device which threads end with the clinic\'s message to acknowledge: a person\'s or the automatic reply', () => {
    expect(lastFromClinic(thread('a', { lastSenderKind: 'staff' }))).toBe(true);
    expect(lastFromClinic(thread('a', { lastSenderKind: 'automatic' }))).toBe(true);
    expect(lastFromClinic(thread('a', { lastSenderKind: 'patient' }))).toBe(false);
    expect(lastFromClinic(thread('a', { lastSenderKind: null }))).toBe(false);
  });
});
