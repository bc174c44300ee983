import { describe, expect, it, vi } from 'vitest';
import { clockTime } from './format';
import type { ReceiptsUpdate } from '../types';
import { Acknowledger, isLockedToRecipients, mergeReadBy, mergeReceipts, noReceipts, readByText, routeAcknowledgements, statusOf, withPushedRead } from './receipts';
import { buildMessage } from './testing/builders';

describe('receipts', () => {
  it('derives sent, delivered and read from the recipients cursors', () => {
    const recipients = { deliveredUpToSeq: 8, readUpToSeq: 5, sensitiveReadUpToSeq: 0 };
    expect(statusOf(5, recipients)).toBe('read');
    expect(statusOf(6, recipients)).toBe('delivered');
    expect(statusOf(9, recipients)).toBe('sent');
  });

  it('never moves backwards when updates arrive out of order, and reading implies delivery', () => {
    const merged = mergeReceipts({ deliveredUpToSeq: 7, readUpToSeq: 4, sensitiveReadUpToSeq: 2 }, { deliveredUpToSeq: 3, readUpToSeq: 9, sensitiveReadUpToSeq: 1 });
    expect(merged).toEqual({ deliveredUpToSeq: 9, readUpToSeq: 9, sensitiveReadUpToSeq: 2 });
    expect(mergeReceipts(merged, noReceipts)).toEqual(merged);
  });

  it('tells who read a message and when, with the day of a read that came on a later day than the message', () => {
    // Midday UTC: the same calendar day in every time zone the tests may run in.
    const sentAt = '2026-12-02T12:00:00Z';
    const sameDay = '2026-12-02T12:30:00Z';
    const threeDaysLater = '2026-12-05T12:00:00Z';
    const nextYear = '2027-01-04T12:00:00Z';
    const read = (name: string, readAt: string, locked = false) => ({ userId: name, name, readAt, locked });

    expect(readByText({ sentAt, readBy: [] })).toBeUndefined();
    expect(readByText({ sentAt, readBy: [read('Pat Portal', sameDay)] }, 'en-GB')).toBe(`Read by Pat Portal at ${clockTime(sameDay, 'en-GB')}`);
    expect(readByText({ sentAt, readBy: [read('Pat Portal', threeDaysLater)] }, 'en-GB')).toBe(`Read by Pat Portal on 5 Dec at ${clockTime(threeDaysLater, 'en-GB')}`);
    expect(readByText({ sentAt, readBy: [read('Pat Portal', sameDay, true), read('Frank', nextYear)] }, 'en-GB')).toBe(
      `Opened, locked by Pat Portal at ${clockTime(sameDay, 'en-GB')}, Read by Frank on 4 Jan 2027 at ${clockTime(nextYear, 'en-GB')}`,
    );
  });

  it('calls a sensitive message to the patient opened, locked until the patient read it unlocked', () => {
    const recipients = { deliveredUpToSeq: 9, readUpToSeq: 8, sensitiveReadUpToSeq: 3 };
    expect(statusOf(5, recipients, true)).toBe('opened_locked');
    expect(statusOf(3, recipients, true)).toBe('read');
    expect(statusOf(5, recipients, false)).toBe('read');
    expect(statusOf(9, recipients, true)).toBe('delivered');
    expect(isLockedToRecipients({ sensitive: true, senderKind: 'staff' })).toBe(true);
    expect(isLockedToRecipients({ sensitive: true, senderKind: 'patient' })).toBe(false);
  });

  it('adds a pushed read to the read-by list of each message it reached first that the reader\'s side did not send', () => {
    const staffMessage = (seq: number, sensitive = false) => buildMessage({ conversationId: 'c1', seq, senderKind: 'staff', sensitive });
    const patientMessage = (seq: number) => buildMessage({ conversationId: 'c1', seq, senderKind: 'patient', senderName: 'Pat' });
    const earlier = { userId: 'pat', name: 'Pat', readAt: '2026-12-02T09:00:00Z', locked: false };
    // 1 was read and listed before; 2 was read before too, but its read was missed (never listed); 3 to 6 are new.
    const messages = [{ ...staffMessage(1), readBy: [earlier] }, staffMessage(2), staffMessage(3), patientMessage(4), staffMessage(5, true), staffMessage(6)];
    const at = '2026-12-02T10:00:00Z';
    const move = { readFromSeq: 2, readUpToSeq: 5, sensitiveReadFromSeq: 0, sensitiveReadUpToSeq: 0, at };
    const patRead: ReceiptsUpdate = {
      conversationId: 'c1', side: 'patient', deliveredUpToSeq: 6, readUpToSeq: 5, sensitiveReadUpToSeq: 0, readerId: 'pat', readerName: 'Pat', readerMove: move,
    };

    const read = withPushedRead(messages, patRead);

    expect(read.map((m) => m.readBy ?? [])).toEqual([
      [earlier],
      [], // read before this push: its time is not this push's
      [{ userId: 'pat', name: 'Pat', readAt: at, locked: false }],
      [], // her own message
      [{ userId: 'pat', name: 'Pat', readAt: at, locked: true }], // sensitive, opened locked
      [], // not read yet
    ]);

    const unlockedAt = '2026-12-02T10:05:00Z';
    const unlocked = withPushedRead(read, { ...patRead, readerMove: { ...move, readFromSeq: 5, sensitiveReadUpToSeq: 5, at: unlockedAt } });
    expect(unlocked[4]!.readBy).toEqual([{ userId: 'pat', name: 'Pat', readAt: unlockedAt, locked: false }]);
    expect(unlocked[2]).toBe(read[2]);

    // A delivery (the reader named, no read move), a patient's push (no reader), a move that reached nothing new and a
    // push whose reads are listed change nothing.
    expect(withPushedRead(messages, { ...patRead, readerMove: null })).toBe(messages);
    expect(withPushedRead(messages, { ...patRead, readerId: null, readerName: null })).toBe(messages);
    expect(withPushedRead(unlocked, { ...patRead, readerMove: { ...move, readFromSeq: 5 } })).toBe(unlocked);
    expect(withPushedRead(unlocked, patRead)).toBe(unlocked);
  });

  it('merges two reports of readers by one rule: a listed entry stays unless it is locked and the other unlocked', () => {
    const entry = (userId: string, readAt: string, locked = false) => ({ userId, name: userId, readAt, locked });
    const listed = [entry('pat', '10:00', true), entry('frank', '10:01')];

    expect(mergeReadBy(listed, [entry('pat', '10:05')])).toEqual([entry('frank', '10:01'), entry('pat', '10:05')]);
    expect(mergeReadBy(listed, [entry('alice', '10:02')])).toEqual([...listed, entry('alice', '10:02')]);
    // Already listed: a later report of the same read, or a locked one, changes nothing (the same array).
    expect(mergeReadBy(listed, [entry('frank', '10:09'), entry('pat', '10:07', true)])).toBe(listed);
    expect(mergeReadBy(listed, [])).toBe(listed);
  });

  it('sends delivery alone over the push connection while it is up, and a read or a disconnected hub over HTTP', async () => {
    let connected = true;
    const viaHub = vi.fn((_id: string, _seq: number) => (connected ? Promise.resolve('hub') : null));
    const viaHttp = vi.fn(() => Promise.resolve('http'));
    const send = routeAcknowledgements(viaHub, viaHttp);

    expect(await send('a', { deliveredUpToSeq: 5 })).toBe('hub');
    expect(viaHub).toHaveBeenLastCalledWith('a', 5);
    // A read needs the cookie's re-authentication window (sensitive messages): HTTP even while connected.
    expect(await send('a', { deliveredUpToSeq: 6, readUpToSeq: 6 })).toBe('http');
    expect(viaHttp).toHaveBeenLastCalledWith('a', { deliveredUpToSeq: 6, readUpToSeq: 6 });
    connected = false;
    expect(await send('b', { deliveredUpToSeq: 2 })).toBe('http');
    expect(viaHttp).toHaveBeenLastCalledWith('b', { deliveredUpToSeq: 2 });
    expect(viaHub).toHaveBeenCalledTimes(2);
  });

  it('batches a burst of acknowledgements into one request per conversation', () => {
    vi.useFakeTimers();
    const send = vi.fn(() => Promise.resolve());
    const acks = new Acknowledger(send, 250);
    acks.delivered('a', 3);
    acks.delivered('a', 5);
    acks.read('a', 4);
    acks.delivered('b', 1);
    vi.advanceTimersByTime(250);
    expect(send).toHaveBeenCalledTimes(2);
    expect(send).toHaveBeenCalledWith('a', { deliveredUpToSeq: 5, readUpToSeq: 4 });
    expect(send).toHaveBeenCalledWith('b', { deliveredUpToSeq: 1 });
    vi.useRealTimers();
  });

  it('keeps an acknowledgement that failed and sends it again', async () => {
    vi.useFakeTimers();
    let calls = 0;
    const send = vi.fn(() => (++calls === 1 ? Promise.reject(new Error('offline')) : Promise.resolve()));
    const acks = new Acknowledger(send, 250);
    acks.read('a', 7);
    await vi.advanceTimersByTimeAsync(250);
    await vi.advanceTimersByTimeAsync(5000);
    expect(send).toHaveBeenCalledTimes(2);
    expect(send).toHaveBeenLastCalledWith('a', { deliveredUpToSeq: 7, readUpToSeq: 7 });
    vi.useRealTimers();
  });
});
