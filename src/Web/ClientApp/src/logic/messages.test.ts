import { describe, expect, it } from 'vitest';
import type { Message } from '../types';
import { gapAfter, groupByDay, mergeMessages, offersWithdraw, runsOf, sensitiveRefetchAfter, withdrawWindowLeftMs } from './messages';
import { buildMessage } from './testing/builders';

const message = (seq: number, sentAt = '2026-11-21T09:30:00Z', text = `m${seq}`): Message => buildMessage({ seq, clientMessageId: `id-${seq}`, sentAt, text });

describe('mergeMessages', () => {
  it('orders by seq and keeps each seq once', () => {
    const merged = mergeMessages([message(2), message(3)], [message(1), message(3, undefined, 'dup'), message(4)]);
    expect(merged.map((m) => m.seq)).toEqual([1, 2, 3, 4]);
    expect(merged[2]!.text).toBe('m3');
  });

  it('keeps the readers a held copy lists when a copy read before them replaces it, and an unlocked read over a locked one', () => {
    const read = (userId: string, readAt: string, locked = false) => ({ userId, name: userId, readAt, locked });
    const held = { ...message(5), sensitive: true, readBy: [read('pat', '2026-11-21T10:05:00Z'), read('frank', '2026-11-21T10:01:00Z')] };
    const fetched = { ...message(5), sensitive: true, text: 'fetched', readBy: [read('pat', '2026-11-21T10:00:00Z', true), read('alice', '2026-11-21T10:02:00Z')] };

    const [merged] = mergeMessages([held], [fetched], 'fetched');

    expect(merged!.text).toBe('fetched');
    expect(merged!.readBy).toEqual([read('alice', '2026-11-21T10:02:00Z'), read('pat', '2026-11-21T10:05:00Z'), read('frank', '2026-11-21T10:01:00Z')]);
    // The fetched copy's own entries win otherwise: a locked read held, an unlocked one fetched.
    const unlocked = { ...fetched, readBy: [read('pat', '2026-11-21T10:05:00Z')] };
    expect(mergeMessages([{ ...held, readBy: [read('pat', '2026-11-21T10:00:00Z', true)] }], [unlocked], 'fetched')[0]!.readBy).toEqual(unlocked.readBy);
  });
});

describe('mergeMessages with sensitive messages', () => {
  const locked = (seq: number): Message => ({ ...message(seq, undefined, ''), sensitive: true, locked: true, attachments: [], cards: [] });
  const unlocked = (seq: number): Message => ({ ...message(seq, undefined, `secret ${seq}`), sensitive: true });

  it('replaces a locked placeholder with the content a re-fetch brings after verifying', () => {
    const merged = mergeMessages([message(1), locked(2), locked(3)], [unlocked(2), unlocked(3)], 'fetched');
    expect(merged.map((m) => [m.seq, m.locked, m.text])).toEqual([
      [1, false, 'm1'],
      [2, false, 'secret 2'],
      [3, false, 'secret 3'],
    ]);
  });

  it('never lets a locked push hide content already shown (pushes to patients are always locked)', () => {
    const merged = mergeMessages([message(1), unlocked(2)], [locked(2)], 'pushed');
    expect(merged[1]).toMatchObject({ seq: 2, locked: false, text: 'secret 2' });
  });

  it('lets an unlocked push replace a locked placeholder', () => {
    expect(mergeMessages([locked(2)], [unlocked(2)])[0]).toMatchObject({ locked: false, text: 'secret 2' });
  });

  it('locks content again when a re-fetch after the window ended brings the locked copy: a re-fetch always wins', () => {
    const merged = mergeMessages([message(1), unlocked(2)], [locked(2)], 'fetched');
    expect(merged[1]).toMatchObject({ seq: 2, locked: true, text: '' });
    expect(merged).toHaveLength(2);
  });
});

describe('sensitiveRefetchAfter', () => {
  it('re-fetches from just before the first sensitive message held, shown or locked', () => {
    expect(sensitiveRefetchAfter([message(4), { ...message(5), sensitive: true }, { ...message(7), sensitive: true, locked: true }])).toBe(4);
    expect(sensitiveRefetchAfter([message(4), { ...message(6), sensitive: true, locked: true }])).toBe(5);
  });

  it('fetches nothing when no sensitive message is held', () => {
    expect(sensitiveRefetchAfter([message(1), message(2)])).toBeNull();
    expect(sensitiveRefetchAfter([])).toBeNull();
  });
});

