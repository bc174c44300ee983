import { describe, expect, it } from 'vitest';
import type { Message } from '../types';
import { gapAfter, groupByDay, mergeMessages } from './messages';

const message = (seq: number, sentAt = '2026-11-21T09:30:00Z', text = `m${seq}`): Message => ({
  conversationId: 'c',
  seq,
  clientMessageId: `id-${seq}`,
  senderId: 's',
  senderKind: 'staff',
  senderName: 'Alice',
  text,
  sentAt,
});

describe('mergeMessages', () => {
  it('orders by seq and keeps each seq once', () => {
    const merged = mergeMessages([message(2), message(3)], [message(1), message(3, undefined, 'dup'), message(4)]);
    expect(merged.map((m) => m.seq)).toEqual([1, 2, 3, 4]);
    expect(merged[2]!.text).toBe('m3');
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
});