describe('gapAfter', () => {
  it('finds the missing range when a push skips seqs', () => {
    expect(gapAfter([message(1), message(2)], message(5))).toBe(2);
    expect(gapAfter([message(1), message(2)], message(3))).toBeNull();
    expect(gapAfter([], message(1))).toBeNull();
    expect(gapAfter([], message(3))).toBe(0);
  });
});

describe('groupByDay', () => {
  it('starts a new group for each calendar day and names today and yesterday', () => {
    const now = new Date(2026, 10, 21, 18, 0);
    const groups = groupByDay(
      [
        message(1, new Date(2026, 10, 19, 9).toISOString()),
        message(2, new Date(2026, 10, 20, 9).toISOString()),
        message(3, new Date(2026, 10, 21, 8).toISOString()),
        message(4, new Date(2026, 10, 21, 9).toISOString()),
      ],
      now,
      'en-GB',
    );
    expect(groups.map((g) => g.messages.length)).toEqual([1, 1, 2]);
    expect(groups[1]!.label).toBe('Yesterday');
    expect(groups[2]!.label).toBe('Today');
  });

  it('names yesterday in any year, across the turn of 0099 to 0100 too', () => {
    // Local times (no zone in the text), so yesterday is yesterday in the zone the tests run in.
    const label = (yesterday: string, today: string) => groupByDay([message(1, new Date(`${yesterday}T09:00:00`).toISOString())], new Date(`${today}T18:00:00`), 'en-GB')[0]!.label;
    expect(label('0001-01-01', '0001-01-02')).toBe('Yesterday');
    expect(label('0099-12-31', '0100-01-01')).toBe('Yesterday');
    expect(label('1900-02-28', '1900-03-01')).toBe('Yesterday');
    expect(label('2026-12-31', '2027-01-01')).toBe('Yesterday');
  });
});

describe('runsOf', () => {
  const seqs = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => message(from + i));

  it('cuts where seq reaches a multiple of the run size, so a new message or an older page changes only its own run', () => {
    const held = seqs(35, 64);
    const runs = runsOf(held, 20);
    expect(runs.map((r) => [r.key, r.messages[0]!.seq, r.messages.at(-1)!.seq])).toEqual([
      [1, 35, 39],
      [2, 40, 59],
      [3, 60, 64],
    ]);

    // A pushed message joins the last run; an older page fills the first: the runs between keep their key and messages.
    const after = runsOf([...seqs(15, 34), ...held, message(65)], 20);
    expect(after.map((r) => r.key)).toEqual([0, 1, 2, 3]);
    expect(after[2]!.messages).toEqual(runs[1]!.messages);
    expect(after[1]!.messages.map((m) => m.seq)).toEqual(seqs(20, 39).map((m) => m.seq));
    expect(after[3]!.messages.map((m) => m.seq)).toEqual([60, 61, 62, 63, 64, 65]);
  });

  it('gives no runs for no messages', () => {
    expect(runsOf([])).toEqual([]);
  });
});

describe('offersWithdraw', () => {
  const sentAt = Date.parse('2026-11-21T09:30:00Z');
  const own = message(4);

  it('offers the sender their own message while it is unread and under 5 minutes old', () => {
    expect(offersWithdraw(own, 's', 'delivered', sentAt + 4 * 60_000)).toBe(true);
    expect(offersWithdraw(own, 's', 'delivered', sentAt + 5 * 60_000)).toBe(false);
    expect(offersWithdraw(own, 's', 'read', sentAt)).toBe(false);
    expect(offersWithdraw(own, 's', 'opened_locked', sentAt)).toBe(false);
    expect(offersWithdraw(own, 'someone-else', 'sent', sentAt)).toBe(false);
    expect(offersWithdraw({ ...own, withdrawn: true }, 's', 'sent', sentAt)).toBe(false);
  });

  it('says how long the window has left, for the bubble to drop the button when it ends', () => {
    expect(withdrawWindowLeftMs(own.sentAt, sentAt + 4 * 60_000)).toBe(60_000);
    expect(withdrawWindowLeftMs(own.sentAt, sentAt + 6 * 60_000)).toBe(0);
  });

  it('never offers the clinic\'s automatic reply, which is nobody\'s own message', () => {
    expect(offersWithdraw({ ...own, senderId: 'clinic:after-hours', automatic: true }, 'clinic:after-hours', 'sent', sentAt)).toBe(false);
  });
});
